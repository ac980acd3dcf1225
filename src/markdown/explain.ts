/**
 * marked recurses once per nesting level; thousands of nested quotes or lists exhaust the stack,
 * and so does a line of millions of characters, which its regular expressions cannot scan. That
 * is the input's doing, so it becomes an InputError pointing at the line to change. Parse wraps
 * lexing in it, render wraps rendering (walking the same tokens recurses as deep).
 */
import { InputError } from '../errors.js';

/** Nesting this deep is what exhausts the lexer's stack; less than this, something else did. */
const MANY_LEVELS = 100;

/** Runs `work` over `text` (which starts at `firstLine`), explaining a stack overflow. */
export function explainingOverflow<T>(work: () => T, text: string, file: string | undefined, firstLine = 1): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const lines = text.split('\n');
    const depth = (line: string) => /^(?:\s*(?:>|[-*+]|\d+[.)])\s?)*/.exec(line)?.[0].replace(/\s/g, '').length ?? 0;
    let deepest = 0;
    let longest = 0;
    lines.forEach((line, i) => {
      if (depth(line) > depth(lines[deepest] ?? '')) deepest = i;
      if (line.length > (lines[longest]?.length ?? 0)) longest = i;
    });
    const longLine = lines[longest]?.length ?? 0;
    if (depth(lines[deepest] ?? '') < MANY_LEVELS && longLine > 100_000) {
      throw new InputError('line-too-long', `this line is too long to render (${longLine.toLocaleString('en')} characters)`, {
        file,
        line: firstLine + longest,
        hint: 'Break it into shorter lines: the lines of a paragraph are joined when it is shown.',
        cause: error,
      });
    }
    throw new InputError('too-deeply-nested', 'this line nests quotes or lists too deeply to render', {
      file,
      line: firstLine + deepest,
      hint: 'Nest blockquotes and lists a few levels at most.',
      cause: error,
    });
  }
}
