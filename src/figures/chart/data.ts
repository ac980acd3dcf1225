/**
 * The data a chart draws, all in hand before Vega runs: inline rows, or a CSV, TSV or JSON file
 * inside the folder rule's root (the rule images follow: resolved against the deck's folder,
 * symbolic links followed, refused outside the root). A remote `url` is never fetched: the chart
 * is drawn without it and the author is warned. Every `url` of the spec is replaced by the rows
 * read here, so Vega's own loader (which would fetch, and whose CSV reader compiles a Function)
 * is never asked for anything.
 */
import { resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { inside, realOrNearest, realRoot } from '../../build/assets.js';
import { describeSize, readRegularFile, RefusedFile } from '../../build/files.js';
import { FigureError } from '../../errors.js';
import { isLocalPath } from '../../render/assets.js';
import { decodePath } from '../../render/urls.js';
import type { Diagnostic } from '../../types.js';

/** Largest data file a chart reads (a chart of more than this is no longer a picture). */
export const MAX_DATA_BYTES = 8 * 1024 * 1024;
/** Most rows a chart draws from one data source. */
export const MAX_ROWS = 50_000;

export type Row = Record<string, unknown>;

export interface DataContext {
  /** The deck file, for messages. */
  file: string;
  deckDir: string;
  root: string;
  /** Deck line of the part of the fence at `path`. */
  lineOf(path: readonly (string | number)[]): number;
  diagnostics: Diagnostic[];
  /** Receives the absolute path of every data file read. */
  dataFiles: string[];
}

type Format = 'csv' | 'tsv' | 'json';

/** CSV cells as values: numbers as numbers, empty cells as null, everything else as written. */
function cell(value: string): unknown {
  const text = value.trim();
  if (text === '') return null;
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return value;
}

function utf8(bytes: Buffer, where: string, at: { file: string; line: number }): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new FigureError('figure-data', `data file ${where} is not UTF-8 text`, { ...at, hint: 'Save it as UTF-8.', cause: error });
  }
}

/** Rows of delimited text; a malformed row is a FigureError naming `where`, its line and the parser's message. */
export function readDelimited(text: string, delimiter: ',' | '\t', where: string, at: { file: string; line: number }): Row[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, delimiter, skip_empty_lines: true, bom: true, to: MAX_ROWS + 1 }) as Record<string, string>[];
  } catch (error) {
    const detail = error as Error & { lines?: number; records?: number };
    const line = typeof detail.lines === 'number' ? detail.lines : undefined;
    throw new FigureError(
      'figure-data',
      `data ${where}${line === undefined ? '' : ` line ${line}`}${typeof detail.records === 'number' ? ` (row ${detail.records + 1})` : ''} is malformed: ${detail.message}`,
      {
        ...at,
        hint: 'Every row needs as many cells as the header line has names, and a quote that opens a cell must close it.',
        cause: error,
      },
    );
  }
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)])));
}

/** The rows of a JSON text: a list, or the list at `property` (a dotted path) of an object. */
export function readJson(text: string, property: string | undefined, where: string, at: { file: string; line: number }): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new FigureError(
      'figure-data',
      `data ${where}${line === undefined ? '' : ` line ${line}`} is not valid JSON: ${(error as Error).message}`,
      {
        ...at,
        hint: 'A JSON data file holds a list of rows, e.g. [{"month": "Jan", "sales": 3}].',
        cause: error,
      },
    );
  }
  for (const key of property?.split('.') ?? []) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (!Array.isArray(value)) {
    throw new FigureError('figure-data', `data ${where} is not a list of rows${property === undefined ? '' : ` at "${property}"`}`, {
      ...at,
      hint: 'A JSON data file holds a list of rows, e.g. [{"month": "Jan", "sales": 3}]; name the list inside an object with format: {property: …}.',
    });
  }
  return value;
}

function formatOf(data: Record<string, unknown>, path: string): Format | undefined {
  const format = data['format'];
  const type = format !== null && typeof format === 'object' ? (format as Record<string, unknown>)['type'] : undefined;
  if (type === 'csv' || type === 'tsv' || type === 'json') return type;
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'tsv' || ext === 'json' ? ext : undefined;
}

function propertyOf(data: Record<string, unknown>): string | undefined {
  const format = data['format'];
  const property = format !== null && typeof format === 'object' ? (format as Record<string, unknown>)['property'] : undefined;
  return typeof property === 'string' ? property : undefined;
}

function checkRows(rows: unknown[], where: string, at: { file: string; line: number }): void {
  if (rows.length > MAX_ROWS) {
    throw new FigureError('figure-data', `data ${where} has more than ${MAX_ROWS} rows`, {
      ...at,
      hint: 'A chart on a slide shows a summary: aggregate the data before charting it.',
    });
  }
}

