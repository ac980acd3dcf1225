/** The `decksmith` executable: run the CLI with this process's arguments and report its exit code. */
import { run } from './index.js';
import { trace } from '../trace.js';
trace('main');

process.exitCode = await run(process.argv.slice(2));
