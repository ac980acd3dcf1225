/**
 * `decksmith pdf <input>` and the PDF half of `decksmith build --pdf --handout N`: exports on one
 * browser, a progress bar on a terminal when the work is long, one line per written file.
 */
import { dialectNotice } from '../../parse/dialect.js';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
// Only light modules load up front: the PDF commands start Chromium first and load the build and
// export code while it boots.
import { DEFAULT_TIMEOUT_MS } from '../../export/defaults.js';
import type { ExportOutcome, ExportQueue } from '../../export/decks.js';
import { parseRange, parseRangeSpans } from '../../export/range.js';
import type { BuiltDeck, DeckOptions, HandoutCount, PdfOptions, PdfSize } from '../../types.js';
import { tempDirectory } from '../../build/temp.js';
import { launchBrowser, type BrowserHandOff, type StartedBrowser } from '../browser-start.js';
import { formatDiagnostic, Reporter, type CliIO } from '../io.js';
import { trace } from '../../browser/trace.js';
import { buildForExport } from '../figures.js';

export interface PdfFlags extends DeckOptions {
  out?: string;
  notes?: 'none' | 'page' | 'below';
  fragments?: 'final' | 'steps';
  handout?: HandoutCount;
  size?: PdfSize;
  range?: string;
  timeout?: number;
  /** Errors only: no result line, notices or warnings. */
  quiet?: boolean;
}

let exporter: Promise<typeof import('../../export/decks.js')> | undefined;
/** The export code (pdf-lib and all); loading starts early so it overlaps the build. */
function loadExporter(): Promise<typeof import('../../export/decks.js')> {
  exporter ??= import('../../export/decks.js');
  return exporter;
}

/** Slides above which one export counts as long work and earns a progress bar. */
const LONG_DECK = 40;

/**
 * Chromium for this command: the one the executable started before loading the CLI (handed in
 * on `io` by `run`), or a new one, booting while the decks build. The caller closes it with
 * `close()`. Launch failures surface when the session is first awaited (in runExports).
 */
export function startBrowser(io: CliIO & BrowserHandOff): StartedBrowser {
  return io.earlyBrowser?.take() ?? launchBrowser((message) => io.stderr(`decksmith: ${message}\n`), io.signal);
}

export async function runExports(
  io: CliIO,
  builds: readonly BuiltDeck[],
  variants: readonly PdfOptions[],
  browser: StartedBrowser,
  /** Prints the warnings the export measures (clipped slides): colours, --quiet. */
  report: Reporter = new Reporter(io),
): Promise<number> {
  const exports = startExports(io, variants, browser, report, builds.length);
  for (const built of builds) exports.add(built);
  return exports.finish();
}

/** Exports started before every deck is built: `add` each deck as it is built, then `finish`. */
export interface RunningExports {
  /** `position`: where the deck's PDFs go in what `finish` prints (default: in the order added). */
  add(built: BuiltDeck, position?: number): void;
  /** Waits for every PDF, prints what was written and what failed; the exit code. */
  finish(): Promise<number>;
  /** Takes the progress bar off the terminal when the command stops without finishing (a signal). */
  abandon(): void;
}

/**
 * runExports for decks still being built: a deck's PDFs start printing as soon as it is added,
 * while the next decks build. What it prints (warnings, then one line per written file or
 * failure, in the order added) comes at `finish`, as runExports prints it.
 */
