/**
 * ```chart and ```vega-lite fences to inline SVG, in Node: the fence is read (YAML or JSON), its
 * data made inline under the folder rule (data.ts), compiled with Vega-Lite under the theme's
 * config (theme-config.ts), laid out by Vega with text measured in the theme's font files
 * (text-metrics.ts), and written as SVG by Vega's string renderer (no canvas, no DOM).
 *
 * What a deck may make Vega do: expressions (filters, calculations, signals) are parsed to a
 * syntax tree and evaluated by vega-interpreter, never compiled with Function or eval; Vega's
 * loader refuses everything, so nothing is fetched and links and images are left out. Vega and
 * Vega-Lite themselves are trusted (docs/charts.md).
 *
 * Vega and Vega-Lite are imported on the first chart, so a deck without charts never loads them.
 */
import { FigureError } from '../../errors.js';
import type { Diagnostic } from '../../types.js';
import type { FigureTheme } from '../types.js';
import { inlineData, type DataContext } from './data.js';
import { shortChart } from './short.js';
import { parseFence, type ParsedFence } from './source.js';
import { finishSvg } from './svg.js';
import { FontMeasurer, type TextItem } from './text-metrics.js';
import { chartStyle } from './theme-config.js';

export interface ChartInput {
  lang: 'chart' | 'vega-lite';
  source: string;
  /** The deck file, as messages name it. */
  file: string;
  /** Deck line of the fence's first content line. */
  line: number;
  /** Absolute folder of the deck: data files are resolved against it. */
  deckDir: string;
  /** The folder rule's root: data files must be inside it. */
  root: string;
  theme: FigureTheme;
  /** Unique per figure: the prefix of every id inside the SVG. */
  id: string;
}

export interface ChartResult {
  svg: string;
  diagnostics: Diagnostic[];
  /** Absolute paths of the data files the chart read, for a watcher to redraw it when one changes. */
  dataFiles: string[];
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
interface Libraries {
  vega: Vega;
  vegaLite: VegaLite;
  interpreter: unknown;
  metrics: { width: (item: TextItem, text: unknown) => number; estimateWidth: (item: TextItem, text: string) => number };
}

let libraries: Promise<Libraries> | undefined;

function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('vega-interpreter')]).then(([vega, vegaLite, interp]) => ({
    vega,
    vegaLite,
    interpreter: interp.expressionInterpreter,
    // Vega's text measuring hook: not in its typings, a documented extension point all the same.
    metrics: (vega as unknown as { textMetrics: Libraries['metrics'] }).textMetrics,
  }));
  return libraries;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Draws one chart. Charts are drawn one at a time: Vega's text measuring hook is shared by every
 * view in the process, and each chart measures in its own theme's fonts.
 * @throws FigureError (`figure-syntax`, `figure-data`) naming the deck file and the line in the fence.
 */
export function renderChart(input: ChartInput): Promise<ChartResult> {
  const run = queue.then(
    () => draw(input),
    () => draw(input),
  );
  queue = run.catch(() => undefined);
  return run;
}

interface CaptureLogger {
  logger: import('vega').LoggerInterface;
  warnings: string[];
  errors: string[];
}

