/**
 * Every address an author writes, by whatever syntax, goes through here: local files through the
 * one file rule (./assets.ts), everything else through the link rule (./urls.ts). Attribute values
 * set by `<!-- .slide: -->` and `<!-- .element: -->` directives get the same treatment as raw HTML
 * attributes, so a directive cannot smuggle in what a tag may not carry.
 */
import { posix } from 'node:path';
import type { AssetRef, AssetResolver, Attributes, Diagnostic } from '../types.js';
import { isLocalPath } from './assets.js';
import { isSafeUrl } from './urls.js';

/** What the renderer knows about where the deck lives; filled by renderDeck. */
export interface ReferenceScope {
  assets: AssetRef[];
  diagnostics: Diagnostic[];
  file: string | undefined;
  /** The deck file as given (relative to the working directory or absolute). */
  deckFile: string;
  /** The rule for local files (RenderContext.resolveAsset). */
  resolveAsset: AssetResolver;
}

/** Where in the deck a reference was written: a line, or a line and column. */
export type Where = number | { line: number; column?: number } | undefined;

function lineOf(where: Where): number | undefined {
  return typeof where === 'number' || where === undefined ? where : where.line;
}

export interface ReferenceUse {
  /** Words for the warning: "image", "background image", "style url()". */
  what: string;
  kind: AssetRef['kind'];
  line: Where;
  /** Output folder for accepted files. @defaultValue "media" */
  prefix?: string;
}

/** Attributes whose value is a file the slide shows: copied in when local. */
const FILE_ATTRIBUTES = new Set([
  'src',
  'poster',
  'data-src',
  'data-poster',
  'data-background-image',
  'data-background-video',
  'data-background',
  'data-preview-image',
  'data-preview-video',
  'background',
  'lowsrc',
  'dynsrc',
]);
/** Attributes that navigate or fetch but never name a file to copy. */
const LINK_ATTRIBUTES = new Set([
  'href',
  'cite',
  'action',
  'formaction',
  'xlink:href',
  'ping',
  'longdesc',
  'data',
  'codebase',
  'manifest',
  'usemap',
]);
/** Attributes that load a page into a frame: only http(s). */
const FRAME_ATTRIBUTES = new Set(['data-background-iframe', 'data-preview-link']);
/** Never accepted from an author, whatever the value. */
const REFUSED_ATTRIBUTES = new Set(['srcdoc', 'formtarget', 'http-equiv']);

const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript):|^data:(?!image\/(?!svg))/;

function compact(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
}

function warn(scope: ReferenceScope, where: Where, code: Diagnostic['code'], message: string): void {
  const line = lineOf(where);
  const column = typeof where === 'object' ? where.column : undefined;
  scope.diagnostics.push({
    severity: 'warning',
    code,
    message,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    ...(scope.file === undefined ? {} : { file: scope.file }),
  });
}

