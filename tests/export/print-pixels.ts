/**
 * The print view as Chromium paints it for `page.pdf()`: the exporter's own load and page layout,
 * print media, then a screenshot of each printed page's furniture (slide number, footer) decoded
 * back to pixels in the page. Contrast is measured from those pixels: the most common colour
 * around a box is its backdrop, the pixel inside it that differs most is its ink (so a number
 * painted over by something else measures about 1:1).
 */
import type { Page } from 'puppeteer-core';
import type { BrowserSession } from '../../src/browser/session.js';
import { loadPrintView } from '../../src/browser/load.js';
import { layoutPages } from '../../src/browser/page-scripts.js';
import type { BuiltDeck } from '../../src/types.js';

export interface InkOnBackdrop {
  text: string;
  ink: [number, number, number];
  backdrop: [number, number, number];
  ratio: number;
}

export interface PrintedFurniture {
  /** Reading-order index of the slide on this page. */
  slide: number;
  number?: InkOnBackdrop;
  footer?: InkOnBackdrop;
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const SCALE = 3;

/** Decodes a PNG (base64) inside the page and returns its RGBA bytes. */
async function pixels(page: Page, png: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d canvas');
    context.drawImage(img, 0, 0);
    return { width: canvas.width, height: canvas.height, data: [...context.getImageData(0, 0, canvas.width, canvas.height).data] };
  }, png);
}

async function measureBox(page: Page, box: { x: number; y: number; width: number; height: number }, text: string): Promise<InkOnBackdrop> {
  const pad = 4;
  const clip = { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), width: box.width + 2 * pad, height: box.height + 2 * pad };
  const png = (await page.screenshot({ clip, encoding: 'base64', type: 'png', captureBeyondViewport: true })) as string;
  const { width, height, data } = await pixels(page, png);
  const at = (x: number, y: number): [number, number, number] => {
    const i = (y * width + x) * 4;
    return [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
  };
  const counts = new Map<string, number>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const key = at(x, y).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '0,0,0';
  const backdrop = common.split(',').map(Number) as [number, number, number];
  let ink = backdrop;
  let best = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = contrast(at(x, y), backdrop);
      if (r > best) {
        best = r;
        ink = at(x, y);
      }
    }
  }
  return { text, ink, backdrop, ratio: Math.round(best * 100) / 100 };
}

/** Prints `built` the way exportPdf lays it out and measures the furniture on every page. */
export async function printedFurniture(session: BrowserSession, built: BuiltDeck, notesBelow = false): Promise<PrintedFurniture[]> {
  const slide = { width: built.rendered.width, height: built.rendered.height };
  return session.withPage(async (page) => {
    await loadPrintView(session, page, built.htmlPath, { fragments: 'final', notes: notesBelow ? 'below' : 'none' }, slide, 30_000, {
      layout: 'decksmith',
    });
    const printed = await page.evaluate(layoutPages, { keep: null, slide, notesBelow, sheet: null, titles: [] });
    await page.emulateMediaType('print');
    await page.setViewport({ ...slide, deviceScaleFactor: SCALE });
    const boxes = await page.evaluate(() => {
      // Screenshots must paint every page, not only the first screenful.
      const style = document.createElement('style');
      style.textContent = '.reveal .slides > .pdf-page { content-visibility: visible !important; }';
      document.head.appendChild(style);
      const rect = (el: Element | null) => {
        if (el === null || getComputedStyle(el).display === 'none') return undefined;
        const r = el.getBoundingClientRect();
        return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height, text: el.textContent?.trim() ?? '' };
      };
      return [...document.querySelectorAll('.reveal .slides > .pdf-page')].map((p) => ({
        number: rect(p.querySelector('.slide-number-pdf')),
        footer: rect(p.querySelector('section > .ds-footer')),
      }));
    });
    const out: PrintedFurniture[] = [];
    for (const [i, box] of boxes.entries()) {
      const entry: PrintedFurniture = { slide: printed[i]?.slide ?? i };
      if (box.number !== undefined) entry.number = await measureBox(page, box.number, box.number.text);
      if (box.footer !== undefined) entry.footer = await measureBox(page, box.footer, box.footer.text);
      out.push(entry);
    }
    return out;
  });
}
