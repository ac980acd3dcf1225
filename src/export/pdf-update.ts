/**
 * Finishing Chromium's PDF by appending to it (a PDF incremental update) instead of parsing and
 * rewriting every object with pdf-lib: at 500 pages that was ~0.35 s and most of node's peak
 * memory. Chromium (Skia) writes a plain file: one classic xref table, one trailer, the catalog
 * and page tree as uncompressed dictionaries. Anything else (an xref stream, an earlier update,
 * encryption, a dictionary this reader does not follow) returns null, and the caller falls back
 * to pdf-lib.
 *
 * The update redefines the document information and the catalog (language, bookmarks) and adds
 * the outline; the wall-clock dates Chromium wrote into its own information dictionary are
 * overwritten in place with the fixed date, at the same length, so the file stays byte-identical
 * from run to run.
 */
import type { Bookmark, PdfInfo } from './finish-pdf.js';

export interface Xref {
  offsets: number[];
  size: number;
  root: number;
  info: number;
  start: number;
}

export function readXref(text: string): Xref | null {
  const tail = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-64));
  if (tail === null) return null;
  const start = Number(tail[1]);
  if (!text.startsWith('xref', start) || text.indexOf('trailer') !== text.lastIndexOf('trailer')) return null;
  const header = /^xref\s+0\s+(\d+)\s*\n/.exec(text.slice(start, start + 40));
  if (header === null) return null;
  const count = Number(header[1]);
  let at = start + header[0].length;
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = /^(\d{10}) (\d{5}) ([nf])\s{1,2}/.exec(text.slice(at, at + 20));
    if (entry === null) return null;
    offsets.push(entry[3] === 'n' ? Number(entry[1]) : -1);
    at += 20;
  }
  const trailer = /^trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(text.slice(at));
  if (trailer === null) return null;
  const dict = trailer[1] ?? '';
  if (/\/(Prev|Encrypt|XRefStm)\b/.test(dict)) return null;
  const size = /\/Size (\d+)/.exec(dict);
  const root = /\/Root (\d+) 0 R/.exec(dict);
  const info = /\/Info (\d+) 0 R/.exec(dict);
  if (size === null || root === null || info === null) return null;
  return { offsets, size: Number(size[1]), root: Number(root[1]), info: Number(info[1]), start };
}

/** The text of `<< … >>` starting at `from` (which must be `<<`), skipping strings. */
export function dictAt(text: string, from: number): string | null {
  if (!text.startsWith('<<', from)) return null;
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '(') {
      let nested = 0;
      for (i++; i < text.length; i++) {
        const s = text[i];
        if (s === '\\') i++;
        else if (s === '(') nested++;
        else if (s === ')') {
          if (nested === 0) break;
          nested--;
        }
      }
      i++;
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i += 2;
    } else if (c === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) return null;
      i = end + 1;
    } else if (c === '>' && text[i + 1] === '>') {
      depth--;
      i += 2;
      if (depth === 0) return text.slice(from, i);
    } else i++;
  }
  return null;
}

export function objectDict(text: string, xref: Xref, n: number): string | null {
  const offset = xref.offsets[n];
  if (offset === undefined || offset < 0) return null;
  const head = new RegExp(`^${n} 0 obj\\s*`).exec(text.slice(offset, offset + 32));
  if (head === null) return null;
  return dictAt(text, offset + head[0].length);
}

/** Page object numbers in order, walking the page tree from the catalog. */
function pageRefs(text: string, xref: Xref, catalog: string): number[] | null {
  const root = /\/Pages (\d+) 0 R/.exec(catalog);
  if (root === null) return null;
  const pages: number[] = [];
  const walk = (n: number, depth: number): boolean => {
    if (depth > 32) return false;
    const dict = objectDict(text, xref, n);
    if (dict === null) return false;
    if (/\/Type\s*\/Pages\b/.test(dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict);
      if (kids === null) return false;
      for (const kid of (kids[1] ?? '').matchAll(/(\d+) 0 R/g)) if (!walk(Number(kid[1]), depth + 1)) return false;
      return true;
    }
    if (!/\/Type\s*\/Page\b/.test(dict)) return false;
    pages.push(n);
    return true;
  };
  return walk(Number(root[1]), 0) ? pages : null;
}

/** A text string as PDF hex, UTF-16BE with a byte-order mark: any character survives. */
function hexText(value: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < value.length; i++) hex += value.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** A short ASCII string as a PDF literal (what pdf-lib wrote for the language), else as hex text. */
function literalOrHex(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})` : hexText(value);
}

function pdfDate(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `D:${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/**
 * Chromium's own dates, rewritten in place to `date` at the same length (offsets in the xref
 * stay valid). Null when a date is in a form this does not know.
 */
function fixOwnDates(text: string, xref: Xref, date: Date): string | null {
  const offset = xref.offsets[xref.info];
  const dict = objectDict(text, xref, xref.info);
  if (offset === undefined || dict === null) return null;
  const digits = pdfDate(date).slice(2, 16);
  let ok = true;
  const fixed = dict.replace(/\/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)/g, (_, key: string, _digits: string, zone: string) => {
    let newZone: string;
    if (zone === '') newZone = '';
    else if (zone === 'Z') newZone = 'Z';
    else if (/^[+-]\d\d'\d\d'?$/.test(zone)) newZone = `+00'00'`.slice(0, zone.length);
    else {
      ok = false;
      return '';
    }
    return `/${key} (D:${digits}${newZone})`;
  });
  if (!ok || fixed.length !== dict.length) return null;
  const at = text.indexOf(dict, offset);
  return text.slice(0, at) + fixed + text.slice(at + dict.length);
}

