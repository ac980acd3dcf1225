/**
 * Splitting a token stream into slides. Structure comes only from marked's top-level tokens
 * (the way marpit splits on level-0 `hr` tokens): a `---` inside a code fence, an indented code
 * block, an HTML block or a comment is not a top-level `hr` token, so it can never split.
 */
import type { Token, Tokens } from 'marked';
import { isUnclosedCommentToken } from '../markdown/comments.js';
import { countNewlines, trimNewlines } from '../markdown/text.js';
import type { DeckConfig, Diagnostic, SplitLevel } from '../types.js';
import type { BreakKind } from './dialects/separators.js';
import type { SlideProperties } from './dialects/slidev-split.js';

export interface LocatedToken {
  token: Token;
  /** 1-based line where the token starts. */
  line: number;
  /** 1-based line of the token's last non-newline character. */
  endLine: number;
  /** Offset of the token in the text it was lexed from. */
  offset: number;
}

export interface Segment {
  /** How the segment was opened ('increment': remark's `--`, the previous slide plus more). */
  opener: 'start' | 'horizontal' | 'vertical' | 'heading' | 'increment';
  tokens: LocatedToken[];
  /** An incremental slide's content repeated from the slides before it (not its own lines). */
  inherited?: LocatedToken[];
  /** First and last source line that belong to this segment. */
  startLine: number;
  endLine: number;
  /** Line of the separator that opened it, if any. */
  separatorLine?: number;
  /** Whether a separator closed it. */
  closedBySeparator: boolean;
  /** Slidev: the slide's own front matter (a block after its separator, block front matter, or the headmatter). */
  properties?: SlideProperties;
}

/** Gives each top-level token its line numbers, counting from `firstLine`. */
export function locateTokens(tokens: readonly Token[], firstLine: number): LocatedToken[] {
  let line = firstLine;
  let offset = 0;
  return tokens.map((token) => {
    const raw = token.raw;
    const newlines = countNewlines(raw);
    // The last line is the one before the token's final newlines (as trimNewlines would cut them).
    let trailing = 0;
    while (trailing < raw.length && raw.charCodeAt(raw.length - 1 - trailing) === 10) trailing++;
    const located = { token, line, endLine: line + newlines - trailing, offset };
    line += newlines;
    offset += raw.length;
    return located;
  });
}

/** `----` (four or more dashes, spaces allowed between) opens a vertical slide. */
export function isVerticalBreak(raw: string): boolean {
  const compact = raw.replace(/\s/g, '');
  return /^-{4,}$/.test(compact);
}

function headingStarts(token: Token, split: SplitLevel | undefined): boolean {
  if (split === undefined || token.type !== 'heading') return false;
  return (token as Tokens.Heading).depth <= Number(split.slice(1));
}

/** True when a segment has something besides blank space and link definitions. */
export function hasContent(tokens: readonly LocatedToken[]): boolean {
  return tokens.some(({ token }) => token.type !== 'space' && token.type !== 'def');
}

export function splitSegments(
  located: readonly LocatedToken[],
  firstLine: number,
  lastLine: number,
  config: Pick<DeckConfig, 'split'>,
  breaks?: ReadonlyMap<number, BreakKind>,
  /**
   * Headings of these depths also start a slide (Marp's `headingDivider`), as `split` does; a
   * slide holding only comments and blocks `invisible` accepts them is still empty.
   */
  dividers?: { depths: ReadonlySet<number>; invisible: (token: Token) => boolean },
): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { opener: 'start', tokens: [], startLine: firstLine, endLine: lastLine, closedBySeparator: false };
  const close = (endLine: number, bySeparator: boolean) => {
    current.endLine = endLine;
    current.closedBySeparator = bySeparator;
    segments.push(current);
  };
  for (const item of located) {
    // With line breaks (a line-based dialect) a break is a one-line token on a break line; any
    // other rule is content. Without, every top-level rule breaks.
    const kind = breaks !== undefined && item.line === item.endLine && item.token.type !== 'space' ? breaks.get(item.line) : undefined;
    if (breaks === undefined ? item.token.type === 'hr' : kind !== undefined) {
      close(item.line - 1, true);
      current = {
        opener: kind ?? (isVerticalBreak(item.token.raw) ? 'vertical' : 'horizontal'),
        tokens: [],
        startLine: item.line + 1,
        endLine: lastLine,
        separatorLine: item.line,
        closedBySeparator: false,
      };
      continue;
    }
    const divides =
      dividers !== undefined &&
      item.token.type === 'heading' &&
      dividers.depths.has((item.token as Tokens.Heading).depth) &&
      current.tokens.some(
        ({ token }) => !dividers.invisible(token) && token.type !== 'space' && token.type !== 'def' && !isHtmlComment(token),
      );
    if (divides || (headingStarts(item.token, config.split) && hasContentBesidesComments(current.tokens))) {
      close(item.line - 1, false);
      current = { opener: 'heading', tokens: [], startLine: item.line, endLine: lastLine, closedBySeparator: false };
    }
    current.tokens.push(item);
  }
  close(lastLine, false);
  return segments;
}

