import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { BrowserError, DecksmithError } from '../errors.js';
import type { BuiltDeck, Diagnostic, PdfOptions, PdfSize } from '../types.js';
import { measureSlides, overflowDiagnostics } from '../browser/measure.js';
import { writeFileAtomic } from '../build/atomic.js';
import type { BrowserSession } from '../browser/session.js';
import type { Bookmark, PdfInfo } from './finish-pdf.js';
import { layoutHandout } from './handout-layout.js';
import { restorePrintView, snapshotPrintView } from './shared-page.js';
import { loadPrintView, type FailedRequest } from '../browser/load.js';
import { layoutPages, type PageLayoutArgs, type PrintedPage } from '../browser/page-scripts.js';
import { parseRange } from './range.js';
import { trace } from '../browser/trace.js';
import { SLIDE_PIXELS } from '../render/index.js';
import { failedRequestDiagnostics, printJob, type PrintJob } from './print-job.js';
import { joinPdfs } from './pdf-join.js';

export { printJob, type PrintJob, type PrintSlide } from './print-job.js';

export interface PdfResult {
  file: string;
  pages: number;
  /**
   * Slides that do not fit their frame and print clipped (`overflow` warnings, as `decksmith
   * check` words them), measured on the page that was printed; then the deck's files that did not
   * load while it printed (`asset-not-loaded`: an image or font missing from the PDF).
   */
  diagnostics: Diagnostic[];
}

export { DEFAULT_TIMEOUT_MS } from './defaults.js';

/** Where the PDF goes unless `options.out` says otherwise: next to the deck's output folder. */
export function defaultPdfPath(built: BuiltDeck, handout: boolean): string {
  return join(dirname(built.outDir), `${built.name}${handout ? '-handout' : ''}.pdf`);
}

/** CSS px at 96 per inch; paper sizes in px are rounded down so a sheet never spills onto a 2nd page. */
const PAPER: Record<'a4' | 'letter', { width: number; height: number; css: string }> = {
  a4: { width: 793, height: 1122, css: 'A4' },
  letter: { width: 816, height: 1056, css: 'letter' },
};

/** The sheet each page is scaled onto, or null when the content's own size is wanted. */
export function sheetFor(size: PdfSize | undefined, content: { width: number; height: number }): PageLayoutArgs['sheet'] {
  if (size === undefined) return null;
  if (size === 'a4' || size === 'letter') {
    const paper = PAPER[size];
    const landscape = content.width >= content.height;
    return landscape
      ? { width: paper.height, height: paper.width, css: `${paper.css} landscape` }
      : { width: paper.width, height: paper.height, css: `${paper.css} portrait` };
  }
  const [width, height] = SLIDE_PIXELS[size];
  const page = { width, height };
  if (page.width === content.width && page.height === content.height) return null;
  return { ...page, css: `${page.width}px ${page.height}px` };
}

export function pdfInfo(job: PrintJob, handout: boolean): PdfInfo {
  return handout ? { ...job.info, title: `${job.info.title} (handout)` } : job.info;
}

/** One bookmark per printed slide, at its first page; vertical slides nest under their stack's top slide. */
export function bookmarksFor(job: PrintJob, pages: PrintedPage[], pageOf: (printedIndex: number) => number = (i) => i): Bookmark[] {
  const top: Bookmark[] = [];
  const byH = new Map<number, Bookmark>();
  const seen = new Set<number>();
  pages.forEach((printed, i) => {
    if (printed.kind !== 'slide' || seen.has(printed.slide)) return;
    seen.add(printed.slide);
    const slide = job.slides[printed.slide];
    const title = slide?.title || `Slide ${printed.slide + 1}`;
    const mark: Bookmark = { title, page: pageOf(i), children: [] };
    const parent = slide !== undefined && slide.v > 0 ? byH.get(slide.h) : undefined;
    if (parent !== undefined) parent.children.push(mark);
    else top.push(mark);
    if (slide !== undefined && !byH.has(slide.h)) byH.set(slide.h, mark);
  });
  return top;
}

let finisher: Promise<typeof import('./finish-pdf.js')> | undefined;
/** pdf-lib and the code around it, loaded once, on first use. */
function loadFinisher(): Promise<typeof import('./finish-pdf.js')> {
  finisher ??= import('./finish-pdf.js');
  finisher.catch(() => undefined);
  return finisher;
}

