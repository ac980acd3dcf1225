/**
 * Raw HTML an author writes in the Markdown is reduced to what a slide needs: formatting,
 * structure, tables, images, video and audio. Scripts, event handlers, `<iframe>`, `<object>`,
 * forms, `<style>` blocks and unsafe addresses are removed (their text stays, a script's or
 * style's body does not), and the caller warns about each removal. Attributes that name files
 * (src, srcset, poster, style, data-*) are handed to the caller's check, which applies the one
 * file rule (src/build/assets.ts) and rewrites them. Everything else decksmith
 * writes — Markdown turned into HTML, highlighted code, KaTeX — is never passed through here.
 *
 * The filter works tag by tag on a fragment (marked hands inline HTML over one tag at a time), so
 * it must not balance or re-nest tags: js-xss (the `xss` package, as in marp-core) does exactly
 * that. It is loaded on first use, so decks without raw HTML do not pay for it: by
 * loadHtmlFilter when the caller can wait (buildDeck), else required where it is first needed.
 */
import { createRequire } from 'node:module';
import type { FilterXSS, IFilterXSSOptions } from 'xss';
import { commentEnd } from '../markdown/comments.js';
import { isSafeUrl } from './urls.js';

const GLOBAL_ATTRIBUTES = ['class', 'id', 'style', 'title', 'lang', 'dir', 'role', 'hidden'];
const MEDIA = ['src', 'width', 'height', 'controls', 'autoplay', 'loop', 'muted', 'playsinline', 'preload', 'poster'];

const TAGS: Record<string, string[]> = {
  a: ['href', 'target', 'rel', 'name'],
  abbr: [],
  address: [],
  article: [],
  aside: [],
  b: [],
  bdi: [],
  bdo: [],
  blockquote: ['cite'],
  br: [],
  caption: [],
  center: [],
  cite: [],
  code: [],
  col: ['span'],
  colgroup: ['span'],
  dd: [],
  del: ['datetime'],
  details: ['open'],
  dfn: [],
  div: [],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  footer: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  header: [],
  hr: [],
  i: [],
  img: ['src', 'alt', 'width', 'height', 'loading', 'srcset', 'sizes'],
  ins: ['datetime'],
  kbd: [],
  li: ['value'],
  mark: [],
  ol: ['start', 'type', 'reversed'],
  p: [],
  picture: [],
  pre: [],
  q: ['cite'],
  rp: [],
  rt: [],
  ruby: [],
  s: [],
  samp: [],
  section: [],
  small: [],
  source: ['src', 'srcset', 'type', 'media', 'sizes'],
  span: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['colspan', 'rowspan', 'align'],
  tfoot: [],
  th: ['colspan', 'rowspan', 'align', 'scope'],
  thead: [],
  time: ['datetime'],
  tr: [],
  u: [],
  ul: [],
  var: [],
  wbr: [],
  video: MEDIA,
  audio: MEDIA.filter((a) => a !== 'poster' && a !== 'width' && a !== 'height'),
  track: ['src', 'kind', 'srclang', 'label', 'default'],
};

const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'cite']);
/** A comment a browser ends where it seems to end: not `<!-->`/`<!--->`, no `-->` or `--!>` inside. */
const WELL_FORMED_COMMENT = /^<!--(?!-?>)(?:(?!-->|--!>)[\s\S])*-->$/;

export interface FilteredHtml {
  html: string;
  /** What was taken out, e.g. `<script>`, `onclick`, `href="javascript:…"`, once each. */
  removed: string[];
}

/**
 * Decides an address-carrying attribute's value (src, srcset, poster, style, data-*): the value
 * to write, already checked and rewritten (./references.ts), or undefined to drop it. It warns
 * itself, so a drop is not listed in `removed`.
 */
export type AttributeCheck = (tag: string, name: string, value: string) => string | undefined;

let filter: ((html: string) => FilteredHtml) | undefined;
let attributeCheck: AttributeCheck | undefined;

/** The two packages the filter is made of. */
interface FilterPackages {
  FilterXSS: new (options: IFilterXSSOptions) => FilterXSS;
  decodeHTMLAttribute: (value: string) => string;
}

let packages: FilterPackages | undefined;

/**
 * Loads what filterAuthorHtml needs ahead of it, by import(), which the command line's bundler
 * follows: the bundle carries the packages, compiled from its code cache. Required on the first
 * raw HTML tag instead, Node found, read and compiled xss, cssfilter and entities from
 * node_modules, ~19 ms on a 2-core VM (building the three content decks is ~9 ms faster now).
 * Without it filterAuthorHtml requires them itself.
 */
export async function loadHtmlFilter(): Promise<void> {
  if (packages !== undefined) return;
  const [xss, entities] = await Promise.all([import('xss'), import('entities')]);
  packages ??= { FilterXSS: xss.FilterXSS, decodeHTMLAttribute: entities.decodeHTMLAttribute };
}

function filterPackages(): FilterPackages {
  if (packages !== undefined) return packages;
  const require = createRequire(import.meta.url);
  const { FilterXSS } = require('xss') as { FilterXSS: FilterPackages['FilterXSS'] };
  const { decodeHTMLAttribute } = require('entities') as { decodeHTMLAttribute: FilterPackages['decodeHTMLAttribute'] };
  packages = { FilterXSS, decodeHTMLAttribute };
  return packages;
}

