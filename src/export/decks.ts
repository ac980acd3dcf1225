import { defaultExportConcurrency } from './defaults.js';
import { DecksmithError, BrowserError } from '../errors.js';
import type { BuiltDeck, PdfOptions } from '../types.js';
import { BrowserSession } from '../browser/session.js';
import { parseRange } from './range.js';
import { exportPdfs, printJob, sharesPage, sharesPageAtSlideSize, type ExportPhase, type PdfResult } from './pdf.js';

export { EXPORT_PHASES, type ExportPhase } from './pdf.js';
import { trace } from '../browser/trace.js';

/** What happened to one (deck, options) job, for a progress bar or a log line. */
export interface ExportProgress {
  /** Jobs finished (ok or failed) so far, and in all. */
  done: number;
  total: number;
  /** Which job (0-based, in input order) this event is about. */
  job: number;
  deck: string;
  kind: 'pdf' | 'handout';
  /** Slides the job prints (after --range). */
  slides: number;
  /** 'phase': the job moved on to `phase`. */
  state: 'start' | 'phase' | 'done' | 'failed';
  phase?: ExportPhase;
  file?: string;
  pages?: number;
  error?: DecksmithError;
}

export type ProgressCallback = (event: ExportProgress) => void;

export interface ExportDecksSettings {
  onProgress?: ProgressCallback;
  /**
   * Browser to use, or its pending launch (start `BrowserSession.launch()` before building to
   * overlap Chromium's start-up with the build). The caller closes it. When absent, one is
   * launched for this call and closed at the end.
   */
  session?: BrowserSession | Promise<BrowserSession>;
  /** Passed to `BrowserSession.launch` when this call launches the browser. */
  log?: (message: string) => void;
  /**
   * Units (a PDF, or a deck's PDFs that share a page load) running at once on the one browser.
   * @defaultValue one more than the number of CPU cores: a unit waits on round trips between
   *   Node and Chromium, so as many tabs as cores leave a core idle, most of all while the last
   *   unit runs alone (3 decks on 2 cores: `npm start` took 1.77× the slowest single deck's PDF
   *   with 2 tabs, 1.56× with 3; medians of 7 interleaved runs)
   */
  concurrency?: number;
  /**
   * Called once, as soon as every job is done with the browser (the last PDFs may still be
   * finishing): a caller that owns the session can close it then, so Chromium shuts down while
   * pdf-lib works. A session this call launched itself is closed at that point anyway.
   */
  onBrowserDone?: () => void;
}

export interface ExportOutcome {
  built: BuiltDeck;
  options: PdfOptions;
  result?: PdfResult;
  error?: DecksmithError;
}

/** Slides a job prints: the range's, else every slide (a bad range fails the job later, with its message). */
function printedSlides(job: ExportOutcome): number {
  const count = job.built.rendered.slides.length;
  if (job.options.range === undefined) return count;
  try {
    return parseRange(job.options.range, count).length;
  } catch {
    return count;
  }
}

