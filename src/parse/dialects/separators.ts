/**
 * Line-based slide breaks, for the tools that split the text by lines rather than by CommonMark
 * blocks: reveal-md (separator regexes, run on the raw text), remark (a line exactly `---`, and
 * `--` for an incremental slide) and Deckset (`---` with a blank line on each side). The result
 * is a map from 1-based line to the kind of break; parse/index.ts then splits on token
 * boundaries, and splits a paragraph or setext heading that a break line ends or sits inside.
 */
import type { DialectName } from '../../types.js';
import { lineIndex, lineStarts } from '../../markdown/text.js';

export type BreakKind = 'horizontal' | 'vertical' | 'increment';

export interface SeparatorOptions {
  /** reveal-md's `separator` and `verticalSeparator` from the front matter, as written. */
  separator?: string | undefined;
  verticalSeparator?: string | undefined;
}

export interface SeparatorProblem {
  /** Which option was refused, and why. */
  key: 'separator' | 'verticalSeparator';
  reason: string;
}

/** reveal-md 6's defaults (lib/defaults.json). */
const REVEAL_MD_SEPARATOR = '\\r?\\n---\\r?\\n';
const REVEAL_MD_VERTICAL = '\\r?\\n----\\r?\\n';

/** Longest author pattern accepted; separators are short. */
const MAX_PATTERN = 200;

/**
 * An author's separator regex, compiled, or why it is refused. Patterns that can backtrack
 * catastrophically are refused before they run: a quantified group that itself holds a quantifier
 * (`(a+)+`, `(\s*x*)*`, `(a|aa){2,}`), and backreferences.
 */
export function compileSeparator(pattern: string): RegExp | string {
  if (pattern.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'it uses a backreference';
  if (/\((?:[^()\\]|\\.)*(?:[+*?]|\{\d+,?\d*\}|\|)(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/.test(pattern)) {
    return 'a repeated group holds a repeat or an alternative, which can take exponential time';
  }
  try {
    return new RegExp(pattern, 'gm');
  } catch (error) {
    return error instanceof Error ? error.message : 'not a regular expression';
  }
}

/**
 * Lines of `lines` (1-based, `firstLine` is the first) that a regex match covers whole; a match
 * that starts or ends inside a line is not a line break and is ignored.
 */
function matchedLines(body: string, regex: RegExp, firstLine: number): number[] {
  const starts = lineStarts(body);
  const lineAt = (offset: number): number => lineIndex(starts, offset);
  const out: number[] = [];
  regex.lastIndex = 0;
  for (let match = regex.exec(body); match !== null; match = regex.exec(body)) {
    if (match[0] === '') {
      regex.lastIndex++;
      continue;
    }
    let start = match.index;
    let end = match.index + match[0].length;
    while (start < end && (body[start] === '\n' || body[start] === '\r')) start++;
    while (end > start && (body[end - 1] === '\n' || body[end - 1] === '\r')) end--;
    if (start === end) continue;
    const first = lineAt(start);
    const last = lineAt(end - 1);
    const lineEnd = (starts[last + 1] ?? body.length + 1) - 1;
    if (start !== starts[first] || end !== lineEnd) continue;
    for (let l = first; l <= last; l++) out.push(firstLine + l);
    // The reveal.js plugin's patterns eat the newline after the break; let the next match start at it.
    regex.lastIndex = Math.min(regex.lastIndex, end);
  }
  return out;
}

/**
 * The break lines of a body (`body` is the text after the front matter, LF line endings;
 * `firstLine` its first line's number), or undefined for dialects that split by CommonMark.
 */
export function breakLines(
  dialect: DialectName,
  body: string,
  firstLine: number,
  options: SeparatorOptions = {},
  problems: SeparatorProblem[] = [],
): Map<number, BreakKind> | undefined {
  if (dialect !== 'remark' && dialect !== 'deckset' && dialect !== 'reveal-md') return undefined;
  const lines = body.split('\n');
  const breaks = new Map<number, BreakKind>();
  if (dialect === 'remark') {
    lines.forEach((line, i) => {
      if (line === '---') breaks.set(firstLine + i, 'horizontal');
      else if (line === '--') breaks.set(firstLine + i, 'increment');
    });
    return breaks;
  }
  if (dialect === 'deckset') {
    lines.forEach((line, i) => {
      if (line.trimEnd() === '---' && (lines[i - 1] ?? '').trim() === '' && (lines[i + 1] ?? '').trim() === '' && i > 0) {
        breaks.set(firstLine + i, 'horizontal');
      }
    });
    return breaks;
  }
  const compiled = (key: 'separator' | 'verticalSeparator', fallback: string): RegExp | undefined => {
    const pattern = options[key];
    if (pattern !== undefined && pattern !== '') {
      const regex = compileSeparator(pattern);
      if (typeof regex !== 'string') return regex;
      problems.push({ key, reason: regex });
    }
    return compileSeparator(fallback) as RegExp;
  };
  // The text is matched with a newline in front, as the plugin sees a slide's text after the front matter.
  const text = `\n${body}`;
  const vertical = compiled('verticalSeparator', REVEAL_MD_VERTICAL);
  if (vertical !== undefined) for (const line of matchedLines(text, vertical, firstLine - 1)) breaks.set(line, 'vertical');
  const horizontal = compiled('separator', REVEAL_MD_SEPARATOR);
  if (horizontal !== undefined)
    for (const line of matchedLines(text, horizontal, firstLine - 1)) if (!breaks.has(line)) breaks.set(line, 'horizontal');
  return breaks;
}
