/**
 * Keeps an author's raw HTML inside the block that holds it. A raw `<table>` (or `<div>`, …) that
 * is never closed would otherwise swallow the rest of the slide, the following slides and the
 * template's own scripts, since a browser ignores `</section>` inside an open table. The renderer
 * keeps a stack of raw elements opened and not yet closed; every block it renders (a paragraph,
 * list item, table cell, blockquote, `:::` container, a whole slide, the notes) closes what was
 * opened inside it, and a closing tag that closes nothing opened by the author in that block is
 * dropped, so `</section></div>` cannot break out of the slide either.
 */
import { splitComments, tagEnd } from './sanitize.js';

export interface OpenElement {
  tag: string;
  /** Where the HTML token that opened it was written. */
  line: number | undefined;
  column?: number | undefined;
}

export interface RawStack {
  open: OpenElement[];
  /** Elements below this index belong to an enclosing block and cannot be closed from here. */
  floor: number;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'keygen',
  'frame',
  'basefont',
  'bgsound',
  'image',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
/** Elements whose end tag HTML lets an author leave out: closed silently. */
export const OPTIONAL_END = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'colgroup',
  'option',
  'optgroup',
  'rt',
  'rp',
  'caption',
]);
/** An opening tag that ends an open sibling of these kinds, as the HTML parser does. */
const ENDS: Record<string, readonly string[]> = {
  li: ['li'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  tr: ['tr', 'td', 'th'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  p: ['p'],
  option: ['option'],
  thead: ['tbody', 'tfoot', 'tr', 'td', 'th'],
  tbody: ['thead', 'tbody', 'tr', 'td', 'th'],
  tfoot: ['thead', 'tbody', 'tr', 'td', 'th'],
};

/**
 * Follows the tags of one piece of raw HTML, pushing and popping `stack`. Returns the HTML with
 * closing tags that close nothing (in this block) removed, and their names.
 */
export function trackRawHtml(
  html: string,
  stack: RawStack,
  at: { line: number; column?: number } | undefined,
): { html: string; stray: string[] } {
  const line = at?.line;
  const column = at?.column;
  const stray: string[] = [];
  let out = '';
  for (const piece of splitComments(html)) {
    if (piece.kind !== 'markup') {
      out += piece.text;
      continue;
    }
    const text = piece.text;
    let copied = 0;
    let i = 0;
    while (i < text.length) {
      const lt = text.indexOf('<', i);
      if (lt < 0) break;
      const tag = /^<(\/?)([A-Za-z][\w-]*)/.exec(text.slice(lt, lt + 64));
      if (tag === null) {
        i = lt + 1;
        continue;
      }
      const end = tagEnd(text, lt + tag[0].length);
      const name = (tag[2] ?? '').toLowerCase();
      if (tag[1] === '/') {
        const at = lastIndexOf(stack, name);
        if (at < 0) {
          out += text.slice(copied, lt);
          copied = end;
          stray.push(`</${name}>`);
        } else stack.open.length = at;
        i = end;
        continue;
      }
      i = end;
      if (VOID.has(name) || /\/\s*>$/.test(text.slice(lt, end))) continue;
      if (RAW_TEXT.has(name)) {
        const close = text.slice(end).search(new RegExp(`</${name}[\\s/>]`, 'i'));
        // Its body is text, and its end tag closes it.
        i = close < 0 ? text.length : tagEnd(text, end + close + 2 + name.length);
        if (close < 0) stack.open.push({ tag: name, line, column });
        continue;
      }
      const ends = ENDS[name];
      const top = stack.open[stack.open.length - 1];
      if (ends !== undefined && top !== undefined && stack.open.length > stack.floor && ends.includes(top.tag)) stack.open.pop();
      stack.open.push({ tag: name, line, column });
    }
    out += text.slice(copied);
  }
  return { html: out, stray };
}

function lastIndexOf(stack: RawStack, name: string): number {
  for (let i = stack.open.length - 1; i >= stack.floor; i--) if (stack.open[i]?.tag === name) return i;
  return -1;
}

/** Closing tags for everything opened above `floor`, innermost first; the stack drops them. */
export function closeAbove(stack: RawStack, floor: number): { html: string; closed: OpenElement[] } {
  const closed = stack.open.splice(floor).reverse();
  return { html: closed.map((e) => `</${e.tag}>`).join(''), closed };
}

/** Inserts `closing` before the last end tag of a rendered block (`<p>…</p>\n`). */
export function beforeLastEndTag(html: string, closing: string): string {
  if (closing === '') return html;
  const match = /<\/[a-zA-Z][\w-]*>\s*$/.exec(html);
  return match === null ? html + closing : html.slice(0, match.index) + closing + html.slice(match.index);
}
