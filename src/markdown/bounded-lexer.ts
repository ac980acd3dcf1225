/**
 * marked's Lexer with two guarantees a deck from anyone needs: work linear in the deck's size,
 * and nesting bounded by MAX_NESTING.
 *
 * marked hands extensions only the rest of the text (`src`), so an extension that must look
 * ahead (is this `:::` ever closed? where is the next `$$` line?) would rescan the rest of the
 * document at every block. Here each `blockTokens`/`inlineTokens` call is a frame that keeps the
 * whole string it lexes: an extension called from that frame's loop gets a suffix of it, so
 * `frame.text.length - src.length` is where it stands, and lookahead results can be kept on the
 * frame and reused instead of recomputed.
 *
 * marked recurses once per level of blockquote, list item or `:::` container, and each level
 * re-reads all the text nested inside it, so n levels cost n passes (and n copies) over the text.
 * Past MAX_NESTING levels the text is kept as a code block instead of being lexed further, and
 * the place is recorded so the parse stage can warn once, at the line.
 */
import { trimNewlines } from './text.js';
import { Hooks, Lexer, type MarkedOptions, type Token, type Tokens, type TokensList } from 'marked';

/**
 * Levels of blockquotes, list items and `:::` containers lexed inside one another. Time and
 * memory grow with (levels × deck size); real decks nest a handful of levels.
 */
export const MAX_NESTING = 16;

export interface Frame {
  readonly text: string;
  /** Offset in `text` of the block the frame's loop is at. */
  at: number;
  /** Lookahead results of the extensions, by offset in `text` (see containers.ts, comments.ts). */
  readonly memo: Map<string, unknown>;
  /** Offset in `text` of the next `$` at or after the last one asked about, -1 for none (math.ts). */
  nextDollar?: number;
}

/**
 * A frame whose memo is made on first use: a deck lexes tens of thousands of frames (one per
 * paragraph, cell, list item), few of which any extension keeps anything on.
 */
class LexFrame implements Frame {
  at = 0;
  nextDollar?: number;
  #memo: Map<string, unknown> | undefined;
  constructor(readonly text: string) {}
  get memo(): Map<string, unknown> {
    this.#memo ??= new Map();
    return this.#memo;
  }
}

/** Where nesting went past MAX_NESTING: the frames around it and the text kept as code. */
export interface NestingCap {
  readonly frames: readonly { text: string; at: number }[];
  readonly text: string;
}

/** `options` as the lexer needs them, by the options given (see lexingOptions). */
const lexing = new WeakMap<object, object>();

/**
 * `options` without marked's hooks when they leave `emStrongMask` as it is, the one hook a lexer
 * calls. Given any hooks object (createMarked sets `provideLexer`), marked's inline lexer masks
 * every text for emphasis, even text with no `*`, `_` or `~` (about a tenth of lexing a deck);
 * without one it masks only text that has them. The tokens are the same: the mask only guides
 * emphasis and strikethrough, which need those characters.
 */
function lexingOptions<P, R>(options: MarkedOptions<P, R> | undefined): MarkedOptions<P, R> | undefined {
  const hooks = options?.hooks;
  if (options === undefined || hooks === undefined || hooks === null || hooks.emStrongMask !== Hooks.prototype.emStrongMask) return options;
  let plain = lexing.get(options) as MarkedOptions<P, R> | undefined;
  if (plain === undefined) {
    plain = { ...options, hooks: null };
    lexing.set(options, plain);
  }
  return plain;
}

export class BoundedLexer<P = string, R = string> extends Lexer<P, R> {
  readonly blockFrames: Frame[] = [];
  readonly inlineFrames: Frame[] = [];
  /** At most one per top-level block. */
  readonly capped: NestingCap[] = [];

  constructor(options?: MarkedOptions<P, R>) {
    super(lexingOptions(options));
  }

  static override lex<P = string, R = string>(src: string, options?: MarkedOptions<P, R>): TokensList {
    return new BoundedLexer<P, R>(options).lex(src);
  }

  static override lexInline<P = string, R = string>(src: string, options?: MarkedOptions<P, R>): Token[] {
    return new BoundedLexer<P, R>(options).inlineTokens(src);
  }

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens: Token[] = [], lastParagraphClipped = false): Token[] {
    if (this.blockFrames.length > MAX_NESTING) {
      this.recordCap(src);
      const code: Tokens.Code = { type: 'code', raw: src, text: trimNewlines(src), codeBlockStyle: 'indented' };
      tokens.push(code);
      return tokens;
    }
    this.blockFrames.push(new LexFrame(src));
    try {
      return super.blockTokens(src, tokens, lastParagraphClipped);
    } finally {
      this.blockFrames.pop();
    }
  }

  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    this.inlineFrames.push(new LexFrame(src));
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      this.inlineFrames.pop();
    }
  }

  private recordCap(text: string): void {
    const top = this.blockFrames[0];
    const last = this.capped[this.capped.length - 1];
    if (last !== undefined && last.frames[0]?.text === top?.text && last.frames[0]?.at === top?.at) return;
    this.capped.push({ frames: this.blockFrames.map((f) => ({ text: f.text, at: f.at })), text });
  }
}

/**
 * The frame `src` is a suffix of (`src` starts at `frame.text.length - src.length` in it);
 * undefined when the lexer is not a BoundedLexer (the caller then works on `src` alone). No
 * object made: marked asks the extensions that call this at every block and inline token.
 */