async function printPage(session: BrowserSession, page: Page, timeoutMs: number, pageRanges = ''): Promise<Uint8Array> {
  try {
    return await session.race(
      page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: timeoutMs, pageRanges }),
    );
  } catch (error) {
    session.assertAlive();
    if (error instanceof DecksmithError) throw error;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new BrowserError(
      timedOut ? 'pdf-timeout' : 'pdf-print-failed',
      `Chromium could not print the deck: ${(error as Error).message}`,
      {
        hint: timedOut ? 'Raise --timeout, or export a smaller --range.' : undefined,
        cause: error,
      },
    );
  }
}

/** What an export is doing, in order: loading and laying out the deck, printing it, writing the PDF. */
export const EXPORT_PHASES = ['loading', 'printing', 'finishing'] as const;
export type ExportPhase = (typeof EXPORT_PHASES)[number];

export interface ExportHooks {
  /** Called as each phase starts (Chromium prints a deck in one call: there is no per-page progress). */
  onPhase?: (phase: ExportPhase) => void;
  /**
   * Called once Chromium is done with this deck (printed, or failed), while the PDF may still be
   * finishing: the last export can let the browser shut down in parallel.
   */
  onBrowserDone?: () => void;
}

/** A PDF to print: its options, and where it goes. */
export type PdfTarget = PdfOptions & { out: string };

/**
 * Whether `next` can be printed from the page `first` was just printed from, instead of loading
 * the deck again: a handout after a slides PDF of the same slides that only sizes the slide pages
 * (final fragments, no notes, the deck's own page size). Both load the same print view, and the
 * slides PDF's layout is undone (restorePrintView) before the handout moves the pages into its grid.
 */
export function sharesPage(job: PrintJob, first: PdfOptions, next: PdfOptions): boolean {
  return sharesPageAtSlideSize(first, next) && sheetFor(first.size, job.slide) === null;
}

/** sharesPage without the page size: what it asks of the two PDFs' other options. */
export function sharesPageAtSlideSize(first: PdfOptions, next: PdfOptions): boolean {
  return (
    first.handout === undefined &&
    next.handout !== undefined &&
    first.notes === 'none' &&
    first.fragments === 'final' &&
    first.range === next.range
  );
}

/**
 * Prints a built deck to PDF (or, with `options.handout`, to a handout) and writes it atomically.
 * The page count is read back from the finished file.
 *
 * @throws BrowserError on load/print failures and timeouts, OutputError when writing fails,
 *   UsageError for a bad `--range`.
 */
export async function exportPdf(
  session: BrowserSession,
  built: BuiltDeck,
  options: PdfOptions,
  hooks: ExportHooks = {},
): Promise<PdfResult> {
  const out = options.out ?? defaultPdfPath(built, options.handout !== undefined);
  return printPdf(session, printJob(built), { ...options, out }, hooks);
}

/** exportPdf for a print job: `options.out` is where the PDF goes. */
export async function printPdf(session: BrowserSession, job: PrintJob, options: PdfTarget, hooks: ExportHooks = {}): Promise<PdfResult> {
  const [result] = printPdfs(session, job, [options], [hooks]);
  if (result === undefined) throw new Error('unreachable: one target, one result');
  return result;
}

/**
 * Several PDFs of one built deck (exportPdf for each of `options`, in order), each with its own
 * outcome. Consecutive ones that `sharesPage` allows are printed from one loaded page.
 */
export function exportPdfs(
  session: BrowserSession,
  built: BuiltDeck,
  options: readonly PdfOptions[],
  hooks: readonly ExportHooks[] = [],
): Promise<PdfResult>[] {
  const targets = options.map((o) => ({ ...o, out: o.out ?? defaultPdfPath(built, o.handout !== undefined) }));
  return printPdfs(session, printJob(built), targets, hooks);
}

interface Printed {
  bytes: Uint8Array;
  bookmarks: Bookmark[];
  diagnostics: Diagnostic[];
}

