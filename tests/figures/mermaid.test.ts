/**
 * ```mermaid fences drawn at build time (issue #13): inline SVG with real text labels, themed,
 * safe, cached, the same in the HTML and the PDF. Diagrams are drawn in real Chromium; what the
 * deck shows is read back in Chromium and from the PDF.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { builtinThemeNames } from '../../src/build/theme.js';
import { FigureError } from '../../src/errors.js';
import { exportPdf } from '../../src/export/pdf.js';
import { createFigureRenderer } from '../../src/figures/index.js';
import { browserForFile } from '../browser-for-file.js';
import { pageFonts, pageTexts } from '../export/read-pdf.js';
import { tempDir } from '../helpers.js';
import { spawnSync } from 'node:child_process';

const { dir, cleanup } = tempDir('decksmith-mermaid-');
const browser = browserForFile(cleanup);

/** The diagram types the content talks use: a flowchart (the lifecycle) and a sequence (the hand-off). */
const DECK = `---
title: Diagrams
---

## Lifecycle

\`\`\`mermaid
flowchart LR
  A[Data collection] --> B[Preprocessing] --> C[Training]
  C --> D[Deployment] -->|alerts| E[Monitoring]
  E -.-> A
\`\`\`
<!-- .element: class="fragment" -->

---

## Hand-off

\`\`\`mermaid
sequenceDiagram
  participant DS as Data scientist
  participant MLE as ML engineer
  DS->>MLE: Trained model and notebook
  MLE-->>DS: Drift report
  Note over DS,MLE: Weekly review
\`\`\`
`;

const LABELS = [
  'Data collection',
  'Preprocessing',
  'Training',
  'Deployment',
  'Monitoring',
  'alerts',
  'Data scientist',
  'ML engineer',
  'Drift report',
  'Weekly review',
];

function write(name: string, text: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'deck.md');
  writeFileSync(file, text);
  return file;
}

function renderer(cacheDir: string | false = join(dir, 'cache')) {
  let launches = 0;
  const figures = createFigureRenderer({
    cacheDir,
    session: async () => {
      launches += 1;
      return browser();
    },
  });
  return { figures, launches: () => launches };
}

