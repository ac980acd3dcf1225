/**
 * `decksmith themes --preview`: builds the sample talk (src/export/gallery-sample.ts) in each theme,
 * screenshots every slide in headless Chromium, measures overflow and text contrast on the way,
 * and writes a contact sheet per theme plus a gallery page:
 *
 *   <out>/index.html                    the gallery
 *   <out>/<theme>.png                   contact sheet: the sample slides, three to a row
 *   <out>/<theme>/<nn>-<slide>.png      each slide at 1280 × 720
 *   <out>/decks/<theme>/index.html      the built sample deck, to click through
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'puppeteer-core';
import { buildDeck } from '../build/index.js';
import type { BrowserSession } from '../browser/session.js';
import { escapeHtml } from '../render/urls.js';
import { deckPage, measureDeck, type SlideMeasurement } from '../browser/measure.js';
import { listThemes } from '../build/theme.js';
import { createFigureRenderer } from '../figures/index.js';
import { SAMPLE_CHART_SVG, SAMPLE_SLIDES, sampleDeck, type SampleSlide } from './gallery-sample.js';

export interface PreviewOptions {
  /** Theme names, or absolute paths (a relative path is taken from the working directory). */
  themes: readonly string[];
  outDir: string;
  session: BrowserSession;
  /** Called once per theme as it starts. */
  onTheme?: (theme: string) => void;
}

export interface SlidePreview extends SlideMeasurement {
  slide: SampleSlide;
  layout: string;
  /** Absolute path of the PNG. */
  png: string;
}

export interface ThemePreview {
  theme: string;
  description: string;
  sheet: string;
  deck: string;
  slides: SlidePreview[];
}

export async function previewThemes(options: PreviewOptions): Promise<ThemePreview[]> {
  const outDir = options.outDir;
  const work = await mkdtemp(join(tmpdir(), 'decksmith-preview-'));
  const descriptions = new Map(listThemes().map((t) => [t.name, t.description]));
  const results: ThemePreview[] = [];
  // The sample's diagram is drawn in the preview's own browser.
  const figures = createFigureRenderer({ session: async () => options.session });
  try {
    await writeFile(join(work, 'chart.svg'), SAMPLE_CHART_SVG);
    for (const theme of options.themes) {
      options.onTheme?.(theme);
      const slug = themeSlug(theme);
      const source = join(work, `${slug}.md`);
      await writeFile(source, sampleDeck(theme));
      // The theme is the caller's choice, as with --theme: the sample deck lives in a temporary
      // folder, so a theme path in its front matter would be refused as outside the deck's root.
      const built = await buildDeck(source, { outDir: join(outDir, 'decks'), theme, figures });
      await mkdir(join(outDir, slug), { recursive: true });
      const pngs = SAMPLE_SLIDES.map((name, i) => join(outDir, slug, `${String(i + 1).padStart(2, '0')}-${name}.png`));
      // A theme from a path is someone else's CSS: measureDeck lets only the deck's own files load.
      const measured = await options.session.withPage((page) =>
        measureDeck(page, deckPage(built), { screenshot: (i) => pngs[i] ?? join(outDir, slug, `${i}.png`) }),
      );
      const slides = measured.map((m, i) => ({
        ...m,
        slide: SAMPLE_SLIDES[i] ?? 'default',
        layout: built.deck.slides[i]?.layout ?? 'default',
        png: pngs[i] ?? '',
      }));
      const sheet = join(outDir, `${slug}.png`);
      const description = descriptions.get(theme) ?? '';
      await options.session.withPage((page) => renderSheet(page, theme, description, slides, sheet));
      results.push({ theme, description, sheet, deck: built.htmlPath, slides });
    }
    await writeFile(join(outDir, 'index.html'), galleryHtml(outDir, results));
    return results;
  } finally {
    await figures.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** File name for a theme's pictures: its name, or the last two parts of its path (`my-talk_theme`). */
function themeSlug(theme: string): string {
  const tail = theme
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .slice(-2)
    .join('_');
  return (
    tail
      .replace(/\.css$/i, '')
      .replace(/[^\w-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'theme'
  );
}

/** A contact sheet, three slides to a row, of a theme's slides, labelled with its name. */
async function renderSheet(page: Page, theme: string, description: string, slides: SlidePreview[], file: string): Promise<void> {
  const thumbs = slides
    .map(
      (s) =>
        `<figure><img src="data:image/png;base64,${readFileSync(s.png).toString('base64')}" alt=""><figcaption>${escapeHtml(s.slide)}</figcaption></figure>`,
    )
    .join('');
  const html = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; padding: 28px 32px 20px; background: #e9ebef; font: 15px/1.3 system-ui, sans-serif; color: #222; width: ${3 * 420 + 2 * 16}px; }
  h1 { font-size: 22px; margin: 0 0 2px; } p { margin: 0 0 16px; color: #555; }
  .grid { display: grid; grid-template-columns: repeat(3, 420px); gap: 16px; }
  figure { margin: 0; } img { display: block; width: 420px; height: 236.25px; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.25); }
  figcaption { font-size: 12px; color: #666; margin-top: 5px; }
</style><h1>${escapeHtml(theme)}</h1><p>${escapeHtml(description)}</p><div class="grid">${thumbs}</div>`;
  await page.setViewport({ width: 3 * 420 + 2 * 16 + 64, height: 400, deviceScaleFactor: 1 });
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: file as `${string}.png`, type: 'png', fullPage: true });
}

function galleryHtml(outDir: string, themes: ThemePreview[]): string {
  const rel = (path: string) => relative(outDir, path).split('\\').join('/');
  const sections = themes
    .map((t) => {
      const figures = t.slides
        .map(
          (s) =>
            `<a href="${escapeHtml(rel(s.png))}"><img src="${escapeHtml(rel(s.png))}" alt="${escapeHtml(`${t.theme}: ${s.slide} slide`)}" loading="lazy"></a>`,
        )
        .join('\n');
      return `<section id="${escapeHtml(t.theme)}">
<h2>${escapeHtml(t.theme)} <a class="deck" href="${escapeHtml(rel(t.deck))}">open the deck</a></h2>
<p>${escapeHtml(t.description)}</p>
<div class="grid">
${figures}
</div>
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>decksmith themes</title>
<style>
  body { margin: 0 auto; max-width: 1400px; padding: 32px; font: 16px/1.45 system-ui, sans-serif; color: #1d232b; background: #f4f5f7; }
  h1 { margin: 0 0 8px; } h2 { margin: 40px 0 4px; } p { margin: 0 0 14px; color: #4a525c; }
  a.deck { font-size: 14px; font-weight: 400; margin-left: 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
  .grid img { display: block; width: 100%; aspect-ratio: 16 / 9; border-radius: 6px; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.2); }
</style>
</head>
<body>
<h1>decksmith themes</h1>
<p>The same sample talk in every theme. Use one with <code>theme: NAME</code> in the front matter or <code>--theme NAME</code>.</p>
${sections}
</body>
</html>
`;
}
