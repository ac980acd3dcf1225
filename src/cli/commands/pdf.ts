/**
 * `decksmith pdf <input>` and the PDF half of `decksmith build --pdf --handout N`: exports on one
 * browser, a progress bar on a terminal when the work is long, one line per written file.
 */
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { buildDeck } from '../../build.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_TIMEOUT_MS, exportDecks, parseRange } from '../../export/index.js';
import { PDF_SIZES, type BuiltDeck, type HandoutCount, type PdfOptions, type PdfSize } from '../../types.js';
import { formatDiagnostic, type CliIO } from '../io.js';

export interface PdfFlags {
  out?: string;
  notes?: 'none' | 'page' | 'below';
  fragments?: 'final' | 'steps';
  handout?: HandoutCount;
  size?: PdfSize;
  range?: string;
  timeout?: number;
  theme?: string;
  templates?: string;
}

export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return seconds;
}

export function parseSize(value: string): PdfSize {
  if (!(PDF_SIZES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PDF_SIZES.join(', ')}`);
  return value as PdfSize;
}

/** Slides above which one export counts as long work and earns a progress bar. */
const LONG_DECK = 40;

export async function runExports(io: CliIO, builds: readonly BuiltDeck[], variants: readonly PdfOptions[]): Promise<number> {
  const total = builds.length * variants.length;
  const long = total > 2 || builds.some((b) => b.deck.slides.length > LONG_DECK);
  const bar = io.isTTY && long ? new SingleBar({ format: 'exporting PDFs {bar} {value}/{total} {deck}', hideCursor: true, stream: process.stderr, clearOnComplete: true }) : undefined;
  bar?.start(total, 0, { deck: '' });
  let notices = '';
  const outcomes = await (async () => {
    try {
      return await exportDecks(builds, variants, {
        onProgress: (event) => {
          if (event.state !== 'start') bar?.update(event.done, { deck: event.deck });
        },
        log: (message) => {
          notices += `decksmith: ${message}\n`;
        },
      });
    } finally {
      bar?.stop();
      if (notices !== '') io.stderr(notices);
    }
  })();
  let failed = 0;
  for (const outcome of outcomes) {
    if (outcome.result !== undefined) io.stdout(`${outcome.result.file}  (${outcome.result.pages} pages)\n`);
    if (outcome.error !== undefined) {
      failed++;
      io.stderr(`decksmith: ${outcome.built.file}: ${outcome.error.format()}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
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

/** Checks the syntax before building; the exporter checks the numbers against the deck. */
function parseRangeOrUsage(range: string): void {
  try {
    parseRange(range, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    throw new UsageError('bad-range', (error as Error).message, { hint: 'Write slide numbers like 1-5,8.' });
  }
}

export async function pdfCommand(io: CliIO, input: string, flags: PdfFlags): Promise<number> {
  const options = pdfOptions(flags, flags.handout);
  // The PDF is printed from a fresh build of the deck next to where the PDF goes.
  const built = await buildDeck(input, {
    outDir: 'output',
    ...(flags.theme === undefined ? {} : { theme: flags.theme }),
    ...(flags.templates === undefined ? {} : { templates: flags.templates }),
  });
  for (const d of [...built.deck.diagnostics, ...built.rendered.diagnostics]) io.stderr(`${formatDiagnostic(d)}\n`);
  return runExports(io, [built], [options]);
}
