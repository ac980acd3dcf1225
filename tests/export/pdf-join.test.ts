/**
 * joinPdfs (src/export/pdf-join.ts) on Chromium's own files: two printed decks joined at the byte
 * level read back as one document (pages, text, fonts, one structure tree), which finishPdf can
 * still update; and every file it does not know is refused (null), never half-joined.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadPrintView } from '../../src/browser/load.js';
import { finishPdf } from '../../src/export/finish-pdf.js';
import { joinPdfs } from '../../src/export/pdf-join.js';
import type { BuiltDeck } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { makeDeck } from './fixture-deck.js';
import { loadPdf, outline, pageTexts, structElements } from './read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-pdf-join-');
const browser = browserForFile(cleanup);

async function printed(deck: BuiltDeck, tagged = true): Promise<Uint8Array> {
  const session = browser();
  const slide = { width: deck.rendered.width, height: deck.rendered.height };
  return session.withPage(async (page) => {
    await loadPrintView(session, page, deck.htmlPath, { fragments: 'final', notes: 'none' }, slide, 30_000, { layout: 'decksmith' });
    return page.pdf({ preferCSSPageSize: true, printBackground: true, tagged, outline: false });
  });
}

function linkedSlides(prefix: string, count: number, extra = ''): { title: string; body: string }[] {
  return [...Array(count).keys()].map((i) => ({
    title: `${prefix} ${i + 1}`,
    body: `${prefix} text ${i + 1} with **bold**, \`code\` and [a link](https://example.com/${prefix}/${i}).${extra}`,
  }));
}

function save(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe('joinPdfs', () => {
  it('joins two of Chromium’s files into one document with one structure tree', { timeout: 90_000 }, async () => {
    const first = await makeDeck(join(dir, 'a'), linkedSlides('Alpha', 4), { title: 'Alpha' });
    const second = await makeDeck(join(dir, 'b'), linkedSlides('Beta', 3, '\n\n*Italic* and more.'), { title: 'Beta' });
    const [a, b] = [await printed(first), await printed(second)];
    const joined = joinPdfs(a, b);
    expect(joined?.pages).toBe(7);
    if (joined === null) return;
    const file = save('joined.pdf', joined.bytes);
    expect(await pageTexts(file)).toEqual([...(await pageTexts(save('a.pdf', a))), ...(await pageTexts(save('b.pdf', b)))]);

    const doc = await loadPdf(file);
    const pages = doc.getPages().map((page) => page.ref.toString());
    // Every font subset has a tag of its own (the two files both count theirs from AAAAAA); a
    // composite font and its descendant share theirs.
    const fonts = doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter((object): object is PDFDict => object instanceof PDFDict && object.get(PDFName.of('Type'))?.toString() === '/Font')
      .filter((font) => font.get(PDFName.of('Subtype'))?.toString() !== '/CIDFontType2')
      .map((font) => font.get(PDFName.of('BaseFont'))?.toString() ?? '')
      .filter((name) => /^\/[A-Z]{6}\+/.test(name));
    expect(fonts.length).toBeGreaterThan(2);
    expect(new Set(fonts).size).toBe(fonts.length);

    // One Document element holding both files' elements; each page's ParentTree entry lists
    // elements on that page, under keys that do not collide.
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const document = root.lookup(PDFName.of('K'), PDFDict);
    expect(document.get(PDFName.of('S'))?.toString()).toBe('/Document');
    const keys = doc.getPages().map((page) => (page.node.get(PDFName.of('StructParents')) as PDFNumber).asNumber());
    expect(new Set(keys).size).toBe(7);
    const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray).asArray();
    // The next free key is past every key in use: pages' and link annotations'.
    const used = nums.filter((_, i) => i % 2 === 0).map((key) => (key as PDFNumber).asNumber());
    expect(root.get(PDFName.of('ParentTreeNextKey'))?.toString()).toBe(String(Math.max(...used) + 1));
    // (Keys of link annotations, /StructParent, name one element; a page's key, a list.)
    const tree = new Map<number, unknown>();
    for (let i = 0; i < nums.length; i += 2) tree.set((nums[i] as PDFNumber).asNumber(), doc.context.lookup(nums[i + 1]));
    expect(tree.size).toBe(nums.length / 2);
    keys.forEach((key, page) => {
      const list = tree.get(key);
      expect(list, `page ${page + 1}`).toBeInstanceOf(PDFArray);
      const elements = list instanceof PDFArray ? list.asArray() : [];
      expect(elements.length, `page ${page + 1}`).toBeGreaterThan(0);
      for (const element of elements) {
        const pg = doc.context.lookup(element, PDFDict).get(PDFName.of('Pg'));
        expect(pg instanceof PDFRef ? pages.indexOf(pg.toString()) : -1, `page ${page + 1}`).toBe(page);
      }
    });
    // Walking down from the Document element reaches the second file's elements, which point
    // back up to it.
    const kids = document.get(PDFName.of('K'));
    expect(kids).toBeInstanceOf(PDFArray);
    if (!(kids instanceof PDFArray)) return;
    const last = doc.context.lookup(kids.get(kids.size() - 1), PDFDict);
    expect(last.get(PDFName.of('P'))?.toString()).toBe(root.get(PDFName.of('K'))?.toString());

    // finishPdf still appends its update to the joined file.
    const finished = await finishPdf(
      joined.bytes,
      { title: 'Joined', keywords: [], lang: 'en' },
      [{ title: 'Beta', page: 4, children: [] }],
      {},
    );
    expect(Buffer.from(finished.bytes).toString('latin1')).toContain('/Prev ');
    const done = await loadPdf(save('finished.pdf', finished.bytes));
    expect(done.getTitle()).toBe('Joined');
    expect(outline(done)).toEqual([{ title: 'Beta', children: [] }]);
  });

  it('keeps table cells pointing at their header cells: one IDTree, IDs of both files kept apart', { timeout: 90_000 }, async () => {
    const table = (label: string) => `| ${label} head | other |\n| --- | --- |\n| ${label} cell | 2 |`;
    const slides = (prefix: string, count: number) =>
      [...Array(count).keys()].map((i) => ({ title: `${prefix} ${i + 1}`, body: table(`${prefix}${i + 1}`) }));
    const plain = await makeDeck(join(dir, 'ids-plain'), linkedSlides('Plain', 2));
    const first = await makeDeck(join(dir, 'ids-a'), slides('Alpha', 2));
    const second = await makeDeck(join(dir, 'ids-b'), slides('Beta', 3));
    const [a, b, p] = [await printed(first), await printed(second), await printed(plain)];
    // Both files with tables (each renderer numbers its IDs from the same start), and only the
    // second with one (the joined file gets an IDTree of its own).
    for (const [name, x, y, pages] of [
      ['both', a, b, 5],
      ['second', p, b, 5],
    ] as const) {
      const joined = joinPdfs(x, y);
      expect(joined?.pages, name).toBe(pages);
      if (joined === null) return;
      const doc = await loadPdf(save(`ids-${name}.pdf`, joined.bytes));
      const cells = headerCells(doc);
      expect(cells.length, name).toBe(name === 'both' ? 10 : 6);
      expect(
        cells.filter((cell) => !cell.resolved),
        name,
      ).toEqual([]);
      expect(new Set(cells.flatMap((cell) => cell.ids)).size, name).toBe(name === 'both' ? 10 : 6);
    }
  });

  it('refuses what it cannot join: null, never a broken file', { timeout: 90_000 }, async () => {
    const plain = await makeDeck(join(dir, 'plain'), linkedSlides('Plain', 2));
    const good = await printed(plain);
    const untagged = await printed(plain, false);
    const linked = await makeDeck(join(dir, 'inner'), [
      { title: 'One', body: '<span id="there">here</span> [down](#down)' },
      { title: 'Two', body: '<span id="down">down</span> [up](#there)' },
    ]);
    // Named destinations (a link inside the deck) would have to be merged.
    const withDests = await printed(linked);
    expect(Buffer.from(withDests).toString('latin1')).toContain('/Dests');
    // An incremental update (a finished file), object and xref streams (pdf-lib's own save).
    const updated = (await finishPdf(good, { title: 'x', keywords: [], lang: 'en' }, [], {})).bytes;
    const streams = await (await PDFDocument.load(good)).save({ useObjectStreams: true });
    const garbage = new TextEncoder().encode('%PDF-1.4\nnot really\n%%EOF\n');
    for (const [name, bad] of Object.entries({ withDests, updated, streams, garbage })) {
      expect(joinPdfs(good, bad), `${name} second`).toBeNull();
      expect(joinPdfs(bad, good), `${name} first`).toBeNull();
    }
    // A tagged second half after an untagged first would leave half a tree: refused. The other way
    // round, the first file's tree is the joined file's (Chromium tags nothing in an untagged half).
    expect(joinPdfs(untagged, good)).toBeNull();
    const mixed = joinPdfs(good, untagged);
    expect(mixed?.pages).toBe(4);
    if (mixed === null) return;
    const doc = await loadPdf(save('mixed.pdf', mixed.bytes));
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeInstanceOf(PDFRef);
    expect(await pageTexts(save('mixed.pdf', mixed.bytes))).toHaveLength(4);
  });
});

/**
 * Each table cell's /Headers: its IDs, and whether every one names, through the IDTree, a TH
 * element on the cell's own page.
 */