/** One target of printPdfs on its way through the browser. */
interface Pending {
  target: PdfTarget;
  hooks: ExportHooks;
  /** Reading-order slides it prints (null: all). */
  keep: number[] | null;
  /** Resolves once writeFileAtomic has asked for the bytes (`wanted`), or has failed before. */
  asked: Promise<void>;
  wanted: boolean;
  ask: () => void;
  printed: Promise<Printed>;
  resolve: (printed: Printed) => void;
  reject: (error: unknown) => void;
  settled: boolean;
  /** Emits the 'loading' phase, once. */
  begin: () => void;
  /** Emits the 'printing' phase, once (a split print that falls back to one piece prints twice). */
  printing: () => void;
  /** Calls hooks.onBrowserDone, once. */
  release: () => void;
  /** Resolves once the page it was printed from is closed (or it will not be printed). */
  pageClosed: Promise<void>;
  closePage: () => void;
}

function pending(target: PdfTarget, hooks: ExportHooks, keep: number[] | null): Pending {
  let ask = (): void => undefined;
  const asked = new Promise<void>((resolve) => {
    ask = resolve;
  });
  let resolve: (printed: Printed) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const printed = new Promise<Printed>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  printed.catch(() => undefined);
  let closePage = (): void => undefined;
  const pageClosed = new Promise<void>((resolve) => {
    closePage = resolve;
  });
  let begun = false;
  let printing = false;
  let released = false;
  const p: Pending = {
    target,
    hooks,
    keep,
    asked,
    wanted: false,
    ask,
    printed,
    settled: false,
    resolve: (value) => {
      p.settled = true;
      resolve(value);
    },
    reject: (error) => {
      p.settled = true;
      reject(error);
    },
    begin: () => {
      if (begun) return;
      begun = true;
      hooks.onPhase?.('loading');
    },
    printing: () => {
      if (printing) return;
      printing = true;
      hooks.onPhase?.('printing');
    },
    release: () => {
      if (released) return;
      released = true;
      hooks.onBrowserDone?.();
    },
    pageClosed,
    closePage,
  };
  return p;
}

/**
 * printPdf for several targets of one print job, one promise each (in order): a target whose
 * output path or range is bad fails alone, before anything loads. Targets are printed one after
 * another; one that `sharesPage` with the target printed before it is printed from the same loaded
 * page (one page load for a deck's slides PDF and its handout). If printing one of those fails,
 * the rest are printed each from a page of its own, as if they had never shared.
 */
export function printPdfs(
  session: BrowserSession,
  job: PrintJob,
  targets: readonly PdfTarget[],
  hooks: readonly ExportHooks[] = [],
): Promise<PdfResult>[] {
  trace('exportPdf');
  const entries: Pending[] = [];
  const results = targets.map((target, i): Promise<PdfResult> => {
    let keep: number[] | null;
    try {
      keep = target.range === undefined ? null : parseRange(target.range, job.slides.length);
    } catch (error) {
      return Promise.reject(error);
    }
    const entry = pending(target, hooks[i] ?? {}, keep);
    if (entries.length === 0) entry.begin();
    entries.push(entry);
    let pages = 0;
    let diagnostics: Diagnostic[] = [];
    const written = writeFileAtomic(
      target.out,
      async () => {
        entry.wanted = true;
        entry.ask();
        const printed = await entry.printed;
        diagnostics = printed.diagnostics;
        entry.hooks.onPhase?.('finishing');
        const { finishPdf } = await loadFinisher();
        const finished = await finishPdf(printed.bytes, pdfInfo(job, target.handout !== undefined), printed.bookmarks);
        pages = finished.pages;
        trace('finished');
        // A signal after printing must not leave a fresh file that looks complete. (Chromium may be
        // gone by now on purpose: it has nothing more to do for this PDF.)
        session.assertNotInterrupted();
        return finished.bytes;
      },
      // A signal while the file is written leaves the previous PDF in place.
      { signal: session.signal },
    );
    // A target whose file cannot be written is not printed.
    written.catch(() => {
      entry.ask();
      entry.release();
    });
    // Settled once its page is closed too, as when each PDF had a page of its own: a caller that
    // counts the browser's pages after an export finds none left open.
    return written.then(
      async () => {
        await entry.pageClosed;
        return { file: target.out, pages, diagnostics };
      },
      async (error: unknown) => {
        await entry.pageClosed;
        throw error;
      },
    );
  });
  void Promise.all(entries.map((e) => e.asked))
    .then(() => printAll(session, job, entries))
    .catch((error: unknown) => {
      for (const entry of entries) if (!entry.settled) entry.reject(error);
    })
    .finally(() => {
      for (const entry of entries) entry.closePage();
    });
  return results;
}

