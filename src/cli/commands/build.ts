/**
 * `decksmith build [inputs...]`: every deck is built on its own, so one that fails (bad front
 * matter, a broken theme, --strict warnings) is reported with its file:line and the others are
 * still built and exported; the exit code is 1 if any failed.
 */
import { buildDeck, deckOptions, expandInputs } from '../../build/index.js';
import { dialectNotice } from '../../parse/dialect.js';
import { DecksmithError, InterruptedError, isDecksmithError } from '../../errors.js';
import { loadTemplates } from '../../build/templates.js';
import type { BuiltDeck, DeckOptions, FigureRenderer, HandoutCount, PdfOptions } from '../../types.js';
import { defaultSingleFilePath, writeSingleFile } from '../../build/single-file.js';
import { errorFinding, Reporter, toFinding, type CliIO, type Finding, type OutputFlags } from '../io.js';
import { pdfOptions, startBrowser, startExports, type PdfFlags } from './pdf.js';
import { cliFigures } from '../figures.js';
import { trace } from '../../browser/trace.js';
import { defaultExportConcurrency } from '../../export/defaults.js';

export interface BuildFlags extends OutputFlags, DeckOptions {
  out?: string;
  pdf?: boolean;
  handout?: HandoutCount;
  singleFile?: boolean;
  /** `--pptx` (true: editable) or `--pptx pictures`. */
  pptx?: boolean | 'editable' | 'pictures';
  strict?: boolean;
  watch?: boolean;
  /** Not a command-line flag: the config file's `pdf:` section (notes, fragments, size, timeout). */
  pdfDefaults?: PdfFlags;
  /** Not a command-line flag: called with each deck built (build --watch learns what to watch). */
  onBuilt?: (deck: BuiltDeck) => void;
}

/** One deck in `build --json`: `file` as given, outputs absolute (absent when not written). */
export interface BuildJsonDeck {
  file: string;
  slides: number | null;
  outputs: { html?: string; pdf?: string; handout?: string; singleFile?: string; pptx?: string };
  diagnostics: Finding[];
  /** Why the deck failed; null when it was built. */
  error: Finding | null;
}

