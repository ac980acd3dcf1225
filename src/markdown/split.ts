/**
 * Lexing a large deck in two parts, the second one elsewhere (a worker thread, src/build/lex-split.ts),
 * with the tokens, positions and nesting warnings of lexing it whole.
 *
 * The cut is after a top-level thematic break (a slide's `---`) and the blank lines after it, at
 * a line that starts with a visible character. There marked starts afresh: its block loop keeps
 * nothing from the tokens before but the last one (an `hr`, which nothing continues), and its
 * inline state is back where it starts. What may still differ is decided by what lies on both
 * sides, so the cut is refused (the caller lexes the whole) unless the first part, lexed alone:
 * - ends in that `hr` and blank lines (a fence or an HTML block left open would have taken them,
 *   a line of text before `---` made it a setext heading);
 * - asked no extension to look ahead for an end it did not find (a `:::` container or a comment
 *   closed only in the second part), and has no `$$` line (display math closed further on);
 * - defined no links and left the inline state (an open `<a>`) as it found it;
 * and the second part defined no links (definitions apply to the whole document).
 */
import type { MarkedOptions, Token } from 'marked';
import { nestingCapLines, type BoundedLexer } from './bounded-lexer.js';
import { createMarked, lexDocument } from './lexer.js';
import { locate, textPlace, type Place } from './positions.js';

/** Decks smaller than this are lexed whole: a worker and the copy of its tokens cost more than half the lexing. */
export const SPLIT_MIN_CHARS = 64 * 1024;

/** The second part of a text, lexed (lexTail). */
export interface LexedTail {
  /** Top-level tokens with the positions they have in the file. */
  tokens: Token[];
  /** nestingCapLines of the part's own lexer, from 0 at its first line. */
  capLines: number[];
  /** Whether it defined links (the cut is then refused). */
  definesLinks: boolean;
}

/** The second part of a deck, being lexed somewhere else. */
export interface TailSource {
  /** The text of that part: the end of the source, from a line start. */
  readonly text: string;
  /** The line of the file its first character is on. */
  readonly line: number;
  /**
   * Its tokens (lexTail), waiting for them if need be; undefined when they are not to be had
   * (the caller lexes the part itself). Called at most once.
   */
  take(): LexedTail | undefined;
  /** The tokens will not be taken (the cut was refused). */
  cancel(): void;
}

/** Top-level tokens of a text, and what parse needs of the lexer that made them. */
export interface LexedBody {
  tokens: Token[];
  lexer: BoundedLexer;
  /** Lines (from 0 at the text's first) where nesting went past the cap (nestingCapLines). */
  capLines: number[];
  /** Whether the text was lexed in two parts. */
  split: boolean;
}

const THEMATIC_DASHES = /^ {0,3}-{3,}[ \t]*$/;
const DISPLAY_MATH_LINE = /^\$\$[ \t]*$/m;
const LINK_DEFINITION = /^ {0,3}\[[^\]\n]*\]:/m;

/**
 * Offsets where `text` may be cut (see the file comment): line starts with a visible character
 * right after a `---` line and the blank lines after it. A cheap guess, made on the text alone;
 * lexBody decides.
 */
export function cutCandidates(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    if (text.charCodeAt(start) === 45 || text.charCodeAt(start) === 32) {
      if (THEMATIC_DASHES.test(text.slice(start, end))) {
        let next = end + 1;
        while (text.charCodeAt(next) === 10) next++;
        const first = text.charCodeAt(next);
        // A visible character: not a space, tab, or the end.
        if (next < text.length && first !== 32 && first !== 9 && first !== 13) out.push(next);
        start = next;
        continue;
      }
    }
    start = end + 1;
  }
  return out;
}

/**
 * Where to cut a deck's source for lexing it on two threads, or undefined for no cut: a small
 * deck, carriage returns or a BOM (parse normalizes those, so the source is not the text lexed),
 * link definitions (document-wide), or no candidate. The first candidate past the middle.
 */