/** Prints the entries whose bytes were asked for, sharing pages where it may; never rejects. */
async function printAll(session: BrowserSession, job: PrintJob, entries: readonly Pending[]): Promise<void> {
  const groups: Pending[][] = [];
  // An entry asked for nothing has failed already (its output path is bad): it is not printed.
  for (const entry of entries) if (!entry.wanted) entry.closePage();
  for (const entry of entries.filter((e) => e.wanted)) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group !== undefined && last !== undefined && sharesPage(job, last.target, entry.target)) group.push(entry);
    else groups.push([entry]);
  }
  for (const group of groups) {
    const left = await printOnOnePage(session, job, group);
    // Targets after a failed one on a shared page: each printed again from a page of its own.
    for (const entry of left) await printOnOnePage(session, job, [entry]);
  }
}

/**
 * Loads the deck once and prints `group` from it, in order; settles each entry's `printed`.
 * Returns the entries left unprinted because one before them failed after the page loaded.
 */
async function printOnOnePage(session: BrowserSession, job: PrintJob, group: readonly Pending[]): Promise<Pending[]> {
  const first = group[0];
  if (first === undefined) return [];
  const deck = basename(job.file);
  const halves = group.length === 1 ? splitFor(job, first) : null;
  if (halves !== null && !(await hasInternalLinks(job)) && (await printInHalves(session, job, first, halves))) return [];
  let left: Pending[] = [];
  try {
    await session.withPrintPage(async (page) => {
      trace(`got page ${deck}`);
      // pdf-lib takes ~130 ms to load, all of it on this thread: load it once the deck is
      // parsed, while Chromium's renderer lays it out, not before the page is even asked for.
      page.once('domcontentloaded', () => void loadFinisher().then(() => trace('finish-pdf loaded')));
      first.begin();
      const options = first.target;
      const query =
        options.handout === undefined
          ? { fragments: options.fragments, notes: options.notes }
          : { fragments: 'final' as const, notes: 'none' as const };
      const loaded = await loadPrintView(session, page, job.htmlPath, query, job.slide, options.timeoutMs, { layout: 'decksmith' });
      trace(`loaded ${deck}`);
      // The print view lays every slide out at the deck's size, fragments shown: the measurement
      // `check` makes one slide at a time, here in one pass before anything moves.
      const indices = first.keep ?? job.slides.map((_, i) => i);
      const measured = await session.race(page.evaluate(measureSlides, { contrast: false, indices }));
      const diagnostics = overflowDiagnostics(
        job.file,
        job.slides,
        measured.map((m, i) => ({ index: indices[i] ?? i, bottom: m.bottom, right: m.right, problems: m.overflow })),
      );
      // Read after the print view is laid out: the last lazily loaded background image has
      // been asked for by then. (Those reported are files of the deck; blocked ones are not.)
      diagnostics.push(...failedRequestDiagnostics(job, loaded.failedRequests));
      trace(`measured ${deck}`);
      const snapshot = group.length > 1 ? await session.race(page.evaluateHandle(snapshotPrintView)) : undefined;
      for (const [n, entry] of group.entries()) {
        try {
          entry.begin();
          if (n > 0 && snapshot !== undefined) await session.race(page.evaluate(restorePrintView, snapshot));
          const bookmarks = await layOut(session, page, job, entry);
          trace(`laid out ${deck}`);
          entry.printing();
          const bytes = await printPage(session, page, entry.target.timeoutMs);
          trace(`printed ${deck}`);
          entry.resolve({ bytes, bookmarks, diagnostics: [...diagnostics] });
          entry.release();
        } catch (error) {
          entry.reject(error);
          entry.release();
          // A lost (or closing) browser fails the rest as it failed this one; else they try alone.
          try {
            session.assertAlive();
          } catch {
            throw error;
          }
          left = group.slice(n + 1);
          return;
        }
      }
    });
  } catch (error) {
    for (const entry of group) if (!entry.settled) entry.reject(error);
    left = [];
  } finally {
    for (const entry of group) {
      if (left.includes(entry)) continue;
      entry.release();
      entry.closePage();
    }
  }
  return left;
}

