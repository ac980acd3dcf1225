/**
 * HTML comments as a browser reads them, and the one case the Markdown lexer gets wrong for a
 * slide: a `<!--` that is never closed. CommonMark ends such an HTML block only at the end of
 * the document, so everything after it — later slides included — would vanish into one comment.
 * Instead, the unclosed comment hides only its own paragraph (up to the next blank line), and
 * the parse stage warns at the `<!--`.
 */
import type { Lexer, RendererExtension, TokenizerExtension, Tokens } from 'marked';
import { frameOf } from './bounded-lexer.js';

/**
 * Offset just past the end of the comment that opens at `start` (where `text` has `<!--`), by the
 * HTML tokenizer's rules: `<!-->` and `<!--->` end at once; otherwise the first `-->` or `--!>`
 * ends it. `undefined` when it is never closed (a browser then hides the rest of the document).
 */
export function commentEnd(text: string, start: number): number | undefined {
  const body = start + 4;
  if (text.startsWith('>', body)) return body + 1;
  if (text.startsWith('->', body)) return body + 2;
  const dashes = text.indexOf('--', body);
  for (let at = dashes; at >= 0; at = text.indexOf('--', at + 1)) {
    if (text.startsWith('-->', at)) return at + 3;
    if (text.startsWith('--!>', at)) return at + 4;
  }
  return undefined;
}

export interface UnclosedCommentToken extends Tokens.Generic {
  type: 'unclosedComment';
  raw: string;
}

const OPENER = /^ {0,3}<!--/;

export const unclosedCommentExtension: TokenizerExtension & RendererExtension = {
  name: 'unclosedComment',
  level: 'block',
  tokenizer(src: string) {
    // Asked at every block: OPENER's text starts with a space or `<`.
    const first = src.charCodeAt(0);
    if ((first !== 32 && first !== 60) || !OPENER.test(src)) return undefined;
    // CommonMark ends a comment block at a line holding `-->`, however far away: a comment that
    // is closed slides later is deliberate (commented-out slides) and stays one HTML block.
    if (closedComment(this.lexer, src)) return undefined;
    const blankLine = /\n[ \t]*(?:\n|$)/.exec(src);
    const raw = blankLine === null ? src : src.slice(0, blankLine.index + 1);
    const token: UnclosedCommentToken = { type: 'unclosedComment', raw };
    return token;
  },
  renderer() {
    return '';
  },
};

/**
 * Whether the comment opening `src` is closed, remembering per lexed string the first offset
 * from which no `-->` follows: past it every later comment is unclosed too (bar `<!-->` and
 * `<!--->`), so thousands of unclosed comments cost one search, not one each.
 */
function closedComment(lexer: Lexer, src: string): boolean {
  const start = src.indexOf('<!--');
  const where = frameOf(lexer, src, 'block');
  if (where === undefined) return commentEnd(src, start) !== undefined;
  const body = where.offset + start + 4;
  const unclosedFrom = where.frame.memo.get('comment-unclosed-from') as number | undefined;
  if (unclosedFrom !== undefined && body >= unclosedFrom) return src.startsWith('>', start + 4) || src.startsWith('->', start + 4);
  if (commentEnd(src, start) !== undefined) return true;
  where.frame.memo.set('comment-unclosed-from', body);
  return false;
}

export function isUnclosedCommentToken(token: { type: string }): token is UnclosedCommentToken {
  return token.type === 'unclosedComment';
}
