/**
 * finishPdf appends to Chromium's PDF (an incremental update) rather than rewriting it: the bytes
 * Chromium printed stay as they were, but for its wall-clock dates, fixed in place; what decksmith
 * adds (information, language, bookmarks, ID) comes after them and is what readers see.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDFName } from 'pdf-lib';
import { finishPdf, stableNodeIds } from '../../src/export/finish-pdf.js';
import { loadPrintView } from '../../src/browser/load.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { makeDeck, nineSlides } from './fixture-deck.js';
import { loadPdf, outline } from './read-pdf.js';
import { writeFileSync } from 'node:fs';

const { dir, cleanup } = tempDir('decksmith-pdf-update-');
const browser = browserForFile(cleanup);

const DATES = /\/(CreationDate|ModDate) \(D:[^)]*\)/g;

describe('finishing a PDF', () => {
  it('renumbers the structure IDs Chromium takes from DOM node numbers, at the same width and in order', () => {
    const text = [
      '<</S /TH /ID (node00000724)>>',
      '<</S /TH /ID (node00000722)>>',
      '<</A [<</O /Table /Headers [(node00000722) (node00000724)]>>]>>',
      '<</Limits [(node00000722) (node00000724)] /Names [(node00000722) 5 0 R (node00000724) 6 0 R]>>',
      '<</Alt (node is a word here)>>',
    ].join('\n');
    const out = stableNodeIds(text);
    expect(out).toHaveLength(text.length);
    expect(out).toBe(text.replaceAll('00000722', '00000001').replaceAll('00000724', '00000002'));
    // Two decks numbered from different starting points come out the same.
    const other = stableNodeIds(text.replaceAll('00000722', '00000100').replaceAll('00000724', '00000103'));
    expect(other).toBe(out);
    // IDs of different lengths: left alone.
    expect(stableNodeIds('/ID (node00000724) /ID (node123456789)')).toBe('/ID (node00000724) /ID (node123456789)');
  });

  it("keeps Chromium's bytes and appends decksmith's information, language and bookmarks", { timeout: 60_000 }, async () => {
    const deck = await makeDeck(dir, nineSlides(), { title: 'Nine slides', author: 'Ada Lovelace' });
    const session = browser();
    const slide = { width: deck.rendered.width, height: deck.rendered.height };
    const printed = await session.withPage(async (page) => {
      await loadPrintView(session, page, deck.htmlPath, { fragments: 'final', notes: 'none' }, slide, 30_000, { layout: 'decksmith' });
      return page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false });
    });
    const info = { title: 'Nine slides ✓', author: 'Ada Lovelace', keywords: ['fixture', 'pdf'], lang: 'en' };
    const marks = [
      { title: 'First', page: 0, children: [{ title: 'Nested', page: 1, children: [] }] },
      { title: 'Last', page: 8, children: [] },
    ];
    const finished = await finishPdf(printed, info, marks, {});
    const before = Buffer.from(printed).toString('latin1');
    const after = Buffer.from(finished.bytes).toString('latin1');
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(0, before.length).replace(DATES, '')).toBe(before.replace(DATES, ''));
    // Chromium's own dates are the fixed date now, as are ours.
    expect([...after.slice(0, before.length).matchAll(DATES)].map((m) => `${m[1]} ${/D:\d{14}/.exec(m[0])?.[0]}`)).toEqual([
      'CreationDate D:19800101000000',
      'ModDate D:19800101000000',
    ]);
    expect(after.slice(before.length)).toMatch(/\/Prev \d+>>\nstartxref\n\d+\n%%EOF\n$/);
    expect(finished.pages).toBe(9);

    const file = join(dir, 'finished.pdf');
    writeFileSync(file, finished.bytes);
    const doc = await loadPdf(file);
    expect(doc.getTitle()).toBe('Nine slides ✓');
    expect(doc.getAuthor()).toBe('Ada Lovelace');
    expect(doc.getKeywords()).toBe('fixture pdf');
    expect(doc.getCreator()).toBe('decksmith');
    expect(doc.getCreationDate()?.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(en)');
    expect(doc.getPageCount()).toBe(9);
    expect(outline(doc)).toEqual([
      { title: 'First', children: [{ title: 'Nested', children: [] }] },
      { title: 'Last', children: [] },
    ]);
    // The same input gives the same bytes.
    expect(Buffer.compare(Buffer.from((await finishPdf(printed, info, marks, {})).bytes), Buffer.from(finished.bytes))).toBe(0);
  });
});
