/**
 * Fonts from npm: a theme lists @fontsource stylesheets (e.g. "@fontsource/inter/400.css")
 * and the build copies each stylesheet together with every font file it refers to, keeping the
 * package's own layout (`<css>` next to `files/`), so the stylesheet's relative `url(./files/…)`
 * resolve inside the output folder and a built deck never asks the network for a font.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, posix } from 'node:path';
import { TemplateError } from '../errors.js';
import type { AssetRef } from '../types.js';
import { isPackaged, markPackaged } from './packaged.js';

/**
 * The emoji font every built-in theme (and reveal.js's, through decksmith) ships: monochrome Noto
 * Emoji, split by unicode-range so a deck loads only the pieces its emoji need. Without it an
 * emoji prints as an empty box on a machine that has no emoji font.
 */
export const EMOJI_FONT = '@fontsource/noto-emoji/400.css';

/** "@fontsource/inter/400.css" or "@fontsource-variable/inter/wght-italic.css". */
export const FONT_SPEC = /^@fontsource(-variable)?\/[a-z0-9-]+\/[\w.-]+\.css$/;

const require = createRequire(import.meta.url);

/** The npm font stylesheets fontAssets resolved, and the font files each one names. */
const fontStylesheets = new Set<string>();
const fontFilesOf = new Map<string, string[]>();

export interface FontAssets {
  /** The stylesheet, to be linked from the deck. */
  style: AssetRef;
  /** The font files the stylesheet refers to. */
  files: AssetRef[];
}

/** `url(...)` references in a stylesheet, in order, without quotes. */
export function cssUrls(css: string): string[] {
  const out: string[] = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = match[2];
    if (url !== undefined) out.push(url.trim());
  }
  return out;
}

/**
 * @param spec a stylesheet inside an installed @fontsource package.
 * @throws TemplateError `font-not-installed` naming the npm package to install.
 */
export function fontAssets(spec: string): FontAssets {
  const pkg = spec.split('/').slice(0, 2).join('/');
  let source: string;
  try {
    source = require.resolve(spec);
  } catch (cause) {
    throw new TemplateError('font-not-installed', `font stylesheet "${spec}" is not installed`, {
      cause,
      hint: `Run "npm install ${pkg}" next to your deck, or remove it from the theme's "fonts".`,
    });
  }
  const targetDir = `assets/fonts/${pkg.slice(1)}`;
  const style: AssetRef = { source, target: `${targetDir}/${spec.slice(pkg.length + 1)}`, kind: 'style' };
  const files: AssetRef[] = [];
  for (const url of cssUrls(readFileSync(source, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) continue;
    const rel = posix.normalize(url);
    if (rel.startsWith('..')) continue;
    const file = join(dirname(source), ...rel.split('/'));
    if (listed(file)) files.push({ source: file, target: `${targetDir}/${rel}`, kind: 'font' });
  }
  markPackaged(source);
  for (const file of files) markPackaged(file.source);
  fontStylesheets.add(source);
  fontFilesOf.set(
    source,
    files.map((f) => f.source),
  );
  return { style, files };
}

/** Each folder of an installed font package, listed once: a theme names ~100 font files. */
const folders = new Map<string, Map<string, boolean>>();

/**
 * existsSync(file), answered from one listing of its folder (a package's files do not change
 * while we run); a symbolic link is still asked about, as it may lead nowhere.
 */
function listed(file: string): boolean {
  const dir = dirname(file);
  let entries = folders.get(dir);
  if (entries === undefined) {
    entries = new Map();
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) entries.set(entry.name, entry.isSymbolicLink());
    } catch {
      // No such folder: nothing in it exists.
    }
    folders.set(dir, entries);
  }
  const link = entries.get(basename(file));
  return link === undefined ? false : link ? existsSync(file) : true;
}

/** Code point ranges, sorted and merged: [first, last] pairs. */
export type CodeRanges = [number, number][];

/**
 * The code points the fonts a deck ships can draw: the `unicode-range` of every `@font-face` in
 * the given stylesheets (an `@font-face` without one counts as covering everything). Undefined when
 * the stylesheets bundle no font at all (a reveal.js theme on system fonts).
 */
