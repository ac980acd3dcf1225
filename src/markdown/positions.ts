/**
 * Source positions for lexed tokens: every token, block or inline, at any depth, gets `line` and
 * `column` (1-based, counted in the file as written) of the first character of its `raw`.
 *
 * Positions are found per occurrence: the children of a token are walked in order with a cursor
 * through the text they were cut from, so the second `<kbd>` of a paragraph is placed at the
 * second `<kbd>`, never at the first. Blockquotes and list items hand their children text with
 * the markers (`> `, `- `, indentation) stripped, so there a child's offset is in the stripped
 * text; a line map (strippedPlace) carries it back to the line and column it was written at.
 *
 * Linear in the text at each nesting level, like the lexer itself: each child is searched for in
 * its parent's own text only, from where the previous child ended.
 */
import type { Token, Tokens } from 'marked';
import { lineIndex, lineStarts } from './text.js';

export interface Position {
  /** 1-based line in the file as written. */
  line: number;
  /** 1-based column on that line. */
  column: number;
}

/** The position of an offset of some string in the file. */
export type Place = (offset: number) => Position;

/** The position a locate() pass gave `token`, if it has one. */
export function positionOf(token: object): Position | undefined {
  const { line, column } = token as Partial<Position>;
  return typeof line === 'number' && typeof column === 'number' ? { line, column } : undefined;
}

/** Positions in `text`, which starts at `line`, `column` of the file. */
export function textPlace(text: string, line: number, column = 1): Place {
  const starts = lineStarts(text);
  return (offset) => {
    const i = lineIndex(starts, offset);
    return { line: line + i, column: offset - (starts[i] ?? 0) + 1 + (i === 0 ? column - 1 : 0) };
  };
}

/** Positions in a string that sits at `base` of the string `place` measures. */
export function shiftedPlace(place: Place, base: number): Place {
  return (offset) => place(base + offset);
}

/**
 * Positions in `inner`, the text a blockquote or list item gave its children, where `raw` (the
 * token as written, at `base` of what `place` measures) has each line's markers still in front.
 * Each line of `inner` is the end of one line of `raw`, in order; blank lines match any line.
 */
export function strippedPlace(place: Place, base: number, raw: string, inner: string): Place {
  const rawStarts = lineStarts(raw);
  const innerStarts = lineStarts(inner);
  const lineText = (text: string, starts: readonly number[], i: number) => {
    const start = starts[i] ?? text.length;
    const next = starts[i + 1];
    return text.slice(start, next === undefined ? text.length : next - 1).trimEnd();
  };
  // Offset in `raw` where each line of `inner` begins.
  const map: number[] = [];
  let j = 0;
  for (let i = 0; i < innerStarts.length; i++) {
    const line = lineText(inner, innerStarts, i);
    // Lines correspond one to one; look a line or two further in case the lexer dropped one.
    let found = -1;
    for (let k = j; k < Math.min(rawStarts.length, j + 3); k++) {
      if (lineText(raw, rawStarts, k).endsWith(line)) {
        found = k;
        break;
      }
    }
    const row = found < 0 ? Math.min(j, rawStarts.length - 1) : found;
    const rawLine = lineText(raw, rawStarts, row);
    map.push((rawStarts[row] ?? 0) + Math.max(0, rawLine.length - line.length));
    j = row + 1;
  }
  return (offset) => {
    const i = lineIndex(innerStarts, offset);
    return place(base + (map[i] ?? 0) + offset - (innerStarts[i] ?? 0));
  };
}

type Located = { line?: number; column?: number };

function setPosition(target: object, position: Position): void {
  const located = target as Located;
  located.line = position.line;
  located.column = position.column;
}

/**
 * Gives `tokens` (lexed from `text`, in order, each `raw` a piece of `text` from `from` on) and
 * everything inside them their positions. Mutates the tokens: call it once, right after lexing.
 */