export function frameAt(lexer: Lexer, src: string, level: 'block' | 'inline'): Frame | undefined {
  if (!(lexer instanceof BoundedLexer)) return undefined;
  const frames = level === 'block' ? lexer.blockFrames : lexer.inlineFrames;
  const frame = frames[frames.length - 1];
  return frame === undefined || frame.text.length < src.length ? undefined : frame;
}

/** frameAt, with the offset where `src` starts in the frame's text. */
export function frameOf(lexer: Lexer, src: string, level: 'block' | 'inline'): { frame: Frame; offset: number } | undefined {
  const frame = frameAt(lexer, src, level);
  return frame === undefined ? undefined : { frame, offset: frame.text.length - src.length };
}

/** Kept on the frame under `key`, computed once per frame. */
export function memo<T>(frame: Frame, key: string, create: () => T): T {
  let value = frame.memo.get(key) as T | undefined;
  if (value === undefined) {
    value = create();
    frame.memo.set(key, value);
  }
  return value;
}

/**
 * Records where each block starts, so a nesting cap can be placed on a line. Registered after
 * the other block extensions: marked tries the last registered first, at every block.
 */
export const positionExtension = {
  name: 'blockPosition',
  level: 'block' as const,
  tokenizer(this: { lexer: Lexer }, src: string): undefined {
    const frame = frameAt(this.lexer, src, 'block');
    if (frame !== undefined) frame.at = frame.text.length - src.length;
    return undefined;
  },
};

/**
 * Whether `needle` occurs in `src` (a suffix of the frame's text), by the next occurrence kept on
 * the frame: marked asks at every paragraph with the rest of the document, and searching that
 * each time would cost time quadratic in the deck's length.
 */
function aheadInFrame(lexer: Lexer, src: string, needle: string): boolean {
  const frame = frameAt(lexer, src, 'block');
  if (frame === undefined) return true;
  const offset = frame.text.length - src.length;
  // Kept under the needle itself (`$$`, `:::`), a key no other memo uses.
  let next = frame.memo.get(needle) as number | undefined;
  if (next === undefined || (next >= 0 && next < offset)) {
    next = frame.text.indexOf(needle, offset);
    frame.memo.set(needle, next);
  }
  return next >= 0;
}

/**
 * Offset of the first line of `src` for which `isStart` holds, looking only as far as the
 * paragraph being read could reach. marked calls a block extension's `start` with the rest of the
 * document at every paragraph, to cut the paragraph where the extension's block begins; a start
 * past the paragraph's own end cuts nothing, so stopping there keeps marked's result and makes
 * the search cost no more than the paragraph marked then reads. `needle`, when given, is text
 * every such line holds: without it anywhere in `src` there is no start to look for.
 */
export function startInParagraph(lexer: Lexer, src: string, isStart: (line: string) => boolean, needle?: string): number | undefined {
  // Outside the top level marked reads text line by line and does not use the cut.
  if (!lexer.state.top) return undefined;
  if (needle !== undefined && !aheadInFrame(lexer, src, needle)) return undefined;
  const paragraph = lexer.options.gfm === false ? Lexer.rules.block.normal.paragraph : Lexer.rules.block.gfm.paragraph;
  let offset = 0;
  for (;;) {
    const next = src.indexOf('\n', offset);
    if (isStart(next === -1 ? src.slice(offset) : src.slice(offset, next))) return offset;
    if (next === -1) return undefined;
    offset = next + 1;
    const end = src.indexOf('\n', offset);
    // marked's own paragraph rule decides whether this line continues the paragraph (it is not
    // blank and does not start a heading, fence, list, quote, table or HTML block).
    const window = `x\n${end === -1 ? src.slice(offset) : src.slice(offset, end)}\n`;
    if ((paragraph.exec(window)?.[0].length ?? 0) <= 1) return undefined;
  }
}

function newlinesBetween(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Offset of the line, at or after `from`, where `child` (text a tokenizer cut out of `text` and
 * stripped of markers and indentation) begins: the first line that ends like `child`'s first line.
 */
function childStart(text: string, from: number, child: string): number {
  const first = (/^[^\n]*/.exec(child.replace(/^\s*\n/, ''))?.[0] ?? '').trim();
  if (first === '') return from;
  for (let offset = from; offset < text.length; ) {
    const next = text.indexOf('\n', offset);
    const line = next === -1 ? text.slice(offset) : text.slice(offset, next);
    if (line.trimEnd().endsWith(first)) return offset;
    if (next === -1) break;
    offset = next + 1;
  }
  return from;
}

/**
 * For each cap (in lexing order, all from one lexer), the line where nesting went past the cap,
 * counted from 0 at the start of the outermost lexed text. Linear: each nested text is walked
 * once per cap, and there is at most one cap per top-level block.
 */
export function nestingCapLines(caps: readonly NestingCap[]): number[] {
  let topLine = 0;
  let topOffset = 0;
  return caps.map((cap) => {
    let line = 0;
    cap.frames.forEach((frame, k) => {
      const child = cap.frames[k + 1]?.text ?? cap.text;
      const start = childStart(frame.text, frame.at, child);
      if (k === 0) {
        topLine += start >= topOffset ? newlinesBetween(frame.text, topOffset, start) : -newlinesBetween(frame.text, start, topOffset);
        topOffset = start;
        line += topLine;
      } else line += newlinesBetween(frame.text, 0, start);
    });
    return line;
  });
}