export function fontCoverage(styles: readonly { source: string; content?: string }[]): CodeRanges | undefined {
  const ranges: CodeRanges = [];
  // Faces that draw text; an emoji font alone leaves the letters to the machine's fonts.
  let faces = 0;
  for (const style of styles) {
    let css: string;
    try {
      css = style.content ?? readFileSync(style.source, 'utf8');
    } catch {
      continue;
    }
    for (const face of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
      const family = /font-family\s*:\s*([^;}]+)/i.exec(face[1] ?? '')?.[1] ?? '';
      if (!/emoji/i.test(family)) faces += 1;
      const range = /unicode-range\s*:\s*([^;}]+)/i.exec(face[1] ?? '')?.[1];
      if (range === undefined) return [[0, 0x10ffff]];
      for (const part of range.split(',')) {
        const m = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
        if (m?.[1] === undefined) continue;
        const start = parseInt(m[1].replace(/\?/g, '0'), 16);
        const end = m[2] !== undefined ? parseInt(m[2], 16) : parseInt(m[1].replace(/\?/g, 'f'), 16);
        ranges.push([start, end]);
      }
    }
  }
  if (faces === 0) return undefined;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: CodeRanges = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * Letters, digits and emoji in `text` that no range covers, each once, in order of appearance.
 * (Emoji: pictographs from U+2000 on; the keycap and flag parts that join them are left out.)
 */
export function uncovered(text: string, ranges: CodeRanges): string[] {
  const out = new Set<string>();
  // Most decks are Latin text only: nothing to look at.
  if (!/[^\u0000-\u024f]/.test(text)) return [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x250) continue;
    if (!/[\p{L}\p{N}]/u.test(char) && !(code >= 0x2000 && /\p{Extended_Pictographic}/u.test(char))) continue;
    if (!ranges.some(([start, end]) => code >= start && code <= end)) out.add(char);
  }
  return [...out];
}

/** Symbols the browser draws itself, in the deck's fonts: list markers and the <details> triangles. */
const DRAWN_SYMBOLS = [0x2022, 0x25e6, 0x25aa, 0x25ab, 0x25b6, 0x25b8, 0x25be, 0x25c0];

/** A text a built deck shows from: its page, a stylesheet or a script, read with that language's escapes. */
export interface ShownText {
  kind: 'html' | 'css' | 'js';
  text: string;
}

/** Character references in HTML (`&#x1F600;`, `&#128512;`, `&hearts;`), in a script or style element too. */
const HTML_REFERENCE = /&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g;
/** `\1F600` in CSS. */
const CSS_ESCAPE = /\\([0-9a-fA-F]{1,6})/g;
/** `\u2764` and `\u{1F600}` in JavaScript. */
const JS_ESCAPE = /\\u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/g;

/**
 * Every character a built deck can show, or a superset: printable ASCII (slide numbers, reveal.js's
 * controls), the symbols the browser draws, and each character of `texts` (the page with its
 * markup and scripts, the stylesheets and scripts it loads), with character references and
 * escapes read as the characters they stand for, and the upper and lower case of each
 * (text-transform).
 */
export function shownCodePoints(texts: readonly ShownText[]): Set<number> {
  const points = new Set<number>(DRAWN_SYMBOLS);
  for (let cp = 0x20; cp < 0x7f; cp++) points.add(cp);
  const add = (text: string): void => {
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      if (points.has(code)) continue;
      points.add(code);
      if (code >= 0x80) for (const cased of `${char.toUpperCase()}${char.toLowerCase()}`) points.add(cased.codePointAt(0) ?? 0);
    }
  };
  const hex = (digits: string | undefined): void => {
    const code = parseInt(digits ?? '0', 16);
    if (code > 0 && code <= 0x10ffff) add(String.fromCodePoint(code));
  };
  for (const { kind, text } of texts) {
    for (const match of text.matchAll(/[^\u0000-\u007f]+/g)) add(match[0]);
    // The page's style and script elements hold CSS and JavaScript.
    if (kind === 'css' || kind === 'html') for (const match of text.matchAll(CSS_ESCAPE)) hex(match[1]);
    if (kind === 'js' || kind === 'html') for (const match of text.matchAll(JS_ESCAPE)) hex(match[1] ?? match[2]);
    if (kind !== 'html') continue;
    for (const match of text.matchAll(HTML_REFERENCE)) {
      const name = match[1] ?? '';
      if (name.startsWith('#')) hex(name[1] === 'x' || name[1] === 'X' ? name.slice(2) : Number(name.slice(1)).toString(16));
      else if (!/^(?:amp|lt|gt|quot|apos|nbsp)$/.test(name)) add(decodeEntity(match[0]));
    }
  }
  return points;
}

let decodeHTML: ((text: string) => string) | undefined;

/** A named character reference as the character it stands for; `entities` loads on the first one. */
function decodeEntity(reference: string): string {
  decodeHTML ??= (require('entities') as { decodeHTML: (text: string) => string }).decodeHTML;
  return decodeHTML(reference);
}

