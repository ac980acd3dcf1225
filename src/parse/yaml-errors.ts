/**
 * A YAML error in front matter as the author can act on it: the line (and column) where the
 * mistake is, not where the parser gave up, and a hint for the mistake it most likely is.
 */
import { visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import { FrontMatterError } from '../errors.js';

export interface YamlSource {
  /** The lines between the two `---` lines; the first is line 2 of the file. */
  lines: readonly string[];
  /** File line of the closing `---`. */
  closeLine: number;
  lineCounter: LineCounter;
  file: string | undefined;
}

const GENERAL_HINT = 'Front matter is plain YAML "key: value" lines between two "---" lines';

export function yamlError(problem: YAMLError, doc: Document, source: YamlSource): FrontMatterError {
  const { lines, closeLine, lineCounter, file } = source;
  const detail = (problem.message.split('\n')[0] ?? problem.message).replace(/ at line \d+, column \d+:?$/, '');
  const fail = (line: number, message: string, hint: string) =>
    new FrontMatterError('front-matter-yaml', `front matter is not valid YAML: ${message}`, { file, line, hint, cause: problem });
  const line = (problem.linePos?.[0].line ?? 1) + 1;

  if (problem.code === 'MISSING_CHAR' && /quote/.test(problem.message)) {
    // The parser notices a missing closing quote only where the text runs out; the mistake is
    // where the quote opens.
    const open = openQuoteBefore(doc, problem.pos[0]);
    if (open !== undefined) {
      const at = lineCounter.linePos(open.offset);
      const text = lines[at.line - 1] ?? '';
      return fail(
        at.line + 1,
        `the ${open.quote} that opens at column ${at.col} is never closed, so the value runs on to line ${line}`,
        `Close the quote at the end of the value, e.g. ${text.trimEnd()}${open.quote}, or leave the quotes out.`,
      );
    }
  }
  const flow = problem.code === 'BAD_INDENT' ? /Flow (sequence|map)/.exec(problem.message)?.[1] : undefined;
  if (flow !== undefined) {
    const open = openFlowBefore(doc, problem.pos[0]);
    if (open !== undefined) {
      const at = lineCounter.linePos(open);
      const [opener, closer] = flow === 'map' ? ['{', '}'] : ['[', ']'];
      return fail(
        at.line + 1,
        `the ${opener} that opens at column ${at.col} is not closed where YAML expects its ${closer}`,
        `Close it with ${closer} on the same line, or indent every line that continues it.`,
      );
    }
  }
  if (problem.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const text = lines[line - 2] ?? '';
    const pair = /^(\s*[^\s:#][^:#]*?):\s+(\S.*?:(?:\s.*)?)\s*$/.exec(text);
    if (pair !== null) {
      const value = (pair[2] ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      return fail(
        line,
        `the value of "${(pair[1] ?? '').trim()}" contains ": ", which YAML reads as a second key`,
        `Quote the value: ${pair[1] ?? ''}: "${value}".`,
      );
    }
  }
  if (problem.code === 'TAG_RESOLVE_FAILED') {
    return fail(
      line,
      detail,
      'Custom tags such as !!js/function are not allowed: front matter is data, never code. Write the value as plain text.',
    );
  }
  const pastHeading = lines.some((l) => /^#{1,6}\s+\S/.test(l));
  return fail(
    line,
    detail,
    `${GENERAL_HINT}${pastHeading ? ` (this one runs to line ${closeLine}, past a Markdown heading: is its closing "---" missing?)` : ''}.`,
  );
}

/** The flow collection (`[…]` or `{…}`) that the parser was still reading at `offset`. */
function openFlowBefore(doc: Document, offset: number): number | undefined {
  let found: number | undefined;
  const check = (node: { flow?: boolean; range?: [number, number, number] | null | undefined }) => {
    const range = node.range;
    if (node.flow === true && range !== null && range !== undefined && range[0] < offset && offset <= range[1] + 1) found = range[0];
  };
  visit(doc, { Seq: (_, node) => check(node), Map: (_, node) => check(node) });
  return found;
}

/** The quoted scalar that the parser was still reading at `offset`. */
function openQuoteBefore(doc: Document, offset: number): { offset: number; quote: string } | undefined {
  let found: { offset: number; quote: string } | undefined;
  visit(doc, {
    Scalar(_, node) {
      const range = node.range;
      if (range === null || range === undefined) return;
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && range[0] < offset && offset <= range[1] + 1) {
        found = { offset: range[0], quote: node.type === 'QUOTE_DOUBLE' ? '"' : "'" };
      }
    },
  });
  return found;
}
