/**
 * The ```chart fence: the common charts in a few lines of YAML, compiled to a Vega-Lite spec.
 *
 * ```yaml
 * type: bar            # bar | line | area | scatter | pie
 * title: Sales by month
 * x: month             # a column name, or {field, title, type}
 * y: sales
 * color: region        # optional: one series per value
 * data: sales.csv      # a .csv/.tsv/.json file, a list of rows, or a CSV table as a block string
 * ```
 *
 * Field types come from the data (numbers are quantitative, ISO dates temporal, anything else a
 * category kept in the data's order), so the fence names columns, not encodings. docs/charts.md
 * documents it for authors.
 */
import { closest } from 'fastest-levenshtein';
import * as z from 'zod';
import { FigureError } from '../../errors.js';
import type { FigureTheme } from '../types.js';
import { inlineData, readDelimited, type DataContext, type Row } from './data.js';
import type { ParsedFence } from './source.js';
import { SCALE } from './theme-config.js';

export const CHART_TYPES = ['bar', 'line', 'area', 'scatter', 'pie'] as const;
type ChartType = (typeof CHART_TYPES)[number];
type FieldType = 'quantitative' | 'temporal' | 'nominal' | 'ordinal';

const field = z.union([
  z.string().min(1),
  z.strictObject({
    field: z.string().min(1),
    title: z.string().optional(),
    type: z.enum(['quantitative', 'temporal', 'nominal', 'ordinal']).optional(),
  }),
]);

const row = z.record(z.string(), z.unknown());

const shortSchema = z.strictObject({
  type: z.enum(CHART_TYPES),
  x: field,
  y: field,
  color: field.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  data: z.union([z.string().min(1), z.array(row).min(1)]),
});

const KEYS = Object.keys(shortSchema.shape);

export interface ShortChart {
  spec: Record<string, unknown>;
  /** A sentence naming what the chart shows, for its accessible name when it has no title. */
  summary: string;
}

const ISO_DATE = /^\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?$/;

/** What the values of `name` are: numbers, ISO dates, or categories. */
function inferType(rows: readonly Row[], name: string): FieldType {
  const values = rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined && v !== '');
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return 'quantitative';
  if (values.length > 0 && values.every((v) => typeof v === 'string' && ISO_DATE.test(v))) return 'temporal';
  return 'nominal';
}

function invalid(parsed: ParsedFence, ctx: DataContext, issue: z.core.$ZodIssue): FigureError {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return new FigureError('figure-syntax', `the chart fence has an unknown key "${key}"`, {
      file: ctx.file,
      line: parsed.lineOf([...path, key]),
      hint: `Did you mean "${closest(key, KEYS)}"? A chart takes ${KEYS.join(', ')}; a \`\`\`vega-lite fence takes any Vega-Lite spec.`,
    });
  }
  const where = path.length === 0 ? 'the chart fence' : `"${path.join('.')}" in the chart fence`;
  const hint =
    path[0] === 'type'
      ? `type is one of ${CHART_TYPES.join(', ')}.`
      : path[0] === 'data'
        ? 'data names a .csv, .tsv or .json file, lists rows (- {month: Jan, sales: 3}), or holds a CSV table as a block (data: |).'
        : 'A chart needs type, x, y and data; see docs/charts.md.';
  return new FigureError('figure-syntax', `${where}: ${issue.message}`, { file: ctx.file, line: parsed.lineOf(path), hint });
}

/** The rows a chart fence names: a file, a CSV block (a string with a line break), or a list. */
async function rowsOf(data: string | Row[], parsed: ParsedFence, ctx: DataContext): Promise<Row[]> {
  const line = parsed.lineOf(['data']);
  if (Array.isArray(data)) return data;
  if (data.includes('\n'))
    return readDelimited(data, data.split('\n', 1)[0]?.includes('\t') === true ? '\t' : ',', 'in the fence', { file: ctx.file, line });
  const holder: Record<string, unknown> = { url: data };
  await inlineData({ data: holder }, { ...ctx, lineOf: () => line });
  return holder['values'] as Row[];
}