/** One build of `inputs` (`--watch` is watch.ts, which calls this for each build). */
export async function buildCommand(io: CliIO, inputs: string[], flags: BuildFlags): Promise<number> {
  const report = new Reporter(io, flags);
  const files = expandInputs(inputs, { outDir: flags.out ?? 'output' });
  const templates = loadTemplates(flags.templates);
  const variants: PdfOptions[] = [];
  if (flags.pdf === true) variants.push(pdfOptions(flags.pdfDefaults ?? {}));
  if (flags.handout !== undefined) {
    // A handout has its own page layout: of the pdf: settings only the time limit applies.
    const timeout = flags.pdfDefaults?.timeout;
    variants.push(pdfOptions(timeout === undefined ? {} : { timeout }, flags.handout));
  }
  // Chromium boots while the decks build.
  const wantsPptx = flags.pptx !== undefined && flags.pptx !== false;
  const browser = variants.length > 0 || wantsPptx ? startBrowser(report.childIO(undefined, 'notices')) : undefined;
  // Each deck's PDFs print in a tab of their own, as many at once as exportQueue runs units.
  if (variants.length > 0 && !wantsPptx) browser?.wantPrintTabs?.(Math.min(files.length, defaultExportConcurrency()));
  // Diagrams are drawn in the browser that prints, or in one started for them.
  const figures = cliFigures(report.childIO(undefined, 'notices'), browser);
  // PDFs are written to files whose names the export prints; `build --json` lists those written.
  const written = new Set<string>();
  const exportIO = report.childIO((line) => {
    const match = /^(.*\.pdf) {2}\(/.exec(line);
    if (match?.[1] !== undefined) written.add(match[1]);
  });
  // Each deck's PDFs start as soon as it is built, while the next deck builds (after PowerPoint
  // files when those are asked for too: that export goes first, see below).
  const early =
    browser !== undefined && variants.length > 0 && !wantsPptx
      ? startExports(exportIO, variants, browser, report, files.length)
      : undefined;
  try {
    const built: { deck: BuiltDeck; json: BuildJsonDeck }[] = [];
    const decks: BuildJsonDeck[] = [];
    let failed = 0;
    const fail = (json: BuildJsonDeck, error: DecksmithError): void => {
      report.error(error);
      json.error = errorFinding(error, json.file);
      failed++;
    };
    const options = { ...deckOptions(flags), outDir: flags.out ?? 'output', signal: io.signal };
    const strictFails = (deck: BuiltDeck): boolean =>
      flags.strict === true && deck.deck.diagnostics.length + deck.rendered.diagnostics.length > 0;
    let halted = false;
    // Built in turn; a deck's PDFs start as soon as it is built, in the queue's slot for its place.
    const builds = inTurn(files, async (file, index, pass) => {
      if (halted) throw new Error('unreachable: the build stopped before this deck');
      trace(`build ${index} start`);
      const deck = await buildDeck(file, { ...options, figures: onDrawing(figures, pass) }, templates);
      trace(`build ${index} done`);
      if (!strictFails(deck)) early?.add(deck, index);
      return deck;
    });
    for (const [index, file] of files.entries()) {
      const json: BuildJsonDeck = { file, slides: null, outputs: {}, diagnostics: [], error: null };
      decks.push(json);
      try {
        const deck = await builds[index];
        if (deck === undefined) throw new Error('unreachable: one build per file');
        flags.onBuilt?.(deck);
        const dialect = dialectNotice(file, deck.deck.dialect);
        if (dialect !== undefined) report.notice(dialect);
        const diagnostics = [...deck.deck.diagnostics, ...deck.rendered.diagnostics];
        for (const d of diagnostics) report.diagnostic(d);
        json.diagnostics = diagnostics.map((d) => toFinding(d, deck.deck));
        json.slides = deck.deck.slides.length;
        json.outputs.html = deck.htmlPath;
        report.result(`${deck.htmlPath}  (${deck.deck.slides.length} slide${deck.deck.slides.length === 1 ? '' : 's'})`);
        if (flags.singleFile === true) {
          const single = defaultSingleFilePath(deck);
          await writeSingleFile(deck, single, { signal: io.signal });
          json.outputs.singleFile = single;
          report.result(`${single}  (single file)`);
        }
        if (strictFails(deck)) {
          // The HTML is written (a warning never stops a build); its PDFs are not.
          fail(json, new DecksmithError('strict-warnings', `${diagnostics.length} warning(s) with --strict`, { file }));
          continue;
        }
        built.push({ deck, json });
      } catch (error) {
        // A signal stops the whole command, not just this deck.
        if (!isDecksmithError(error) || error instanceof InterruptedError) {
          halted = true;
          throw error;
        }
        fail(json, error);
      }
    }
    await figures.close();
    let code = failed === 0 ? 0 : 1;
    // PowerPoint first: the PDF export lets the browser go once it has printed.
    if (browser !== undefined && wantsPptx && built.length > 0) {
      const { defaultPptxPath, runPptxExports } = await import('./pptx.js');
      const pptx = await runPptxExports(
        report,
        built.map((b) => ({ built: b.deck, out: defaultPptxPath(b.deck) })),
        {
          ...(flags.pdfDefaults?.timeout === undefined ? {} : { timeout: flags.pdfDefaults.timeout }),
          pictures: flags.pptx === 'pictures',
        },
        browser,
      );
      code = Math.max(code, pptx.code);
      for (const { deck, json } of built) {
        const file = pptx.written.get(deck);
        if (file !== undefined) json.outputs.pptx = file;
      }
    }
    if (browser !== undefined && variants.length > 0 && built.length > 0) {
      let exports = early;
      if (exports === undefined) {
        exports = startExports(exportIO, variants, browser, report, built.length);
        for (const { deck } of built) exports.add(deck);
      }
      code = Math.max(code, await exports.finish());
      const { defaultPdfPath } = await import('../../export/pdf.js');
      for (const { deck, json } of built) {
        const pdf = defaultPdfPath(deck, false);
        const handout = defaultPdfPath(deck, true);
        if (flags.pdf === true && written.has(pdf)) json.outputs.pdf = pdf;
        if (flags.handout !== undefined && written.has(handout)) json.outputs.handout = handout;
      }
    }
    if (report.json) report.document({ decks });
    return code;
  } finally {
    early?.abandon();
    await figures.close();
    await browser?.close();
  }
}

/**
 * Runs `build` for each of `items`, one after another in their order, except that a build may
 * call `pass` to let the next one start while it waits (for Chromium to boot and draw its
 * diagrams: seconds with a cold cache, which used to hold back every deck after it). The turn
 * also passes when a build settles. One promise per item, in order; none is left unhandled.
 */
export function inTurn<T, R>(items: readonly T[], build: (item: T, index: number, pass: () => void) => Promise<R>): Promise<R>[] {
  const starts: (() => void)[] = [];
  const results = items.map(
    (item, index) =>
      new Promise<R>((resolve, reject) => {
        starts[index] = () => {
          let passed = false;
          const pass = (): void => {
            if (passed) return;
            passed = true;
            starts[index + 1]?.();
          };
          const run = Promise.resolve().then(() => build(item, index, pass));
          run.then(pass, pass);
          run.then(resolve, reject);
        };
      }),
  );
  for (const result of results) result.catch(() => undefined);
  starts[0]?.();
  return results;
}

/** `figures`, with each job telling `waiting` when it has to wait for a diagram to be drawn. */
function onDrawing(figures: FigureRenderer, waiting: () => void): FigureRenderer {
  return { render: (job) => figures.render({ ...job, onWaiting: waiting }) };
}
