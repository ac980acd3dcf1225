/**
 * A hand-written reveal.js deck and its BuiltDeck, so the export tests do not depend on the
 * parse/render stages. The page follows the deck template's print contract: `?print-pdf`,
 * `fragments=steps`, `notes=page|below`, and `html[data-pdf-ready]` on reveal's `pdf-ready`.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuiltDeck, Deck, LayoutName, RenderedSlide, Slide } from '../../src/types.js';

export interface FixtureSlide {
  title: string;
  body?: string;
  notes?: string;
  /** Vertical slides stacked under this one. */
  below?: FixtureSlide[];
}

const revealDist = dirname(createRequire(import.meta.url).resolve('reveal.js/reveal.css'));

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function sectionHtml(slide: FixtureSlide): string {
  const notes = slide.notes === undefined ? '' : `<aside class="notes"><p>${escape(slide.notes)}</p></aside>`;
  return `<h2>${escape(slide.title)}</h2>${slide.body ?? ''}${notes}`;
}

export function makeDeck(
  root: string,
  slides: FixtureSlide[],
  meta: { name?: string; title?: string; author?: string; size?: '16:9' | '4:3'; theme?: string } = {},
): BuiltDeck {
  const name = meta.name ?? 'deck';
  const outDir = join(root, name);
  mkdirSync(join(outDir, 'reveal'), { recursive: true });
  for (const file of ['reveal.js', 'reveal.css', `theme/${meta.theme ?? 'white'}.css`]) {
    mkdirSync(dirname(join(outDir, 'reveal', file)), { recursive: true });
    cpSync(join(revealDist, file), join(outDir, 'reveal', file));
  }
  const [width, height] = meta.size === '4:3' ? [1024, 768] : [1280, 720];
  const deckSlides: Slide[] = [];
  const rendered: RenderedSlide[] = [];
  const add = (slide: FixtureSlide, h: number, v: number): void => {
    const index = deckSlides.length;
    const layout: LayoutName = 'default';
    deckSlides.push({
      index, h, v, title: slide.title, layout, layoutExplicit: false, lines: [index + 1, index + 1],
      markdown: `## ${slide.title}`, markdownLine: index + 1, tokens: [], notes: slide.notes ?? '', notesTokens: [], classes: [], fit: false, attributes: {},
    });
    rendered.push({
      index, h, v, title: slide.title, layout, html: sectionHtml(slide),
      notesHtml: slide.notes === undefined ? '' : `<p>${escape(slide.notes)}</p>`,
    });
  };
  const sections = slides.map((slide, h) => {
    add(slide, h, 0);
    if (slide.below === undefined) return `<section>${sectionHtml(slide)}</section>`;
    const children = slide.below.map((child, i) => {
      add(child, h, i + 1);
      return `<section>${sectionHtml(child)}</section>`;
    });
    return `<section><section>${sectionHtml(slide)}</section>${children.join('')}</section>`;
  });
  const title = meta.title ?? 'Fixture deck';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<link rel="stylesheet" href="reveal/reveal.css"><link rel="stylesheet" href="reveal/theme/${meta.theme ?? 'white'}.css">
</head><body><div class="reveal"><div class="slides">${sections.join('\n')}</div></div>
<script src="reveal/reveal.js"></script>
<script>
const query = new URLSearchParams(location.search);
Reveal.on('pdf-ready', () => { document.documentElement.dataset.pdfReady = 'true'; });
Reveal.initialize({ width: ${width}, height: ${height}, hash: true,
  pdfSeparateFragments: query.get('fragments') === 'steps',
  showNotes: query.get('notes') === 'page' ? 'separate-page' : query.get('notes') === 'below' });
</script></body></html>`;
  const htmlPath = join(outDir, 'index.html');
  writeFileSync(htmlPath, html);
  const deck: Deck = {
    file: join(root, `${name}.md`),
    config: {
      title, author: meta.author, keywords: ['fixture', 'pdf'], lang: 'en', size: meta.size ?? '16:9',
      transition: 'none', themeVars: {}, css: [], slideNumber: false, reveal: {},
    } as Deck['config'],
    title,
    slides: deckSlides,
    diagnostics: [],
  };
  return {
    name, file: deck.file ?? '', outDir, htmlPath, deck,
    rendered: { html, slides: rendered, assets: [], diagnostics: [], width, height },
  };
}

/** The deck of the first "Done when" line: 9 slides, one of them vertical, a fragment list. */
export function nineSlides(): FixtureSlide[] {
  const plain = (n: number, notes = true): FixtureSlide => ({
    title: `Slide ${n} heading`,
    body: `<p>Body text of slide ${n} ZQX${n}</p>`,
    ...(notes ? { notes: `Speaker notes for slide ${n} NOTE${n}` } : {}),
  });
  return [
    plain(1),
    {
      title: 'Fragments',
      body: '<ul><li class="fragment">First point FRAGA</li><li class="fragment">Second point FRAGB</li><li class="fragment">Third point FRAGC</li></ul>',
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