/** The rows of the data file `ref` (as written in the fence), read under the folder rule. */
export async function readDataFile(ref: string, data: Record<string, unknown>, ctx: DataContext, line: number): Promise<unknown[]> {
  const at = { file: ctx.file, line };
  const path = resolve(ctx.deckDir, decodePath(ref.trim()));
  const where = `file "${ref}"`;
  let real: string;
  try {
    real = realOrNearest(path);
  } catch (error) {
    throw new FigureError('figure-data', `data ${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      ...at,
      cause: error,
    });
  }
  const root = realRoot(ctx.root);
  if (!inside(real, root)) {
    throw new FigureError(
      'figure-data',
      `data ${where} is outside ${root}${real !== path && inside(path, root) ? ' (through a symbolic link)' : ''}`,
      {
        ...at,
        hint: "A chart reads data files inside the deck's folder (or --root); copy the file there.",
      },
    );
  }
  const format = formatOf(data, ref);
  if (format === undefined) {
    throw new FigureError('figure-data', `data ${where}: cannot tell its format`, {
      ...at,
      hint: 'Name a .csv, .tsv or .json file, or say format: {type: csv} next to it.',
    });
  }
  let bytes: Buffer;
  ctx.dataFiles.push(path);
  try {
    bytes = await readRegularFile(real, MAX_DATA_BYTES);
  } catch (error) {
    if (!(error instanceof RefusedFile)) throw error;
    const missing = error.refusal.reason === 'missing';
    throw new FigureError('figure-data', missing ? `data ${where} does not exist (${path})` : `data ${where} is ${error.refusal.detail}`, {
      ...at,
      hint: missing
        ? "Check the name; it is read relative to the deck's folder."
        : `A chart reads a regular file of at most ${describeSize(MAX_DATA_BYTES)}.`,
      cause: error,
    });
  }
  const text = utf8(bytes, where, at);
  const rows =
    format === 'json' ? readJson(text, propertyOf(data), where, at) : readDelimited(text, format === 'csv' ? ',' : '\t', where, at);
  checkRows(rows, where, at);
  return rows;
}

/**
 * Every data source of a Vega-Lite spec (at any depth: layers, concatenations, lookups) made
 * inline, in place: a local `url` becomes the file's rows, a remote one an empty list and a
 * warning, and inline text (`values: "a,b\n1,2"`) its rows.
 */
export async function inlineData(spec: unknown, ctx: DataContext): Promise<void> {
  const visit = async (node: unknown, path: (string | number)[]): Promise<void> => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) await visit(item, [...path, i]);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(object)) {
      // A data source holds rows, not specs: a row's own "data" or "url" fields are never sources.
      if (key === 'data' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        await inlineSource(value as Record<string, unknown>, [...path, key], ctx);
      } else if (key !== 'datasets') {
        await visit(value, [...path, key]);
      }
    }
  };
  await visit(spec, []);
}

async function inlineSource(data: Record<string, unknown>, path: (string | number)[], ctx: DataContext): Promise<void> {
  const url = data['url'];
  if (url !== undefined) {
    const line = ctx.lineOf([...path, 'url']);
    delete data['url'];
    if (typeof url !== 'string' || !isLocalPath(url)) {
      ctx.diagnostics.push({
        severity: 'warning',
        code: 'chart-url-refused',
        message: `the chart's data url ${JSON.stringify(String(url)).slice(0, 200)} was not fetched: a build never reaches the network; save the data in a .csv or .json file next to the deck and name that file`,
        file: ctx.file,
        line,
      });
      data['values'] = [];
    } else {
      data['values'] = await readDataFile(url, data, ctx, line);
    }
    keepParse(data);
    return;
  }
  const sequence = data['sequence'];
  if (sequence !== null && typeof sequence === 'object') {
    const { start = 0, stop = 0, step = 1 } = sequence as Record<string, unknown>;
    const count = (Number(stop) - Number(start)) / Number(step);
    if (!(Number.isFinite(count) && count <= MAX_ROWS)) {
      throw new FigureError('figure-data', `the chart's sequence makes more than ${MAX_ROWS} rows`, {
        file: ctx.file,
        line: ctx.lineOf([...path, 'sequence']),
        hint: 'Use a smaller range or a larger step.',
      });
    }
  }
  const values = data['values'];
  if (typeof values === 'string') {
    const line = ctx.lineOf([...path, 'values']);
    const format = formatOf(data, '') ?? 'json';
    const at = { file: ctx.file, line };
    const rows =
      format === 'json'
        ? readJson(values, propertyOf(data), 'in the fence', at)
        : readDelimited(values, format === 'csv' ? ',' : '\t', 'in the fence', at);
    checkRows(rows, 'in the fence', at);
    data['values'] = rows;
    keepParse(data);
  } else if (Array.isArray(values)) {
    checkRows(values, 'in the fence', { file: ctx.file, line: ctx.lineOf([...path, 'values']) });
  }
}

/** A source's `format` once its text is parsed here: only the type hints for fields (`parse`) still apply. */
function keepParse(data: Record<string, unknown>): void {
  const format = data['format'];
  const parse = format !== null && typeof format === 'object' ? (format as Record<string, unknown>)['parse'] : undefined;
  if (parse === undefined) delete data['format'];
  else data['format'] = { parse };
}
