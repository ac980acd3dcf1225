/**
 * remark's content classes: `.name[text]` wraps `text` in an element with class `name` (several
 * with `.a.b[`), nesting allowed. decksmith reads them inside a run of inline text (a paragraph,
 * heading, list item or table cell, across its line breaks): the opener and its matching `]`
 * become `<span class="…">` and `</span>` (inline HTML tokens at their positions, whose raw is
 * what was written there and whose text is the HTML), and the text
 * stays. A run whose brackets do not match is left as written.
 */
import type { SlideToken } from '../../types.js';

const OPENER = /\.((?:[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*)*)\[/y;

type Inline = SlideToken & { tokens?: Inline[]; items?: { tokens?: Inline[] }[]; text?: string };

/** Where `index` of `text` is, from the position of the text's first character. */
function shifted(token: Inline, text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const newlines = before.split('\n').length - 1;
  return newlines === 0
    ? { line: token.line, column: token.column + index }
    : { line: token.line + newlines, column: index - before.lastIndexOf('\n') };
}

/** A piece of a text token; an HTML piece keeps the text it stands for as its raw (what is written there). */
function piece(kind: 'text' | 'html', value: string, at: { line: number; column: number }, written = value): Inline {
  return kind === 'text'
    ? ({ type: 'text', raw: value, text: value, escaped: false, ...at } as unknown as Inline)
    : ({ type: 'html', raw: written, text: value, block: false, inLink: false, inRawBlock: false, ...at } as unknown as Inline);
}

/** One run of inline tokens with its `.name[…]` spans made HTML, or undefined when none match. */
function spansIn(list: readonly Inline[]): Inline[] | undefined {
  const out: Inline[] = [];
  let depth = 0;
  let any = false;
  for (const token of list) {
    if (token.type !== 'text' || token.tokens !== undefined || typeof token.text !== 'string' || token.raw !== token.text) {
      out.push(token);
      continue;
    }
    const text = token.text;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      OPENER.lastIndex = i;
      const open = text[i] === '.' ? OPENER.exec(text) : null;
      const close = open === null && text[i] === ']' && depth > 0;
      if (open === null && !close) continue;
      if (i > from) out.push(piece('text', text.slice(from, i), shifted(token, text, from)));
      if (open !== null) {
        const classes = (open[1] ?? '').split('.').join(' ');
        out.push(piece('html', `<span class="${classes}">`, shifted(token, text, i), open[0]));
        depth++;
        i += open[0].length - 1;
      } else {
        out.push(piece('html', '</span>', shifted(token, text, i), ']'));
        depth--;
      }
      any = true;
      from = i + 1;
    }
    if (from === 0) out.push(token);
    else if (from < text.length) out.push(piece('text', text.slice(from), shifted(token, text, from)));
  }
  return any && depth === 0 ? out : undefined;
}

/** Every inline run under `tokens`, in place. */
export function remarkSpans(tokens: SlideToken[]): void {
  const visit = (list: Inline[]): void => {
    for (const token of list) {
      if (Array.isArray(token.tokens)) {
        const spans = spansIn(token.tokens);
        if (spans !== undefined) token.tokens = spans;
        visit(token.tokens);
      }
      if (Array.isArray(token.items)) for (const item of token.items) if (Array.isArray(item.tokens)) visit(item.tokens);
      const table = token as Inline & { header?: { tokens?: Inline[] }[]; rows?: { tokens?: Inline[] }[][] };
      for (const cell of [...(table.header ?? []), ...(table.rows ?? []).flat()]) {
        if (!Array.isArray(cell.tokens)) continue;
        const spans = spansIn(cell.tokens);
        if (spans !== undefined) cell.tokens = spans;
      }
    }
  };
  visit(tokens as Inline[]);
}
