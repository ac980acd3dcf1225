/**
 * Test decks written as Markdown and built with buildDeck, so the export tests print what users
 * print: the real deck template, its print contract (`?print-pdf`, `fragments=steps`,
 * `notes=page|below`, `html[data-pdf-ready]`) and the default theme, not a hand copy of them.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildDeck } from '../../src/build/index.js';
import type { BuiltDeck } from '../../src/types.js';

const fontsource = dirname(createRequire(import.meta.url).resolve('@fontsource/inter/package.json'));

/**
 * Writes `<folder>/brand/`, a theme of the deck's own (`theme: ./brand`, extending paper) whose
 * stylesheet brings a web font of its own for the slide headings, from `brand/fonts/brand.woff2`.
 */
export function writeBrandTheme(folder: string): void {
  mkdirSync(join(folder, 'brand', 'fonts'), { recursive: true });
  copyFileSync(join(fontsource, 'files', 'inter-latin-700-normal.woff2'), join(folder, 'brand', 'fonts', 'brand.woff2'));
  writeFileSync(join(folder, 'brand', 'theme.json'), JSON.stringify({ name: 'brand', description: 'test', extends: 'paper' }));
  writeFileSync(
    join(folder, 'brand', 'theme.css'),
    "@font-face { font-family: BrandFace; src: url(fonts/brand.woff2) format('woff2'); }\n.reveal h2 { font-family: BrandFace; }\n",
  );
}

export interface FixtureSlide {
  title: string;
  /** Markdown under the slide's `##` heading. */
  body?: string;
  notes?: string;
  /** Vertical slides stacked under this one. */
  below?: FixtureSlide[];
}

// Every slide says its layout, as the hand-written deck had it: left to inference, the first
// slide would get the title layout.
function slideMarkdown(slide: FixtureSlide): string {
  const parts = ['<!-- layout: default -->', `## ${slide.title}`];
  if (slide.body !== undefined) parts.push(slide.body);
  if (slide.notes !== undefined) parts.push(`Note: ${slide.notes}`);
  return parts.join('\n\n');
}

/** The deck's Markdown: `---` between slides, `----` before each vertical slide. */
export function deckMarkdown(slides: FixtureSlide[], meta: { title?: string; author?: string; size?: '16:9' | '4:3' } = {}): string {
  const front = ['---', `title: ${JSON.stringify(meta.title ?? 'Fixture deck')}`];
  if (meta.author !== undefined) front.push(`author: ${JSON.stringify(meta.author)}`);
  front.push('keywords: [fixture, pdf]', `size: "${meta.size ?? '16:9'}"`, 'transition: none', '---');
  const body = slides.map((slide) => [slide, ...(slide.below ?? [])].map(slideMarkdown).join('\n\n----\n\n')).join('\n\n---\n\n');
  return `${front.join('\n')}\n\n${body}\n`;
}

/**
 * Writes `<root>/<name>.md` and builds it into `<root>/<name>/`, so its default PDF is
 * `<root>/<name>.pdf`. `files` are written next to the Markdown first (images it shows).
 */
export async function makeDeck(
  root: string,
  slides: FixtureSlide[],
  meta: { name?: string; title?: string; author?: string; size?: '16:9' | '4:3'; files?: Record<string, string | Buffer> } = {},
): Promise<BuiltDeck> {
  const name = meta.name ?? 'deck';
  mkdirSync(root, { recursive: true });
  for (const [file, content] of Object.entries(meta.files ?? {})) writeFileSync(join(root, file), content);
  const source = join(root, `${name}.md`);
  writeFileSync(source, deckMarkdown(slides, meta));
  return buildDeck(source, { outDir: root });
}

/** The deck of the first "Done when" line: 9 slides, one of them vertical, a fragment list. */
export function nineSlides(): FixtureSlide[] {
  const plain = (n: number, notes = true): FixtureSlide => ({
    title: `Slide ${n} heading`,
    body: `Body text of slide ${n} ZQX${n}`,
    ...(notes ? { notes: `Speaker notes for slide ${n} NOTE${n}` } : {}),
  });
  return [
    plain(1),
    {
      title: 'Fragments',
      body: '::: fragments\n- First point FRAGA\n- Second point FRAGB\n- Third point FRAGC\n:::',
      notes: 'Speaker notes for slide 2 NOTE2',
    },
    plain(3),
    { ...plain(4), below: [plain(5)] },
    plain(6, false),
    plain(7),
    plain(8),
    plain(9, false),
  ];
}
