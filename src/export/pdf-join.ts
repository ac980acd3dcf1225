/**
 * Two of Chromium's PDFs joined into one at the byte level, for a large deck printed in two tabs
 * at once (pdf.ts): the first file's objects are kept as they are, the second's follow under new
 * numbers, and one xref table covers both. pdf-lib's load, copyPages and save took ~0.6 s for two
 * 250-page halves and dropped the structure tree; this takes tens of milliseconds and keeps it.
 *
 * What is joined: a page tree with both files' page trees under a new root (page order: the first
 * file's, then the second's); one structure tree (the second file's top-level elements appended to
 * the first's Document element, its ParentTree entries and its pages' /StructParents keys moved
 * past the first file's keys; one IDTree, the second file's element IDs renamed apart from the
 * first's, since each renderer numbers its own); the first file's catalog and information (the second's are
 * dropped; finish-pdf.ts rewrites both anyway). Font subsets of the second file get tags of their
 * own, since the PDF format wants distinct subsets to have distinct tags.
 *
 * Anything this does not expect (see readPdf: an xref stream, an update, encryption, a catalog
 * entry such as named destinations that would have to be merged) returns null: the caller prints
 * the deck in one piece instead. Never a broken file.
 */
import { dictAt, objectDict, readXref, type Xref } from './pdf-update.js';

/** Catalog entries this join knows how to carry over. */
const CATALOG_KEYS = new Set(['Type', 'Pages', 'MarkInfo', 'StructTreeRoot', 'ViewerPreferences', 'Lang']);

interface Tags {
  root: number;
  doc: number;
  parentTree: number;
  nextKey: number;
  rootDict: string;
  docDict: string;
  treeDict: string;
  ids: Ids | null;
}

/**
 * The structure tree's IDTree (element IDs, which table cells' /Headers name): a root holding one
 * leaf, or a root holding the names itself, as Chromium writes it.
 */
interface Ids {
  root: number;
  /** The leaf under the root, or null when the root holds the names. */
  leaf: number | null;
  /** Its /Names entries: [ID string as written, reference]. */
  entries: [string, string][];
}

/** Chromium's element IDs: accessibility node numbers, counted per renderer process. */
const ID = /^\(node\d+\)$/;

interface ReadPdf {
  text: string;
  xref: Xref;
  /** Object numbers in file order, each with where its text ends. */
  order: { n: number; start: number; end: number }[];
  catalog: string;
  pagesRoot: number;
  pagesDict: string;
  pageCount: number;
  tags: Tags | null;
}

/** The top-level keys of a dictionary as Chromium writes it (one key at the start of each line). */
function topKeys(dict: string): string[] {
  let body = dict.slice(2, -2);
  // Drop nested dictionaries, innermost first.
  for (let previous = ''; previous !== body; ) {
    previous = body;
    body = body.replace(/<<[^<>]*>>/g, '');
  }
  return [...body.matchAll(/(?:^|\n)\/(\w+)/g)].map((m) => m[1] ?? '');
}

function refValue(dict: string, key: string): number | null {
  const match = new RegExp(`/${key} (\\d+) 0 R(?![\\w])`).exec(dict);
  return match === null ? null : Number(match[1]);
}

