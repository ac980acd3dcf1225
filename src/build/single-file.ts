/**
 * `--single-file`: one self-contained .html for emailing a deck. Starts from the built
 * output/<deck>/index.html and inlines, relative to it: stylesheets (and every `url()` inside
 * them: fonts, images), scripts, images and background images, all as data: URLs. Nothing
 * the result refers to lives outside the file, so it opens alone in an empty folder with no
 * request at all.
 *
 * Size: @font-face rules whose `unicode-range` no character of the deck uses are dropped (the
 * browser would never download them), and a `src` entry whose file is not in the output (KaTeX
 * lists woff and ttf after the woff2 we ship) is removed rather than left to fail.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { OutputError } from '../errors.js';
import type { BuiltDeck } from '../types.js';
import { writeFileAtomic } from './atomic.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

type Lookup = typeof import('mime-types').lookup;
let mimeLookup: Lookup | undefined;

/**
 * mime-types, loaded on the first data: URL: its table of types takes ~15 ms to load, which a
 * build without --single-file (this module is imported by the build command) should not pay.
 */
function lookup(file: string): ReturnType<Lookup> {
  mimeLookup ??= (createRequire(import.meta.url)('mime-types') as typeof import('mime-types')).lookup;
  return mimeLookup(file);
}

/** A data: URL for a file inside the output folder, or undefined when it is not there. */
function dataUrl(root: string, baseDir: string, href: string): string | undefined {
  if (href === '' || SCHEME.test(href) || href.startsWith('#') || href.startsWith('//')) return undefined;
  let path: string;
  try {
    path = decodeURI(href.split(/[?#]/)[0] ?? href);
  } catch {
    path = href.split(/[?#]/)[0] ?? href;
  }
  const file = resolve(baseDir, ...path.split('/'));
  // Only files inside the built deck's folder are inlined.
  const rel = relative(root, file);
  if (rel.startsWith('..') || rel.split(sep).includes('..') || !existsSync(file) || !statSync(file).isFile()) return undefined;
  const type = lookup(file) || 'application/octet-stream';
  return `data:${type};base64,${readFileSync(file).toString('base64')}`;
}

/** `U+0000-00FF,U+0131` → ranges. */
function parseUnicodeRange(value: string): [number, number][] {
  return value.split(',').flatMap((part) => {
    const m = /U\+([0-9A-F?]+)(?:-([0-9A-F]+))?/i.exec(part.trim());
    if (m === null || m[1] === undefined) return [];
    if (m[1].includes('?')) return [[parseInt(m[1].replace(/\?/g, '0'), 16), parseInt(m[1].replace(/\?/g, 'F'), 16)] as [number, number]];
    const start = parseInt(m[1], 16);
    return [[start, m[2] === undefined ? start : parseInt(m[2], 16)] as [number, number]];
  });
}

function usesRange(codePoints: ReadonlySet<number>, ranges: [number, number][]): boolean {
  for (const cp of codePoints) if (ranges.some(([a, b]) => cp >= a && cp <= b)) return true;
  return false;
}

/** Splits a declaration value at top-level commas (not inside parentheses or quotes). */
function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

const URL_IN_CSS = /url\(\s*(['"]?)([^'")]*)\1\s*\)/g;

/** Inlines every url() of a stylesheet that lives at `cssDir`; drops unused and missing fonts. */
export function inlineCss(css: string, root: string, cssDir: string, codePoints: ReadonlySet<number>): string {
  const fontFaces = css.replace(/@font-face\s*\{([^}]*)\}/g, (block, body: string) => {
    const range = /unicode-range\s*:\s*([^;}]+)/i.exec(body)?.[1];
    if (range !== undefined && !usesRange(codePoints, parseUnicodeRange(range))) return '';
    const src = /(^|;|\s)src\s*:\s*([^;}]+)/i.exec(body);
    if (src === null || src[2] === undefined) return block;
    const kept = splitTopLevel(src[2]).filter((entry) => {
      const url = /url\(\s*(['"]?)([^'")]*)\1\s*\)/.exec(entry)?.[2];
      return url === undefined || url.startsWith('data:') || dataUrl(root, cssDir, url) !== undefined;
    });
    if (kept.length === 0) return '';
    return block.replace(src[2], kept.map((s) => s.trim()).join(', '));
  });
  return fontFaces.replace(URL_IN_CSS, (whole, _q: string, href: string) => {
    if (href.startsWith('data:') || href.startsWith('#')) return whole;
    const inlined = dataUrl(root, cssDir, href);
    // A reference to something that is not in the output must not turn into a request.
    return inlined === undefined ? (SCHEME.test(href) ? whole : 'url("data:,")') : `url("${inlined}")`;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value === undefined
    ? undefined
    : value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
}

/** Text safe inside <script>…</script>: no `</script` and no `<!--` that would change parsing. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Text safe inside <style>…</style>. */
function styleText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** The self-contained HTML for a built deck (the output folder must still exist). */
export function singleFileHtml(built: BuiltDeck): string {
  const root = built.outDir;
  const html = readFileSync(built.htmlPath, 'utf8');
  const codePoints = new Set<number>();
  for (const ch of html.replace(/<[^>]*>/g, ' ')) codePoints.add(ch.codePointAt(0) ?? 0);
  // Digits and basic punctuation show up in slide numbers and reveal.js's own UI.
  for (let cp = 0x20; cp < 0x7f; cp++) codePoints.add(cp);

  let out = html;
  // Images, background images, media and style="" on every element but <script> and <link>.
  out = out.replace(/<(?!script\b|link\b|style\b)[a-z][\w-]*\b[^>]*>/gi, (tag) =>
    tag
      .replace(
        /(\s(?:src|data-background-image|data-background-video|poster|data-src)\s*=\s*)"([^"]*)"/gi,
        (whole, lead: string, href: string) => {
          const inlined = dataUrl(root, root, href.replace(/&amp;/g, '&'));
          return inlined === undefined ? whole : `${lead}"${inlined}"`;
        },
      )
      .replace(
        /(\sstyle\s*=\s*")([^"]*)"/gi,
        (_, lead: string, css: string) =>
          `${lead}${inlineCss(css.replace(/&quot;/g, '"'), root, root, codePoints).replace(/"/g, '&quot;')}"`,
      ),
  );
  // url() inside <style> elements is relative to index.html.
  out = out.replace(
    /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi,
    (_, open: string, css: string, close: string) => `${open}${inlineCss(css, root, root, codePoints)}${close}`,
  );
  const missing: string[] = [];
  out = out.replace(/<link\b[^>]*>/gi, (tag) => {
    if (!/\brel\s*=\s*["']?stylesheet/i.test(tag)) return tag;
    const href = attribute(tag, 'href');
    if (href === undefined || SCHEME.test(href)) return tag;
    const file = resolve(root, ...href.split('/'));
    if (!existsSync(file)) {
      missing.push(href);
      return '';
    }
    const css = inlineCss(readFileSync(file, 'utf8'), root, dirname(file), codePoints);
    return `<style data-source="${href.replace(/"/g, '&quot;')}">\n${styleText(css)}\n</style>`;
  });
  out = out.replace(/<script\b([^>]*)>\s*<\/script>/gi, (tag, attrs: string) => {
    const src = attribute(`<script ${attrs}>`, 'src');
    if (src === undefined || SCHEME.test(src)) return tag;
    const file = resolve(root, ...src.split('/'));
    if (!existsSync(file)) {
      missing.push(src);
      return '';
    }
    const rest = attrs.replace(/\s*\bsrc\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/i, '');
    return `<script${rest}>\n${scriptText(readFileSync(file, 'utf8'))}\n</script>`;
  });
  if (missing.length > 0) {
    throw new OutputError('single-file-missing', `cannot inline ${missing.join(', ')}: not found in ${built.outDir}`, {
      hint: 'Build the deck again; --single-file reads the files the build wrote.',
    });
  }
  return out;
}

/**
 * Writes `outFile` atomically: one .html with every stylesheet, script, font and image inlined.
 * When `signal` aborts before the rename, `outFile` stays as it was (InterruptedError).
 * @throws OutputError `single-file-missing` when the built output lacks a file it links to.
 */
export async function writeSingleFile(
  built: BuiltDeck,
  outFile: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<void> {
  await writeFileAtomic(outFile, async () => Buffer.from(singleFileHtml(built), 'utf8'), options);
}

/** Where `build --single-file` puts it: next to the deck's folder, `<out>/<name>.html`. */
export function defaultSingleFilePath(built: BuiltDeck): string {
  return join(dirname(built.outDir), `${built.name}.html`);
}
