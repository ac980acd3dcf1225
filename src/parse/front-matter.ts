/**
 * YAML front matter: a `---` line at the very start of the file (after an optional BOM), the YAML,
 * and a closing `---` or `...` line. Parsed with the `yaml` package's core schema: no code, no
 * custom tags, a bounded alias count.
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { FrontMatterError } from '../errors.js';
import { yamlError } from './yaml-errors.js';
import type { Diagnostic } from '../types.js';
import type { RawFrontMatter } from './config.js';
import { linesThrough } from '../markdown/text.js';

export interface FrontMatterSplit {
  frontMatter?: RawFrontMatter;
  /** Number of lines the front matter block takes (0 when there is none). */
  lineCount: number;
  diagnostics: Diagnostic[];
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

/** `text` must already have LF line endings and no BOM. */
export function splitFrontMatter(text: string, file: string | undefined): FrontMatterSplit {
  // The lines through the first closing line: all this reads.
  const lines = linesThrough(text, (line) => CLOSE.test(line));
  const language = /^---[ \t]*([A-Za-z]\w*)[ \t]*$/.exec(lines[0] ?? '')?.[1];
  if (language !== undefined) {
    throw new FrontMatterError(
      'front-matter-language',
      `front matter opened with "---${language}": only YAML front matter is supported, and it is never run as code`,
      {
        file,
        line: 1,
        hint: 'Open the front matter with a plain "---" line and write it as YAML.',
      },
    );
  }
  if (lines.length < 2 || !OPEN.test(lines[0] ?? '')) return { lineCount: 0, diagnostics: [] };
  const close = lines.findIndex((line, i) => i > 0 && CLOSE.test(line));
  const at = (line: number) => ({ line, ...(file === undefined ? {} : { file }) });
  if (close < 0) {
    return {
      lineCount: 0,
      diagnostics: [
        {
          severity: 'warning',
          code: 'unclosed-front-matter',
          message:
            'line 1 opens front matter with "---" but no closing "---" follows, so it is read as a slide separator; add a closing "---" line if you meant front matter',
          ...at(1),
        },
      ],
    };
  }
  const tooDeep = nestingPastLimit(lines.slice(1, close));
  if (tooDeep !== undefined) {
    throw new FrontMatterError('front-matter-too-deep', `front matter nests deeper than ${MAX_YAML_NESTING} levels`, {
      file,
      line: tooDeep + 2,
      hint: 'Front matter holds settings a few levels deep at most; remove the extra nesting.',
    });
  }
  const yamlText = lines.slice(1, close).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    schema: 'core',
    strict: true,
  });
  // Source line of a YAML offset: the YAML starts on line 2 of the file.
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + 1;

  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw yamlError(problem, doc, { lines: lines.slice(1, close), closeLine: close + 1, lineCounter, file });
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    // `---` `---` with only blank lines or comments: empty front matter, unless something that is
    // not a YAML comment sits there (then the author meant Markdown; never drop it).
    const markdownLike = lines.slice(1, close).some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    const headingLike = lines.slice(1, close).some((l) => /^#{1,6}\s/.test(l));
    if (headingLike || markdownLike) {
      return {
        lineCount: 0,
        diagnostics: [
          {
            severity: 'warning',
            code: 'leading-separator',
            message:
              'the file starts with "---" followed by Markdown, not YAML: it is read as a slide separator. Remove the first "---" to silence this',
            ...at(1),
          },
        ],
      };
    }
    return { frontMatter: { data: {}, keyLines: new Map(), line: 1 }, lineCount: close + 1, diagnostics: [] };
  }
  if (!isMap(contents)) {
    throw new FrontMatterError('front-matter-not-mapping', 'front matter must be a YAML mapping of keys to values', {
      file,
      line: 2,
      hint: 'Write it as "key: value" lines, for example "title: My talk".',
    });
  }
  const keyLines = new Map<string, number>();
  const keyColumns = new Map<string, number>();
  const record = (map: typeof contents, prefix: string) => {
    for (const pair of map.items) {
      const key = prefix + (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      const range = isScalar(pair.key) ? pair.key.range : undefined;
      if (range !== undefined && range !== null) {
        keyLines.set(key, lineOf(range[0]));
        keyColumns.set(key, lineCounter.linePos(range[0]).col);
      }
      // One level down, so a diagnostic about `themeVars: { acent: … }` can point at `acent`.
      if (prefix === '' && isMap(pair.value)) record(pair.value, `${key}.`);
    }
  };
  record(contents, '');
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // The yaml package refuses documents whose aliases would expand without bound.
    throw new FrontMatterError('front-matter-yaml', `front matter is not valid YAML: ${(error as Error).message}`, {
      file,
      line: 2,
      hint: 'Write the values out instead of nesting aliases (*name) inside each other.',
      cause: error,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FrontMatterError('front-matter-not-mapping', 'front matter must be a YAML mapping of keys to values', {
      file,
      line: 2,
    });
  }
  return {
    frontMatter: { data: data as Record<string, unknown>, keyLines, keyColumns, line: 1 },
    lineCount: close + 1,
    diagnostics: headingInFrontMatter(lines.slice(1, close), close + 1, file),
  };
}

/** Levels of mappings and sequences; the yaml parser recurses per level and runs out of stack. */
export const MAX_YAML_NESTING = 32;

/**
 * Index of the first line where the YAML nests deeper than MAX_YAML_NESTING, counting block
 * levels (deeper indentation, `- ` entries) and open flow brackets. A cheap over-estimate (a
 * bracket inside a plain value counts too), so deep input never reaches the parser.
 */
function nestingPastLimit(yamlLines: readonly string[]): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  for (let i = 0; i < yamlLines.length; i++) {
    const line = yamlLines[i] ?? '';
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (flow === 0 && indent < line.length && line[indent] !== '#') {
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
      indents.push(indent);
    }
    const entries = /^(?:-[ \t]+)*/.exec(line.slice(indent))?.[0].replace(/[ \t]/g, '').length ?? 0;
    let quote: string | undefined;
    let deepest = flow;
    for (let c = indent; c < line.length; c++) {
      const ch = line[c];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (c === 0 || /\s/.test(line[c - 1] ?? ''))) break;
      else if (ch === '[' || ch === '{') deepest = Math.max(deepest, ++flow);
      else if ((ch === ']' || ch === '}') && flow > 0) flow--;
    }
    if (indents.length + entries + deepest > MAX_YAML_NESTING) return i;
  }
  return undefined;
}

