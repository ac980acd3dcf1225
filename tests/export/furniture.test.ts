/**
 * Page furniture in PDFs: the deck's footer on every page (and nowhere else on a handout), a
 * slide's own footer or none, and slide numbers and footers readable (4.5:1 against the slide
 * they sit on, measured from the printed pixels) on title, section, dark, light and ordinary
 * slides, in every theme a deck can name, ours and reveal.js's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportPdf } from '../../src/export/index.js';
import { builtinThemeNames, listThemes } from '../../src/build/theme.js';
import type { PdfOptions } from '../../src/types.js';
import { tempDir } from '../helpers.js';
import { printedFurniture } from './print-pixels.js';
import { pageTexts } from './read-pdf.js';
import { browserForFile } from '../browser-for-file.js';

const FOOTER = 'ACME FOOTQ';
const FURNITURE_DECK = `---
title: Furniture
author: Ada Lovelace
footer: ${FOOTER}
slideNumber: true
---

# Furniture

---

# Part two

---

<!-- background: #111 -->
## A dark slide

- white text on black

---

## Code

\`\`\`js
const answer = 42;
\`\`\`

---

<!-- background: #f4f4f4 -->
## A light slide

---

<!-- nofooter -->
## No footer here

---

<!-- footer: Other OVERQ -->
## Its own footer

---

# Questions?
`;

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };
const themes = [...builtinThemeNames(), 'white', 'black'];
/** Every theme a deck can name: ours and each of reveal.js's. */
const allThemes = listThemes().map((t) => t.name);
const { dir, cleanup } = tempDir('decksmith-furniture-');
const deck = join(dir, 'furniture.md');
writeFileSync(deck, FURNITURE_DECK);
const browser = browserForFile(cleanup);

const build = (theme: string) => buildDeck(deck, { outDir: join(dir, theme), theme });

describe('the footer in a PDF', () => {
  it('is on every page, except where a slide turns it off or sets its own', async () => {
    const built = await build('paper');
    const result = await exportPdf(browser(), built, { ...base, out: join(dir, 'paper.pdf') });
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(8);
    texts.forEach((text, i) => {
      const count = text.split(FOOTER).length - 1;
      expect(count, `page ${i + 1}: ${text}`).toBe(i === 5 || i === 6 ? 0 : 1);
    });
    expect(texts[6]).toContain('Other OVERQ');
  });

  it('is on each slide of a handout and never a stray line of its own', async () => {
    const built = await build('paper');
    const result = await exportPdf(browser(), built, { ...base, handout: 3, out: join(dir, 'handout.pdf') });
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(3);
    // Slides 1–3, 4–6 and 7–8; slide 6 has none and slide 7 its own.
    expect(texts.map((text) => text.split(FOOTER).length - 1)).toEqual([3, 2, 1]);
  });
});

describe.each(allThemes)('furniture printed in theme %s', (theme) => {
  it('slide numbers and footers reach 4.5:1 against their own slide', async () => {
    const built = await build(theme);
    const pages = await printedFurniture(browser(), built);
    expect(pages).toHaveLength(8);
    const weak: string[] = [];
    for (const page of pages) {
      expect(page.number?.text, `slide ${page.slide + 1} has a number`).toBe(String(page.slide + 1));
      for (const item of [page.number, page.footer]) {
        if (item !== undefined && item.ratio < 4.5)
          weak.push(`slide ${page.slide + 1} "${item.text}": ${item.ratio}:1 (${item.ink} on ${item.backdrop})`);
      }
    }
    expect(weak).toEqual([]);
    expect(pages.filter((p) => p.footer !== undefined)).toHaveLength(7);
  });
});

// In the browser the footer once sat at the window's edge, over the accent bar paper and contrast
// draw down a title slide's left side. It belongs to the slide now, level with the content.
describe.each(themes)('the footer in the browser, theme %s', (theme) => {
  it("sits inside the slide, clear of the accent bar down the title slide's left edge", async () => {
    const built = await build(theme);
    const boxes = await browser().withPage(async (page) => {
      // A window wider than the slide, as a projector or a laptop screen gives.
      await page.setViewport({ width: 1600, height: 800 });
      await page.goto(pathToFileURL(built.htmlPath).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      return page.evaluate(() => {
        const section = document.querySelector<HTMLElement>('section.present');
        const frame = section?.querySelector<HTMLElement>(':scope > .ds-frame');
        const footer = section?.querySelector<HTMLElement>(':scope > .ds-footer');
        if (frame === null || frame === undefined || footer === null || footer === undefined) return undefined;
        const f = frame.getBoundingClientRect();
        const scale = f.width / frame.offsetWidth;
        const style = getComputedStyle(frame);
        const r = footer.getBoundingClientRect();
        // Accent bars a theme draws down the slide's left edge: a border, or a pseudo-element at left 0.
        let bar = parseFloat(style.borderLeftWidth);
        for (const pseudo of ['::before', '::after']) {
          const p = getComputedStyle(frame, pseudo);
          if (p.content !== 'none' && p.position === 'absolute' && p.left === '0px')
            bar = Math.max(bar, parseFloat(style.borderLeftWidth) + parseFloat(p.width));
        }
        return {
          barRight: f.left + bar * scale,
          scale,
          frame: { left: f.left, right: f.right, bottom: f.bottom },
          footer: { left: r.left, right: r.right, bottom: r.bottom, text: footer.textContent },
        };
      });
    });
    expect(boxes?.footer.text).toBe(FOOTER);
    if (boxes === undefined) return;
    expect(boxes.footer.left).toBeGreaterThan(boxes.barRight + 16 * boxes.scale);
    expect(boxes.footer.right).toBeLessThan(boxes.frame.right);
    expect(boxes.footer.bottom).toBeLessThan(boxes.frame.bottom);
  });
});

// contrast drew its heading rule and list markers in literal black: invisible on a dark slide.
it('contrast: rules and markers follow the text colour on a dark background: slide', async () => {
  const built = await build('contrast');
  const colours = await browser().withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${pathToFileURL(built.htmlPath).href}#/2`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
    return page.evaluate(() => {
      const section = document.querySelector('section[data-ds-index="2"]');
      const h2 = section?.querySelector('h2');
      const li = section?.querySelector('li');
      if (h2 === null || h2 === undefined || li === null || li === undefined) return [];
      return [getComputedStyle(h2).borderBottomColor, getComputedStyle(li, '::marker').color, getComputedStyle(li).color];
    });
  });
  expect(colours).toHaveLength(3);
  // Light on #111, like the text.
  for (const colour of colours) {
    const channels = (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    expect(Math.min(...channels), colour).toBeGreaterThan(200);
  }
});