/** Filters one fragment of an author's raw HTML. */
export function filterAuthorHtml(html: string, check?: AttributeCheck): FilteredHtml {
  filter ??= createFilter();
  attributeCheck = check;
  try {
    return filter(html);
  } finally {
    attributeCheck = undefined;
  }
}

/** Attributes whose value may name a file, or hold CSS that does. */
const CHECKED_ATTRIBUTES = new Set(['src', 'srcset', 'poster', 'style']);

function createFilter(): (html: string) => FilteredHtml {
  const { FilterXSS, decodeHTMLAttribute } = filterPackages();
  // What a browser will read: `&#106;avascript:` and `java&Tab;script:` are javascript: URLs.
  const safeUrl = (value: string): boolean => isSafeUrl(decodeHTMLAttribute(value));
  let removed = new Set<string>();
  const whiteList = Object.fromEntries(Object.entries(TAGS).map(([tag, attributes]) => [tag, [...GLOBAL_ATTRIBUTES, ...attributes]]));
  const instance = new FilterXSS({
    whiteList,
    allowCommentTag: true,
    css: false,
    stripIgnoreTagBody: ['script', 'style', 'template', 'noscript'],
    onIgnoreTag(tag, html, options) {
      // Comments carry reveal.js's `.element` attributes. Kept only when well formed: an abrupt
      // `<!-->` ends the comment early in a browser, and what follows would run.
      if (html.startsWith('<!--')) {
        if (WELL_FORMED_COMMENT.test(html)) return html;
        removed.add('a malformed comment');
        return '';
      }
      if (!options.isClosing) removed.add(`<${tag}>`);
      return '';
    },
    onIgnoreTagAttr(_tag, name, value) {
      // data-* (reveal.js reads several) and aria-* are kept; anything else, on* first, goes.
      if (/^(data|aria)-[\w-]+$/.test(name)) {
        if (attributeCheck === undefined || !name.startsWith('data-')) return `${name}="${escapeAttribute(value)}"`;
        const checked = attributeCheck(_tag, name, decodeHTMLAttribute(value));
        return checked === undefined ? '' : `${name}="${escapeAttribute(checked)}"`;
      }
      removed.add(name);
      return '';
    },
    safeAttrValue(tag, name, value) {
      if (attributeCheck !== undefined && CHECKED_ATTRIBUTES.has(name)) {
        const checked = attributeCheck(tag, name, decodeHTMLAttribute(value));
        return checked === undefined ? '' : escapeAttribute(checked);
      }
      if (URL_ATTRIBUTES.has(name) && !safeUrl(value)) {
        removed.add(`${name}="${value.slice(0, 24)}${value.length > 24 ? '…' : ''}"`);
        return '';
      }
      if (name === 'srcset' && value.split(',').some((part) => !safeUrl(part.trim().split(/\s+/)[0] ?? ''))) {
        removed.add('srcset');
        return '';
      }
      return escapeAttribute(value);
    },
  });
  return (html) => {
    removed = new Set();
    // Their bodies are dropped without a call to onIgnoreTag: name them here.
    for (const match of html.matchAll(/<(script|style|template|noscript)\b/gi)) removed.add(`<${(match[1] ?? '').toLowerCase()}>`);
    let out = '';
    for (const piece of splitComments(html)) {
      if (piece.kind === 'markup') out += instance.process(piece.text);
      // A closed comment ends exactly where a browser ends it, so it is kept as written (reveal.js
      // reads `.element` comments); its text may hold `<` or `>`, which the tag filter would show.
      else if (piece.kind === 'comment') out += piece.text;
      else removed.add('an unclosed "<!--" comment, which would hide the rest of the page');
    }
    return { html: out, removed: [...removed] };
  };
}

interface Piece {
  kind: 'markup' | 'comment' | 'unclosed-comment';
  text: string;
}

/** Elements whose content a browser reads as text, never as tags or comments. */
const RAW_TEXT = /^(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)$/i;

/**
 * Cuts a fragment into comments and everything else, the way the HTML tokenizer sees them: a
 * `<!--` inside a tag's quoted attribute value or inside `<script>`/`<style>` is not a comment.
 */
export function splitComments(html: string): Piece[] {
  const pieces: Piece[] = [];
  let markupStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > markupStart) pieces.push({ kind: 'markup', text: html.slice(markupStart, end) });
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      flush(lt);
      const end = commentEnd(html, lt);
      pieces.push({ kind: end === undefined ? 'unclosed-comment' : 'comment', text: html.slice(lt, end ?? html.length) });
      i = markupStart = end ?? html.length;
      continue;
    }
    const tag = /^<\/?([A-Za-z][\w-]*)/.exec(html.slice(lt, lt + 64));
    if (tag === null) {
      i = lt + 1;
      continue;
    }
    i = tagEnd(html, lt + tag[0].length);
    if (!tag[0].startsWith('</') && RAW_TEXT.test(tag[1] ?? '')) {
      const close = html.slice(i).search(new RegExp(`</${tag[1] ?? ''}[\\s/>]`, 'i'));
      i = close < 0 ? html.length : i + close;
    }
  }
  flush(html.length);
  return pieces;
}

/** Offset just past the `>` that ends a tag, skipping quoted attribute values. */
export function tagEnd(html: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && /=\s*$/.test(html.slice(Math.max(from, i - 8), i))) {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return html.length;
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
