/**
 * Finding and reading the config file. decksmith looks in the working directory, then each parent
 * folder, and stops at the first folder that has `decksmith.config.yaml`, `decksmith.config.yml`
 * or a package.json with a "decksmith" key. The search also stops at the first folder that holds
 * `.git` (the repository's root, which is still searched) and at the file-system root, so a file in
 * a home folder above a repository never applies to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, Parser, isMap, isScalar, parseDocument, type Document, type ParsedNode } from 'yaml';
import { DecksmithError } from '../../errors.js';
import type { Diagnostic } from '../../types.js';

export const CONFIG_FILE_NAMES = ['decksmith.config.yaml', 'decksmith.config.yml'] as const;

/** A config file that cannot be read, is not data-only YAML/JSON, or has a wrong key or value (exit 1). */
export class ConfigFileError extends DecksmithError {}

export interface RawConfig {
  /** Absolute path of the file the settings came from. */
  file: string;
  data: unknown;
  /** 1-based line of each key, by dotted path ("pdf.notes"). */
  keyLines: Map<string, number>;
  /** Line of the mapping itself (1, or the line of "decksmith" in package.json). */
  line: number;
  diagnostics: Diagnostic[];
}

/** The nearest config at or above `cwd` (see the module comment), or undefined. */
export function readNearestConfig(cwd: string, display: (file: string) => string): RawConfig | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = readConfigIn(dir, display);
    if (found !== undefined) return found;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

function readConfigIn(dir: string, display: (file: string) => string): RawConfig | undefined {
  const yamlFiles = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter((file) => existsSync(file));
  const packageJson = join(dir, 'package.json');
  const fromPackage = existsSync(packageJson) ? readPackageJson(packageJson, display) : undefined;
  const [yamlFile, ...ignored] = yamlFiles;
  if (yamlFile === undefined) return fromPackage;
  const config = readYamlConfig(yamlFile, display);
  const ignoredNote = (what: string, file: string, line: number): Diagnostic => ({
    severity: 'warning',
    code: 'config-ignored',
    message: `${what} is ignored because ${display(yamlFile)} is next to it; keep only one of the two`,
    file: display(file),
    line,
  });
  for (const file of ignored) config.diagnostics.push(ignoredNote('this file', file, 1));
  if (fromPackage !== undefined) config.diagnostics.push(ignoredNote('the "decksmith" key', fromPackage.file, fromPackage.line));
  return config;
}

function readText(file: string, display: (file: string) => string): string {
  try {
    return readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n');
  } catch (error) {
    throw new ConfigFileError('config-unreadable', `cannot read the config file: ${(error as Error).message}`, {
      file: display(file),
      cause: error,
    });
  }
}

/** YAML's core schema: data only, no custom tags, duplicate keys refused (as in front matter). */
function parseYaml(text: string): { doc: Document.Parsed<ParsedNode>; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, schema: 'core', strict: true });
  return { doc, lineCounter };
}

function readYamlConfig(file: string, display: (file: string) => string): RawConfig {
  const text = readText(file, display);
  const { doc, lineCounter } = parseYaml(text);
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const tag = problem.code === 'TAG_RESOLVE_FAILED';
    const opened = problem.code === 'MISSING_CHAR' ? quoteStart(text, problem.pos[0]) : undefined;
    throw new ConfigFileError(
      'config-yaml',
      `the config file is not valid YAML: ${(problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      {
        file: display(file),
        line: opened === undefined ? problem.linePos?.[0].line : lineCounter.linePos(opened).line,
        hint: tag
          ? 'The config file is data only: custom tags such as !!js/function are not allowed. Write the value as plain YAML.'
          : opened !== undefined
            ? 'Close the quote opened on this line.'
            : 'Write the file as plain YAML "key: value" lines; quote a value that contains ": " or starts with a special character.',
      },
    );
  }
  const keyLines = new Map<string, number>();
  collectKeyLines(doc.contents, '', (offset) => lineCounter.linePos(offset).line, keyLines);
  const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
  return { file, data: empty ? {} : toData(doc, file, display), keyLines, line: 1, diagnostics: [] };
}

/**
 * Offset of the quote that opens the quoted scalar running up to `pos`: yaml reports a missing
 * closing quote where the text ends, but the line to fix is the one that opened it.
 */
function quoteStart(text: string, pos: number): number | undefined {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const token = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (
      (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') &&
      typeof token.offset === 'number' &&
      typeof token.source === 'string'
    ) {
      if (token.offset <= pos && pos <= token.offset + token.source.length) found = token.offset;
    }
    Object.values(node).forEach(visit);
  };
  visit([...new Parser().parse(text)]);
  return found;
}

function toData(doc: Document.Parsed<ParsedNode>, file: string, display: (file: string) => string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // The yaml package refuses documents whose aliases would expand without bound.
    throw new ConfigFileError('config-yaml', `the config file is not valid YAML: ${(error as Error).message}`, {
      file: display(file),
      line: 1,
      hint: 'Write the values out instead of nesting aliases (*name) inside each other.',
      cause: error,
    });
  }
}

/** The "decksmith" key of a package.json, or undefined when it has none. */
function readPackageJson(file: string, display: (file: string) => string): RawConfig | undefined {
  const text = readText(file, display);
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    // npm fails on it too; it is ours to report only if it seems to hold our settings.
    if (!text.includes('"decksmith"')) return undefined;
    throw new ConfigFileError('config-json', `package.json is not valid JSON: ${(error as Error).message}`, {
      file: display(file),
      hint: 'Fix the JSON syntax; the "decksmith" key holds decksmith\'s settings.',
      cause: error,
    });
  }
  if (typeof pkg !== 'object' || pkg === null || !Object.hasOwn(pkg, 'decksmith')) return undefined;
  // JSON is YAML, so the yaml parser gives each key's line; the values come from JSON.parse.
  const { doc, lineCounter } = parseYaml(text);
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const keyLines = new Map<string, number>();
  let line = 1;
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'decksmith');
    if (pair !== undefined && isScalar(pair.key) && pair.key.range) line = lineOf(pair.key.range[0]);
    collectKeyLines(pair?.value ?? null, '', lineOf, keyLines);
  }
  return { file, data: (pkg as Record<string, unknown>).decksmith, keyLines, line, diagnostics: [] };
}

function collectKeyLines(node: unknown, prefix: string, lineOf: (offset: number) => number, out: Map<string, number>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const path = `${prefix}${String(pair.key.value)}`;
    out.set(path, lineOf(pair.key.range[0]));
    collectKeyLines(pair.value, `${path}.`, lineOf, out);
  }
}
