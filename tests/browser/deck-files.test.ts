/**
 * allowOnlyDeckFiles answers the page's paused requests on a DevTools session of its own (not
 * through Puppeteer's request interception): every frame of the page is still held to the deck's
 * folder, symbolic links are followed (the real path of a folder is looked up once per page, a
 * file's own link every time), and nothing reaches the network.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowOnlyDeckFiles, deckFileRule } from '../../src/browser/load.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-deck-files-');
const browser = browserForFile(cleanup);

const svg = (color: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="${color}"/></svg>`;

let server: Server;
let origin = '';
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/svg+xml' });
    response.end(svg('red'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A deck folder beside a private folder, with links from the one into the other. */
function layout(name: string): { deck: string; secret: string } {
  const deck = join(dir, name, 'deck');
  const secret = join(dir, name, 'secret');
  mkdirSync(join(deck, 'assets'), { recursive: true });
  mkdirSync(secret, { recursive: true });
  writeFileSync(join(secret, 'secret.svg'), svg('black'));
  writeFileSync(join(secret, 'other.svg'), svg('black'));
  writeFileSync(join(deck, 'assets', 'a.svg'), svg('green'));
  writeFileSync(join(deck, 'assets', 'b.svg'), svg('green'));
  // A file link and a folder link inside the deck, both leading out of it.
  symlinkSync(join(secret, 'secret.svg'), join(deck, 'assets', 'link.svg'));
  symlinkSync(secret, join(deck, 'linked'));
  const images = (prefix: string): string =>
    [
      `${prefix}assets/a.svg`,
      `${prefix}assets/b.svg`,
      `${prefix}assets/link.svg`,
      `${prefix}linked/other.svg`,
      pathToFileURL(join(secret, 'secret.svg')).href,
      `${origin}/image.svg`,
    ]
      .map((src) => `<img src="${src}">`)
      .join('\n');
  writeFileSync(join(deck, 'frame.html'), `<!doctype html><body>${images('')}</body>`);
  writeFileSync(join(deck, 'index.html'), `<!doctype html><body>${images('')}<iframe src="frame.html"></iframe></body>`);
  return { deck, secret };
}

describe('allowOnlyDeckFiles', () => {
  it('loads the deck folder’s files in every frame and refuses links out, outside files and the network', async () => {
    const { deck } = layout('page');
    const loaded = await browser().withPage(async (page) => {
      const blocked = await allowOnlyDeckFiles(page, deck);
      await page.goto(pathToFileURL(join(deck, 'index.html')).href, { waitUntil: 'load' });
      const inPage = await page.evaluate(() =>
        [...document.images].filter((img) => img.naturalWidth > 0).map((img) => img.getAttribute('src') ?? ''),
      );
      const frame = page.frames().find((f) => f.url().endsWith('/frame.html'));
      if (frame === undefined) throw new Error('the frame did not load');
      const inFrame = await frame.evaluate(() =>
        [...document.images].filter((img) => img.naturalWidth > 0).map((img) => img.getAttribute('src') ?? ''),
      );
      return { inPage, inFrame, blocked: [...blocked] };
    });
    expect(loaded.inPage).toEqual(['assets/a.svg', 'assets/b.svg']);
    expect(loaded.inFrame).toEqual(['assets/a.svg', 'assets/b.svg']);
    // Twice each: once for the page, once for its frame.
    const names = loaded.blocked.map((url) => url.replace(/^.*\//, '')).sort();
    expect(names).toEqual(['image.svg', 'image.svg', 'link.svg', 'link.svg', 'other.svg', 'other.svg', 'secret.svg', 'secret.svg']);
    expect(hits).toEqual([]);
  }, 60_000);

  it('checks a file’s own link each time, though its folder is looked up once', () => {
    const { deck, secret } = layout('rule');
    const rule = deckFileRule(deck);
    const url = (path: string): string => pathToFileURL(path).href;
    expect(rule(url(join(deck, 'assets', 'a.svg')))).toBe(true);
    expect(rule(url(join(deck, 'assets', 'link.svg')))).toBe(false);
    expect(rule(url(join(deck, 'assets', 'missing.svg')))).toBe(true);
    expect(rule(url(join(deck, 'linked', 'other.svg')))).toBe(false);
    // A file made a link out after its folder was looked up.
    symlinkSync(join(secret, 'other.svg'), join(deck, 'assets', 'late.svg'));
    expect(rule(url(join(deck, 'assets', 'late.svg')))).toBe(false);
    expect(rule(url(join(deck, '..', 'secret', 'secret.svg')))).toBe(false);
    expect(rule(`${origin}/x.svg`)).toBe(false);
    expect(rule('data:image/svg+xml,<svg/>')).toBe(true);
  });
});