/**
 * A forgotten closing `---` is silent when the YAML still parses: the title slide's heading
 * becomes a YAML comment and the first slide separator closes the front matter. Comments that
 * come after the last key and read as a Markdown heading (set off by a blank line, `##`, or a
 * capitalised title rather than a note such as `# see https://…`) are that mistake; YAML
 * comments above or among the keys are not.
 */
function headingInFrontMatter(yamlLines: readonly string[], closeLine: number, file: string | undefined): Diagnostic[] {
  let lastValue = -1;
  yamlLines.forEach((l, i) => {
    if (l.trim() !== '' && !l.trimStart().startsWith('#')) lastValue = i;
  });
  for (let i = lastValue + 1; i < yamlLines.length; i++) {
    const text = yamlLines[i] ?? '';
    const heading = /^#{1,6}[ \t]+\S/.test(text) && !/^#+\s*[\w-]+:(\s|$)/.test(text);
    const titleLike = /^#[ \t]+[\p{Lu}\p{N}]/u.test(text) && !/:\/\/|[:.]\s*$/.test(text);
    const setOff = text.startsWith('##') || (yamlLines[i - 1] ?? '').trim() === '' || titleLike;
    if (!heading || !setOff) continue;
    return [
      {
        severity: 'warning',
        code: 'heading-in-front-matter',
        message: `the front matter runs to the "---" on line ${closeLine}, so "${text.trim()}" on line ${i + 2} is a YAML comment and is not shown; if the front matter ends before it, its closing "---" is missing: add one above line ${i + 2}`,
        line: 1,
        column: 1,
        ...(file === undefined ? {} : { file }),
      },
    ];
  }
  return [];
}
