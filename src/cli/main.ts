/** The `decksmith` executable: run the CLI with this process's arguments and report its exit code. */
import { trace } from '../browser/trace.js';
import { startEarly } from './browser-start.js';

trace('main');
const argv = process.argv.slice(2);
// A command that prints starts Chromium first, before the rest of the CLI even loads.
const closeEarlyBrowser = startEarly(argv, (message) => process.stderr.write(`decksmith: ${message}\n`));
const { run } = await import('./index.js');
try {
  process.exitCode = await run(argv);
} finally {
  // Closed already if the command used it; otherwise (a usage error, say) closed now.
  await closeEarlyBrowser();
}