function short(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

/**
 * The address to write for a file reference, or undefined (with a warning) when it must be left
 * out: a local file outside the root, or an address that is not a safe URL.
 */
export function fileReference(scope: ReferenceScope, value: string, use: ReferenceUse): string | undefined {
  const ref = value.trim();
  if (isLocalPath(ref)) {
    const resolved = scope.resolveAsset(ref, scope.deckFile, use.prefix ?? 'media');
    if ('refused' in resolved) {
      warn(
        scope,
        use.line,
        'file-outside-root',
        `${use.what} "${short(ref)}" ${resolved.reason}; it is left out of the output. Move it next to the deck, or pass --root with a folder that holds both`,
      );
      return undefined;
    }
    const line = lineOf(use.line);
    scope.assets.push({ source: resolved.copyFrom, target: resolved.href, kind: use.kind, ...(line === undefined ? {} : { line }) });
    return resolved.href;
  }
  if (!isSafeUrl(ref)) {
    warn(
      scope,
      use.line,
      'unsafe-url',
      `${use.what} address "${short(ref)}" is not allowed (only relative paths, http(s) and data:image); it is left out`,
    );
    return undefined;
  }
  return ref;
}

/** A link (href-like) address: kept when it is a safe URL, else undefined with a warning. */
export function linkReference(scope: ReferenceScope, value: string, what: string, line: Where, frame = false): string | undefined {
  const url = compact(value);
  const ok = frame ? /^https?:\/\//.test(url) : isSafeUrl(value);
  if (!ok) {
    warn(
      scope,
      line,
      'unsafe-url',
      `${what} address "${short(value.trim())}" is not allowed${frame ? ' (a frame may only show an http(s) page)' : ''}; it is left out`,
    );
    return undefined;
  }
  return value;
}

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")]*?))\s*\)/gi;

/**
 * CSS text with every `url()` rewritten by the file rule; a refused one becomes `url("data:,")` so
 * the declaration stays valid and loads nothing. An `@import` is dropped. `from` is the output
 * folder the CSS is read from ('' for the page itself, `css` for a stylesheet in css/): local
 * addresses are written relative to it.
 */
export function cssReferences(scope: ReferenceScope, css: string, what: string, line: Where, prefix = 'media', from = ''): string {
  // A CSS escape can spell `url(` (`\75 rl(`), and image-set()/src() take plain strings as
  // addresses: neither can be checked here, so such CSS is left out whole.
  if (/\\|(?:image-set|src)\(\s*["']/i.test(css)) {
    warn(
      scope,
      line,
      'unsafe-css',
      `${what.replace(/ url\(\)$/, '')} "${short(css.trim())}" uses CSS escapes or image-set()/src() strings, which decksmith cannot check; it is left out`,
    );
    return '';
  }
  const withoutImports = css.replace(/@import[^;]*;?/gi, '');
  return withoutImports.replace(CSS_URL, (_, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
    const ref = dq ?? sq ?? bare ?? '';
    if (ref.trim() === '') return 'url("data:,")';
    const found = fileReference(scope, ref, { what, kind: 'image', line, prefix });
    const href = found !== undefined && from !== '' && isLocalPath(ref) ? posix.relative(from, found) : found;
    return href === undefined ? 'url("data:,")' : `url("${href.replace(/["\\\n]/g, (c) => `\\${c}`)}")`;
  });
}

/**
 * Attributes from a directive (`.slide:` / `.element:`) or a raw HTML tag, with every address
 * checked: local files copied and rewritten, unsafe URLs and script carriers dropped with a
 * warning at `line`.
 */
export function checkedAttributes(scope: ReferenceScope, attributes: Attributes, line: Where): Attributes {
  const out: Attributes = {};
  for (const [rawName, value] of Object.entries(attributes)) {
    const name = rawName.toLowerCase();
    const checked = checkedAttribute(scope, name, value, line);
    if (checked !== undefined) out[rawName] = checked;
  }
  return out;
}

/** One attribute value after the rules, or undefined when it is dropped. */
export function checkedAttribute(scope: ReferenceScope, name: string, value: string, line: Where): string | undefined {
  const what = `${name}=`;
  if (name.startsWith('on') || REFUSED_ATTRIBUTES.has(name)) {
    warn(scope, line, 'unsafe-attribute', `attribute ${name} is not allowed; it is left out`);
    return undefined;
  }
  if (name === 'style') return cssReferences(scope, value, 'style url()', line);
  if (FRAME_ATTRIBUTES.has(name))
    return value.trim() === '' && name === 'data-preview-link' ? value : linkReference(scope, value, what, line, true);
  if (name === 'srcset') {
    const parts: string[] = [];
    for (const candidate of value.split(',')) {
      const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
      if (url === '') continue;
      const href = fileReference(scope, url, { what: 'srcset image', kind: 'image', line });
      if (href !== undefined) parts.push([href, ...descriptor].join(' '));
    }
    return parts.length === 0 ? undefined : parts.join(', ');
  }
  if (FILE_ATTRIBUTES.has(name)) {
    const trimmed = value.trim();
    if (trimmed === '') return value;
    // reveal.js's `data-background` is a colour or an image.
    if (name === 'data-background' && /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/-]*\))$/i.test(trimmed)) return value;
    if (name === 'data-background-video') {
      const videos = trimmed.split(',').map((v) => fileReference(scope, v, { what: 'background video', kind: 'other', line }));
      const kept = videos.filter((v): v is string => v !== undefined);
      return kept.length === 0 ? undefined : kept.join(',');
    }
    const bare = trimmed.replace(/^url\(\s*['"]?|['"]?\s*\)$/g, '');
    return fileReference(scope, bare, {
      what: name.includes('video') ? 'video' : 'image',
      kind: name.includes('video') ? 'other' : 'image',
      line,
    });
  }
  if (LINK_ATTRIBUTES.has(name)) return linkReference(scope, value, what, line);
  // Any other attribute carrying a script address is refused too (reveal.js reads many data-*).
  if (SCRIPT_SCHEME.test(compact(value))) {
    warn(scope, line, 'unsafe-url', `attribute ${name}="${short(value.trim())}" is not allowed; it is left out`);
    return undefined;
  }
  return value;
}