function hasContentBesidesComments(tokens: readonly LocatedToken[]): boolean {
  return tokens.some(({ token }) => token.type !== 'space' && token.type !== 'def' && !isHtmlComment(token));
}

export function isHtmlComment(token: Token): boolean {
  return (token.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(token.raw)) || isUnclosedCommentToken(token);
}

/** CommonMark: a paragraph line directly followed by `---` is a setext heading, not a break. */
export function setextDashLine(item: LocatedToken): number | undefined {
  if (item.token.type !== 'heading') return undefined;
  const lines = trimNewlines(item.token.raw).split('\n');
  if (lines.length < 2) return undefined;
  return /^ {0,3}-+[ \t]*$/.test(lines[lines.length - 1] ?? '') ? item.endLine : undefined;
}

/** A fenced code block that runs to the end of the input because it is never closed. */
export function unclosedFence(item: LocatedToken, diagnostics: Diagnostic[], file: string | undefined): void {
  if (item.token.type !== 'code') return;
  const raw = trimNewlines(item.token.raw);
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
  if (open === undefined) return;
  const lines = raw.split('\n');
  const last = (lines[lines.length - 1] ?? '').trim();
  const closed = lines.length > 1 && last.length >= open.length && [...last].every((c) => c === open[0]);
  if (closed) return;
  diagnostics.push({
    severity: 'warning',
    code: 'unclosed-fence',
    message: `code fence ${open} opened here is never closed, so everything after it is code; add a closing ${open} line`,
    line: item.line,
    ...(file === undefined ? {} : { file }),
  });
}

/**
 * Top-level tokens with every break line on a line of its own: a paragraph or setext heading
 * that holds a break line (remark's `---` right under a line of text, a `--` inside a paragraph)
 * or a list item is cut there, and its pieces are lexed again with `relex` (text, offset in the
 * body → located tokens). Code, HTML and quotes are never cut: a break line inside them is none.
 */
export function cutAtBreaks(
  located: readonly LocatedToken[],
  breaks: ReadonlyMap<number, BreakKind>,
  relex: (text: string, offset: number, line: number) => LocatedToken[],
  /** Also cut HTML blocks (not comments): Slidev splits the raw lines before any Markdown is read. */
  cutHtml = false,
): LocatedToken[] {
  const out: LocatedToken[] = [];
  for (const item of located) {
    const { token } = item;
    const cuttable =
      token.type === 'paragraph' ||
      token.type === 'list' ||
      token.type === 'text' ||
      (cutHtml && token.type === 'html' && !isHtmlComment(token)) ||
      (token.type === 'heading' && setextDashLine(item) !== undefined);
    const inside: number[] = [];
    if (cuttable && item.endLine > item.line) for (let l = item.line; l <= item.endLine; l++) if (breaks.has(l)) inside.push(l);
    if (inside.length === 0) {
      out.push(item);
      continue;
    }
    const lines = token.raw.split('\n');
    let offset = item.offset;
    let from = 0;
    const emit = (to: number) => {
      if (to <= from) return;
      const text = `${lines.slice(from, to).join('\n')}\n`;
      out.push(...relex(text, offset, item.line + from));
      offset += text.length;
      from = to;
    };
    for (const line of inside) {
      const index = line - item.line;
      emit(index);
      const raw = `${lines[index] ?? ''}\n`;
      out.push({ token: { type: 'hr', raw }, line, endLine: line, offset });
      offset += raw.length;
      from = index + 1;
    }
    // The rest, with the token's trailing newlines.
    const rest = lines.slice(from).join('\n');
    if (rest !== '') out.push(...relex(rest, offset, item.line + from));
  }
  return out;
}