/** Opens a built deck in Chromium (nothing blocked: a request leaving the folder would be seen) and waits for reveal.js. */
async function open(page: Page, htmlPath: string): Promise<void> {
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

describe('mermaid fences', () => {
  it('become inline SVG with text labels, an accessible name, and the fragment as a whole', async () => {
    const file = write('types', DECK);
    const { figures } = renderer();
    try {
      const built = await buildDeck(file, { outDir: join(dir, 'out-types'), figures });
      const html = readFileSync(built.htmlPath, 'utf8');
      expect(html.match(/<figure class="ds-figure ds-figure-mermaid[^"]*"><svg /g)).toHaveLength(2);
      expect(html).not.toMatch(/<foreignObject|<script[^>]*>[^<]*mermaid|```mermaid|language-mermaid/i);
      // The fragment comment after the fence applies to the figure as a whole.
      expect(html).toContain('<figure class="ds-figure ds-figure-mermaid fragment">');
      await browser().withPage(async (page) => {
        await open(page, built.htmlPath);
        const seen = await page.evaluate(() =>
          [...document.querySelectorAll('.ds-figure svg')].map((svg) => ({
            role: svg.getAttribute('role'),
            label: svg.getAttribute('aria-label') ?? '',
            title: svg.querySelector(':scope > title')?.textContent ?? '',
            text: [...svg.querySelectorAll('text')].map((t) => t.textContent ?? '').join(' | '),
            foreign: svg.querySelectorAll('foreignObject').length,
            ids: [...svg.querySelectorAll('[id]')].every((el) => el.id.startsWith(`${svg.id}-`)),
          })),
        );
        expect(seen).toHaveLength(2);
        for (const svg of seen) {
          expect(svg.role).toBe('img');
          expect(svg.label).not.toBe('');
          expect(svg.title).toBe(svg.label);
          expect(svg.foreign).toBe(0);
          expect(svg.ids).toBe(true);
        }
        const text = seen.map((s) => s.text).join(' | ');
        for (const label of LABELS) expect(text).toContain(label);
        expect(seen[0]?.label).toMatch(/^flowchart: .*Data collection, Preprocessing/);
        expect(seen[1]?.label).toMatch(/^sequence: /);
      });
    } finally {
      await figures.close();
    }
  });

  it('builds byte-identical twice, and a second build from the cache draws nothing and starts no browser', async () => {
    const file = write('cache', DECK);
    const cacheDir = join(dir, 'cache-own');
    const first = renderer(cacheDir);
    const a = await buildDeck(file, { outDir: join(dir, 'out-a'), figures: first.figures }).finally(() => first.figures.close());
    expect(first.figures.drawn).toBe(2);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.svg'))).toHaveLength(2);
    // Drawn afresh, without the cache: the same bytes.
    const fresh = renderer(false);
    const b = await buildDeck(file, { outDir: join(dir, 'out-b'), figures: fresh.figures }).finally(() => fresh.figures.close());
    expect(fresh.figures.drawn).toBe(2);
    expect(readFileSync(b.htmlPath, 'utf8')).toBe(readFileSync(a.htmlPath, 'utf8'));
    // A new renderer (a new process, say) with the same cache.
    const second = renderer(cacheDir);
    const c = await buildDeck(file, { outDir: join(dir, 'out-c'), figures: second.figures }).finally(() => second.figures.close());
    expect(second.figures.drawn).toBe(0);
    expect(second.launches()).toBe(0);
    expect(readFileSync(c.htmlPath, 'utf8')).toBe(readFileSync(a.htmlPath, 'utf8'));
    // Another theme is another picture.
    const themed = renderer(cacheDir);
    await buildDeck(file, { outDir: join(dir, 'out-d'), figures: themed.figures, theme: 'midnight' }).finally(() => themed.figures.close());
    expect(themed.figures.drawn).toBe(2);
  });

  it('draws decks built at once on one renderer (they share its diagram page)', async () => {
    const files = ['at-once-a', 'at-once-b', 'at-once-c'].map((name) => write(name, DECK));
    const { figures } = renderer(false);
    try {
      const built = await Promise.all(files.map((file, i) => buildDeck(file, { outDir: join(dir, `out-at-once-${i}`), figures })));
      for (const b of built) expect(readFileSync(b.htmlPath, 'utf8').match(/<figure class="ds-figure[^"]*"><svg\b/g)).toHaveLength(2);
    } finally {
      await figures.close();
    }
  });

  it('a deck with diagrams built without a figure renderer fails clearly, writing nothing', async () => {
    const file = write('no-renderer', DECK);
    const outDir = join(dir, 'out-none');
    const error = await buildDeck(file, { outDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FigureError);
    expect((error as FigureError).code).toBe('figure-no-renderer');
    expect((error as FigureError).line).toBe(7);
    expect(existsSync(outDir)).toBe(false);
  });

  it('without the mermaid package, a diagram stays code with one warning naming the install command', async () => {
    const file = write('missing', DECK);
    const figures = createFigureRenderer({
      cacheDir: false,
      mermaid: false,
      session: () => Promise.reject(new Error('no browser wanted')),
    });
    const built = await buildDeck(file, { outDir: join(dir, 'out-missing'), figures });
    const html = readFileSync(built.htmlPath, 'utf8');
    expect(html).not.toContain('<svg');
    expect(html.match(/language-mermaid/g)).toHaveLength(2);
    expect(html).toContain('Data collection');
    const warnings = built.rendered.diagnostics.filter((d) => d.code === 'figure-not-drawn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 7, file });
    expect(warnings[0]?.message).toContain('npm install --save-dev mermaid@11');
  });

  it('a label with <script>, an onerror image, a javascript: link or an outside image never runs or fetches', async () => {
    let hits = 0;
    const server = createServer((_request, response) => {
      hits += 1;
      response.end('');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    const file = write(
      'canary',
      `## Canary

\`\`\`mermaid
flowchart LR
  A["<script>window.__canary = 'script'</script>"] --> B["<img src=x onerror=window.__canary='img'>"]
  B --> C["<img src='http://127.0.0.1:${port}/label.png'>"]
  C --> D[Plain]
  click D "javascript:window.__canary='click'"
\`\`\`
`,
    );
    const { figures } = renderer(false);
    try {
      const built = await buildDeck(file, { outDir: join(dir, 'out-canary'), figures });
      const html = readFileSync(built.htmlPath, 'utf8');
      const svg = /<svg[\s\S]*<\/svg>/.exec(html)?.[0] ?? '';
      // Tags in labels are text (escaped) or gone; nothing in the SVG is markup that runs or loads.
      expect(svg).not.toMatch(/<script|<img|\son\w+=|javascript:/i);
      expect(svg).toContain('&lt;img src=');
      await browser().withPage(async (page) => {
        await open(page, built.htmlPath);
        const state = await page.evaluate(async () => {
          // A click on every node and link, as a reader would.
          for (const el of document.querySelectorAll('.ds-figure .node, .ds-figure a')) {
            el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
          }
          await new Promise((r) => setTimeout(r, 0));
          return {
            canary: (window as unknown as { __canary?: string }).__canary ?? null,
            scripts: document.querySelectorAll('.ds-figure script').length,
            text: [...document.querySelectorAll('.ds-figure text')].map((t) => t.textContent ?? '').join(' '),
          };
        });
        expect(state.canary).toBeNull();
        expect(state.scripts).toBe(0);
        expect(state.text).toContain('Plain');
      });
      expect(hits).toBe(0);
    } finally {
      await figures.close();
      server.close();
    }
  });

  it('in every built-in theme, diagram text reaches 4.5:1 against what it is drawn on, in the theme font', async () => {
    const file = write('contrast', DECK);
    const { figures } = renderer();
    const failures: string[] = [];
    try {
      for (const theme of builtinThemeNames()) {
        const built = await buildDeck(file, { outDir: join(dir, `out-${theme}`), figures, theme });
        const found = await browser().withPage(async (page) => {
          await page.setViewport({ width: 1280, height: 720 });
          await open(page, built.htmlPath);
          const out: { text: string; ratio: number; font: string }[] = [];
          for (const slide of [0, 1]) {
            out.push(
              ...(await page.evaluate(async (index) => {
                const reveal = (window as unknown as { Reveal: { configure(c: object): void; slide(h: number): void } }).Reveal;
                reveal.configure({ transition: 'none', fragments: false });
                reveal.slide(index);
                await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
                const canvas = document.createElement('canvas');
                canvas.width = 1;
                canvas.height = 1;
                const context = canvas.getContext('2d', { willReadFrequently: true });
                if (context === null) throw new Error('no canvas');
                const paint = (color: string, under: string): [number, number, number] => {
                  context.fillStyle = under;
                  context.fillRect(0, 0, 1, 1);
                  context.fillStyle = color;
                  context.fillRect(0, 0, 1, 1);
                  const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
                  return [r, g, b];
                };
                const luminance = (c: number[]) =>
                  c
                    .map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
                    .reduce((sum, v, i) => sum + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
                const ratio = (a: number[], b: number[]) => {
                  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
                  return (hi + 0.05) / (lo + 0.05);
                };
                const section = document.querySelectorAll('.reveal .slides > section')[index];
                const slideBg = getComputedStyle(section?.querySelector('.ds-frame') ?? document.body).backgroundColor;
                const page = paint(slideBg, getComputedStyle(document.body).backgroundColor);
                const texts = [...(section?.querySelectorAll<SVGTextElement>('.ds-figure text') ?? [])].filter(
                  (t) => (t.textContent ?? '').trim() !== '',
                );
                // What each text is drawn on: the topmost filled shape under its middle, else the slide.
                for (const t of texts) t.style.visibility = 'hidden';
                const results = texts.map((t) => {
                  const box = t.getBoundingClientRect();
                  const under = document
                    .elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
                    .find(
                      (el) =>
                        el instanceof SVGGeometryElement &&
                        getComputedStyle(el).fill !== 'none' &&
                        Number(getComputedStyle(el).fillOpacity) > 0 &&
                        Number(getComputedStyle(el).opacity) > 0,
                    );
                  const bg = under === undefined ? page : paint(getComputedStyle(under).fill, `rgb(${page.join(',')})`);
                  // The element that holds the words: a tspan when there are any (Mermaid colours those).
                  const words = [...t.querySelectorAll('tspan')].find((s) => (s.textContent ?? '').trim() !== '') ?? t;
                  const fg = paint(getComputedStyle(words).fill, `rgb(${bg.join(',')})`);
                  return { text: (t.textContent ?? '').trim(), ratio: ratio(fg, bg), font: getComputedStyle(t).fontFamily };
                });
                for (const t of texts) t.style.visibility = '';
                return results;
              }, slide)),
            );
          }
          return out;
        });
        expect(found.length, theme).toBeGreaterThanOrEqual(LABELS.length);
        for (const t of found) {
          if (t.ratio < 4.5) failures.push(`${theme}: "${t.text}" ${t.ratio.toFixed(2)}:1`);
          expect(t.font, `${theme} "${t.text}"`).not.toBe('');
        }
      }
    } finally {
      await figures.close();
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('draws the text of every diagram type at 80% of the body size, sequence diagrams too', async () => {
    // Mermaid's sequence diagrams size their text from its top-level fontSize (16px by default),
    // not from the sizes given for actors, messages and notes: they were drawn at 16px.
    const file = write('text-size', DECK);
    const { figures } = renderer(false);
    try {
      const built = await buildDeck(file, { outDir: join(dir, 'out-text-size'), figures });
      const sizes = await browser().withPage(async (page) => {
        await open(page, built.htmlPath);
        return page.evaluate(() =>
          [...document.querySelectorAll('.reveal .slides > section')].map((section) => ({
            body: Number.parseFloat(getComputedStyle(section).fontSize),
            text: [...section.querySelectorAll<SVGTextElement>('.ds-figure text')]
              .filter((t) => (t.textContent ?? '').trim() !== '')
              .map((t) => Number.parseFloat(getComputedStyle(t).fontSize)),
          })),
        );
      });
      expect(sizes).toHaveLength(2);
      for (const [i, slide] of sizes.entries()) {
        expect(slide.text.length, `slide ${i + 1}`).toBeGreaterThan(2);
        expect(new Set(slide.text), `slide ${i + 1}`).toEqual(new Set([Math.round(slide.body * 0.8)]));
      }
    } finally {
      await figures.close();
    }
  }, 120_000);

  it('prints its labels as text in the theme font (PDF)', async () => {
    // No headings: every font on a page is then one a diagram used.
    const file = write('pdf', DECK.replace(/^## .*\n\n/gm, ''));
    const { figures } = renderer();
    try {
      for (const [theme, font] of [
        ['paper', 'Inter'],
        ['midnight', 'Inter'],
      ] as const) {
        const built = await buildDeck(file, { outDir: join(dir, `out-pdf-${theme}`), figures, theme });
        const out = join(dir, `diagrams-${theme}.pdf`);
        await exportPdf(browser(), built, { notes: 'none', fragments: 'final', timeoutMs: 120_000, out });
        const texts = await pageTexts(out);
        expect(texts).toHaveLength(2);
        for (const label of ['Data collection', 'Preprocessing', 'Monitoring', 'alerts']) expect(texts[0]).toContain(label);
        for (const label of ['Data scientist', 'ML engineer', 'Drift report', 'Weekly review']) expect(texts[1]).toContain(label);
        const fonts = await pageFonts(out);
        // Every font on the diagram pages is the theme's own (no fallback font drew a label).
        for (const page of fonts) {
          expect(page.length).toBeGreaterThan(0);
          for (const name of page) expect(name, theme).toContain(font);
        }
      }
    } finally {
      await figures.close();
    }
  });
});

describe('a Mermaid syntax error', () => {
  it('names the deck file and the line inside the fence, with Mermaid’s message, exit 1, nothing written', () => {
    const file = write(
      'syntax',
      `---
title: Broken
---

## Fine

Text.

---

## Broken

\`\`\`mermaid
flowchart LR
  A --> B
  B ==> ((C
  C --> D
\`\`\`
`,
    );
    const out = join(dir, 'out-syntax');
    const result = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js'), 'build', file, '--out', out],
      {
        encoding: 'utf8',
        env: { ...process.env, DECKSMITH_CACHE_DIR: join(dir, 'cache-cli') },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}:16: Mermaid cannot draw this diagram: Parse error on line 3`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'deck'))).toBe(false);
  });
});

describe('decksmith png and pptx', () => {
  it('draw a deck that has a diagram', async () => {
    const { dir: work, cleanup: done } = tempDir('decksmith-figures-cli-');
    try {
      const file = join(work, 'deck.md');
      writeFileSync(file, '---\ntitle: Drawn\n---\n\n## Flow\n\n```mermaid\nflowchart LR\n  Data --> Model\n```\n');
      const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
      const env = { ...process.env, DECKSMITH_CACHE_DIR: join(work, 'cache') };
      for (const argv of [
        ['png', file, '--out', join(work, 'png')],
        ['pptx', file, '--out', join(work, 'deck.pptx')],
      ]) {
        const result = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', env });
        expect(result.status, `${argv[0]}: ${result.stderr}`).toBe(0);
        expect(result.stderr).not.toContain('figure');
      }
      expect(readdirSync(join(work, 'png'))).toEqual(['deck-001.png']);
      expect(existsSync(join(work, 'deck.pptx'))).toBe(true);
    } finally {
      done();
    }
  });
});
