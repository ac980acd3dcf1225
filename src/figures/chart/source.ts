/**
 * The text of a ```chart or ```vega-lite fence as data, with the deck line of any part of it.
 * JSON is YAML 1.2 (a flow mapping), so one parser reads both and reports every mistake with its
 * line; parsed with the core schema: no custom tags, no code, a bounded alias count.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { FigureError } from '../../errors.js';

/** Where a fence is: the deck file and the deck line of the fence's first content line. */
export interface FenceAt {
  file: string;
  line: number;
  lang: string;
}

/** Deeper than this is no chart; the limit keeps a hostile fence from exhausting the stack. */
export const MAX_NESTING = 64;

export interface ParsedFence {
  value: unknown;
  /** Deck line of the node at `path` (keys and list indexes), or of the fence's first line. */
  lineOf(path: readonly (string | number)[]): number;
}

export function parseFence(source: string, at: FenceAt): ParsedFence {
  const json = /^\s*[{[]/.test(source);
  const kind = json ? 'JSON' : 'YAML';
  const deckLine = (fenceLine: number) => at.line + fenceLine - 1;
  const depth = nestingDepth(source);
  if (depth.depth > MAX_NESTING) {
    throw new FigureError('figure-syntax', `the ${at.lang} fence nests deeper than ${MAX_NESTING} levels`, {
      file: at.file,
      line: deckLine(depth.line),
      hint: 'A chart needs a few levels of nesting at most; remove the extra brackets or indentation.',
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core', strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const fenceLine = problem.linePos?.[0].line ?? lineCounter.linePos(problem.pos[0]).line;
    const message = (problem.message.split('\n')[0] ?? problem.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new FigureError('figure-syntax', `the ${at.lang} fence is not valid ${kind}: ${message}`, {
      file: at.file,
      line: deckLine(fenceLine),
      hint: json
        ? 'Check the brackets, commas and quotes on that line (JSON wants "double quotes" and no trailing comma).'
        : 'Check the indentation and the "key: value" pairs on that line.',
      cause: problem,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new FigureError('figure-syntax', `the ${at.lang} fence cannot be read: ${(error as Error).message}`, {
      file: at.file,
      line: at.line,
      cause: error,
    });
  }
  return {
    value,
    lineOf: (path) => {
      const offset = offsetOf(doc, path);
      return offset === undefined ? at.line : deckLine(lineCounter.linePos(offset).line);
    },
  };
}

/** Start offset of the deepest node along `path` that exists (a mapping key's own offset for a key). */
function offsetOf(doc: Document, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step));
      if (pair === undefined) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) break;
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/** The deepest bracket nesting or indentation (in two-space steps) of `source`, and its line. */
function nestingDepth(source: string): { depth: number; line: number } {
  let worst = { depth: 0, line: 1 };
  let brackets = 0;
  let line = 1;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  for (const char of source) {
    if (char === '\n') {
      line++;
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (char === ' ' || char === '-') {
        indent++;
        continue;
      }
      lineStart = false;
      const depth = brackets + Math.floor(indent / 2);
      if (depth > worst.depth) worst = { depth, line };
    }
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"') quote = char;
    else if (char === '[' || char === '{') {
      brackets++;
      if (brackets > worst.depth) worst = { depth: brackets, line };
    } else if (char === ']' || char === '}') brackets = Math.max(0, brackets - 1);
  }
  return worst;
}