/** Lays the loaded print view out as slide pages (keeping the slides `keep` names); returns what each page shows. */
async function layOutSlides(
  session: BrowserSession,
  page: Page,
  job: PrintJob,
  options: PdfTarget,
  keep: number[] | null,
): Promise<PrintedPage[]> {
  const slide = job.slide;
  const notesBelow = options.notes === 'below';
  const content = notesBelow ? { width: slide.width, height: Math.round(slide.height * 1.5) } : slide;
  const titles = job.slides.map((s) => s.title);
  const args: PageLayoutArgs = { keep, slide, notesBelow, sheet: sheetFor(options.size, content), titles };
  return session.race(page.evaluate(layoutPages, args));
}

/** Lays the loaded print view out for `entry` (slide pages, or handout sheets); returns its bookmarks. */
async function layOut(session: BrowserSession, page: Page, job: PrintJob, entry: Pending): Promise<Bookmark[]> {
  const options = entry.target;
  const handout = options.handout;
  const slide = job.slide;
  const keep = entry.keep;
  if (handout === undefined) return bookmarksFor(job, await layOutSlides(session, page, job, options, keep));
  const paper = PAPER[options.size === 'letter' ? 'letter' : 'a4'];
  const layout = await session.race(
    page.evaluate(layoutHandout, {
      keep,
      perPage: handout,
      slide,
      paper,
      title: pdfInfo(job, false).title,
      notes: job.slides.map((s) => s.notesHtml),
    }),
  );
  return bookmarksFor(job, layout, (i) => Math.floor(i / handout));
}

/**
 * Slides printed before a PDF is printed in two halves at once (printInHalves). Chromium prints
 * on one renderer thread, ~5 ms a page for the bench deck; the second tab costs its own load of
 * the deck on the other core, ~0.2 s of this thread and the join. Measured on 2 cores (whole
 * process, medians of 7 interleaved runs, split vs one tab): 50 slides 1.30 vs 1.26 s, 100 slides
 * 1.40 vs 1.38 s, 200 slides 2.01 vs 2.31 s. `DECKSMITH_SPLIT_PRINT` overrides it (tests print
 * small decks in halves; 0 turns splitting off).
 */
export const SPLIT_PRINT_SLIDES = 150;

function splitThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['DECKSMITH_SPLIT_PRINT'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return SPLIT_PRINT_SLIDES;
  const value = Number(raw.trim());
  return value === 0 ? Number.POSITIVE_INFINITY : Math.max(2, value);
}

/**
 * The share of the slides the first tab prints. The second tab starts later (its browser context
 * and renderer are new) and lays the first half's emptied pages out as well: with even halves it
 * finished ~0.4 s after the first at 500 slides; at 0.55 the two finish together (0.6: the first
 * ends last by ~0.5 s).
 */
const FIRST_HALF_SHARE = 0.55;

/**
 * The two halves a slides PDF is printed in, or null to print it in one tab: a handout, fewer
 * slides than the threshold, or one core. Halves by slide count (see FIRST_HALF_SHARE): the
 * bench deck's slides cost about the same to print.
 */
export function splitFor(job: PrintJob, entry: { target: PdfOptions; keep: number[] | null }): [number[], number[]] | null {
  if (entry.target.handout !== undefined || availableParallelism() < 2) return null;
  const keep = entry.keep ?? job.slides.map((_, i) => i);
  if (keep.length < splitThreshold()) return null;
  const middle = Math.min(Math.ceil(keep.length * FIRST_HALF_SHARE), keep.length - 1);
  return [keep.slice(0, middle), keep.slice(middle)];
}

/**
 * Whether the deck's page links to a place in itself (`href="#…"`). Chromium makes such a link a
 * named destination, which needs its target in the same file: a link from one half to the other
 * would be lost, so such a deck prints in one piece. (Unreadable: one piece, which says why.)
 */
