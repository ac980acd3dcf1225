/**
 * The `decksmith` executable: run the CLI with this process's arguments and report its exit code.
 * scripts/bundle.mjs bundles this module (and everything it imports) into dist/cli/decksmith.cjs,
 * which bin/decksmith.js loads and calls `main` of; no top-level await, so it can be CommonJS.
 */
import { readFileSync, statSync } from 'node:fs';
import { trace } from '../browser/trace.js';
import { lexAhead } from '../build/lex-split.js';
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
  const decks = decksAhead(argv);
  if (decks.some(manyFences)) warmHighlighter();
  // One large deck: its second half is lexed on a worker from now on, while the CLI loads.
  if (decks.length === 1 && decks[0] !== undefined) lexAhead(decks[0]);
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
 * The text of each `.md` file `argv` builds (HTML or for export), read now so that the work a
 * deck needs on other threads starts while the CLI loads: the highlight worker for a deck with
 * many code fences (warmHighlighter), the lexing of a large deck's second half (lexAhead). A
 * guess from the command line: a wrong one costs a worker started for nothing, never output.
 */
function decksAhead(argv: readonly string[]): string[] {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--watch') || argv.includes('-w')) return [];
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  if (!['build', 'pdf', 'png', 'pptx'].includes(argv[at] ?? '')) return [];
  const texts: string[] = [];
  for (const arg of argv.slice(at + 1)) {
    if (!arg.toLowerCase().endsWith('.md')) continue;
    try {
      // A regular file only: reading a FIFO would wait for a writer that may never come (the
      // command then refuses it by name).
      const stat = statSync(arg);
      if (stat.isFile() && stat.size <= READ_AHEAD_BYTES) texts.push(readFileSync(arg, 'utf8'));
    } catch {
      // Not a readable file: the command reports it.
    }
  }
  return texts;
}
