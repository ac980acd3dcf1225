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
  return { breaks, text: lines.join('\n'), properties };
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