async function hasInternalLinks(job: PrintJob): Promise<boolean> {
  try {
    return /\bhref\s*=\s*["']?#/i.test(await readFile(job.htmlPath, 'latin1'));
  } catch {
    return true;
  }
}

interface Half {
  bytes: Uint8Array | null;
  pages: PrintedPage[];
  overflow: Diagnostic[];
  failed: FailedRequest[];
}

/**
 * Prints `entry` in two tabs at once, each in a browser context (so a renderer process, a core)
 * of its own, each showing and printing one of `halves`; joins the two files (pdf-join.ts).
 * Settles the entry and returns true; or returns false, with the entry untouched, when the two
 * files cannot be joined, for the caller to print it in one piece. Errors are those of printing
 * in one tab: the first half's to fail.
 */
async function printInHalves(session: BrowserSession, job: PrintJob, entry: Pending, halves: [number[], number[]]): Promise<boolean> {
  const options = entry.target;
  const query = { fragments: options.fragments, notes: options.notes };
  const printHalf = async (page: Page, half: 0 | 1): Promise<Half> => {
    const keep = halves[half];
    // The second half's tab keeps the first half's pages, empty, before its own (see
    // installPrintLayout): its pages print where they would in one piece.
    const blank = half === 1 ? halves[0] : null;
    trace(`got page ${half + 1}`);
    if (half === 0) page.once('domcontentloaded', () => void loadFinisher().then(() => trace('finish-pdf loaded')));
    const loaded = await loadPrintView(session, page, job.htmlPath, query, job.slide, options.timeoutMs, {
      layout: 'decksmith',
      keep,
      blank,
    });
    const measured = await session.race(page.evaluate(measureSlides, { contrast: false, indices: keep }));
    const overflow = overflowDiagnostics(
      job.file,
      job.slides,
      measured.map((m, i) => ({ index: keep[i] ?? i, bottom: m.bottom, right: m.right, problems: m.overflow })),
    );
    const laidOut = await layOutSlides(session, page, job, options, blank === null ? keep : [...blank, ...keep]);
    const mine = new Set(keep);
    const skipped = blank === null ? 0 : laidOut.findIndex((p) => mine.has(p.slide));
    const pages = skipped < 0 ? [] : laidOut.slice(skipped);
    // A half with no page (its slides all dropped by the layout) is not printed: Chromium would
    // print a blank page. The deck is then printed in one piece.
    if (pages.length === 0) return { bytes: null, pages, overflow, failed: loaded.failedRequests };
    const ranges = skipped === 0 ? '' : `${skipped + 1}-${laidOut.length}`;
    trace(`laid out ${half + 1}`);
    entry.printing();
    const bytes = await printPage(session, page, options.timeoutMs, ranges);
    trace(`printed ${half + 1}`);
    return { bytes, pages, overflow, failed: loaded.failedRequests };
  };
  entry.begin();
  // The first half to fail fails the print at once: the other tab is closed, not waited for
  // (it could run until its timeout), and its "target closed" error is not the one reported.
  const tabs: (Page | undefined)[] = [undefined, undefined];
  let failure: { error: unknown } | undefined;
  const run = (half: 0 | 1) => (page: Page) => {
    tabs[half] = page;
    if (failure !== undefined) return Promise.reject(failure.error);
    return printHalf(page, half).catch((error: unknown) => {
      failure ??= { error };
      tabs[half === 0 ? 1 : 0]?.close().catch(() => undefined);
      throw error;
    });
  };
  const [one, two] = await Promise.allSettled([session.withPage(run(0)), session.withIsolatedPage(run(1))]);
  try {
    if (failure !== undefined) throw failure.error;
    if (one.status === 'rejected') throw one.reason;
    if (two.status === 'rejected') throw two.reason;
    const [first, second] = [one.value.bytes, two.value.bytes];
    const joined = first === null || second === null ? null : joinPdfs(first, second);
    trace('joined');
    if (joined === null) return false;
    const pages = [...one.value.pages, ...two.value.pages];
    const diagnostics = [
      ...one.value.overflow,
      ...two.value.overflow,
      ...failedRequestDiagnostics(job, [...one.value.failed, ...two.value.failed]),
    ];
    entry.resolve({ bytes: joined.bytes, bookmarks: bookmarksFor(job, pages), diagnostics });
  } catch (error) {
    entry.reject(error);
  }
  entry.release();
  entry.closePage();
  return true;
}
