/**
 * Speaker notes in PDFs (`--notes page|below`): set in the theme's own font, not whatever the
 * machine falls back to, and labelled with the slide they belong to; no blank page at the end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportPdf } from '../../src/export/index.js';
import type { PdfOptions } from '../../src/types.js';
import { tempDir } from '../helpers.js';
import { printedFurniture } from './print-pixels.js';
import { pageFonts, pageTexts } from './read-pdf.js';
import { browserForFile } from '../browser-for-file.js';

const { dir, cleanup } = tempDir('decksmith-notes-');
const deck = join(dir, 'notes.md');
writeFileSync(
  deck,
  `---
title: Notes
slideNumber: true
---

# Notes

---

## Results

- up and to the right

Note: Say that the numbers QWNOTE are preliminary.

---

## Last words

Note: Thank everyone LASTNOTE.
`,
);
const base: PdfOptions = { notes: 'page', fragments: 'final', timeoutMs: 30_000 };
const browser = browserForFile(cleanup);

/** The machine's fallback fonts, which a theme never asks for. */
const FALLBACK = /DejaVu|Liberation|FreeSans|FreeSerif|Helvetica|Arial|Nimbus/i;

describe.each(['midnight', 'editorial'])('notes in theme %s', (theme) => {
  it('--notes page: a page per note after its slide, in the theme font, naming the slide', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, theme), theme });
    const result = await exportPdf(browser(), built, { ...base, out: join(dir, `${theme}-page.pdf`) });
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(5);
    expect(texts[2]).toMatch(/^Notes — slide 2: Results Say that the numbers QWNOTE/);
    expect(texts[4]).toMatch(/^Notes — slide 3: Last words Thank everyone LASTNOTE/);
    const fonts = await pageFonts(result.file);
    for (const page of [2, 4]) {
      expect(fonts[page]?.length).toBeGreaterThan(0);
      expect(fonts[page]?.filter((f) => FALLBACK.test(f))).toEqual([]);
    }
    const body = theme === 'midnight' ? /^Inter/ : /^SourceSans3/;
    expect(
      fonts[2]?.some((f) => body.test(f)),
      fonts[2]?.join(', '),
    ).toBe(true);
  });

  it('--notes below: the band under the slide, labelled, in the theme font', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, `${theme}-b`), theme });
    const result = await exportPdf(browser(), built, { ...base, notes: 'below', out: join(dir, `${theme}-below.pdf`) });
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toContain('Notes — slide 2: Results Say that the numbers QWNOTE');
    expect((await pageFonts(result.file))[1]?.filter((f) => FALLBACK.test(f))).toEqual([]);
  });
});

it('--notes below keeps the slide number on the slide, readable', async () => {
  const built = await buildDeck(deck, { outDir: join(dir, 'paper-b'), theme: 'paper' });
  const pages = await printedFurniture(browser(), built, true);
  expect(pages).toHaveLength(3);
  for (const page of pages) expect(page.number?.ratio, `slide ${page.slide + 1}`).toBeGreaterThanOrEqual(4.5);
});
