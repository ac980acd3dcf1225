/**
 * `decksmith serve` as a user meets it: in headless Chromium. The deck renders, S opens the
 * speaker view, a save replaces the changed slide in place (no reload) on the same slide and
 * fragment, a stylesheet save swaps the stylesheet, a save that adds a slide reloads onto the
 * same slide and fragment, a broken deck shows its error and recovers. The security checks (Host header, path traversal) talk HTTP directly, since what
 * they check is what the server answers to requests no browser would send.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { serveDeck, type RunningServer } from '../../src/serve/index.js';
import { tempDir, until } from '../helpers.js';
import { EVENTS_PATH } from '../../src/serve/client.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw path, unnormalised by URL parsing, so traversal attempts reach the server as written. */
function getRaw(server: RunningServer, path: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port something else is listening on, and a way to free it. */
async function occupyPort(port = 0): Promise<{ port: number; release: () => Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(port, '127.0.0.1', () => resolve());
  });
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, release: () => new Promise((resolve) => blocker.close(() => resolve())) };
}

const DECK = (version: string) => `---
title: Live
css: live.css
---

# Live preview

---

## Second slide

Plain text

---

## Third slide

- ${version} one <!-- .element: class="fragment" -->
- ${version} two <!-- .element: class="fragment" -->
- ${version} three <!-- .element: class="fragment" -->

Note: what to say on the third slide

---

## Fourth slide
`;

/** Opens the deck and waits for reveal.js to be initialised. */
async function openDeck(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
}

/** The text of the slide on screen, with only the fragments shown so far. */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const slide = document.querySelector<HTMLElement>('.slides section.present:not(.stack)');
    if (slide === null) return '';
    const clone = slide.cloneNode(true) as HTMLElement;
    for (const hidden of clone.querySelectorAll('.fragment:not(.visible), aside.notes')) hidden.remove();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text a reader sees
    return clone.innerText;
  });
}

