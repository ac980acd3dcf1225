/**
 * `::: name` … `:::` container blocks (the fenced-div syntax of pandoc and Quarto), as a marked
 * block extension so the lexer — not a regex over the text — decides where they are: a `:::`
 * inside a code fence is code. Containers nest; `:::` closes the innermost open one.
 *
 * Names with a meaning: `notes` (speaker notes), `column` (a compare-layout column),
 * `fragments` (reveal children one at a time). Any other name becomes a CSS class.
 */
import type { Lexer, RendererExtension, TokenizerExtension, Tokens } from 'marked';
import { frameOf, memo, startInParagraph } from './bounded-lexer.js';

export interface ContainerToken extends Tokens.Generic {
  type: 'container';
  raw: string;
  /** First word after the colons, lower-cased ('' for none). */
  name: string;
  /** Rest of the opening line after the name. */
  info: string;
  tokens: Tokens.Generic[];
}

const OPENER = /^ {0,3}(:{3,})[ \t]*([A-Za-z][\w-]*)?[ \t]*([^\n]*)$/;
const CLOSER = /^ {0,3}(:{3,})[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Length of the container starting at the top of `src` (through its closing line), or 0 when
 * `src` does not start with a named opener that is closed before the end of `src`.
 */
export function containerLength(src: string): number {
  // The lexer asks at every block, with the rest of the document: look at the first line before
  // touching the rest, or a long deck costs time quadratic in its length.
  const firstEnd = src.indexOf('\n');
  const firstLine = firstEnd === -1 ? src : src.slice(0, firstEnd);
  const first = OPENER.exec(firstLine);
  if (first === null || first[2] === undefined || firstEnd === -1) return 0;
  let depth = 1;
  let fence: string | undefined;
  let offset = firstEnd + 1;
  while (offset < src.length) {
    const next = src.indexOf('\n', offset);
    const line = next === -1 ? src.slice(offset) : src.slice(offset, next);
    const step = fenceAfter(fence, line);
    fence = step.fence;
    if (step.fenced) {
      // A ::: line inside a code fence is code.
    } else if (CLOSER.test(line)) {
      depth -= 1;
      if (depth === 0) return Math.min(src.length, offset + line.length + 1);
    } else {
      const open = OPENER.exec(line);
      if (open?.[2] !== undefined) depth += 1;
    }
    if (next === -1) break;
    offset = next + 1;
  }
  return 0;
}

/** The fence open after `line` (``` or ~~~), and whether `line` itself opened, continued or closed one. */
function fenceAfter(fence: string | undefined, line: string): { fence: string | undefined; fenced: boolean } {
  const marker = FENCE.exec(line)?.[1];
  if (fence !== undefined) {
    // CommonMark: a closing fence uses the same character, at least as long as the opener.
    const closes = marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker;
    return { fence: closes ? undefined : fence, fenced: true };
  }
  return marker === undefined ? { fence: undefined, fenced: false } : { fence: marker, fenced: true };
}

/**
 * Where each named opener in `text` from `from` on is closed (offset just past its closing line),
 * or -1 when it never is, added to `ends`: one pass, matching openers and closers with a stack.
 * From an opener on, the pass sees the same lines, fences and depths as containerLength would
 * from that opener, so the answers agree; openers the pass saw inside a fence get no entry.
 */
function matchContainers(text: string, from: number, ends: Map<number, number>): void {
  const open: number[] = [];
  let fence: string | undefined;
  let offset = from;
  while (offset < text.length) {
    const next = text.indexOf('\n', offset);
    const end = next === -1 ? text.length : next;
    const line = text.slice(offset, end);
    const step = fenceAfter(fence, line);
    fence = step.fence;
    if (step.fenced) {
      // A ::: line inside a code fence is code.
    } else if (CLOSER.test(line)) {
      const start = open.pop();
      if (start !== undefined && !ends.has(start)) ends.set(start, Math.min(text.length, end + 1));
    } else if (OPENER.exec(line)?.[2] !== undefined && next !== -1) {
      open.push(offset);
    }
    if (next === -1) break;
    offset = next + 1;
  }
  for (const start of open) if (!ends.has(start)) ends.set(start, -1);
}

/**
 * containerLength, answered from one pass per lexed string: a deck of thousands of unclosed
 * openers would otherwise cost a scan to the end of the deck for each one.
 */
function lexedContainerLength(lexer: Lexer, src: string): number {
  // Asked at every block: an opener's line starts with a space or `:`.
  const first = src.charCodeAt(0);
  if (first !== 32 && first !== 58) return 0;
  const where = frameOf(lexer, src, 'block');
  if (where === undefined) return containerLength(src);
  const firstEnd = src.indexOf('\n');
  if (firstEnd === -1 || OPENER.exec(src.slice(0, firstEnd))?.[2] === undefined) return 0;
  const ends = memo(where.frame, 'container-ends', () => new Map<number, number>());
  if (!ends.has(where.offset)) matchContainers(where.frame.text, where.offset, ends);
  const end = ends.get(where.offset) ?? -1;
  return end < 0 ? 0 : end - where.offset;
}

const STARTS_CONTAINER = /^ {0,3}:{3,}/;

export const containerExtension: TokenizerExtension & RendererExtension = {
  name: 'container',
  level: 'block',
  start(src: string) {
    return startInParagraph(this.lexer, src, (line) => STARTS_CONTAINER.test(line), ':::');
  },
  tokenizer(src: string) {
    const length = lexedContainerLength(this.lexer, src);
    if (length === 0) return undefined;
    const raw = src.slice(0, length);
    const lines = raw.replace(/\n$/, '').split('\n');
    const opener = OPENER.exec(lines[0] ?? '');
    const inner = lines.slice(1, -1).join('\n');
    const token: ContainerToken = {
      type: 'container',
      raw,
      name: (opener?.[2] ?? '').toLowerCase(),
      info: (opener?.[3] ?? '').trim(),
      tokens: [],
    };
    this.lexer.blockTokens(inner, token.tokens);
    return token;
  },
  renderer(token) {
    // Default rendering; src/render replaces this for the names that have a meaning.
    const body = this.parser.parse((token as ContainerToken).tokens);
    return `<div class="${(token as ContainerToken).name}">${body}</div>\n`;
  },
};

export function isContainer(token: { type: string }): token is ContainerToken {
  return token.type === 'container';
}
