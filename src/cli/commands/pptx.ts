/**
 * `decksmith pptx <input>` and the PowerPoint half of `decksmith build --pptx`: an editable .pptx
 * (or, with --pictures, one picture per slide), written atomically next to the deck's output.
 */
import { buildForExport } from '../figures.js';
import { dirname, join, resolve } from 'node:path';
import { dialectNotice } from '../../parse/dialect.js';
import { DEFAULT_TIMEOUT_MS } from '../../export/defaults.js';
import type { BuiltDeck, DeckOptions } from '../../types.js';
import { tempDirectory } from '../../build/temp.js';
import type { StartedBrowser } from '../browser-start.js';
import { Reporter, type CliIO } from '../io.js';
import { startBrowser } from './pdf.js';
import { InterruptedError, isDecksmithError } from '../../errors.js';

export interface PptxFlags extends DeckOptions {
  out?: string;
  pictures?: boolean;
  safeFonts?: boolean;
  timeout?: number;
  quiet?: boolean;
}

/** Where `build --pptx` writes a deck's .pptx: beside its output folder, like the PDF. */
export function defaultPptxPath(built: BuiltDeck): string {
  return join(dirname(built.outDir), `${built.name}.pptx`);
}

/**
 * Exports each deck on `browser`; prints a line per file and each warning. Returns the written
 * files by deck, and the exit code (1 if any deck failed).
 */
export async function runPptxExports(
  report: Reporter,
  builds: readonly { built: BuiltDeck; out: string }[],
  flags: PptxFlags,
  browser: StartedBrowser,
): Promise<{ code: number; written: Map<BuiltDeck, string> }> {
  const { exportPptx } = await import('../../export/pptx/index.js');
  const written = new Map<BuiltDeck, string>();
  let code = 0;
  for (const { built, out } of builds) {
    try {
      const session = await browser.session;
      const result = await exportPptx(session, built, {
        out,
        mode: flags.pictures === true ? 'pictures' : 'editable',
        safeFonts: flags.safeFonts === true,
        timeoutMs: flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(flags.timeout * 1000),
      });
      for (const d of result.diagnostics) report.diagnostic(d);
      written.set(built, result.file);
      report.result(`${result.file}  (${result.slides} slide${result.slides === 1 ? '' : 's'})`);
    } catch (error) {
      if (!isDecksmithError(error) || error instanceof InterruptedError) throw error;
      // Named once when the error names the deck itself.
      report.io.stderr(`decksmith: ${error.file === built.file ? '' : `${built.file}: `}${error.format()}\n`);
      code = 1;
    }
  }
  return { code, written };
}

export async function pptxCommand(io: CliIO, input: string, flags: PptxFlags): Promise<number> {
  const report = new Reporter(io, { quiet: flags.quiet === true });
  const browser = startBrowser(report.childIO(undefined, 'notices'));
  await using temp = tempDirectory('decksmith-pptx-');
  try {
    // Diagrams are drawn in the browser that prints or takes the pictures.
    const built = await buildForExport(io, browser, input, flags, temp.path);
    const dialect = dialectNotice(input, built.deck.dialect);
    if (dialect !== undefined) report.notice(dialect);
    for (const d of [...built.deck.diagnostics, ...built.rendered.diagnostics]) report.diagnostic(d);
    const out = flags.out === undefined ? resolve(io.cwd, 'output', `${built.name}.pptx`) : resolve(io.cwd, flags.out);
    return (await runPptxExports(report, [{ built, out }], flags, browser)).code;
  } finally {
    await browser.close();
  }
}