export function locate(tokens: readonly Token[], text: string, place: Place, from = 0): void {
  locateIn(tokens, text, place, 0, from);
}

/**
 * locate, for `text` at `base` of what `place` measures: nested texts are placed through their
 * parent's `place` and an offset, not a function made for each token (a deck has tens of
 * thousands of tokens with children, and each made function would be called for every one of
 * their descendants).
 */
function locateIn(tokens: readonly Token[], text: string, place: Place, base: number, from: number): void {
  let cursor = from;
  // Index loops here and below, not for…of: every token of a deck passes through, mostly before
  // V8 optimizes this code, and unoptimized for…of allocates an iterator result per step.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const raw = token.raw;
    let at = find(text, raw, cursor);
    if (at === undefined && token.type === 'checkbox') {
      // A task item's `[ ] ` is cut from the item's text before its children are lexed.
      at = cursor - raw.length;
    } else if (at === undefined && /^\[[ xX]\] /.test(raw)) {
      // A loose task item's first paragraph gets its `[ ] ` back in front of text that lacks it.
      const rest = find(text, raw.slice(4), cursor);
      if (rest !== undefined) {
        at = rest - 4;
        cursor = rest + raw.length - 4;
      }
    } else if (at !== undefined) cursor = at + raw.length;
    locateToken(token, base + (at ?? cursor), place);
  }
}

function find(text: string, raw: string, cursor: number): number | undefined {
  if (raw === '' || text.startsWith(raw, cursor)) return cursor;
  const at = text.indexOf(raw, cursor);
  return at < 0 ? undefined : at;
}

/** Places `token`, which is at `offset` of what `place` measures, and its children. */
function locateToken(token: Token, offset: number, place: Place): void {
  setPosition(token, place(offset));
  switch (token.type) {
    case 'blockquote': {
      const quote = token as Tokens.Blockquote;
      locateIn(quote.tokens, quote.text, strippedPlace(place, offset, quote.raw, quote.text), 0, 0);
      return;
    }
    case 'list': {
      let cursor = 0;
      const items = (token as Tokens.List).items;
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as Tokens.ListItem;
        const at = find(token.raw, item.raw, cursor) ?? cursor;
        cursor = at + item.raw.length;
        setPosition(item, place(offset + at));
        locateIn(item.tokens, item.text, strippedPlace(place, offset + at, item.raw, item.text), 0, 0);
      }
      return;
    }
    case 'table': {
      locateTable(token as Tokens.Table, place, offset);
      return;
    }
    default: {
      const children = (token as Tokens.Generic).tokens;
      if (!Array.isArray(children) || children.length === 0) return;
      // Children were lexed from `text` (a paragraph's, a heading's, a link's), a piece of `raw`:
      // start after the markers in front of it.
      const inner = (token as Tokens.Generic)['text'];
      const start = typeof inner === 'string' && inner !== '' ? Math.max(0, token.raw.indexOf(inner)) : 0;
      locateIn(children as Token[], token.raw, place, offset, start);
    }
  }
}

/** Table rows are lines of the table's raw (header, delimiter, then one line per row); the table is at `base` of what `place` measures. */
function locateTable(table: Tokens.Table, place: Place, base: number): void {
  const starts = lineStarts(table.raw);
  const rows = [table.header, ...table.rows];
  rows.forEach((cells, r) => {
    const lineNumber = r === 0 ? 0 : r + 1;
    const start = starts[lineNumber] ?? 0;
    const next = starts[lineNumber + 1];
    const line = table.raw.slice(start, next === undefined ? table.raw.length : next);
    let cursor = 0;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as Tokens.TableCell;
      const at = cell.text === '' ? -1 : line.indexOf(cell.text, cursor);
      const cellStart = at < 0 ? cursor : at;
      if (at >= 0) cursor = at + cell.text.length;
      setPosition(cell, place(base + start + cellStart));
      locateIn(cell.tokens, line, place, base + start, cellStart);
    }
  });
}
