/**
 * The `decksmith` executable: run the CLI with this process's arguments and report its exit code.
 * scripts/bundle.mjs bundles this module (and everything it imports) into dist/cli/decksmith.cjs,
 * which bin/decksmith.js loads and calls `main` of; no top-level await, so it can be CommonJS.
 */
import { readFileSync, statSync } from 'node:fs';
import { trace } from '../browser/trace.js';
import { manyFences, warmHighlighter } from '../render/highlight.js';
import { launchBrowser, printsPdf } from './browser-start.js';
import { processIO } from './io.js';
import { endAsSignalled, listenForShutdown } from './shutdown.js';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  trace('main');
  // From here on a signal aborts `shutdown.signal` instead of killing the process.
  const shutdown = listenForShutdown();
  // A command that prints starts Chromium first, before the rest of the CLI even loads, and gets it
  // passed in; nothing else holds it.
  if (highlightsMuch(argv)) warmHighlighter();
  const browser = printsPdf(argv)
    ? launchBrowser((message) => process.stderr.write(`decksmith: ${message}\n`), shutdown.signal)
    : undefined;
  try {
    const { run } = await import('./index.js');
    process.exitCode = await run(argv, { ...processIO(), signal: shutdown.signal }, browser === undefined ? {} : { browser });
  } finally {
    // Closed already if the command used it; otherwise (a usage error, say) closed now.
    await browser?.close();
    shutdown[Symbol.dispose]();
  }
  endAsSignalled(shutdown, process.exitCode);
}

/** Decks larger than this are not read ahead (readSource has its own limit). */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * Whether `argv` builds (HTML or for export) a deck with many code fences, whose highlight worker
 * then starts now, while the CLI loads (warmHighlighter). A guess from the `.md` files named on
 * the command line: a wrong one costs a worker started for nothing, never output.
 */
function highlightsMuch(argv: readonly string[]): boolean {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--watch') || argv.includes('-w')) return false;
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  if (!['build', 'pdf', 'png', 'pptx'].includes(argv[at] ?? '')) return false;
  for (const arg of argv.slice(at + 1)) {
    if (!arg.toLowerCase().endsWith('.md')) continue;
    try {
      // A regular file only: reading a FIFO would wait for a writer that may never come (the
      // command then refuses it by name).
      const stat = statSync(arg);
      if (stat.isFile() && stat.size <= READ_AHEAD_BYTES && manyFences(readFileSync(arg, 'utf8'))) return true;
    } catch {
      // Not a readable file: the command reports it.
    }
  }
  return false;
}