function headerCells(doc: PDFDocument): { ids: string[]; resolved: boolean }[] {
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
  const names = new Map<string, PDFDict>();
  const collect = (node: PDFDict): void => {
    const list = node.lookupMaybe(PDFName.of('Names'), PDFArray)?.asArray() ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const key = list[i];
      const element = doc.context.lookup(list[i + 1]);
      if ((key instanceof PDFString || key instanceof PDFHexString) && element instanceof PDFDict) names.set(key.decodeText(), element);
    }
    for (const kid of node.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []) collect(doc.context.lookup(kid, PDFDict));
  };
  const idTree = root.lookupMaybe(PDFName.of('IDTree'), PDFDict);
  if (idTree !== undefined) collect(idTree);
  const elements = structElements(doc);
  const pageOf = new Map(elements.map((element) => [element.dict, element.pages.values().next().value ?? -1]));
  const cells: { ids: string[]; resolved: boolean }[] = [];
  for (const { dict } of elements) {
    const attributes = dict.get(PDFName.of('A'));
    const list = attributes instanceof PDFArray ? attributes.asArray() : attributes === undefined ? [] : [attributes];
    for (const entry of list) {
      const attribute = entry instanceof PDFRef ? doc.context.lookup(entry) : entry;
      const headers = attribute instanceof PDFDict ? attribute.lookupMaybe(PDFName.of('Headers'), PDFArray) : undefined;
      if (headers === undefined) continue;
      const ids = headers.asArray().map((id) => (id instanceof PDFString || id instanceof PDFHexString ? id.decodeText() : ''));
      const resolved = ids.every((id) => {
        const th = names.get(id);
        return th !== undefined && th.get(PDFName.of('S'))?.toString() === '/TH' && pageOf.get(th) === pageOf.get(dict);
      });
      cells.push({ ids, resolved });
    }
  }
  return cells;
}
