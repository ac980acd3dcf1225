/**
 * A built deck makes no network request: every request while it loads in Chromium stays on
 * file:// (or is a data: URL). A --single-file deck, copied alone into an empty folder, makes no
 * request beyond its own file — and still shows its fonts, images and maths.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { BrowserSession } from '../../src/browser/session.js';
import { SAMPLE_CHART_SVG, sampleDeck } from '../../src/export/gallery-sample.js';
import type { BuiltDeck } from '../../src/types.js';
import { writeSingleFile } from '../../src/build/single-file.js';
import { cli, tempDir } from '../helpers.js';
import { pageTexts } from '../export/read-pdf.js';
import { createFigureRenderer } from '../../src/figures/index.js';

const { dir, cleanup } = tempDir('decksmith-offline-');
let session: BrowserSession;

beforeAll(async () => {
  session = await BrowserSession.launch();
}, 60_000);
afterAll(async () => {
  await session?.close();
  cleanup();
});

interface LoadReport {
  requests: string[];
  failed: string[];
  fonts: string[];
  images: { src: string; width: number }[];
}

/** Loads a deck, recording every request, and waits for reveal.js, fonts and images. */
async function load(page: Page, htmlPath: string): Promise<LoadReport> {
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
  // Visit every slide so lazily loaded backgrounds and fonts for every glyph are requested too.
  const state = await page.evaluate(async () => {
    const reveal = (window as unknown as { Reveal: { getTotalSlides(): number; next(): void } }).Reveal;
    for (let i = 0; i < reveal.getTotalSlides(); i++) reveal.next();
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
    return {
      fonts: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')),
      images: [...document.images].map((img) => ({ src: img.src.slice(0, 30), width: img.naturalWidth })),
    };
  });
  return { requests, failed, ...state };
}

function sampleSource(theme: string): string {
  const folder = join(dir, `src-${theme}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'chart.svg'), SAMPLE_CHART_SVG);
  const file = join(folder, 'talk.md');
  writeFileSync(file, sampleDeck(theme));
  return file;
}

describe.each(['midnight', 'editorial'])('the sample talk in %s', (theme) => {
  let built: BuiltDeck;
  beforeAll(async () => {
    // The sample's diagram is drawn in the same browser (issue #13).
    const figures = createFigureRenderer({ session: async () => session, cacheDir: join(dir, 'figure-cache') });
    built = await buildDeck(sampleSource(theme), { outDir: join(dir, `out-${theme}`), figures }).finally(() => figures.close());
  });

  it('loads with no request leaving the file system', async () => {
    const report = await session.withPage((page) => load(page, built.htmlPath));
    const remote = report.requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'));
    expect(remote).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.requests.filter((u) => u.endsWith('.woff2')).length).toBeGreaterThan(2);
    expect(report.fonts).toEqual(expect.arrayContaining(['JetBrains Mono', 'KaTeX_Main']));
    expect(report.images.every((i) => i.width > 0)).toBe(true);
  });

  it('--single-file: opened alone in an empty folder it requests nothing but itself', async () => {
    const single = join(dir, `single-${theme}`, 'talk.html');
    await writeSingleFile(built, join(dir, `single-${theme}.html`));
    mkdirSync(join(dir, `single-${theme}`), { recursive: true });
    copyFileSync(join(dir, `single-${theme}.html`), single);
    const html = readFileSync(single, 'utf8');
    expect(/<link[^>]+stylesheet|<script[^>]+src=/.test(html)).toBe(false);
    const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '').join('\n');
    const external = [...styles.matchAll(/url\(\s*(["']?)(?!data:)([^"')]+)/g)].map((m) => m[2]);
    expect(external).toEqual([]);
    const report = await session.withPage((page) => load(page, single));
    const others = report.requests.filter((url) => !url.startsWith('data:') && url !== pathToFileURL(single).href);
    expect(others).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.fonts).toEqual(expect.arrayContaining(['JetBrains Mono', 'KaTeX_Main']));
    expect(report.images.length).toBeGreaterThan(0);
    expect(report.images.every((i) => i.src.startsWith('data:image/svg+xml') && i.width > 0)).toBe(true);
    // Unused unicode ranges are left out: Cyrillic and Greek subsets are not inlined.
    expect(html.includes('U+0400-045F')).toBe(false);
  });
});

it('a user theme by path, themeVars and css: show in the browser and in the PDF', async () => {
  const folder = join(dir, 'user');
  mkdirSync(join(folder, 'brand'), { recursive: true });
  writeFileSync(join(folder, 'brand', 'theme.json'), JSON.stringify({ extends: 'paper' }));
  writeFileSync(join(folder, 'brand', 'theme.css'), '.reveal .ds-layout-title .ds-title-block::after { content: "THEME MARK"; }');
  writeFileSync(
    join(folder, 'extra.css'),
    '.reveal .ds-layout-title .ds-title-block::before { content: var(--ds-stamp); display: block; }\n.reveal .ds-title-block h1 { color: var(--ds-accent); }',
  );
  writeFileSync(
    join(folder, 'deck.md'),
    '---\ntitle: Branded\ntheme: ./brand\nthemeVars:\n  accent: "#aa0055"\n  stamp: "\\"VARS MARK\\""\ncss: extra.css\n---\n\n# Branded\n\n---\n\n## Second\n\n- point\n',
  );
  const out = join(dir, 'user-out');
  const { code, stderr } = await cli(['build', join(folder, 'deck.md'), '--out', out, '--pdf']);
  expect(stderr).not.toMatch(/error/i);
  expect(code).toBe(0);
  const seen = await session.withPage(async (page) => {
    await page.goto(pathToFileURL(join(out, 'deck', 'index.html')).href);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
    return page.evaluate(() => {
      const block = document.querySelector('.ds-title-block') as Element;
      return {
        h1: getComputedStyle(document.querySelector('h1') as Element).color,
        before: getComputedStyle(block, '::before').content,
        after: getComputedStyle(block, '::after').content,
      };
    });
  });
  expect(seen).toEqual({ h1: 'rgb(170, 0, 85)', before: '"VARS MARK"', after: '"THEME MARK"' });
  const [first] = await pageTexts(join(out, 'deck.pdf'));
  expect(first).toContain('VARS MARK');
  expect(first).toContain('THEME MARK');
}, 90_000);