/**
 * Chromium's PDF with decksmith's information, language, bookmarks and `id` appended as an
 * incremental update; null when the file is not one this can update (see the module comment).
 */
export function appendPdfUpdate(
  /** Chromium's file, read as latin1 (one character per byte). */
  chromium: string,
  info: PdfInfo,
  bookmarks: Bookmark[],
  date: Date,
  id: string,
): { bytes: Uint8Array; pages: number } | null {
  let text = chromium;
  const xref = readXref(text);
  if (xref === null) return null;
  const catalog = objectDict(text, xref, xref.root);
  if (catalog === null) return null;
  const pages = pageRefs(text, xref, catalog);
  if (pages === null || pages.length === 0) return null;
  const oldInfo = objectDict(text, xref, xref.info);
  if (oldInfo === null) return null;
  const withDates = fixOwnDates(text, xref, date);
  if (withDates === null) return null;
  text = withDates;

  const objects = new Map<number, string>();
  let next = xref.size;
  // The document information: ours, keeping Chromium's Producer.
  const producer = /\/Producer\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/.exec(oldInfo)?.[1];
  const when = `(${pdfDate(date)})`;
  const infoEntries = [`/Title ${hexText(info.title)}`];
  if (info.author !== undefined && info.author !== '') infoEntries.push(`/Author ${hexText(info.author)}`);
  if (info.subject !== undefined && info.subject !== '') infoEntries.push(`/Subject ${hexText(info.subject)}`);
  if (info.keywords.length > 0) infoEntries.push(`/Keywords ${hexText(info.keywords.join(' '))}`);
  infoEntries.push(`/Creator ${hexText('decksmith')}`);
  if (producer !== undefined) infoEntries.push(`/Producer ${producer}`);
  infoEntries.push(`/CreationDate ${when}`, `/ModDate ${when}`);
  objects.set(xref.info, `<<${infoEntries.join('\n')}>>`);

  // The outline: one entry per bookmark, siblings linked, children nested (open).
  let outlineRoot: number | undefined;
  if (bookmarks.length > 0) {
    outlineRoot = next++;
    const writeLevel = (items: Bookmark[], parent: number): { first: number; last: number; count: number } => {
      const refs = items.map(() => next++);
      let count = 0;
      items.forEach((item, i) => {
        const page = pages[Math.min(item.page, pages.length - 1)];
        const entries = [`/Title ${hexText(item.title)}`, `/Parent ${parent} 0 R`, `/Dest [${page} 0 R /XYZ null null null]`];
        const prev = refs[i - 1];
        const after = refs[i + 1];
        if (prev !== undefined) entries.push(`/Prev ${prev} 0 R`);
        if (after !== undefined) entries.push(`/Next ${after} 0 R`);
        count += 1;
        const ref = refs[i] as number;
        if (item.children.length > 0) {
          const child = writeLevel(item.children, ref);
          entries.push(`/First ${child.first} 0 R`, `/Last ${child.last} 0 R`, `/Count ${child.count}`);
          count += child.count;
        }
        objects.set(ref, `<<${entries.join('\n')}>>`);
      });
      return { first: refs[0] as number, last: refs[refs.length - 1] as number, count };
    };
    const top = writeLevel(bookmarks, outlineRoot);
    objects.set(outlineRoot, `<</Type /Outlines\n/First ${top.first} 0 R\n/Last ${top.last} 0 R\n/Count ${top.count}>>`);
  }

  // The catalog: Chromium's, with our language and outline.
  let body = catalog.slice(2, -2).replace(/\/Lang\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/, '');
  if (/\/(Outlines|PageMode)\b/.test(body)) return null;
  const extra = [`/Lang ${literalOrHex(info.lang)}`];
  if (!/\/ViewerPreferences\b/.test(body)) extra.push('/ViewerPreferences <</DisplayDocTitle true>>');
  else if (!/\/DisplayDocTitle true/.test(body)) return null;
  if (outlineRoot !== undefined) extra.push(`/Outlines ${outlineRoot} 0 R`, '/PageMode /UseOutlines');
  body = `${body.replace(/\s+$/, '')}\n${extra.join('\n')}`;
  objects.set(xref.root, `<<${body}>>`);

  // The update: objects, an xref of their offsets in runs of consecutive numbers, a trailer.
  const base = Buffer.byteLength(text, 'latin1');
  let update = '';
  const offsets = new Map<number, number>();
  for (const [n, dict] of [...objects.entries()].sort((a, b) => a[0] - b[0])) {
    offsets.set(n, base + Buffer.byteLength(update, 'latin1'));
    update += `${n} 0 obj\n${dict}\nendobj\n`;
  }
  const xrefAt = base + Buffer.byteLength(update, 'latin1');
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let table = 'xref\n';
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] as number) + 1) j++;
    table += `${numbers[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) table += `${String(offsets.get(numbers[k] as number)).padStart(10, '0')} 00000 n \n`;
    i = j + 1;
  }
  update += table;
  update += `trailer\n<</Size ${next}\n/Root ${xref.root} 0 R\n/Info ${xref.info} 0 R\n/ID [<${id}> <${id}>]\n/Prev ${xref.start}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const out = Buffer.from(text + update, 'latin1');
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), pages: pages.length };
}