describe('decksmith serve, in Chromium', () => {
  const tmp = tempDir();
  const deckDir = join(tmp.dir, 'deck');
  const file = join(deckDir, 'talk.md');
  const failures: string[] = [];
  let session: BrowserSession;
  let server: RunningServer;

  beforeAll(async () => {
    mkdirSync(deckDir);
    writeFileSync(join(deckDir, 'live.css'), '.reveal h2 { color: rgb(10, 20, 30); }\n');
    writeFileSync(join(tmp.dir, 'secret.txt'), 'TOP SECRET');
    mkdirSync(join(tmp.dir, 'decksmith-serve-sibling'));
    writeFileSync(file, DECK('First'));
    [session, server] = await Promise.all([
      BrowserSession.launch(),
      serveDeck(file, {
        port: 0,
        debounceMs: 30,
        onBuild: ({ error }) => void (error && failures.push(error.code)),
      }),
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await session?.close();
    tmp.cleanup();
  });

  it('shows the deck: the page, its stylesheets and scripts come with types a browser renders', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await session.withPage(async (page) => {
      const types = new Map<string, string>();
      page.on('response', (response) => types.set(new URL(response.url()).pathname, response.headers()['content-type'] ?? ''));
      await openDeck(page, server.url);
      const state = await page.evaluate(() => ({
        slides: document.querySelectorAll('.reveal .slides > section').length,
        ready: (window as unknown as { Reveal: { isReady(): boolean } }).Reveal.isReady(),
        heading: document.querySelector('.slides section.present h1')?.textContent,
        // A stylesheet applied: reveal's layout positions the slides absolutely.
        position: getComputedStyle(document.querySelector('.reveal .slides > section') as Element).position,
      }));
      expect(state).toEqual({ slides: 4, ready: true, heading: 'Live preview', position: 'absolute' });
      const byExtension = (ext: string) => [...types].filter(([path]) => path.endsWith(ext)).map(([, type]) => type);
      expect(byExtension('.css').length).toBeGreaterThan(0);
      expect(new Set(byExtension('.css'))).toEqual(new Set(['text/css; charset=utf-8']));
      expect(byExtension('.js').length).toBeGreaterThan(0);
      expect(new Set(byExtension('.js'))).toEqual(new Set(['text/javascript; charset=utf-8']));
    });
  });

  it('opens the speaker view on S', async () => {
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      const opened = session.browser.waitForTarget((target) => target.opener() === page.target(), { timeout: 10_000 });
      await page.keyboard.press('s');
      const speaker = await (await opened).page();
      expect(speaker).not.toBeNull();
      await speaker?.waitForSelector('#current-slide iframe');
      expect(await speaker?.title()).toBe('reveal.js - Speaker View');
      await speaker?.close();
    });
  });

  it('a save replaces the changed slide in place: new text, same slide and fragment step, no reload', async () => {
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(2, 0, 1));
      const indices = () => page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices());
      expect(await indices()).toEqual({ h: 2, v: 0, f: 1 });
      expect(await visibleText(page)).toMatch(/First one\s+First two/);
      // The client compares builds with the page as first served: wait until it has that.
      await markDocument(page);
      writeFileSync(file, DECK('Second'));
      await page.waitForFunction(() => document.querySelector('.slides section.present:not(.stack)')?.textContent?.includes('Second one'));
      expect(await stillSameDocument(page)).toBe(true);
      expect(await indices()).toEqual({ h: 2, v: 0, f: 1 });
      const text = await visibleText(page);
      expect(text).toMatch(/Third slide\s+Second one\s+Second two/);
      expect(text).not.toContain('three');
      // The notes of the replaced slide are the new build's too.
      expect(await page.$eval('.slides section.present:not(.stack) aside.notes', (e) => e.textContent)).toContain('third slide');
    });
  });

  it('a save pushes the changed slide with the message: the page fetches nothing, and the other slides keep their elements', async () => {
    await session.withPage(async (page) => {
      const pageRequests: string[] = [];
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path === '/' || path === '/index.html') pageRequests.push(path);
      });
      await openDeck(page, server.url);
      // The navigation, and the client's one copy of the page as served (what it compares with).
      await until(() => pageRequests.length === 2);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(2, 0, 1));
      await markDocument(page);
      // Elements of an untouched slide and of the slide that is about to change.
      await page.evaluate(() => {
        const sections = document.querySelectorAll('.reveal .slides > section');
        (sections[1]?.querySelector('h2') as unknown as { marked?: boolean }).marked = true;
        (sections[2]?.querySelector('h2') as unknown as { marked?: boolean }).marked = true;
      });
      writeFileSync(file, DECK('Pushed'));
      await page.waitForFunction(() => document.querySelector('.slides section.present:not(.stack)')?.textContent?.includes('Pushed one'));
      expect(
        await page.evaluate(() =>
          [...document.querySelectorAll('.reveal .slides > section')].map(
            (s) => (s.querySelector('h2') as unknown as { marked?: boolean } | null)?.marked === true,
          ),
        ),
      ).toEqual([false, true, false, false]);
      expect(pageRequests).toEqual(['/', '/']);
      expect(await stillSameDocument(page)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices())).toEqual({
        h: 2,
        v: 0,
        f: 1,
      });
      expect(await visibleText(page)).toMatch(/Third slide\s+Pushed one\s+Pushed two/);
    });
  });

  it('a save of a slide off screen patches it too: fragments it gains show as on a past slide, and the page stays put', async () => {
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(2, 0, 1));
      await markDocument(page);
      writeFileSync(file, DECK('Past').replace('Plain text', 'Plain text\n\n- gained <!-- .element: class="fragment" -->'));
      await page.waitForFunction(() => document.querySelectorAll('.reveal .slides > section')[1]?.textContent?.includes('gained'));
      await page.waitForFunction(() => document.querySelector('.slides section.present:not(.stack)')?.textContent?.includes('Past one'));
      expect(await page.$eval('.reveal .slides > section:nth-child(2) .fragment', (e) => [...e.classList].sort())).toEqual([
        'fragment',
        'visible',
      ]);
      expect(await stillSameDocument(page)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices())).toEqual({
        h: 2,
        v: 0,
        f: 1,
      });
      expect(await visibleText(page)).toMatch(/Third slide\s+Past one\s+Past two/);
      expect(await visibleText(page)).not.toContain('three');
    });
  });

  it('a stylesheet-only save reaches the pages ahead of the rebuild, and the rebuild does not send it again', async () => {
    await server.settled();
    const events = await eventStream(server);
    try {
      await until(() => events.list.some((e) => e.event === 'build'));
      const shownBuild = JSON.parse(events.list.find((e) => e.event === 'build')?.data ?? '""') as string;
      writeFileSync(join(deckDir, 'live.css'), '.reveal h2 { color: rgb(10, 20, 31); }\n');
      await until(() => events.list.filter((e) => e.event === 'update').length >= 2);
      await server.settled();
      const updates = events.list.filter((e) => e.event === 'update').map((e) => JSON.parse(e.data) as object);
      expect(updates).toEqual([
        { html: false, css: ['css/live.css'], build: shownBuild },
        { html: false, css: [], build: String(Number(shownBuild) + 1) },
      ]);
      // As it was, for the tests after this one.
      writeFileSync(join(deckDir, 'live.css'), '.reveal h2 { color: rgb(10, 20, 30); }\n');
      await until(() => events.list.filter((e) => e.event === 'update').length >= 4);
      await server.settled();
    } finally {
      events.close();
    }
  });

  it('a stylesheet save swaps the stylesheet in place, keeping slide and fragment', async () => {
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(2, 0, 1));
      const color = () => page.$eval('.slides section.present:not(.stack) h2', (e) => getComputedStyle(e).color);
      expect(await color()).toBe('rgb(10, 20, 30)');
      await markDocument(page);
      writeFileSync(join(deckDir, 'live.css'), '.reveal h2 { color: rgb(200, 10, 20); }\n');
      await page.waitForFunction(
        () => getComputedStyle(document.querySelector('.slides section.present:not(.stack) h2') as Element).color === 'rgb(200, 10, 20)',
      );
      // Again: the swapped link is found by its path, not by the address it was given last time.
      writeFileSync(join(deckDir, 'live.css'), '.reveal h2 { color: rgb(20, 120, 40); }\n');
      await page.waitForFunction(
        () => getComputedStyle(document.querySelector('.slides section.present:not(.stack) h2') as Element).color === 'rgb(20, 120, 40)',
      );
      // Only the stylesheet that changed was loaded again.
      expect(
        await page.$$eval('link[rel="stylesheet"][href*="decksmith-v="]', (links) =>
          links.map((l) => new URL((l as HTMLLinkElement).href).pathname),
        ),
      ).toEqual(['/css/live.css']);
      expect(await stillSameDocument(page)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices())).toEqual({
        h: 2,
        v: 0,
        f: 1,
      });
    });
  });

  it('shows a build error over the last good deck, and the fixed deck replaces it', async () => {
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      writeFileSync(file, '---\ntitle: [broken\n---\n# Live\n');
      await page.waitForSelector('#decksmith-error');
      expect(failures).toContain('front-matter-yaml');
      expect(await page.$eval('#decksmith-error', (e) => e.textContent)).toMatch(/talk\.md:2: /);
      expect(await page.$eval('.slides section.present h1', (e) => e.textContent)).toBe('Live preview');

      await markDocument(page);
      writeFileSync(file, DECK('Third'));
      await page.waitForFunction(() => document.querySelector('.slides')?.textContent?.includes('Third one'));
      expect(await page.$('#decksmith-error')).toBeNull();
      expect(await stillSameDocument(page)).toBe(true);
    });
  });

  // serve answers from the build's list of files; these reach for secret.txt beside the deck's
  // folder, and for system files, as a server that mapped paths onto a folder might let them.
  it.each([
    '/../../{dir}/secret.txt',
    '/..%2f..%2f{dir}%2fsecret.txt',
    '/%2e%2e/%2e%2e/{dir}/secret.txt',
    '/..%5c..%5c{dir}%5csecret.txt',
    `/${'..%2f'.repeat(12)}etc%2fpasswd`,
    '//etc/passwd',
    '/%00',
  ])('refuses to serve %s', async (pattern) => {
    const path = pattern.replace('{dir}', basename(tmp.dir));
    const status = await getRaw(server, path);
    expect(status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(server.url, { host: 'evil.example:80' })).status).toBe(403);
  });

  it('says clearly when an explicitly chosen port is taken', async () => {
    const port = Number(new URL(server.url).port);
    await expect(serveDeck(file, { port })).rejects.toMatchObject({
      code: 'serve-listen',
      message: expect.stringContaining('the port is in use'),
    });
  });

  it('moves on to the next free port when allowed to', async () => {
    // A port that is taken, with the one after it free.
    let taken = await occupyPort();
    while (
      !(await occupyPort(taken.port + 1).then(
        async (next) => {
          await next.release();
          return true;
        },
        () => false,
      ))
    ) {
      await taken.release();
      taken = await occupyPort();
    }
    try {
      await using moved = await serveDeck(file, { port: taken.port, fallbackPorts: 3 });
      expect(Number(new URL(moved.url).port)).toBe(taken.port + 1);
      expect((await get(moved.url)).body).toContain('Live preview');
    } finally {
      await taken.release();
    }
  });
});