export function chooseCut(source: string): number | undefined {
  if (source.length < SPLIT_MIN_CHARS || source.includes('\r') || source.charCodeAt(0) === 0xfeff) return undefined;
  if (LINK_DEFINITION.test(source)) return undefined;
  const from = source.indexOf('\n', source.length >> 1) + 1;
  const first = from === 0 ? undefined : cutCandidates(source.slice(from))[0];
  if (first === undefined) return undefined;
  const at = from + first;
  return DISPLAY_MATH_LINE.test(source.slice(0, at)) ? undefined : at;
}

/** Lexes and places `text`, the end of a file from line `line` on: what a worker does with a TailSource's text. */
export function lexTail(text: string, line: number, options: MarkedOptions = createMarked().defaults): LexedTail {
  const { tokens, lexer } = lexDocument(text, options);
  locate(tokens, text, textPlace(text, line));
  return { tokens: tokens.slice(), capLines: nestingCapLines(lexer.capped), definesLinks: Object.keys(lexer.tokens.links).length > 0 };
}

/** A TailSource lexed on this thread when taken (tests force cuts with it; no worker). */
export function localTail(source: string, at: number, options?: MarkedOptions): TailSource {
  const text = source.slice(at);
  const line = lineOf(source, at);
  return { text, line, take: () => lexTail(text, line, options), cancel: () => undefined };
}

/** The 1-based line of offset `at` in `text`. */
export function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Tokens of `body` (placed by `place`), lexed whole, or in two parts when `tail` holds its end
 * and the cut is safe (see the file comment): either way the same tokens, positions and caps.
 */
export function lexBody(body: string, options: MarkedOptions, place: Place, tail?: TailSource): LexedBody {
  if (tail !== undefined) {
    const split = lexSplit(body, options, place, tail);
    if (split !== undefined) return split;
  }
  const { tokens, lexer } = lexDocument(body, options);
  locate(tokens, body, place);
  return { tokens, lexer, capLines: nestingCapLines(lexer.capped), split: false };
}

function lexSplit(body: string, options: MarkedOptions, place: Place, tail: TailSource): LexedBody | undefined {
  const cut = body.length - tail.text.length;
  const where = cut > 0 ? place(cut) : undefined;
  if (where === undefined || where.line !== tail.line || where.column !== 1 || !body.endsWith(tail.text)) {
    tail.cancel();
    return undefined;
  }
  const head = body.slice(0, cut);
  const { tokens, lexer } = lexDocument(head, options);
  if (!cleanCut(head, tokens, lexer)) {
    tail.cancel();
    return undefined;
  }
  const rest = tail.take() ?? lexTail(tail.text, tail.line, options);
  if (rest.definesLinks) return undefined;
  locate(tokens, head, place);
  const headLines = where.line - place(0).line;
  const capLines = nestingCapLines(lexer.capped);
  for (const line of rest.capLines) capLines.push(line + headLines);
  for (let i = 0; i < rest.tokens.length; i++) tokens.push(rest.tokens[i] as Token);
  return { tokens, lexer, capLines, split: true };
}

/** Whether `head`, lexed alone into `tokens`, ends where lexing the whole would start afresh. */
function cleanCut(head: string, tokens: readonly Token[], lexer: BoundedLexer): boolean {
  let last = tokens.length - 1;
  while (tokens[last]?.type === 'space') last--;
  if (tokens[last]?.type !== 'hr') return false;
  if (Object.keys(lexer.tokens.links).length > 0) return false;
  // The inline state that carries from one text to the next (`linkEmitted` is only read inside a link).
  const { inLink, top } = lexer.state;
  if (inLink || !top) return false;
  const frame = lexer.outermost;
  if (frame === undefined || frame.kept('comment-unclosed-from') !== undefined) return false;
  const ends = frame.kept('container-ends') as Map<number, number> | undefined;
  if (ends !== undefined) for (const end of ends.values()) if (end < 0) return false;
  return !DISPLAY_MATH_LINE.test(head);
}
