/**
 * End to end in real headless Chromium: build a deck with the CLI, open it from the file system,
 * drive it with the keyboard like a presenter would.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { parseDeck } from '../../src/parse/index.js';
import { cli, tempDir } from '../helpers.js';

const DECK = `---
title: End to end
author: Test Author
---

# End to end

A deck driven by a browser.

Note: opening notes E2E-NOTE-1

---

## Second

- one
- two <!-- .element: class="fragment" -->

Note: E2E-NOTE-2

----

## Second, below

![logo](img/logo.svg)

---

## Code

\`\`\`js
// a separator inside code must not split
const s = \`
---
\`;
\`\`\`

---

# Thank you
`;

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#2456d6"/></svg>';

describe('a built deck in Chromium', () => {
  const tmp = tempDir();
  let session: BrowserSession;
  const deckFile = join(tmp.dir, 'talk.md');

  beforeAll(async () => {
    writeFileSync(deckFile, DECK);
    mkdirSync(join(tmp.dir, 'img'));
    writeFileSync(join(tmp.dir, 'img', 'logo.svg'), LOGO);
    const result = await cli(['build', deckFile, '--out', join(tmp.dir, 'out')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    tmp.cleanup();
  });

  it('has as many slides as the model, moves with arrow keys, carries the notes, and stays offline', async () => {
    const model = parseDeck(DECK);
    const htmlPath = join(tmp.dir, 'out', 'talk', 'index.html');
    expect(existsSync(join(tmp.dir, 'out', 'talk', 'media', 'img', 'logo.svg'))).toBe(true);
    await session.withPage(async (page) => {
      const outside: string[] = [];
      const failed: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) outside.push(r.url());
      });
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(pathToFileURL(htmlPath).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');

      const total = await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides(): number } }).Reveal.getTotalSlides());
      expect(total).toBe(model.slides.length);

      const indices = () =>
        page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number; v: number; f?: number } } }).Reveal.getIndices());
      expect(await indices()).toMatchObject({ h: 0, v: 0 });
      await page.keyboard.press('ArrowRight');
      expect(await indices()).toMatchObject({ h: 1, v: 0 });
      // The first press shows the slide's fragment, the second goes down the stack.
      await page.keyboard.press('ArrowDown');
      expect(await indices()).toMatchObject({ h: 1, v: 0, f: 0 });
      await page.keyboard.press('ArrowDown');
      expect(await indices()).toMatchObject({ h: 1, v: 1 });
      await page.keyboard.press('ArrowRight');
      expect(await indices()).toMatchObject({ h: 2, v: 0 });
      await page.keyboard.press('ArrowLeft');
      expect((await indices()).h).toBe(1);

      const notes = await page.$$eval('aside.notes', (els) => els.map((e) => e.textContent ?? ''));
      expect(notes.join(' ')).toContain('E2E-NOTE-1');
      expect(notes.join(' ')).toContain('E2E-NOTE-2');
      const image = await page.$eval('img[alt="logo"]', (img) => (img as HTMLImageElement).naturalWidth);
      expect(image).toBe(40);
      expect(outside).toEqual([]);
      expect(failed).toEqual([]);

      // S opens the speaker view, which shows the current slide's notes, offline.
      await page.keyboard.press('Home');
      const popup = page.browser().waitForTarget((t) => t.opener() === page.target(), { timeout: 10_000 });
      await page.keyboard.press('s');
      const speaker = await (await popup).page();
      expect(speaker).not.toBeNull();
      await speaker?.waitForFunction(() => (document.querySelector('.speaker-controls-notes')?.textContent ?? '').includes('E2E-NOTE-1'), {
        timeout: 10_000,
      });
      await speaker?.close();
      expect(outside).toEqual([]);
    });
  });
});

describe('a --single-file deck opened alone', () => {
  const tmp = tempDir();
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    tmp.cleanup();
  });

  it('still has its speaker view, notes included', async () => {
    const file = join(tmp.dir, 'solo.md');
    writeFileSync(file, '# Solo\n\nNote: SOLO-NOTE\n\n---\n\n## Two\n');
    expect((await cli(['build', file, '--out', join(tmp.dir, 'out'), '--single-file'])).code).toBe(0);
    mkdirSync(join(tmp.dir, 'alone'));
    writeFileSync(join(tmp.dir, 'alone', 'solo.html'), readFileSync(join(tmp.dir, 'out', 'solo.html')));
    await session.withPage(async (page) => {
      await page.goto(pathToFileURL(join(tmp.dir, 'alone', 'solo.html')).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      const popup = page.browser().waitForTarget((t) => t.opener() === page.target(), { timeout: 10_000 });
      await page.keyboard.press('s');
      const speaker = await (await popup).page();
      await speaker?.waitForFunction(() => (document.querySelector('.speaker-controls-notes')?.textContent ?? '').includes('SOLO-NOTE'), {
        timeout: 10_000,
      });
      await speaker?.close();
    });
  });
});

describe('decksmith check', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const bullets = Array.from({ length: 22 }, (_, i) => `- point ${i + 1}`).join('\n');

  it('reports a slide that overflows its frame, with file and line, and exits 1', async () => {
    const file = join(tmp.dir, 'long.md');
    writeFileSync(file, `# Title\n\n---\n\n## Too long\n\n${bullets}\n`);
    const result = await cli(['check', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${file}:4: warning: slide 2 "Too long" overflows its frame \\(\\d+px too tall\\)`));
  });

  it('passes the same slide once <!-- fit --> scales it down', async () => {
    const file = join(tmp.dir, 'fit.md');
    writeFileSync(file, `# Title\n\n---\n\n<!-- fit -->\n## Too long\n\n${bullets}\n`);
    const result = await cli(['check', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('raw HTML that tries to run code', () => {
  const tmp = tempDir();
  let session: BrowserSession;
  const hostile = [
    '# Raw',
    '',
    '<img src="nope.png" alt="x" onerror="window.__ran = (window.__ran || 0) + 1">',
    '',
    '<script>window.__ran = (window.__ran || 0) + 1</script>',
    '',
    '<div onmouseover="window.__ran = (window.__ran || 0) + 1" style="width:600px;height:200px">HOVER-TARGET</div>',
    '',
    '<!--><script>window.__ran = (window.__ran || 0) + 1</script>-->',
    '',
    'Visible RAW-TEXT stays.',
    '',
  ].join('\n');
  beforeAll(async () => {
    writeFileSync(join(tmp.dir, 'raw.md'), hostile);
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    tmp.cleanup();
  });

  it.each([
    ['filtered by default', [] as string[], 0],
    ['run only with --html', ['--html'], 4],
  ])('is %s', async (_, flags, expected) => {
    const out = join(tmp.dir, `out${flags.length}`);
    const result = await cli(['build', join(tmp.dir, 'raw.md'), '--out', out, ...flags]);
    expect(result.code).toBe(0);
    expect(result.stderr.includes('[html-removed]')).toBe(flags.length === 0);
    await session.withPage(async (page) => {
      await page.goto(pathToFileURL(join(out, 'raw', 'index.html')).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { timeout: 15_000 });
      await page.hover('div[style]');
      expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran ?? 0)).toBe(expected);
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text a reader sees
      expect(await page.evaluate(() => document.body.innerText)).toContain('RAW-TEXT');
    });
  });
});