export function startExports(
  io: CliIO,
  variants: readonly PdfOptions[],
  browser: StartedBrowser,
  report: Reporter = new Reporter(io),
  /** Decks the caller means to add: sizes the progress bar before they are all built. */
  expectedDecks = 1,
): RunningExports {
  const added: BuiltDeck[] = [];
  let bar: SingleBar | undefined;
  let opened: Promise<ExportQueue> | undefined;
  const stepsDone = new Map<number, number>();
  const sum = (): number => [...stepsDone.values()].reduce((a, b) => a + b, 0);
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  // Opened on the first deck, once the export code has loaded (it loads while the deck builds).
  const open = (): Promise<ExportQueue> => {
    opened ??= loadExporter().then(({ exportQueue, EXPORT_PHASES }) => {
      const total = Math.max(expectedDecks, added.length) * variants.length;
      const steps = EXPORT_PHASES.length;
      const long = total > 2 || added.some((b) => b.deck.slides.length > LONG_DECK);
      // Chromium prints a deck in one call, so the bar moves per phase of each PDF (load, print,
      // write), saying what it is doing and to how many slides: a 500-slide deck is not `0/1` for 5 s.
      bar =
        io.isTTY && long
          ? new SingleBar({
              format: 'exporting {bar} {pdfs}/{jobs} PDFs  {status}',
              hideCursor: true,
              stream: process.stderr,
              clearOnComplete: true,
            })
          : undefined;
      bar?.start(total * steps, 0, { pdfs: 0, jobs: total, status: '' });
      return exportQueue(variants, {
        session: browser.session,
        expectedJobs: total,
        // Chromium shuts down while the last PDF is finished and written.
        onBrowserDone: () => void browser.close(),
        onProgress: (event) => {
          if (bar === undefined) return;
          // A deck that failed to build has no PDFs: the count shrinks to what was added.
          if (event.total * steps !== bar.getTotal()) bar.setTotal(event.total * steps);
          const name = `${event.deck}${event.kind === 'handout' ? ' (handout)' : ''}`;
          if (event.state === 'phase' && event.phase !== undefined) {
            stepsDone.set(event.job, EXPORT_PHASES.indexOf(event.phase));
            const status = `${name}: ${event.phase} ${event.slides} slide${event.slides === 1 ? '' : 's'}`;
            bar.update(sum(), { pdfs: event.done, jobs: event.total, status });
          } else if (event.state !== 'start') {
            stepsDone.set(event.job, steps);
            bar.update(sum(), { pdfs: event.done, jobs: event.total, status: `${name}: ${event.state}` });
          }
        },
      });
    });
    return opened;
  };
  // Decks added before the export code has loaded wait for it, in order.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    add: (built, position) => {
      added.push(built);
      const queue = open();
      chain = chain.then(() => queue.then((q) => q.add(built, position)));
      chain.catch(() => undefined);
    },
    finish: async () => {
      if (added.length === 0) return 0;
      let outcomes: ExportOutcome[];
      try {
        await chain;
        outcomes = await (await open()).close();
      } finally {
        stopBar();
      }
      let failed = 0;
      // A deck printed twice (slides and handout) is measured twice: each warning once.
      const warned = new Set<string>();
      for (const outcome of outcomes) {
        for (const d of outcome.result?.diagnostics ?? []) {
          const line = formatDiagnostic(d);
          if (warned.has(line)) continue;
          warned.add(line);
          report.diagnostic(d);
        }
      }
      for (const outcome of outcomes) {
        if (outcome.result !== undefined) io.stdout(`${outcome.result.file}  (${outcome.result.pages} pages)\n`);
        if (outcome.error !== undefined) {
          failed++;
          io.stderr(`decksmith: ${outcome.built.file}: ${outcome.error.format()}\n`);
        }
      }
      return failed === 0 ? 0 : 1;
    },
    abandon: stopBar,
  };
}

export function pdfOptions(flags: PdfFlags, handout?: HandoutCount): PdfOptions {
  if (flags.range !== undefined) parseRangeOrUsage(flags.range);
  return {
    notes: flags.notes ?? 'none',
    fragments: flags.fragments ?? 'final',
    timeoutMs: flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(flags.timeout * 1000),
    ...(flags.out === undefined ? {} : { out: flags.out }),
    ...(flags.size === undefined ? {} : { size: flags.size }),
    ...(flags.range === undefined ? {} : { range: flags.range }),
    ...(handout === undefined ? {} : { handout }),
  };
}

/** Checks the syntax before building (a UsageError, exit 2); the exporter checks the numbers against the deck. */
function parseRangeOrUsage(range: string): void {
  parseRangeSpans(range);
}

export async function pdfCommand(io: CliIO, input: string, flags: PdfFlags): Promise<number> {
  const options = pdfOptions(flags, flags.handout);
  const report = new Reporter(io, { quiet: flags.quiet === true });
  // Chromium boots (about half a second, on the other core) while the build code loads and runs.
  const browser = startBrowser(report.childIO(undefined, 'notices'));
  void loadExporter();
  // The deck is built into a temporary folder: the PDF is what was asked for.
  await using temp = tempDirectory('decksmith-pdf-');
  try {
    // Diagrams are drawn in the browser that prints or takes the pictures.
    const built = await buildForExport(io, browser, input, flags, temp.path);
    trace('built');
    // A slide number the deck does not have is bad usage (exit 2), like a malformed --range.
    if (options.range !== undefined) parseRange(options.range, built.rendered.slides.length);
    const dialect = dialectNotice(input, built.deck.dialect);
    if (dialect !== undefined) report.notice(dialect);
    for (const d of [...built.deck.diagnostics, ...built.rendered.diagnostics]) report.diagnostic(d);
    const out = options.out ?? resolve(io.cwd, 'output', `${built.name}${options.handout === undefined ? '' : '-handout'}.pdf`);
    return await runExports(report.childIO(), [built], [{ ...options, out }], browser, report);
  } finally {
    await browser.close();
    trace('closed');
  }
}