function asDecksmithError(error: unknown): DecksmithError {
  if (error instanceof DecksmithError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BrowserError('pdf-export-failed', `PDF export failed: ${message}`, { cause: error });
}

/** Decks exported as they are built: see exportQueue. */
export interface ExportQueue {
  /**
   * Queues every variant of `built`; its PDFs start as soon as the browser and a free slot allow.
   * `position` places its outcomes in what `close` returns (decks built out of order still list in
   * order); without it, decks list in the order added, after those with a position.
   */
  add(built: BuiltDeck, position?: number): void;
  /**
   * No more decks: resolves with every outcome, in the order added (or of `position`).
   * @throws BrowserError when the browser could not start (as exportDecks).
   */
  close(): Promise<ExportOutcome[]>;
}

export interface ExportQueueSettings extends ExportDecksSettings {
  /** Jobs the caller expects to add in all, so progress counts them before they are added. */
  expectedJobs?: number;
}

/**
 * Exports every deck with every option set (e.g. the slides PDF and a handout) on one browser,
 * running up to `concurrency` jobs at once. A failing job does not stop the others; each outcome
 * carries its result or its error, in input order, and the caller decides the exit code. If the
 * browser itself goes away, the remaining jobs fail fast with the same error.
 */
export async function exportDecks(
  builds: readonly BuiltDeck[],
  options: PdfOptions | readonly PdfOptions[],
  settings: ExportDecksSettings | ProgressCallback = {},
): Promise<ExportOutcome[]> {
  const queue = exportQueue(options, settings);
  for (const built of builds) queue.add(built);
  return queue.close();
}

/**
 * exportDecks for decks that are still being built: each deck's PDFs start as soon as it is added,
 * so the first deck prints while the next ones build. Variants of a deck that can print from one
 * page load (a slides PDF and its handout, see `sharesPage`) run together, in order, as one unit.
 */
export function exportQueue(
  options: PdfOptions | readonly PdfOptions[],
  settings: ExportQueueSettings | ProgressCallback = {},
): ExportQueue {
  const {
    onProgress,
    session: given,
    log,
    concurrency,
    onBrowserDone,
    expectedJobs,
  } = typeof settings === 'function' ? ({ onProgress: settings } as ExportQueueSettings) : settings;
  const variants = Array.isArray(options) ? (options as readonly PdfOptions[]) : [options as PdfOptions];
  /** Units the expected jobs make: a deck's slides PDF and its handout usually share one. */
  const expectedUnits = (): number => {
    const decks = Math.ceil((expectedJobs ?? 0) / variants.length);
    const [first, next] = variants;
    const paired =
      variants.length === 2 && first !== undefined && next !== undefined && first.size === undefined && sharesPageAtSlideSize(first, next);
    return decks * (paired ? 1 : variants.length);
  };
  const jobs: ExportOutcome[] = [];
  const positions = new Map<ExportOutcome, number>();
  const waiting: ExportOutcome[][] = [];
  const finished: Promise<void>[] = [];
  const limit = Math.max(1, concurrency ?? defaultExportConcurrency());
  let running = 0;
  let closed = false;
  let done = 0;
  let usingBrowser = 0;
  let browserDone = false;
  let launched: Promise<BrowserSession> | undefined;
  const browser = (): Promise<BrowserSession> => {
    if (launched === undefined) {
      launched = Promise.resolve(given).then(
        (session) =>
          session ??
          BrowserSession.launch(
            log === undefined ? { printTab: true, networkEvents: false } : { log, printTab: true, networkEvents: false },
          ),
      );
      // The tabs the expected units will print in open as soon as Chromium is up, while the later
      // decks still build: a unit then starts loading its deck at once instead of waiting
      // 0.1-0.5 s for a tab (on 2 cores, with the process busy building). Chromium's own blank
      // tab draws frames, so it is no print tab (BrowserSession.withPrintPage); the one the
      // session opened as Chromium started is.
      void launched.then(
        (session) => {
          const tabs = Math.min(limit, expectedUnits());
          if (tabs > 0) session.openPrintTabs(tabs);
        },
        () => undefined,
      );
    }
    launched.catch(() => undefined);
    return launched;
  };
  const maybeBrowserDone = (): void => {
    if (!closed || usingBrowser > 0 || browserDone || jobs.length === 0) return;
    browserDone = true;
    // Tabs opened for decks that were never added (one failed to build).
    if (launched !== undefined)
      void launched.then(
        (session) => session.closeTabs(),
        () => undefined,
      );
    onBrowserDone?.();
    if (given === undefined) void browser().then((session) => session.close());
  };
  const report = (job: ExportOutcome, state: ExportProgress['state'], phase?: ExportPhase): void => {
    if (onProgress === undefined) return;
    const event: ExportProgress = {
      done,
      total: closed ? jobs.length : Math.max(jobs.length, expectedJobs ?? 0),
      job: jobs.indexOf(job),
      deck: job.built.name,
      kind: job.options.handout === undefined ? 'pdf' : 'handout',
      slides: printedSlides(job),
      state,
    };
    if (phase !== undefined) event.phase = phase;
    if (job.result !== undefined) Object.assign(event, { file: job.result.file, pages: job.result.pages });
    if (job.error !== undefined) event.error = job.error;
    onProgress(event);
  };
  const runUnit = async (unit: ExportOutcome[]): Promise<void> => {
    const started = new Set<ExportOutcome>();
    const start = (job: ExportOutcome): void => {
      if (started.has(job)) return;
      started.add(job);
      report(job, 'start');
    };
    const releases = unit.map((): (() => void) => {
      let released = false;
      return (): void => {
        if (released) return;
        released = true;
        usingBrowser -= 1;
        maybeBrowserDone();
      };
    });
    const first = unit[0];
    if (first === undefined) return;
    let session: BrowserSession;
    try {
      session = await browser();
    } catch {
      // close() rejects with the launch error.
      for (const release of releases) release();
      return;
    }
    start(first);
    let results: Promise<PdfResult>[];
    try {
      session.assertAlive();
      results = exportPdfs(
        session,
        first.built,
        unit.map((job) => job.options),
        unit.map((job, i) => ({
          onBrowserDone: () => releases[i]?.(),
          onPhase: (phase: ExportPhase) => {
            start(job);
            report(job, 'phase', phase);
          },
        })),
      );
    } catch (error) {
      results = unit.map(() => Promise.reject(error));
    }
    // Awaited in order below: one that fails while an earlier one prints is not unhandled.
    for (const result of results) result.catch(() => undefined);
    for (const [i, job] of unit.entries()) {
      try {
        const result = results[i];
        if (result === undefined) throw new Error('unreachable: one result per job');
        job.result = await result;
        trace('written');
        done += 1;
        start(job);
        report(job, 'done');
      } catch (error) {
        job.error = asDecksmithError(error);
        done += 1;
        start(job);
        report(job, 'failed');
      } finally {
        releases[i]?.();
      }
    }
  };
  const pump = (): void => {
    while (running < limit) {
      const unit = waiting.shift();
      if (unit === undefined) return;
      running += 1;
      finished.push(
        runUnit(unit).finally(() => {
          running -= 1;
          pump();
        }),
      );
    }
  };
  return {
    add: (built, position) => {
      if (closed) throw new Error('exportQueue: add after close');
      let unit: ExportOutcome[] | undefined;
      for (const variant of variants) {
        const job: ExportOutcome = { built, options: variant };
        jobs.push(job);
        if (position !== undefined) positions.set(job, position);
        usingBrowser += 1;
        const last = unit?.[unit.length - 1];
        if (unit !== undefined && last !== undefined && sharesPage(printJob(built), last.options, variant)) unit.push(job);
        else {
          unit = [job];
          waiting.push(unit);
        }
      }
      pump();
    },
    close: async () => {
      closed = true;
      if (jobs.length === 0) return [];
      maybeBrowserDone();
      try {
        // The launch error, if the browser never started.
        await browser();
        // Units start as others finish: wait until none is left.
        for (let awaited = 0; awaited < finished.length; ) {
          const batch = finished.slice(awaited);
          awaited = finished.length;
          await Promise.all(batch);
        }
        // A caller that keeps the browser finds no tab of this call left open.
        await (await browser()).closeTabs();
      } finally {
        if (given === undefined) await (await browser().catch(() => undefined))?.close();
      }
      // Stable: a deck's variants keep their order.
      return [...jobs].sort((a, b) => (positions.get(a) ?? Number.POSITIVE_INFINITY) - (positions.get(b) ?? Number.POSITIVE_INFINITY));
    },
  };
}
