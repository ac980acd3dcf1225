/**
 * Page furniture in PDFs, for every built-in theme and two of reveal.js's: the deck's footer on
 * every page (and nowhere else on a handout), a slide's own footer or none, and slide numbers and
 * footers readable (4.5:1 against the slide they sit on, measured from the printed pixels) on
 * title, section, dark, light and ordinary slides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build.js';
import { BrowserSession, exportPdf } from '../../src/export/index.js';
import { builtinThemeNames } from '../../src/theme/resolve.js';
import type { PdfOptions } from '../../src/types.js';
import { tempDir } from '../helpers.js';
import { printedFurniture } from './print-pixels.js';
import { pageTexts } from './read-pdf.js';

const FOOTER = 'ACME FOOTQ';
export const FURNITURE_DECK = `---
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
const { dir, cleanup } = tempDir('decksmith-furniture-');
const deck = join(dir, 'furniture.md');
writeFileSync(deck, FURNITURE_DECK);
let session: BrowserSession;

beforeAll(async () => {
  session = await BrowserSession.launch({ handleSignals: false });
});

afterAll(async () => {
  await session?.close();
  cleanup();
});

const build = (theme: string) => buildDeck(deck, { outDir: join(dir, theme), theme });

describe('the footer in a PDF', () => {
  it('is on every page, except where a slide turns it off or sets its own', async () => {
    const built = await build('paper');
    const result = await exportPdf(session, built, { ...base, out: join(dir, 'paper.pdf') });
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
    const result = await exportPdf(session, built, { ...base, handout: 3, out: join(dir, 'handout.pdf') });
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(3);
    // Slides 1–3, 4–6 and 7–8; slide 6 has none and slide 7 its own.
    expect(texts.map((text) => text.split(FOOTER).length - 1)).toEqual([3, 2, 1]);
  });
});

describe.each(themes)('furniture printed in theme %s', (theme) => {
  it('slide numbers and footers reach 4.5:1 against their own slide', async () => {
    const built = await build(theme);
    const pages = await printedFurniture(session, built);
    expect(pages).toHaveLength(8);
    const weak: string[] = [];
    for (const page of pages) {
      expect(page.number?.text, `slide ${page.slide + 1} has a number`).toBe(String(page.slide + 1));
      for (const item of [page.number, page.footer]) {
        if (item !== undefined && item.ratio < 4.5) weak.push(`slide ${page.slide + 1} "${item.text}": ${item.ratio}:1 (${item.ink} on ${item.backdrop})`);
      }
    }
    expect(weak).toEqual([]);
    expect(pages.filter((p) => p.footer !== undefined)).toHaveLength(7);
  });
});