/** `U+0000-00FF, U+0131, U+04??` → [first, last] pairs. */
/** Whether ascending `codes` holds a code point from `start` to `end`, both included. */
function showsBetween(codes: Uint32Array, start: number, end: number): boolean {
  let low = 0;
  let high = codes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((codes[mid] ?? 0) < start) low = mid + 1;
    else high = mid;
  }
  return low < codes.length && (codes[low] ?? 0) <= end;
}

function unicodeRanges(value: string): CodeRanges {
  const out: CodeRanges = [];
  for (const part of value.split(',')) {
    const m = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (m?.[1] === undefined) continue;
    const start = parseInt(m[1].replace(/\?/g, '0'), 16);
    out.push([start, m[2] !== undefined ? parseInt(m[2], 16) : parseInt(m[1].replace(/\?/g, 'f'), 16)]);
  }
  return out;
}

/**
 * A font stylesheet from npm cut to what a deck that shows only `shown` can load: an @font-face
 * whose unicode-range holds none of those characters is one the browser never downloads, so it
 * is dropped, and a face that offers woff2 keeps only woff2 (every browser reveal.js runs in
 * reads it; woff is the fallback for older ones). `urls`: the files the kept faces name.
 */
export function trimFontCss(css: string, shown: ReadonlySet<number>): { css: string; urls: string[] } {
  const urls: string[] = [];
  // Sorted once, so each range is one binary search: a stylesheet has dozens of faces (a subset
  // per script), most of them for scripts the deck never shows.
  let sorted: Uint32Array | undefined;
  const trimmed = css.replace(/@font-face\s*\{([^}]*)\}/g, (block, body: string) => {
    const range = /unicode-range\s*:\s*([^;}]+)/i.exec(body)?.[1];
    if (range !== undefined) {
      sorted ??= Uint32Array.from(shown).sort();
      const codes = sorted;
      if (!unicodeRanges(range).some(([start, end]) => showsBetween(codes, start, end))) return '';
    }
    let kept = block;
    const src = /(?:^|[;\s{])src\s*:\s*([^;}]+)/i.exec(body)?.[1];
    if (src !== undefined) {
      const entries = src.split(/,(?=\s*(?:url|local)\()/i).map((entry) => entry.trim());
      const woff2 = entries.filter((entry) => /format\(\s*(['"]?)woff2\1\s*\)/i.test(entry));
      if (woff2.length > 0 && woff2.length < entries.length) kept = block.replace(src, woff2.join(', '));
    }
    urls.push(...cssUrls(kept));
    return kept;
  });
  return { css: trimmed, urls };
}

/**
 * The output's files with the npm font stylesheets (fontAssets) trimmed to the characters the
 * deck shows (trimFontCss), and only the font files the kept faces name. What the deck shows is
 * read from `page` (its HTML) and from the stylesheets and scripts among `assets`.
 */
export function withShownFonts(assets: readonly AssetRef[], page: string): AssetRef[] {
  const fontStyles = assets.filter((a) => a.kind === 'style' && a.content === undefined && fontStylesheets.has(a.source));
  if (fontStyles.length === 0) return [...assets];
  const texts: ShownText[] = [{ kind: 'html', text: page }];
  for (const asset of assets) {
    if (asset.kind !== 'style' && asset.kind !== 'script') continue;
    try {
      texts.push({ kind: asset.kind === 'style' ? 'css' : 'js', text: asset.content ?? cachedText(asset.source) });
    } catch {
      // Unreadable: the write reports it.
    }
  }
  const shown = shownCodePoints(texts);
  const trimmed = new Map<AssetRef, AssetRef>();
  const referenced = new Set<string>();
  for (const style of fontStyles) {
    let css: string;
    try {
      css = cachedText(style.source);
    } catch {
      continue;
    }
    const cut = trimFontCss(css, shown);
    trimmed.set(style, { ...style, content: cut.css });
    const dir = posix.dirname(style.target);
    for (const url of cut.urls) referenced.add(posix.join(dir, url));
  }
  const fontFiles = new Set([...trimmed.keys()].flatMap((style) => fontFilesOf.get(style.source) ?? []));
  return assets.flatMap((asset) => {
    const cut = trimmed.get(asset);
    if (cut !== undefined) return [cut];
    if (asset.kind === 'font' && fontFiles.has(asset.source) && !referenced.has(asset.target)) return [];
    return [asset];
  });
}

/** Packaged files' text, read once per process (they do not change while it runs). */
const packagedText = new Map<string, string>();

function cachedText(file: string): string {
  let text = packagedText.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    if (isPackaged(file)) packagedText.set(file, text);
  }
  return text;
}