export async function shortChart(parsed: ParsedFence, ctx: DataContext, theme: FigureTheme): Promise<ShortChart> {
  const result = shortSchema.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
    throw invalid(parsed, ctx, issue ?? { code: 'custom', path: [], message: result.error.message, input: parsed.value });
  }
  const chart = result.data;
  const rows = await rowsOf(chart.data, parsed, ctx);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const channel = (key: 'x' | 'y' | 'color') => {
    const given = chart[key];
    if (given === undefined) return undefined;
    const def = typeof given === 'string' ? { field: given } : given;
    if (rows.length > 0 && !columns.includes(def.field)) {
      throw new FigureError('figure-data', `the chart's ${key} names a column "${def.field}" that the data does not have`, {
        file: ctx.file,
        line: parsed.lineOf([key]),
        hint: `The data's columns are: ${columns.join(', ') || '(none)'}; a name must match exactly, capitals too.`,
      });
    }
    return { field: def.field, title: def.title ?? def.field, type: def.type ?? inferType(rows, def.field) };
  };
  const x = channel('x');
  const y = channel('y');
  const color = channel('color');
  if (x === undefined || y === undefined) throw new Error('x and y are required by the schema');
  // Bars whose category labels would not fit side by side under them lie on their side instead.
  const sideways = chart.type === 'bar' && x.type === 'nominal' && y.type === 'quantitative' && !labelsFit(rows, x.field, theme);
  const encoding = sideways ? encode(chart.type, { ...y }, { ...x }, color) : encode(chart.type, x, y, color);
  const mark = markOf(chart.type, rows.length);
  const summary = `${chart.type === 'scatter' ? 'Scatter plot' : `${capital(chart.type)} chart`} of ${y.title} by ${x.title}${color === undefined ? '' : `, per ${color.title}`}`;
  // A pie is round: as tall as the figure, and only as wide as it and its legend need.
  const width = chart.type === 'pie' ? Math.min(theme.width, Math.round(theme.height * 1.7)) : theme.width;
  const spec: Record<string, unknown> = {
    ...(chart.title === undefined ? {} : { title: chart.title }),
    ...(chart.description === undefined ? {} : { description: chart.description }),
    data: { values: rows },
    mark,
    encoding,
    width,
    height: theme.height,
    autosize: { type: 'fit', contains: 'padding' },
  };
  return { spec, summary };
}

/** Whether the distinct values of `name` fit in a row across the figure (at a generous 0.6 em a character). */
function labelsFit(rows: readonly Row[], name: string, theme: FigureTheme): boolean {
  const labels = [...new Set(rows.map((r) => String(r[name] ?? '')))];
  const widest = Math.max(0, ...labels.map((l) => l.length)) * 0.6 * Math.round(theme.fontSize * SCALE.label);
  return widest * labels.length <= theme.width * 0.85;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function markOf(type: ChartType, rows: number): Record<string, unknown> {
  switch (type) {
    case 'scatter':
      return { type: 'point', filled: true };
    case 'line':
      // Dots on the data points while they are few enough to tell apart.
      return { type: 'line', point: rows <= 40 };
    case 'pie':
      return { type: 'arc' };
    default:
      return { type };
  }
}

type Channel = { field: string; title: string; type: FieldType };

/** A position channel: categories keep the data's order; dates are read and shown in UTC, so a build is the same in every time zone. */
function position(c: Channel, discrete: FieldType): Record<string, unknown> {
  const type = c.type === 'nominal' ? discrete : c.type;
  return {
    field: c.field,
    title: c.title,
    type,
    ...(type === 'nominal' || type === 'ordinal' ? { sort: null } : {}),
    ...(type === 'temporal' ? { scale: { type: 'utc' } } : {}),
  };
}

function encode(type: ChartType, x: Channel, y: Channel, color: Channel | undefined): Record<string, unknown> {
  const series =
    color === undefined
      ? {}
      : { color: { field: color.field, title: color.title, type: color.type, ...(color.type === 'quantitative' ? {} : { sort: null }) } };
  switch (type) {
    case 'pie':
      return {
        theta: { field: y.field, title: y.title, type: 'quantitative', stack: true },
        color: { field: (color ?? x).field, title: (color ?? x).title, type: 'nominal', sort: null },
      };
    case 'line':
    case 'area':
      return { x: position(x, 'ordinal'), y: position(y, 'ordinal'), ...series };
    default:
      return { x: position(x, 'nominal'), y: position(y, 'nominal'), ...series };
  }
}
