import { buildDeck, expandInputs } from '../../build.js';
import { loadTemplates } from '../../theme/templates.js';
import type { BuiltDeck, HandoutCount, PdfOptions } from '../../types.js';
import { defaultSingleFilePath, writeSingleFile } from '../../write/single-file.js';
import { formatDiagnostic, type CliIO } from '../io.js';
import { pdfOptions, runExports, startBrowser } from './pdf.js';

export interface BuildFlags {
  out?: string;
  theme?: string;
  templates?: string;
  root?: string;
  html?: boolean;
  pdf?: boolean;
  handout?: HandoutCount;
  singleFile?: boolean;
  strict?: boolean;
  watch?: boolean;
  /** Not a command-line flag: called with each deck built (build --watch learns what to watch). */
  onBuilt?: (deck: BuiltDeck) => void;
}

export async function buildCommand(io: CliIO, inputs: string[], flags: BuildFlags): Promise<number> {
  if (flags.watch === true) {
    const { watchCommand } = await import('./watch.js');
    return watchCommand(io, inputs, flags);
  }
  const files = expandInputs(inputs);
  const templates = loadTemplates(flags.templates);
  const variants: PdfOptions[] = [];
  if (flags.pdf === true) variants.push(pdfOptions({}));
  if (flags.handout !== undefined) variants.push(pdfOptions({}, flags.handout));
  // Chromium boots while the decks build.
  const browser = variants.length > 0 ? startBrowser(io) : undefined;
  try {
    const built: BuiltDeck[] = [];
    let warnings = 0;
    for (const file of files) {
      const deck = await buildDeck(file, {
        outDir: flags.out ?? 'output',
        ...(flags.theme === undefined ? {} : { theme: flags.theme }),
        ...(flags.root === undefined ? {} : { root: flags.root }),
        ...(flags.html === true ? { html: true } : {}),
      }, templates);
      for (const d of [...deck.deck.diagnostics, ...deck.rendered.diagnostics]) {
        io.stderr(`${formatDiagnostic(d)}\n`);
        warnings++;
      }
      io.stdout(`${deck.htmlPath}  (${deck.deck.slides.length} slides)\n`);
      if (flags.singleFile === true) {
        const single = defaultSingleFilePath(deck);
        await writeSingleFile(deck, single);
        io.stdout(`${single}  (single file)\n`);
      }
      built.push(deck);
      flags.onBuilt?.(deck);
    }
    if (flags.strict === true && warnings > 0) {
      io.stderr(`decksmith: ${warnings} warning(s) with --strict\n`);
      return 1;
    }
    return browser === undefined ? 0 : await runExports(io, built, variants, browser);
  } finally {
    await browser?.close();
  }
}
