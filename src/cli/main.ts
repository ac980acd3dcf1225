/** The `decksmith` executable: run the CLI with this process's arguments and report its exit code. */
import { trace } from '../browser/trace.js';
import { launchBrowser, printsPdf } from './browser-start.js';

trace('main');
const argv = process.argv.slice(2);
// A command that prints starts Chromium first, before the rest of the CLI even loads, and gets it
// passed in; nothing else holds it.
const browser = printsPdf(argv) ? launchBrowser((message) => process.stderr.write(`decksmith: ${message}\n`)) : undefined;
const { run } = await import('./index.js');
try {
  process.exitCode = await run(argv, undefined, browser === undefined ? {} : { browser });
} finally {
  // Closed already if the command used it; otherwise (a usage error, say) closed now.
  await browser?.close();
}
