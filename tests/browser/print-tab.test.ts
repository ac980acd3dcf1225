/**
 * PDFs print in tabs that draw no frames (BrowserSession.withPrintPage): nobody sees the page, and
 * compositing and rasterising its viewport at every frame took CPU the other decks of
 * `build --pdf --handout` needed. Observed with a requestAnimationFrame callback, which runs only
 * when a frame is drawn.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isHeadlessShell } from '../../src/browser/find.js';
import { loadPrintView } from '../../src/browser/load.js';
import { exportPdf } from '../../src/export/pdf.js';
import { needsBlankTab } from '../../src/cli/browser-start.js';
import { BrowserSession, PrintTabs } from '../../src/browser/session.js';
import type { Page, Target } from 'puppeteer-core';
import { pageTexts } from '../export/read-pdf.js';
import { makeDeck } from '../export/fixture-deck.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-print-tab-');
const browser = browserForFile(cleanup);

/** Loads the deck's print view in `page`, asks for a frame, prints; whether the frame came by then. */
async function frameBeforePrinted(page: Page, htmlPath: string, slide: { width: number; height: number }): Promise<boolean> {
  const session = browser();
  await loadPrintView(session, page, htmlPath, { fragments: 'final', notes: 'none' }, slide, 30_000, { layout: 'decksmith' });
  await page.evaluate(() => {
    requestAnimationFrame(() => {
      document.documentElement.dataset['dsFramed'] = '';
    });
  });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdf.byteLength).toBeGreaterThan(1000);
  return page.evaluate(() => document.documentElement.dataset['dsFramed'] !== undefined);
}

describe('print tabs', () => {
  it('draw no frame while a deck loads and prints, where a withPage tab does', async () => {
    const session = browser();
    // Only headless shell lets DevTools hold a tab's frames (another browser gives a normal tab);
    // it is what `npm install` finds or installs.
    expect(isHeadlessShell(session.found.executablePath)).toBe(true);
    const built = await makeDeck(join(dir, 'frames'), [{ title: 'Frames', body: 'FRAMEBODY' }], { name: 'frames' });
    const slide = { width: built.rendered.width, height: built.rendered.height };
    const printTab = await session.withPrintPage((page) => frameBeforePrinted(page, built.htmlPath, slide));
    expect(printTab).toBe(false);
    // The same probe in a tab that draws frames: the callback runs (awaited, not timed).
    await session.withPage(async (page) => {
      await frameBeforePrinted(page, built.htmlPath, slide);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      expect(await page.evaluate(() => document.documentElement.dataset['dsFramed'] !== undefined)).toBe(true);
    });
  });

  it('are not what withPage hands out: the first page of a new browser draws frames', async () => {
    // The session opens a print tab as Chromium starts, blank like Chromium's own tab.
    const session = await BrowserSession.launch({ printTab: true });
    try {
      const [tab, printTab] = await Promise.all([
        session.withPage(async (page) => {
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
          return page;
        }),
        session.withPrintPage(async (page) => page),
      ]);
      expect(tab).not.toBe(printTab);
    } finally {
      await session.close();
    }
  });

  it('open as Chromium starts, as many as wanted while it starts', async () => {
    const wanted = new PrintTabs(1);
    const launching = BrowserSession.launch({ printTab: wanted });
    // `build` says how many decks will print before Chromium has booted.
    wanted.want(3);
    const session = await launching;
    try {
      const created: string[] = [];
      session.browser.on('targetcreated', (target: Target) => created.push(target.type()));
      // Three prints at once, each holding its tab until all three have one.
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let got = 0;
      const pages = [0, 1, 2].map(() =>
        session.withPrintPage(async (page) => {
          got += 1;
          if (got === 3) release();
          await held;
          return page;
        }),
      );
      expect(new Set(await Promise.all(pages)).size).toBe(3);
      expect(created).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('leave Chromium without its own blank tab when asked, and withPage still gets a page', async () => {
    const session = await BrowserSession.launch({ printTab: true, blankTab: false });
    try {
      const tabs = await session.browser.pages();
      // Only the print tab: headless shell opens no tab of its own without a URL.
      expect(tabs).toHaveLength(1);
      const printPage = await session.withPrintPage(async (page) => page);
      expect(tabs).toContain(printPage);
      expect(await session.withPage(async (page) => page.evaluate(() => document.visibilityState))).toBe('visible');
      expect(await session.browser.pages()).toHaveLength(0);
    } finally {
      await session.close();
    }
    // Only a command that prints handouts and nothing else in the browser goes without it.
    expect(needsBlankTab(['build', 'content', '--pdf', '--handout', '3'])).toBe(false);
    expect(needsBlankTab(['--debug', 'pdf', 'talk.md', '--handout=2'])).toBe(false);
    expect(needsBlankTab(['build', 'content', '--pdf'])).toBe(true);
    expect(needsBlankTab(['pdf', 'talk.md'])).toBe(true);
    expect(needsBlankTab(['build', 'content', '--handout', '3', '--pptx'])).toBe(true);
    expect(needsBlankTab(['png', 'talk.md'])).toBe(true);
  });

  it('are what exportPdf prints in, and it leaves none open', async () => {
    const session = browser();
    const built = await makeDeck(join(dir, 'export'), [{ title: 'Export', body: 'EXPORTBODY' }], { name: 'export' });
    const printPages = vi.spyOn(session, 'withPrintPage');
    const pages = vi.spyOn(session, 'withPage');
    try {
      const result = await exportPdf(session, built, { notes: 'none', fragments: 'final', timeoutMs: 30_000 });
      expect((await pageTexts(result.file))[0]).toContain('EXPORTBODY');
      expect(printPages).toHaveBeenCalledTimes(1);
      expect(pages).not.toHaveBeenCalled();
    } finally {
      printPages.mockRestore();
      pages.mockRestore();
    }
    expect(await session.browser.pages()).toHaveLength(0);
  });
});
