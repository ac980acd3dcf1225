/**
 * Slidev's splitting, as @slidev/parser reads a file: a line that starts with `---` ends a slide;
 * when that line is not `----…` and the next line is not blank, the lines up to the next line that
 * is exactly `---` are the new slide's front matter (YAML). Lines inside a ``` or ~~~ fence or an
 * HTML comment never split (decksmith's rule in every dialect; Slidev itself skips ``` fences only).
 * A front-matter block that is never closed is not one here (Slidev would swallow the rest of
 * the file into it): its lines stay Markdown.
 *
 * The result: the break lines (each opening `---`), each block's properties by the line of the
 * `---` that opens it, and the body with the block's lines (YAML and closing `---`) blanked, so
 * the lexer never sees them and every line keeps its number.
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Diagnostic } from '../../types.js';
import type { BreakKind } from './separators.js';

/** A slide's own front matter: Slidev's per-slide block, block front matter, or the headmatter for the first slide. */
export interface SlideProperties {
  /** 1-based line of the block's first line. */
  line: number;
  data: Record<string, unknown>;
  /** 1-based line of each top-level key. */
  keyLines: Map<string, number>;
  /** The file the block was written in, when known. */
  file?: string | undefined;
  /** The deck's headmatter (its deck-wide keys are the front matter's business, not the slide's). */
  headmatter?: boolean;
  /** An importing slide's keys, applied to each imported slide (warned about once, at the import). */
  override?: boolean;
}

export interface SlidevSplit {
  breaks: Map<number, BreakKind>;
  /** The body with each front-matter block's YAML and closing line blanked. */
  text: string;
  /** Properties by the line of the `---` that opens their block. */
  properties: Map<number, SlideProperties>;
}

export function slidevSplit(body: string, firstLine: number, file: string | undefined, diagnostics: Diagnostic[]): SlidevSplit {
  const lines = body.split('\n');
  const breaks = new Map<number, BreakKind>();
  const properties = new Map<number, SlideProperties>();
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    // decksmith's rule for every dialect: a break line inside a comment is none (Slidev would split there).
    if (inComment) {
      inComment = !line.includes('-->');
      continue;
    }
    if (opensComment(line)) {
      inComment = true;
      continue;
    }
    if (line.startsWith('---')) {
      breaks.set(firstLine + i, 'horizontal');
      if (line[3] === '-' || (lines[i + 1] ?? '').trim() === '') continue;
      let close = i + 1;
      while (close < lines.length && (lines[close] ?? '').trimEnd() !== '---') close++;
      if (close >= lines.length) continue;
      properties.set(firstLine + i, readProperties(lines.slice(i + 1, close), firstLine + i + 1, file, diagnostics));
      for (let j = i + 1; j <= close; j++) lines[j] = '';
      i = close;
    } else if (/^\s*(?:```|~~~)/.test(line)) {
      const level = /^\s*(?:`+|~+)/.exec(line)?.[0] ?? '```';
      let j = i + 1;
      while (j < lines.length && !(lines[j] ?? '').startsWith(level)) j++;
      if (j < lines.length) i = j;
    }
  }
  joinComponentTags(lines);
  return { breaks, text: lines.join('\n'), properties };
}

/** Lines a Vue component's start tag may span before it is taken for text. */
const TAG_SPAN = 30;

/**
 * A Vue component's start tag written over several lines (`<Block\n  class="…"\n>`), as Slidev
 * reads it, is one tag; CommonMark takes its first line for text and a lone `>` for a blockquote,
 * so its attributes would show on the slide. Such a tag is put on its first line and the lines it
 * took are blanked: every line keeps its number, and the tag is an HTML block like any other.
 * Only tags at a line's start outside fences, named as components (capitalised or hyphenated).
 */
function joinComponentTags(lines: string[]): void {
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const mark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (mark !== undefined && mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
      continue;
    }
    if (mark !== undefined) {
      fence = mark;
      continue;
    }
    const open = /^ {0,3}<([A-Za-z][\w-]*)(?=\s*$|\s)/.exec(line);
    const name = open?.[1];
    if (name === undefined || !(/[A-Z]/.test(name) || name.includes('-'))) continue;
    const end = tagEnd(lines, i);
    if (end === undefined || end === i) continue;
    lines[i] = lines
      .slice(i, end + 1)
      .map((l) => l.trim())
      .join(' ')
      .replace(/^/, ' '.repeat(line.length - line.trimStart().length));
    for (let j = i + 1; j <= end; j++) lines[j] = '';
    i = end;
  }
}

/** The line on which the start tag opened at line `start` closes (quotes respected), if it does within TAG_SPAN lines. */
function tagEnd(lines: readonly string[], start: number): number | undefined {
  let quote: string | undefined;
  for (let i = start; i < lines.length && i < start + TAG_SPAN; i++) {
    const line = lines[i] ?? '';
    if (i > start && line.trim() === '') return undefined;
    for (let k = i === start ? line.indexOf('<') + 1 : 0; k < line.length; k++) {
      const c = line[k];
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') return i;
      else if (c === '<') return undefined;
    }
  }
  return undefined;
}

/** A line that leaves an HTML comment open. */
function opensComment(line: string): boolean {
  const open = line.lastIndexOf('<!--');
  return open >= 0 && !line.includes('-->', open + 4);
}

/**
 * YAML lines as a slide's properties; `line` is the first one's line. YAML that does not parse
 * (or is not a mapping) gives no properties and a warning: the slide is still built.
 */
export function readProperties(
  yamlLines: readonly string[],
  line: number,
  file: string | undefined,
  diagnostics: Diagnostic[],
): SlideProperties {
  const counter = new LineCounter();
  const doc = parseDocument(yamlLines.join('\n'), { lineCounter: counter, schema: 'core', uniqueKeys: false });
  const keyLines = new Map<string, number>();
  const contents = doc.contents;
  const problem = doc.errors[0];
  if (problem !== undefined || (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value === null))) {
    const at = problem?.linePos?.[0]?.line;
    diagnostics.push({
      severity: 'warning',
      code: 'slide-properties',
      message: `this slide's front matter is not a YAML mapping of keys to values${problem === undefined ? '' : ` (${problem.message.split('\n')[0] ?? ''})`}, so it is ignored; write "key: value" lines`,
      line: at === undefined ? line : line + at - 1,
      ...(file === undefined ? {} : { file }),
    });
    return { line, data: {}, keyLines, file };
  }
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const key = pair.key;
      const start = isScalar(key) ? key.range?.[0] : undefined;
      if (isScalar(key) && start !== undefined) keyLines.set(String(key.value), line + counter.linePos(start).line - 1);
    }
  }
  const json: unknown = doc.toJS({ maxAliasCount: 50 });
  const data = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  return { line, data, keyLines, file };
}