function readPdf(bytes: Uint8Array): ReadPdf | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const xref = readXref(text);
  if (xref === null) return null;
  const order: { n: number; start: number; end: number }[] = [];
  xref.offsets.forEach((start, n) => {
    if (start >= 0 && n > 0) order.push({ n, start, end: xref.start });
  });
  order.sort((a, b) => a.start - b.start);
  for (let i = 0; i < order.length; i++) {
    const entry = order[i] as (typeof order)[number];
    entry.end = order[i + 1]?.start ?? xref.start;
    if (!text.startsWith(`${entry.n} 0 obj`, entry.start) || text.lastIndexOf('endobj', entry.end) < entry.start) return null;
  }
  const catalog = objectDict(text, xref, xref.root);
  if (catalog === null || !topKeys(catalog).every((key) => CATALOG_KEYS.has(key))) return null;
  const pagesRoot = refValue(catalog, 'Pages');
  if (pagesRoot === null) return null;
  const pagesDict = objectDict(text, xref, pagesRoot);
  const count = pagesDict === null ? null : /\/Count (\d+)/.exec(pagesDict);
  if (pagesDict === null || count === null || !/\/Type \/Pages\b/.test(pagesDict) || /\/Parent\b/.test(pagesDict)) return null;
  let tags: Tags | null = null;
  const root = refValue(catalog, 'StructTreeRoot');
  if (root !== null) {
    const rootDict = objectDict(text, xref, root);
    if (rootDict === null || !topKeys(rootDict).every((key) => ['Type', 'K', 'ParentTree', 'ParentTreeNextKey', 'IDTree'].includes(key)))
      return null;
    const doc = refValue(rootDict, 'K');
    const parentTree = refValue(rootDict, 'ParentTree');
    const nextKey = /\/ParentTreeNextKey (\d+)/.exec(rootDict);
    if (doc === null || parentTree === null || nextKey === null) return null;
    const docDict = objectDict(text, xref, doc);
    const treeDict = objectDict(text, xref, parentTree);
    if (docDict === null || !/\/S \/Document\b/.test(docDict) || !new RegExp(`/P ${root} 0 R\\b`).test(docDict)) return null;
    if (treeDict === null || !/\/Nums \[[^\]]*\]/.test(treeDict) || /\/Kids\b/.test(treeDict)) return null;
    let ids: Ids | null = null;
    const idRoot = refValue(rootDict, 'IDTree');
    if (idRoot !== null) {
      ids = readIds(text, xref, idRoot);
      if (ids === null) return null;
    }
    tags = { root, doc, parentTree, nextKey: Number(nextKey[1]), rootDict, docDict, treeDict, ids };
  }
  return { text, xref, order, catalog, pagesRoot, pagesDict, pageCount: Number(count[1]), tags };
}

/** An IDTree of one leaf (or none) whose names are all Chromium's IDs; null for any other shape. */
function readIds(text: string, xref: Xref, root: number): Ids | null {
  const rootDict = objectDict(text, xref, root);
  if (rootDict === null) return null;
  const kid = /^<<\s*\/Kids \[(\d+) 0 R\]\s*>>$/.exec(rootDict);
  const leaf = kid === null ? null : Number(kid[1]);
  const leafDict = leaf === null ? rootDict : objectDict(text, xref, leaf);
  if (leafDict === null || /\/Kids\b/.test(leafDict)) return null;
  const inner = /\/Names \[([^\]]*)\]/.exec(leafDict)?.[1];
  if (inner === undefined || !/^\s*(?:\(node\d+\) \d+ 0 R\s*)*$/.test(inner)) return null;
  return { root, leaf, entries: [...inner.matchAll(/(\(node\d+\)) (\d+ 0 R)/g)].map((m) => [m[1] ?? '', m[2] ?? '']) };
}

/** References, strings (skipped), structure keys and subset tags: what renumbering rewrites. */
const TOKEN = /\(|<(?!<)[0-9A-Fa-f\s]*>|\/StructParents? \d+|\/(?:BaseFont|FontName) \/[A-Z]{6}\+|(?<![\w.+-])\d+ \d+ R(?![\w])/g;

/** The end of the literal string starting at `from` (an opening parenthesis), or -1. */
function stringEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

interface Renumbering {
  /** New number of each old object number; -1: not kept, so a reference to it is an error. */
  map: Int32Array;
  /** Added to the second file's /StructParents and /StructParent keys. */
  keyShift: number;
  /** New subset tag of each of the second file's tags. */
  tags: Map<string, string>;
  /** Whether Chromium's element IDs are renamed (the second file's: `(node12)` → `(nodeZ12)`). */
  renameIds: boolean;
}

/** `text` (PDF object syntax, no stream data) with the second file's numbers; null on a dangling reference. */
function renumber(text: string, how: Renumbering): string | null {
  let out = '';
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const token = match[0];
    const at = match.index;
    let replacement: string | null = null;
    if (token === '(') {
      const end = stringEnd(text, at);
      if (end < 0) return null;
      TOKEN.lastIndex = end;
      const string = text.slice(at, end);
      if (!how.renameIds || !ID.test(string)) continue;
      // The two renderers count their IDs alike: the second file's move past the first's
      // ('Z' sorts after every digit, so the merged IDTree stays in order).
      replacement = `(nodeZ${string.slice(5)}`;
      out += text.slice(last, at) + replacement;
      last = end;
      continue;
    }
    if (token.startsWith('<')) continue;
    if (token.startsWith('/StructParent')) {
      const space = token.lastIndexOf(' ');
      replacement = `${token.slice(0, space + 1)}${Number(token.slice(space + 1)) + how.keyShift}`;
    } else if (token.startsWith('/')) {
      const space = token.lastIndexOf(' ');
      const tag = token.slice(space + 2, -1);
      replacement = `${token.slice(0, space + 2)}${how.tags.get(tag) ?? tag}+`;
    } else {
      const [n, generation] = token.split(' ').map(Number) as [number, number];
      const to = n < how.map.length ? (how.map[n] as number) : -1;
      if (generation !== 0 || to < 0) return null;
      replacement = `${to} 0 R`;
    }
    out += text.slice(last, at) + replacement;
    last = at + token.length;
  }
  return out + text.slice(last);
}

