import { dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { BrowserError, DecksmithError } from '../errors.js';
import type { BuiltDeck, Diagnostic, PdfOptions, PdfSize } from '../types.js';
import { measureSlides, overflowDiagnostics } from '../browser/measure.js';
import { writeFileAtomic } from '../build/atomic.js';
import type { BrowserSession } from '../browser/session.js';
import type { Bookmark, PdfInfo } from './finish-pdf.js';
import { layoutHandout } from './handout-layout.js';
import { loadPrintView } from '../browser/load.js';
import { layoutPages, type PageLayoutArgs, type PrintedPage } from '../browser/page-scripts.js';
import { parseRange } from './range.js';
import { trace } from '../browser/trace.js';
import { SLIDE_PIXELS } from '../render/index.js';
import { failedRequestDiagnostics, printJob, type PrintJob } from './print-job.js';

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

async function printPage(session: BrowserSession, page: Page, timeoutMs: number): Promise<Uint8Array> {
  try {
    return await session.race(
      page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: timeoutMs }),
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
export async function printPdf(
  session: BrowserSession,
  job: PrintJob,
  options: PdfOptions & { out: string },
  hooks: ExportHooks = {},
): Promise<PdfResult> {
  const handout = options.handout;
  const file = options.out;
  const slideCount = job.slides.length;
  const keep = options.range === undefined ? null : parseRange(options.range, slideCount);
  const slide = job.slide;
  const timeoutMs = options.timeoutMs;
  trace('exportPdf');
  hooks.onPhase?.('loading');
  let pages = 0;
  let diagnostics: Diagnostic[] = [];
  let browserDone = false;
  const doneWithBrowser = (): void => {
    if (browserDone) return;
    browserDone = true;
    hooks.onBrowserDone?.();
  };
  await writeFileAtomic(
    file,
    async () => {
      const printed = await session
        .withPage(async (page) => {
          trace('got page');
          // pdf-lib takes ~130 ms to load, all of it on this thread: load it once the deck is
          // parsed, while Chromium's renderer lays it out, not before the page is even asked for.
          page.once('domcontentloaded', () => void loadFinisher().then(() => trace('finish-pdf loaded')));
          const query =
            handout === undefined
              ? { fragments: options.fragments, notes: options.notes }
              : { fragments: 'final' as const, notes: 'none' as const };
          const loaded = await loadPrintView(session, page, job.htmlPath, query, slide, timeoutMs, { layout: 'decksmith' });
          trace('loaded');
          // reveal's print view lays every slide out at the deck's size, fragments shown: the
          // measurement `check` makes one slide at a time, here in one pass before anything moves.
          const indices = keep ?? job.slides.map((_, i) => i);
          await session.race(
            page.evaluate(() => {
              document.documentElement.dataset['dsBuilt'] = '';
            }),
          );
          const measured = await session.race(page.evaluate(measureSlides, { contrast: false, indices }));
          diagnostics = overflowDiagnostics(
            job.file,
            job.slides,
            measured.map((m, i) => ({ index: indices[i] ?? i, bottom: m.bottom, right: m.right, problems: m.overflow })),
          );
          // Read after the print view is laid out: the last lazily loaded background image has
          // been asked for by then. (Those reported are files of the deck; blocked ones are not.)
          diagnostics.push(...failedRequestDiagnostics(job, loaded.failedRequests));
          trace('measured');
          let bookmarks: Bookmark[];
          if (handout === undefined) {
            const notesBelow = options.notes === 'below';
            const content = notesBelow ? { width: slide.width, height: Math.round(slide.height * 1.5) } : slide;
            const titles = job.slides.map((s) => s.title);
            const args: PageLayoutArgs = { keep, slide, notesBelow, sheet: sheetFor(options.size, content), titles };
            const layout = await session.race(page.evaluate(layoutPages, args));
            bookmarks = bookmarksFor(job, layout);
          } else {
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
            bookmarks = bookmarksFor(job, layout, (i) => Math.floor(i / handout));
          }
          trace('laid out');
          hooks.onPhase?.('printing');
          const bytes = await printPage(session, page, timeoutMs);
          trace('printed');
          doneWithBrowser();
          return { bytes, bookmarks };
        })
        .finally(doneWithBrowser);
      hooks.onPhase?.('finishing');
      const { finishPdf } = await loadFinisher();
      const finished = await finishPdf(printed.bytes, pdfInfo(job, handout !== undefined), printed.bookmarks);
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
  return { file, pages, diagnostics };
}
