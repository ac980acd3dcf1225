import { createHash } from 'node:crypto';
import type { PDFDocument } from 'pdf-lib';
import { appendPdfUpdate } from './pdf-update.js';

/** Document information written into every PDF decksmith makes. */
export interface PdfInfo {
  title: string;
  author?: string | undefined;
  subject?: string | undefined;
  keywords: string[];
  lang: string;
}

/** One outline (bookmark) entry: a title, the 0-based page it opens, and nested entries. */
export interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/**
 * ZIP's epoch (1980-01-01T00:00:00Z), the usual stand-in date of reproducible builds: a PDF's
 * dates must not change between runs, and SOURCE_DATE_EPOCH overrides it.
 */
const DEFAULT_EPOCH_SECONDS = 315_532_800;

/** The date written as CreationDate/ModDate: SOURCE_DATE_EPOCH (seconds) when set, else 1980-01-01. */
export function reproducibleDate(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env['SOURCE_DATE_EPOCH'];
  const seconds = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : DEFAULT_EPOCH_SECONDS;
  return new Date(seconds * 1000);
}

/**
 * The document ID: a hash of Chromium's output (less the wall-clock dates it stamps into the info
 * dictionary) and of what decksmith adds, so equal inputs give equal IDs.
 */
function stableId(text: string, info: PdfInfo, bookmarks: Bookmark[]): string {
  const stable = text.replace(/\/(CreationDate|ModDate) \(D:[^)]*\)/g, '/$1 ()');
  const hash = createHash('sha256')
    .update(stable, 'latin1')
    .update(JSON.stringify([info, bookmarks]));
  return hash.digest('hex').slice(0, 32);
}

function addOutline(lib: typeof import('pdf-lib'), doc: PDFDocument, bookmarks: Bookmark[]): void {
  const { PDFHexString, PDFName, PDFNull, PDFNumber } = lib;
  if (bookmarks.length === 0) return;
  const context = doc.context;
  const pages = doc.getPages();
  const rootRef = context.nextRef();

  /** Writes `items` as siblings under `parentRef`; returns their refs and total visible count. */
  type PDFRef = ReturnType<typeof context.nextRef>;
  const writeLevel = (items: Bookmark[], parentRef: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => context.nextRef());
    let count = 0;
    items.forEach((item, i) => {
      const page = pages[Math.min(item.page, pages.length - 1)];
      if (page === undefined) return;
      const dict = context.obj({
        Title: PDFHexString.fromText(item.title),
        Parent: parentRef,
        Dest: [page.ref, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull],
      });
      const prev = refs[i - 1];
      const next = refs[i + 1];
      if (prev !== undefined) dict.set(PDFName.of('Prev'), prev);
      if (next !== undefined) dict.set(PDFName.of('Next'), next);
      count += 1;
      const ref = refs[i];
      if (ref === undefined) return;
      if (item.children.length > 0) {
        const child = writeLevel(item.children, ref);
        dict.set(PDFName.of('First'), child.first);
        dict.set(PDFName.of('Last'), child.last);
        // Positive count: the entry starts open, showing its vertical slides.
        dict.set(PDFName.of('Count'), PDFNumber.of(child.count));
        count += child.count;
      }
      context.assign(ref, dict);
    });
    const first = refs[0];
    const last = refs[refs.length - 1];
    if (first === undefined || last === undefined) throw new RangeError('An outline level needs at least one entry.');
    return { first, last, count };
  };

  const top = writeLevel(bookmarks, rootRef);
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: PDFNumber.of(top.count) }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * The number in a structure element's ID as Chromium writes it, `(node00000324)` (its DOM node's
 * number): after `/ID`, in a table cell's `/Headers`, and in the ID tree's `/Names` and `/Limits`.
 */
const NODE_ID = /(?<=\(node)\d+(?=\))/g;

/**
 * Renumbers the IDs Chromium gives a tagged PDF's structure elements. They are Blink's
 * DOM node numbers, counted per renderer process: when several decks print at once in tabs that
 * share a renderer (see rendererProcessLimit), each deck's numbers depend on how far the other
 * decks' pages had got, and the same deck printed twice differed in them. The k-th smallest
 * number becomes k, written with as many digits, so every ID keeps its length (no offset in the
 * file moves) and the ID tree its sorted order. IDs of different lengths are left as they are.
 */
export function stableNodeIds(text: string): string {
  const found = [...text.matchAll(NODE_ID)];
  const first = found[0];
  if (first === undefined || found.some((match) => match[0].length !== first[0].length)) return text;
  const width = first[0].length;
  const order = [...new Set(found.map((match) => Number(match[0])))].sort((a, b) => a - b);
  const renumbered = new Map(order.map((id, k) => [id, String(k + 1).padStart(width, '0')]));
  return text.replace(NODE_ID, (digits) => renumbered.get(Number(digits)) ?? digits);
}

/**
 * Post-processes Chromium's PDF: document information, language, bookmarks, fixed dates, stable
 * structure IDs and a document ID derived from the content, so the same input gives
 * byte-identical output. Appended
 * to Chromium's file as an incremental update (pdf-update.ts) where it can be, which costs a
 * fraction of rewriting it; otherwise rewritten with pdf-lib.
 */
export async function finishPdf(
  bytes: Uint8Array,
  info: PdfInfo,
  bookmarks: Bookmark[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const date = reproducibleDate(env);
  // The file as text once (a 500-slide PDF is ~6 MB): renumbered, hashed and appended to from it.
  const text = stableNodeIds(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  const updated = appendPdfUpdate(text, info, bookmarks, date, stableId(text, info, bookmarks));
  if (updated !== null) return updated;
  return rewritePdf(new Uint8Array(Buffer.from(text, 'latin1')), info, bookmarks, date);
}

/** finishPdf by loading and saving the whole document with pdf-lib. */
export async function rewritePdf(
  bytes: Uint8Array,
  info: PdfInfo,
  bookmarks: Bookmark[],
  date: Date,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const lib = await import('pdf-lib');
  const { PDFDocument, PDFHexString, ParseSpeeds } = lib;
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.author !== undefined && info.author !== '') doc.setAuthor(info.author);
  if (info.subject !== undefined && info.subject !== '') doc.setSubject(info.subject);
  if (info.keywords.length > 0) doc.setKeywords(info.keywords);
  doc.setLanguage(info.lang);
  doc.setCreator('decksmith');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  addOutline(lib, doc, bookmarks);
  const id = PDFHexString.of(stableId(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), info, bookmarks));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  // Without object streams: ~25 ms faster to write and readable by every PDF 1.4 reader, ~10% larger.
  const out = await doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
  return { bytes: out, pages: doc.getPageCount() };
}
