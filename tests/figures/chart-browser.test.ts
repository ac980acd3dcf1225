/**
 * Chart SVGs as Chromium shows them, on the theme's background with the theme's fonts loaded (as
 * a built deck loads them): every text is drawn as wide as fontkit measured it and lies inside the
 * figure, every text colour reaches 4.5:1, and a label written as markup stays text. Each chart
 * is also saved as a PNG (DECKSMITH_CHART_PNG, default a temp folder) for a person to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { renderChart } from '../../src/figures/chart/index.js';
import { contrast } from '../../src/figures/chart/colour.js';
import { FontMeasurer } from '../../src/figures/chart/text-metrics.js';
import type { FigureTheme } from '../../src/figures/types.js';
import { fixture } from '../helpers.js';
import { THEMES, type ThemeName } from './chart-themes.js';

const pngDir = process.env['DECKSMITH_CHART_PNG'] ?? join(tmpdir(), 'decksmith-chart-png');

const CHARTS = {
  bar: `type: bar
title: "Weeks per stage <script>window.ran = true</script>"
x: stage
y: weeks
data:
  - {stage: Data collection, weeks: 4}
  - {stage: Preprocessing, weeks: 3}
  - {stage: "<img src=x onerror=\\"window.ran = true\\">", weeks: 1}
  - {stage: Training, weeks: 2}
  - {stage: Deployment, weeks: 1.5}
  - {stage: Maintenance and debugging, weeks: 5}
`,
  line: 'type: line\ntitle: Sales by month (sample data)\nx: month\ny: sales\ncolor: region\ndata: sales.csv\n',
  area: 'type: area\nx: month\ny: sales\ncolor: region\ndata: sales.csv\n',
  scatter:
    'type: scatter\ntitle: Hours against accuracy\nx: hours\ny: accuracy\ndata:\n  - {hours: 2, accuracy: 0.61}\n  - {hours: 5, accuracy: 0.72}\n  - {hours: 9, accuracy: 0.8}\n  - {hours: 14, accuracy: 0.83}\n',
  pie: 'type: pie\ntitle: Who owns the model\nx: team\ny: people\ndata: teams.json\n',
} as const;

/** A page like a slide: the theme's background, its fonts as @font-face rules, the SVG inline. */
function page(svg: string, theme: FigureTheme): string {
  const faces = theme.fonts
    .map(
      (f) =>
        `@font-face{font-family:"${f.family}";font-weight:${f.weight};font-style:${f.style};src:url(data:font/woff2;base64,${readFileSync(f.path).toString('base64')}) format("woff2")}`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${faces}
body{margin:0;background:${theme.background}} #figure{display:inline-block;padding:8px}</style></head>
<body><div id="figure">${svg}</div></body></html>`;
}

interface Drawn {
  text: string;
  family: string;
  size: number;
  weight: string;
  drawn: number;
  fill: string;
  inside: boolean;
}

describe('chart SVG in Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.launch();
    mkdirSync(pngDir, { recursive: true });
  });
  afterAll(() => session?.close());

  for (const themeName of ['paper', 'midnight', 'contrast'] as ThemeName[]) {
    for (const [name, source] of Object.entries(CHARTS)) {
      it(`${name} chart in ${themeName}: text as wide as measured, inside the figure, readable, inert`, async () => {
        const theme = THEMES[themeName];
        const dir = fixture('charts');
        const { svg, diagnostics } = await renderChart({
          lang: 'chart',
          source,
          file: 'deck.md',
          line: 5,
          deckDir: dir,
          root: dir,
          theme,
          id: `fig-${name}`,
        });
        expect(diagnostics).toEqual([]);
        const result = await session.withPage(async (tab) => {
          await tab.setViewport({ width: 1200, height: 600 });
          await tab.setContent(page(svg, theme), { waitUntil: 'load' });
          await tab.evaluate(() => document.fonts.ready);
          const drawn = await tab.evaluate(() => {
            const box = document.querySelector('svg')?.getBoundingClientRect();
            if (box === undefined) throw new Error('no svg');
            return [...document.querySelectorAll('svg text')].map((node) => {
              const text = node as SVGTextElement;
              const r = text.getBoundingClientRect();
              const style = getComputedStyle(text);
              return {
                text: text.textContent ?? '',
                family: text.getAttribute('font-family') ?? '',
                size: Number.parseFloat(text.getAttribute('font-size') ?? '0'),
                weight: text.getAttribute('font-weight') ?? '400',
                drawn: text.getComputedTextLength(),
                fill: style.fill,
                inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
              };
            });
          });
          const loaded = await tab.evaluate(
            (family) => [...document.fonts].filter((f) => f.family.replace(/"/g, '') === family && f.status === 'loaded').length,
            theme.fonts[0]?.family ?? '',
          );
          const ran = await tab.evaluate(() => (window as unknown as { ran?: boolean }).ran === true);
          const element = await tab.$('#figure');
          await element?.screenshot({ path: join(pngDir, `${themeName}-${name}.png`) as `${string}.png` });
          return { drawn: drawn as Drawn[], loaded, ran };
        });
        expect(result.loaded).toBeGreaterThan(0);
        expect(result.ran).toBe(false);
        expect(result.drawn.length).toBeGreaterThanOrEqual(5);
        const measurer = await FontMeasurer.create(theme.fonts, () => Number.NaN);
        for (const t of result.drawn) {
          const measured = measurer.width({ font: t.family, fontSize: t.size, fontWeight: t.weight }, t.text);
          // What fontkit measured is what Chromium drew, to a pixel (Vega's guess is 40–75% off).
          expect(Math.abs(t.drawn - measured), `"${t.text}" drawn ${t.drawn}, measured ${measured}`).toBeLessThanOrEqual(
            Math.max(1, measured * 0.01),
          );
          expect(t.inside, `"${t.text}" lies inside the figure`).toBe(true);
          const rgb = /rgb\((\d+), (\d+), (\d+)\)/.exec(t.fill);
          const hex = `#${[1, 2, 3].map((i) => Number(rgb?.[i]).toString(16).padStart(2, '0')).join('')}`;
          expect(contrast(hex, theme.background), `"${t.text}" ${hex} on ${theme.background}`).toBeGreaterThanOrEqual(4.5);
        }
        // A label written as markup is shown as the text it is (this one cut short with an ellipsis).
        if (name === 'bar') {
          const shown = result.drawn.map((t) => t.text);
          expect(shown).toContain('Weeks per stage <script>window.ran = true</script>');
          expect(shown.filter((t) => t.startsWith('<img src=x onerror="window.ran'))).toHaveLength(1);
        }
      });
    }
  }
});