/** A Vega/Vega-Lite logger that keeps what it is told. */
function captureLogger(): CaptureLogger {
  const warnings: string[] = [];
  const errors: string[] = [];
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = {
    level(_?: number) {
      return _ === undefined ? 2 : logger;
    },
    error(...args: unknown[]) {
      errors.push(text(args));
      return logger;
    },
    warn(...args: unknown[]) {
      warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return { logger, warnings, errors };
}

/** A summary of a Vega-Lite spec for its accessible name: "Bar chart of sales by month". */
function describe(spec: Record<string, unknown>): string {
  const mark = spec['mark'];
  const type =
    typeof mark === 'string'
      ? mark
      : mark !== null && typeof mark === 'object'
        ? String((mark as Record<string, unknown>)['type'] ?? '')
        : '';
  const encoding = (spec['encoding'] ?? {}) as Record<string, { field?: unknown; title?: unknown } | undefined>;
  const name = (channel: string) => {
    const def = encoding[channel];
    const value = def?.title ?? def?.field;
    return typeof value === 'string' ? value : undefined;
  };
  const what = name('y') ?? name('theta');
  const by = name('x') ?? name('color');
  const kind = type === '' ? 'Chart' : `${type.charAt(0).toUpperCase()}${type.slice(1)} chart`;
  return `${kind}${what === undefined ? '' : ` of ${what}`}${by === undefined ? '' : ` by ${by}`}`;
}

function titleText(spec: Record<string, unknown>): string | undefined {
  const title = spec['title'];
  const text = title !== null && typeof title === 'object' && !Array.isArray(title) ? (title as Record<string, unknown>)['text'] : title;
  if (typeof text === 'string' && text.trim() !== '') return text;
  if (Array.isArray(text) && text.every((t) => typeof t === 'string')) return text.join(' ');
  return undefined;
}

/** A spec the author did not size: the figure area of the slide (single and layered views only; Vega-Lite sizes the rest). */
function sizeToTheme(spec: Record<string, unknown>, theme: FigureTheme): void {
  const single = 'mark' in spec || 'layer' in spec;
  const composed = ['facet', 'repeat', 'concat', 'hconcat', 'vconcat'].some((k) => k in spec);
  if (!single || composed || 'width' in spec || 'height' in spec || 'autosize' in spec) return;
  spec['width'] = theme.width;
  spec['height'] = theme.height;
  spec['autosize'] = { type: 'fit', contains: 'padding' };
}

/** The Vega-Lite spec a fence stands for (its data inline), and a summary for its accessible name. */
async function specOf(
  input: ChartInput,
  ctx: DataContext,
  value: ParsedFence,
): Promise<{ spec: Record<string, unknown>; summary: string }> {
  if (input.lang === 'chart') return shortChart(value, ctx, input.theme);
  if (value.value === null || typeof value.value !== 'object' || Array.isArray(value.value)) {
    throw new FigureError('figure-syntax', 'the vega-lite fence does not hold a Vega-Lite spec (a mapping with mark, encoding, data, …)', {
      file: input.file,
      line: input.line,
      hint: 'Write the spec as a JSON object or YAML mapping; see https://vega.github.io/vega-lite/docs/spec.html',
    });
  }
  const spec = value.value as Record<string, unknown>;
  await inlineData(spec, ctx);
  sizeToTheme(spec, input.theme);
  return { spec, summary: describe(spec) };
}

/**
 * Vega's SVG of a compiled spec, and the addresses its loader refused. Vega's loader refuses
 * everything: data is inline by now, and an image or a link would reach out when shown.
 */
async function runVega(
  lib: Libraries,
  vegaSpec: import('vega').Spec,
  fonts: FigureTheme['fonts'],
  log: CaptureLogger,
): Promise<{ svg: string; refused: Set<string> }> {
  const refused = new Set<string>();
  const refuse = (uri: string) => {
    refused.add(uri);
    return Promise.reject(new Error(`${uri} is not loaded: a chart reads no files or URLs itself`));
  };
  // A link's address is asked for with context "href"; Vega's SVG writer does not expect a
  // refusal there, so it gets an empty address, and finishSvg drops the empty link.
  const sanitize = (uri: string, options: { context?: string }) => {
    if (options.context !== 'href') return refuse(uri);
    refused.add(uri);
    return Promise.resolve({ href: '' });
  };
  const measurer = await FontMeasurer.create(fonts, lib.metrics.estimateWidth);
  lib.metrics.width = (item, text) => measurer.width(item, text);
  let view: import('vega').View | undefined;
  try {
    // ast: true keeps expressions as syntax trees, for the interpreter; no code is generated.
    const runtime = lib.vega.parse(vegaSpec, undefined, { ast: true });
    view = new lib.vega.View(runtime, {
      renderer: 'none',
      logger: log.logger,
      logLevel: lib.vega.Warn,
      expr: lib.interpreter,
      loader: { load: refuse, sanitize, http: refuse, file: refuse },
    });
    return { svg: await view.toSVG(), refused };
  } finally {
    view?.finalize();
  }
}

async function draw(input: ChartInput): Promise<ChartResult> {
  const parsed = parseFence(input.source, { file: input.file, line: input.line, lang: input.lang });
  const diagnostics: Diagnostic[] = [];
  const ctx: DataContext = {
    file: input.file,
    deckDir: input.deckDir,
    root: input.root,
    lineOf: parsed.lineOf,
    diagnostics,
    dataFiles: [],
  };
  const { spec, summary } = await specOf(input, ctx, parsed);
  const label = (typeof spec['description'] === 'string' ? spec['description'] : undefined) ?? titleText(spec) ?? summary;
  const lib = await load();
  const at = { file: input.file, line: input.line };
  const fail = (stage: string, error: unknown) =>
    new FigureError(
      'figure-syntax',
      `the ${input.lang} fence cannot be drawn: ${stage}: ${error instanceof Error ? error.message : String(error)}`,
      {
        ...at,
        hint:
          input.lang === 'chart'
            ? 'See docs/charts.md for what a chart fence takes.'
            : 'Check the spec against https://vega.github.io/vega-lite/docs/',
        cause: error,
      },
    );
  const log = captureLogger();
  let vegaSpec: import('vega').Spec;
  try {
    const options = { config: chartStyle(input.theme).config, logger: log.logger };
    vegaSpec = lib.vegaLite.compile(spec as unknown as import('vega-lite').TopLevelSpec, options).spec;
  } catch (error) {
    throw fail('Vega-Lite', error);
  }
  let drawn: { svg: string; refused: Set<string> };
  try {
    drawn = await runVega(lib, vegaSpec, input.theme.fonts, log);
  } catch (error) {
    throw fail('Vega', error);
  }
  if (log.errors.length > 0) throw fail('Vega', new Error(log.errors[0]));
  for (const message of log.warnings) {
    diagnostics.push({ severity: 'warning', code: 'chart-warning', message: `the ${input.lang} fence: ${message}`, ...at });
  }
  for (const uri of [...drawn.refused].sort()) {
    const message = `the chart's link or image ${JSON.stringify(uri).slice(0, 200)} was left out: a chart loads nothing and links nowhere`;
    diagnostics.push({ severity: 'warning', code: 'chart-url-refused', message, ...at });
  }
  return { svg: finishSvg(drawn.svg, input.id, label), diagnostics, dataFiles: [...new Set(ctx.dataFiles)].sort() };
}
