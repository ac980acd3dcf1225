/**
 * A Marp deck as Chromium shows and prints it: a split background on its side with the content
 * beside it, the header, footer and page number on the page, a fitted heading as wide as the
 * frame, and no image keyword anywhere in the text.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportPdf } from '../../src/export/index.js';
import type { PdfOptions } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { readFixture, tempDir } from '../helpers.js';
import { pageTexts } from '../export/read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-marp-');
const browser = browserForFile(cleanup);

writeFileSync(
  join(dir, 'red.svg'),
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="#ff0000"/></svg>\n',
);
const deck = join(dir, 'talk.md');
// The deck is a fixture: Marp Markdown lives in tests/fixtures/dialects, not in test sources.
writeFileSync(deck, readFixture('dialects/marp-e2e.md'));

/** The RGB of one screen pixel of `page`, from a screenshot (what the user sees, not computed style). */
async function pixelAt(page: Page, x: number, y: number): Promise<number[]> {
  const png = await page.screenshot({ encoding: 'base64', clip: { x, y, width: 1, height: 1 } });
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d');
    context?.drawImage(img, 0, 0);
    return [...(context?.getImageData(0, 0, 1, 1).data ?? [])].slice(0, 3);
  }, png);
}

describe('a Marp deck in Chromium', () => {
  it('shows the split background on the left 40% and the content beside it; fits the heading to the width', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, 'out') });
    const seen = await browser().withPage(async (page) => {
      await page.setViewport({ width: 1280, height: 720, deviceScaleFactor: 1 });
      const url = pathToFileURL(built.htmlPath);
      url.search = 'margin=0&transition=none';
      await page.goto(url.href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      const split = await page.evaluate(async () => {
        const section = document.querySelector<HTMLElement>('section[data-ds-index="0"]');
        const layer = section?.querySelector<HTMLElement>(':scope > .ds-bg');
        const frame = section?.querySelector<HTMLElement>(':scope > .ds-frame');
        if (section == null || layer == null || frame == null) throw new Error('no split slide');
        const s = section.getBoundingClientRect();
        const l = layer.getBoundingClientRect();
        const f = frame.getBoundingClientRect();
        // The image must really load: the cell's background decodes.
        const cell = layer.querySelector<HTMLElement>('.ds-bg-image');
        const address = /url\("?([^")]+)"?\)/.exec(cell === null ? '' : getComputedStyle(cell).backgroundImage)?.[1] ?? '';
        const image = new Image();
        image.src = address;
        const loaded = await image.decode().then(
          () => true,
          () => false,
        );
        return { layer: (l.right - s.left) / s.width, layerLeft: l.left - s.left, frame: (f.left - s.left) / s.width, loaded };
      });
      const pixel = (x: number, y: number) => pixelAt(page, x, y);
      const left = await pixel(200, 360);
      const right = await pixel(1100, 600);
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(1));
      const fit = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('section[data-ds-index="1"] h1')].map((heading) => {
          const frame = heading.closest<HTMLElement>('.ds-frame');
          if (frame === null) throw new Error('no frame');
          const range = document.createRange();
          range.selectNodeContents(heading);
          const style = getComputedStyle(frame);
          const k = frame.getBoundingClientRect().width / frame.offsetWidth;
          const area = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const lines = range.getClientRects().length;
          return { ratio: range.getBoundingClientRect().width / k / area, size: parseFloat(getComputedStyle(heading).fontSize), lines };
        }),
      );
      return { split, left, right, fit };
    });
    expect(seen.split.loaded).toBe(true);
    expect(seen.split.layerLeft).toBeCloseTo(0, 0);
    expect(seen.split.layer).toBeCloseTo(0.4, 2);
    expect(seen.split.frame).toBeCloseTo(0.4, 2);
    expect(seen.left).toEqual([255, 0, 0]);
    expect(seen.right).not.toEqual([255, 0, 0]);
    const [short, long] = seen.fit;
    // A short word grows (up to three times the heading's size); a long heading shrinks to one
    // line as wide as the frame's content area.
    expect(short?.size).toBeGreaterThan(100);
    expect(long?.lines).toBe(1);
    expect(long?.ratio).toBeGreaterThan(0.9);
    expect(long?.ratio).toBeLessThanOrEqual(1);
  });

  it("applies Marp's image filters to inline and background images; a value that is not a plain CSS value is dropped", async () => {
    const filters = join(dir, 'filters.md');
    writeFileSync(filters, readFixture('dialects/marp-filters.md'));
    const built = await buildDeck(filters, { outDir: join(dir, 'out-filters') });
    const seen = await browser().withPage(async (page) => {
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.setViewport({ width: 1280, height: 720, deviceScaleFactor: 1 });
      const url = pathToFileURL(built.htmlPath);
      url.search = 'margin=0&transition=none';
      await page.goto(url.href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      const styles = await page.evaluate(() => {
        const section = document.querySelector('section[data-ds-index="0"]');
        const cell = section?.querySelector<HTMLElement>('.ds-bg-image');
        return {
          background: cell == null ? undefined : getComputedStyle(cell).filter,
          images: [...(section?.querySelectorAll('img') ?? [])].map((img) => ({ filter: getComputedStyle(img).filter, alt: img.alt })),
        };
      });
      // A pixel of the background, away from the text: the red picture drawn grey.
      const pixel = await pixelAt(page, 1200, 650);
      return { ...styles, pixel, requests };
    });
    expect(seen.background).toBe('grayscale(1) blur(2px)');
    expect(seen.images.map((i) => i.filter)).toEqual(['sepia(1)', 'drop-shadow(rgba(0, 0, 0, 0.4) 0px 5px 10px)', 'none']);
    expect(seen.images.every((i) => i.alt === '')).toBe(true);
    const [r = 0, g = 0, b = 0] = seen.pixel;
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(8);
    expect(r).toBeGreaterThan(40);
    expect(seen.requests.filter((u) => u.includes('leak'))).toEqual([]);
  });

  it('prints the header, footer and page number, and no image keyword', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, 'out-pdf') });
    const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 60_000 };
    const result = await exportPdf(browser(), built, { ...base, out: join(dir, 'talk.pdf') });
    const [first, second] = await pageTexts(result.file);
    expect(first).toContain('QHEADER text');
    expect(first).toContain('QFOOTER text');
    expect(first).toMatch(/\b1\b/);
    expect(first).toContain('Content on the right.');
    expect(second).toContain('QHEADER text');
    // _paginate: false hides the number on that slide only.
    expect(second).not.toMatch(/\b2\b/);
    expect(`${first} ${second}`).not.toMatch(/\bbg\b|left:40%|<!--/);
  });

  it('shows the header and footer as the inline Markdown they are: bold text, a link', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, 'out-header') });
    const seen = await browser().withPage(async (page) => {
      const url = pathToFileURL(built.htmlPath);
      url.search = 'transition=none';
      await page.goto(url.href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      return page.evaluate(() => {
        const section = document.querySelector('section[data-ds-index="0"]');
        const strong = section?.querySelector<HTMLElement>('.ds-header strong');
        const link = section?.querySelector<HTMLAnchorElement>('.ds-footer a');
        return {
          header: section?.querySelector('.ds-header')?.textContent,
          bold: strong == null ? undefined : { text: strong.textContent, weight: Number(getComputedStyle(strong).fontWeight) },
          link: link == null ? undefined : { text: link.textContent, href: link.href },
          footer: section?.querySelector('.ds-footer')?.textContent,
        };
      });
    });
    expect(seen.header).toBe('QHEADER text');
    expect(seen.bold?.text).toBe('text');
    expect(seen.bold?.weight).toBeGreaterThanOrEqual(600);
    expect(seen.link).toEqual({ text: 'text', href: 'https://example.com/' });
    expect(seen.footer).toBe('QFOOTER text');
  });
});
