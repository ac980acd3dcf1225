/**
 * The sessions decksmith launches leave Puppeteer's Network events off (BrowserSessionOptions
 * networkEvents: false): loadPrintView then learns about failed and stuck files from its own
 * Fetch session and from the page. A missing file, or one that does not open, is still a warning with Chromium's reason, and a
 * timeout still names the file it waited for: an image, a background image, a web font.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { BrowserSession } from '../../src/browser/session.js';
import { BrowserError } from '../../src/errors.js';
import { exportDecks } from '../../src/export/index.js';
import { exportPdf } from '../../src/export/pdf.js';
import type { PdfOptions } from '../../src/types.js';
import { releaseFifos, tempDir } from '../helpers.js';
import { writeBrandTheme } from './fixture-deck.js';
import { pageTexts } from './read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-network-off-');
let session: BrowserSession;
beforeAll(async () => {
  session = await BrowserSession.launch({ networkEvents: false });
});
afterAll(async () => {
  await session?.close();
  cleanup();
});

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** A deck whose theme (line 3) brings a font, with an image at line 11 and a background image at line 14. */
async function built(name: string) {
  const folder = join(dir, name);
  writeBrandTheme(folder);
  writeFileSync(join(folder, 'chart.png'), PNG_1PX);
  writeFileSync(join(folder, 'backdrop.png'), PNG_1PX);
  const deck = join(folder, 'talk.md');
  const lines = ['---', 'title: Network off', 'theme: ./brand', '---', '', '## Opening FIRSTPAGE', '', 'Some text.', '', '---'];
  writeFileSync(deck, [...lines, '![a chart](chart.png)', '', '---', '![bg](backdrop.png)', '', '## Backdrop', ''].join('\n'));
  return buildDeck(deck, { outDir: join(folder, 'out') });
}

/** Replaces a built file with a FIFO nobody writes: Chromium waits on it for ever. */
function stuck(path: string): void {
  rmSync(path);
  execFileSync('mkfifo', [path]);
}

function target(deck: Awaited<ReturnType<typeof built>>, ending: string): string {
  return join(deck.outDir, deck.rendered.assets.find((a) => a.source.endsWith(ending))?.target ?? ending);
}

describe('a session without Network events', () => {
  it('emits no request events for its pages (Puppeteer does not track the network)', async () => {
    const page: Page = await session.browser.newPage();
    const seen: string[] = [];
    page.on('request', (request) => seen.push(request.url()));
    const deck = await built('events');
    await page.goto(`file://${deck.htmlPath}`, { waitUntil: 'load' });
    await page.close();
    expect(seen).toEqual([]);
  });

  it('an image removed after the build: a warning with Chromium reason, the PDF still written', async () => {
    const deck = await built('missing');
    rmSync(target(deck, 'chart.png'));
    const [outcome] = await exportDecks([deck], base, { session });
    expect(outcome?.error).toBeUndefined();
    const warnings = outcome?.result?.diagnostics.filter((d) => d.code === 'asset-not-loaded') ?? [];
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', file: deck.file, line: 11 })]);
    expect(warnings[0]?.message).toContain('image chart.png did not load while printing (net::ERR_FILE_NOT_FOUND)');
    expect((await pageTexts(outcome?.result?.file ?? ''))[0]).toContain('FIRSTPAGE');
  });

  it("a file that is there but does not open (a socket, even for root): a warning with Chromium's reason", async () => {
    // chmod 000 stops every user but root (net::ERR_ACCESS_DENIED); tests run as root in CI, and a
    // Unix socket opens for nobody (ENXIO), which Chromium reports as net::ERR_FAILED. Found only by
    // opening it: the lstat sees a file there, and no Network event reports the failure.
    const deck = await built('socket');
    const image = target(deck, 'chart.png');
    rmSync(image);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(image, resolve));
    try {
      const [outcome] = await exportDecks([deck], base, { session });
      expect(outcome?.error).toBeUndefined();
      const warnings = outcome?.result?.diagnostics.filter((d) => d.code === 'asset-not-loaded') ?? [];
      expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', file: deck.file, line: 11 })]);
      expect(warnings[0]?.message).toContain('image chart.png did not load while printing (net::ERR_FAILED)');
      expect((await pageTexts(outcome?.result?.file ?? ''))[0]).toContain('FIRSTPAGE');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  for (const [what, ending] of [
    ['an image', 'chart.png'],
    ['a background image', 'backdrop.png'],
    ['a web font', 'brand.woff2'],
  ] as const)
    it(`a timeout names ${what} that never arrives`, { timeout: 60_000 }, async () => {
      const deck = await built(`stuck-${ending}`);
      const fifo = target(deck, ending);
      stuck(fifo);
      const file = join(dir, `stuck-${ending}.pdf`);
      const error = await exportPdf(session, deck, { ...base, timeoutMs: 4000, out: file }).catch((e: unknown) => e);
      // Chromium's file thread waits on the FIFO for as long as the browser lives: let it go.
      releaseFifos(fifo);
      expect(error).toBeInstanceOf(BrowserError);
      expect((error as BrowserError).code).toBe('pdf-timeout');
      expect((error as BrowserError).message).toMatch(new RegExp(`Still loading: [^]*${ending.replace('.', '\\.')}`));
      expect(existsSync(file)).toBe(false);
    });
});
