/**
 * A deck with three diagrams and two charts, as issue #13 asks it to come out: five inline SVGs
 * and no Mermaid or Vega script in the page, nothing fetched but the deck's own files, the labels
 * of both kinds as text in the PDF in the theme's font, two builds byte-identical; and in every
 * built-in theme, chart text readable (4.5:1) against the slide it is drawn on.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { builtinThemeNames } from '../../src/build/theme.js';
import { exportPdf } from '../../src/export/pdf.js';
import { createFigureRenderer } from '../../src/figures/index.js';
import { browserForFile } from '../browser-for-file.js';
import { pageFonts, pageTexts } from '../export/read-pdf.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-figure-deck-');
const browser = browserForFile(cleanup);

const DECK = `---
title: Figures
---

## Lifecycle

\`\`\`mermaid
flowchart LR
  Collect[Data collection] --> Prepare[Preprocessing] --> Train[Training]
\`\`\`

---

## Hand-off

\`\`\`mermaid
sequenceDiagram
  Scientist->>Engineer: Model notebook
  Engineer-->>Scientist: Serving latency
\`\`\`

---

## Roles

\`\`\`mermaid
flowchart TD
  Research --> Production
\`\`\`

---

## Effort

\`\`\`chart
type: bar
title: Weeks per stage (sample data)
x: stage
y: weeks
data:
  - {stage: Collection, weeks: 4}
  - {stage: Modelling, weeks: 3}
  - {stage: Deployment, weeks: 2}
\`\`\`

---

## Sales

\`\`\`chart
type: line
title: Sales by month (sample data)
x: month
y: sales
data: sales.csv
\`\`\`
`;

const LABELS = ['Data collection', 'Preprocessing', 'Model notebook', 'Serving latency', 'Research', 'Production'];
const CHART_LABELS = ['Collection', 'Modelling', 'Deployment', 'Weeks per stage', 'Sales by month'];

function writeDeck(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'sales.csv'), 'month,sales\nJan,10\nFeb,14\nMar,9\nApr,17\n');
  const file = join(folder, 'deck.md');
  writeFileSync(file, DECK);
  return file;
}

describe('a deck with three diagrams and two charts', () => {
  it('is five inline SVGs, no figure script, offline, its labels as PDF text in the theme font, the same twice', async () => {
    const file = writeDeck('deck');
    const figures = createFigureRenderer({ cacheDir: join(dir, 'cache'), session: async () => browser() });
    try {
      const built = await buildDeck(file, { outDir: join(dir, 'out'), figures });
      const html = readFileSync(built.htmlPath, 'utf8');
      expect(html.match(/<figure class="ds-figure[^"]*"><svg\b/g)).toHaveLength(5);
      expect(html).not.toMatch(/<script[^>]*(mermaid|vega)/i);
      expect(html).not.toMatch(/mermaid\.(min|esm)|vega-embed|vegaEmbed/);

      const outside: string[] = [];
      await browser().withPage(async (page) => {
        await page.setRequestInterception(true);
        page.on('request', (request) => {
          if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) outside.push(request.url());
          void request.continue();
        });
        await page.goto(pathToFileURL(built.htmlPath).href, { waitUntil: 'load' });
        await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
        expect(await page.$$eval('.ds-figure svg[role="img"]', (svgs) => svgs.length)).toBe(5);
      });
      expect(outside).toEqual([]);

      const again = await buildDeck(file, { outDir: join(dir, 'out-again'), figures });
      expect(readFileSync(again.htmlPath, 'utf8')).toBe(html);

      const pdf = join(dir, 'figures.pdf');
      await exportPdf(browser(), built, { notes: 'none', fragments: 'final', timeoutMs: 120_000, out: pdf });
      const text = (await pageTexts(pdf)).join('\n');
      for (const label of [...LABELS, ...CHART_LABELS]) expect(text).toContain(label);
      // paper's body font is Inter: every label (headings too) is set in the theme's fonts.
      for (const page of await pageFonts(pdf)) for (const font of page) expect(font).toMatch(/Inter|Fraunces|JetBrains/);
    } finally {
      await figures.close();
    }
  });

  it('in every built-in theme, chart text reaches 4.5:1 against the slide', async () => {
    const file = writeDeck('themes');
    const figures = createFigureRenderer({ cacheDir: join(dir, 'cache-themes'), session: async () => browser() });
    const failures: string[] = [];
    try {
      for (const theme of builtinThemeNames()) {
        const built = await buildDeck(file, { outDir: join(dir, `out-${theme}`), figures, theme });
        const found = await browser().withPage(async (page) => {
          await page.setViewport({ width: 1280, height: 720 });
          await page.goto(pathToFileURL(built.htmlPath).href, { waitUntil: 'load' });
          await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
          return page.evaluate(() => {
            const canvas = document.createElement('canvas');
            canvas.width = 1;
            canvas.height = 1;
            const context = canvas.getContext('2d', { willReadFrequently: true });
            if (context === null) throw new Error('no canvas');
            const paint = (color: string, under: string): number[] => {
              context.fillStyle = under;
              context.fillRect(0, 0, 1, 1);
              context.fillStyle = color;
              context.fillRect(0, 0, 1, 1);
              return [...context.getImageData(0, 0, 1, 1).data].slice(0, 3);
            };
            const luminance = (c: number[]) =>
              c
                .map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
                .reduce((sum, v, i) => sum + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
            const out: { text: string; ratio: number }[] = [];
            for (const svg of document.querySelectorAll('.ds-figure-chart svg')) {
              const frame = svg.closest('.ds-frame');
              const page = paint(getComputedStyle(document.body).backgroundColor, '#fff');
              const slide = paint(getComputedStyle(frame ?? document.body).backgroundColor, `rgb(${page.join(',')})`);
              for (const t of svg.querySelectorAll('text')) {
                const words = (t.textContent ?? '').trim();
                if (words === '') continue;
                const fg = paint(getComputedStyle(t).fill, `rgb(${slide.join(',')})`);
                const [hi, lo] = [luminance(fg), luminance(slide)].sort((a, b) => b - a) as [number, number];
                out.push({ text: words, ratio: (hi + 0.05) / (lo + 0.05) });
              }
            }
            return out;
          });
        });
        expect(found.length, theme).toBeGreaterThan(CHART_LABELS.length);
        for (const t of found) if (t.ratio < 4.5) failures.push(`${theme}: "${t.text}" ${t.ratio.toFixed(2)}:1`);
      }
    } finally {
      await figures.close();
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
