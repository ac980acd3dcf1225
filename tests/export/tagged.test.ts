/**
 * A PDF is tagged for every slide, not only the first: its structure tree gives a screen reader
 * each slide's headings, lists and tables in reading order, on the page that shows them. (The
 * print view once hid every slide but the first from assistive technology, as reveal.js does
 * while presenting, and Chromium tags only what assistive technology sees: slides 2 to n were
 * untagged text.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportPdf } from '../../src/export/index.js';
import type { PdfOptions } from '../../src/types.js';
import { tempDir } from '../helpers.js';
import { browserForFile } from '../browser-for-file.js';
import { loadPdf, structElements } from './read-pdf.js';

const DECK = `---
title: Tagged
---

# First slide

---

## Second slide

- point one
- point two

---

## Third slide

| a | b |
| --- | --- |
| 1 | 2 |

----

## Below the third

A paragraph under it.

Note: the notes of the fourth slide
`;

const { dir, cleanup } = tempDir('decksmith-tagged-');
const deck = join(dir, 'tagged.md');
writeFileSync(deck, DECK);
const browser = browserForFile(cleanup);
const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };

/**
 * Structure element types (H1, L, TD…) by 0-based page: an element counts on each page its
 * content (its own or its descendants') is drawn on.
 */
function tagsByPage(doc: PDFDocument): string[][] {
  const byPage = doc.getPages().map(() => new Set<string>());
  for (const element of structElements(doc)) for (const page of element.pages) byPage[page]?.add(element.type);
  return byPage.map((types) => [...types].sort());
}

describe('a tagged PDF', () => {
  it('tags every slide: its heading, list and table on its own page', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, 'slides') });
    const result = await exportPdf(browser(), built, { ...base, out: join(dir, 'slides.pdf') });
    const tags = tagsByPage(await loadPdf(result.file));
    expect(tags).toHaveLength(4);
    expect(tags[0]).toContain('H1');
    expect(tags[1]).toEqual(expect.arrayContaining(['H2', 'L', 'LI']));
    expect(tags[2]).toEqual(expect.arrayContaining(['H2', 'Table', 'TD']));
    expect(tags[3]).toEqual(expect.arrayContaining(['H2', 'P']));
  });

  it('tags the notes pages and the slides between them', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, 'notes') });
    const result = await exportPdf(browser(), built, { ...base, notes: 'page', out: join(dir, 'notes.pdf') });
    const tags = tagsByPage(await loadPdf(result.file));
    // Slide 4 has notes: its page is followed by one of notes.
    expect(tags).toHaveLength(5);
    expect(tags[3]).toEqual(expect.arrayContaining(['H2', 'P']));
    expect(tags[4]).toContain('P');
  });
});