describe('decksmith serve, one deck per test', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('shows the error (file:line) as a page that turns into the deck once the file is fixed', async () => {
    const file = join(tmp.dir, 'broken.md');
    writeFileSync(file, '---\ntitle: "unclosed\nauthor: me\n---\n# Fixed deck\n');
    await using server = await serveDeck(file, { port: 0, debounceMs: 30 });
    await using session = await BrowserSession.launch();
    await session.withPage(async (page) => {
      await page.goto(server.url);
      const error = await page.$eval('#decksmith-error', (e) => e.textContent ?? '');
      expect(error).toContain(`${file}:`);
      expect(error).toMatch(/:\d+: .*YAML/);
      const reloaded = page.waitForNavigation();
      writeFileSync(file, '---\ntitle: "closed"\n---\n# Fixed deck\n');
      await reloaded;
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      expect(await page.$eval('.slides section.present h1', (e) => e.textContent)).toBe('Fixed deck');
    });
  });

  it('a save that adds a slide reloads onto the same slide and fragment, also when the deck turned the URL hash off', async () => {
    const file = join(tmp.dir, 'nohash.md');
    const deck = (version: string) => DECK(version).replace('title: Live\n', 'title: Live\nreveal:\n  hash: false\n');
    writeFileSync(file, deck('First'));
    await using server = await serveDeck(file, { port: 0, debounceMs: 30 });
    await using session = await BrowserSession.launch();
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(2, 0, 1));
      expect(page.url()).toBe(server.url);
      const reloaded = page.waitForNavigation();
      writeFileSync(file, `${deck('Second')}\n---\n\n## Fifth slide\n`);
      await reloaded;
      await page.waitForFunction(() => document.querySelector('.slides section.present:not(.stack) .fragment.visible') !== null);
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices())).toEqual({
        h: 2,
        v: 0,
        f: 1,
      });
      expect(await visibleText(page)).toMatch(/Third slide\s+Second one\s+Second two/);
    });
  });

  it('patches a slide inside a vertical stack in place, keeping the slide and fragment', async () => {
    const file = join(tmp.dir, 'stack.md');
    const deck = (version: string) =>
      `# One\n\n---\n\n## Two\n\n----\n\n## Two, below\n\n- ${version} a <!-- .element: class="fragment" -->\n- ${version} b <!-- .element: class="fragment" -->\n\n---\n\n## Three\n`;
    writeFileSync(file, deck('First'));
    await using server = await serveDeck(file, { port: 0, debounceMs: 30 });
    await using session = await BrowserSession.launch();
    await session.withPage(async (page) => {
      const pageRequests: string[] = [];
      page.on('request', (r) => void (new URL(r.url()).pathname === '/' && pageRequests.push('/')));
      await openDeck(page, server.url);
      await until(() => pageRequests.length === 2);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(1, 1, 0));
      await markDocument(page);
      writeFileSync(file, deck('Second'));
      await page.waitForFunction(() => document.querySelector('.slides section.present:not(.stack)')?.textContent?.includes('Second a'));
      expect(await stillSameDocument(page)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): object } }).Reveal.getIndices())).toEqual({
        h: 1,
        v: 1,
        f: 0,
      });
      const text = await visibleText(page);
      expect(text).toMatch(/Two, below\s+Second a/);
      expect(text).not.toContain('Second b');
      // The server's patch, not the page's own comparison: it fetched no new page.
      expect(pageRequests).toEqual(['/', '/']);
    });
  });

  it('redraws a chart in the open page when its data file is saved, keeping the slide', async () => {
    const dir = join(tmp.dir, 'chart');
    mkdirSync(dir);
    const file = join(dir, 'chart.md');
    const data = join(dir, 'stages.csv');
    writeFileSync(data, 'stage,weeks\nAlphaStage,3\nBetaStage,5\n');
    writeFileSync(file, '# Title\n\n---\n\n## Weeks\n\n```chart\ntype: bar\nx: stage\ny: weeks\ndata: stages.csv\n```\n');
    await using server = await serveDeck(file, { port: 0, debounceMs: 30 });
    expect(server.watched()).toContain(data);
    await using session = await BrowserSession.launch();
    await session.withPage(async (page) => {
      await openDeck(page, server.url);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(1));
      const chartText = () => page.$eval('.slides section.present svg', (svg) => svg.textContent ?? '');
      expect(await chartText()).toContain('BetaStage');
      writeFileSync(data, 'stage,weeks\nAlphaStage,3\nGammaStage,8\n');
      await page.waitForFunction(() => document.querySelector('.slides section.present svg')?.textContent?.includes('GammaStage'));
      expect(await chartText()).not.toContain('BetaStage');
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h)).toBe(1);
    });
  });

  it('does not start for a deck that is not there', async () => {
    await expect(serveDeck(join(tmp.dir, 'missing.md'), { port: 0 })).rejects.toMatchObject({
      code: 'input-not-found',
      message: expect.stringContaining('missing.md'),
    });
    await expect(serveDeck(tmp.dir, { port: 0 })).rejects.toMatchObject({ code: 'input-not-file' });
  });
});

/** The server-sent events of `server`, as they arrive. */
async function eventStream(server: RunningServer): Promise<{ list: { event: string; data: string }[]; close: () => void }> {
  const list: { event: string; data: string }[] = [];
  const req = request(new URL(EVENTS_PATH, server.url));
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) list.push({ event, data });
      end = buffer.indexOf('\n\n');
    }
  });
  return { list, close: () => req.destroy() };
}

/**
 * Marks the page's current document, so a reload can be told from reveal.js's own history
 * updates (replaceState, which waitForNavigation may take for a navigation).
 */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { decksmithOldDocument?: boolean }).decksmithOldDocument = true;
  });
}

/** Whether the page still shows the document markDocument marked: nothing reloaded it. */
function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { decksmithOldDocument?: boolean }).decksmithOldDocument === true);
}