/** The entries of a ParentTree's flat /Nums array as [key, value] text pairs; null if it holds anything else. */
function nums(tree: string): [number, string][] | null {
  const inner = /\/Nums \[([^\]]*)\]/.exec(tree)?.[1] ?? '';
  if (!/^\s*(?:\d+ \d+ 0 R\s*)*$/.test(inner)) return null;
  return [...inner.matchAll(/(\d+) (\d+ 0 R)/g)].map((m) => [Number(m[1]), m[2] ?? '']);
}

/** The references in a structure element's /K (one reference, or an array of them). */
function kids(dict: string): string | null {
  const k = /\/K (\[[^\]]*\]|\d+ 0 R)/.exec(dict);
  if (k === null) return null;
  const value = k[1] ?? '';
  return value.startsWith('[') ? value.slice(1, -1).trim() : value;
}

function withParent(dict: string, parent: number): string {
  return `${dict.slice(0, -2)}\n/Parent ${parent} 0 R>>`;
}

/**
 * `first` then `second` as one PDF (see the module comment), or null when either is not a file
 * this can join. The result is a plain Chromium-shaped file: finishPdf can update it.
 */
export function joinPdfs(first: Uint8Array, second: Uint8Array): { bytes: Uint8Array; pages: number } | null {
  const a = readPdf(first);
  const b = readPdf(second);
  // Chromium leaves a file untagged when nothing on its pages is visible to assistive technology
  // (an empty slide): an untagged second half keeps its pages out of the first half's tree. A
  // second half tagged after an untagged first: not joined.
  if (a === null || b === null || (a.tags === null && b.tags !== null)) return null;

  // The second file's objects, numbered after the first's; its catalog, information and the
  // structure tree's root, Document element and ParentTree are merged into the first's.
  const map = new Int32Array(b.xref.offsets.length).fill(-1);
  let next = a.xref.size;
  const dropped = new Set([b.xref.root, b.xref.info]);
  if (b.tags !== null && a.tags !== null) {
    dropped.add(b.tags.root).add(b.tags.doc).add(b.tags.parentTree);
    map[b.tags.root] = a.tags.root;
    map[b.tags.doc] = a.tags.doc;
    if (b.tags.ids !== null) {
      dropped.add(b.tags.ids.root);
      if (b.tags.ids.leaf !== null) dropped.add(b.tags.ids.leaf);
    }
  }
  for (const { n } of b.order) if (!dropped.has(n)) map[n] = next++;
  // An IDTree for the joined file when only the second file has one.
  const newIds = a.tags !== null && a.tags.ids === null && b.tags?.ids != null ? next++ : null;
  const pagesRoot = next++;

  const tagOf = (text: string): Set<string> =>
    new Set([...text.matchAll(/\/(?:BaseFont|FontName) \/([A-Z]{6})\+/g)].map((m) => m[1] ?? ''));
  const usedTags = tagOf(a.text);
  const tags = new Map<string, string>();
  for (const tag of tagOf(b.text)) {
    // Skia counts its tags up from the first letter (AAAAAA, BAAAAA, …): a last letter of Z is free.
    const renamed = `${tag.slice(0, 5)}Z`;
    if (usedTags.has(renamed) || [...tags.values()].includes(renamed)) return null;
    tags.set(tag, renamed);
  }
  const how: Renumbering = { map, keyShift: b.tags === null ? 0 : (a.tags?.nextKey ?? 0), tags, renameIds: true };

  // The first file's objects that change.
  const replaced = new Map<number, string>();
  let newIdsDict: string | null = null;
  replaced.set(a.xref.root, a.catalog.replace(/\/Pages \d+ 0 R/, `/Pages ${pagesRoot} 0 R`));
  replaced.set(a.pagesRoot, withParent(a.pagesDict, pagesRoot));
  if (a.tags !== null && b.tags !== null) {
    const bDoc = renumber(b.tags.docDict, how);
    const bTree = renumber(b.tags.treeDict, how);
    const aKids = kids(a.tags.docDict);
    const bKids = bDoc === null ? null : kids(bDoc);
    const aNums = nums(a.tags.treeDict);
    const bNums = bTree === null ? null : nums(bTree);
    if (aKids === null || bKids === null || aNums === null || bNums === null) return null;
    const shifted = bNums.map(([key, value]): [number, string] => [key + how.keyShift, value]);
    const allNums = [...aNums, ...shifted].map(([key, value]) => `${key} ${value}`).join(' ');
    replaced.set(a.tags.doc, a.tags.docDict.replace(/\/K (\[[^\]]*\]|\d+ 0 R)/, `/K [${aKids} ${bKids}]`));
    replaced.set(a.tags.parentTree, a.tags.treeDict.replace(/\/Nums \[[^\]]*\]/, `/Nums [${allNums}]`));
    let rootDict = a.tags.rootDict.replace(/\/ParentTreeNextKey \d+/, `/ParentTreeNextKey ${how.keyShift + b.tags.nextKey}`);
    const idEntries: [string, string][] = [];
    for (const [id, ref] of b.tags.ids?.entries ?? []) {
      const renamed = renumber(`${id} ${ref}`, how);
      const match = renamed === null ? null : /^(\(nodeZ\d+\)) (\d+ 0 R)$/.exec(renamed);
      if (match === null) return null;
      idEntries.push([match[1] ?? '', match[2] ?? '']);
    }
    if (idEntries.length > 0) {
      const entries = [...(a.tags.ids?.entries ?? []), ...idEntries].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
      const names = `/Names [${entries.map(([id, ref]) => `${id} ${ref}`).join(' ')}]`;
      const limits = `/Limits [${entries[0]?.[0]} ${entries.at(-1)?.[0]}]`;
      const ids = a.tags.ids;
      if (ids === null) {
        newIdsDict = `<<${names}>>`;
        rootDict = `${rootDict.slice(0, -2)}\n/IDTree ${newIds} 0 R>>`;
      } else if (ids.leaf === null) replaced.set(ids.root, `<<${names}>>`);
      else replaced.set(ids.leaf, `<<${limits}\n${names}>>`);
    }
    replaced.set(a.tags.root, rootDict);
  }

  const parts: string[] = [];
  let length = 0;
  const offsets = new Int32Array(pagesRoot + 1).fill(-1);
  const put = (n: number | null, text: string): void => {
    if (n !== null) offsets[n] = length;
    parts.push(text);
    length += text.length;
  };
  put(null, a.text.slice(0, a.order[0]?.start ?? 0));
  for (const { n, start, end } of a.order) {
    const dict = replaced.get(n);
    put(n, dict === undefined ? a.text.slice(start, end) : `${n} 0 obj\n${dict}\nendobj\n`);
  }
  for (const { n, start, end } of b.order) {
    const to = map[n] as number;
    if (dropped.has(n)) continue;
    const head = /^\d+ 0 obj\s*/.exec(b.text.slice(start, start + 32));
    if (head === null) return null;
    const bodyAt = start + head[0].length;
    const dict = b.text.startsWith('<<', bodyAt) ? dictAt(b.text, bodyAt) : null;
    // Stream data is copied as it is: only the dictionary before it is PDF syntax.
    const syntax = dict ?? b.text.slice(bodyAt, end);
    let body = renumber(syntax, how);
    if (body === null) return null;
    if (n === b.pagesRoot) body = withParent(body, pagesRoot);
    const rest = dict === null ? '' : b.text.slice(bodyAt + dict.length, end);
    put(to, `${to} 0 obj\n${body}${rest}`);
  }
  if (newIds !== null) {
    if (newIdsDict === null) return null;
    put(newIds, `${newIds} 0 obj\n${newIdsDict}\nendobj\n`);
  }
  put(
    pagesRoot,
    `${pagesRoot} 0 obj\n<</Type /Pages\n/Count ${a.pageCount + b.pageCount}\n/Kids [${a.pagesRoot} 0 R ${map[b.pagesRoot]} 0 R]>>\nendobj\n`,
  );

  const xrefAt = length;
  const rows = [`xref\n0 ${offsets.length}\n`];
  for (const offset of offsets) rows.push(offset < 0 ? '0000000000 65535 f \n' : `${String(offset).padStart(10, '0')} 00000 n \n`);
  parts.push(rows.join(''));
  parts.push(`trailer\n<</Size ${offsets.length}\n/Root ${a.xref.root} 0 R\n/Info ${a.xref.info} 0 R>>\nstartxref\n${xrefAt}\n%%EOF\n`);
  const out = Buffer.from(parts.join(''), 'latin1');
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), pages: a.pageCount + b.pageCount };
}
