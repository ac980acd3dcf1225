/**
 * The `decksmith` executable: run the CLI with this process's arguments and report its exit code.
 * scripts/bundle.mjs bundles this module (and everything it imports) into dist/cli/decksmith.cjs,
 * which bin/decksmith.js loads and calls `main` of; no top-level await, so it can be CommonJS.
 */
import { trace } from '../browser/trace.js';
import { launchBrowser, printsPdf } from './browser-start.js';
import { processIO } from './io.js';
import { endAsSignalled, listenForShutdown } from './shutdown.js';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  trace('main');
  // From here on a signal aborts `shutdown.signal` instead of killing the process.
  const shutdown = listenForShutdown();
  // A command that prints starts Chromium first, before the rest of the CLI even loads, and gets it
  // passed in; nothing else holds it.
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
