/**
 * Starting Chromium for the commands that print. It takes about half a second to boot, so it is
 * spawned as early as possible and boots while the rest of the work (loading the CLI, building
 * the decks) happens on the other core.
 */
import { BrowserSession } from '../browser/session.js';

/** A browser that is starting (or started); `close()` may be called any number of times. */
export interface StartedBrowser {
  /** Rejects with the launch error (no browser, …) when awaited; never unhandled. */
  session: Promise<BrowserSession>;
  close: () => Promise<void>;
}

/** `signal`: the CLI's shutdown signal (src/cli/shutdown.ts); aborting it kills the browser. */
export function launchBrowser(log: (message: string) => void, signal?: AbortSignal): StartedBrowser {
  const session = BrowserSession.launch({ log, signal });
  session.catch(() => undefined);
  return { session, close: async () => (await session.catch(() => undefined))?.close() };
}

/**
 * Whether `argv` is a command that will print PDFs: `pdf` (unless it only asks for help) and
 * `build --pdf` / `build --handout N` (unless watching, which starts its own browser per build).
 */
export function printsPdf(argv: readonly string[]): boolean {
  if (argv.includes('--help') || argv.includes('-h')) return false;
  // The command is the first word that is not a global option (`--debug`).
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const command = argv[at];
  const rest = argv.slice(at + 1);
  if (command === 'pdf') return true;
  if (command !== 'build' || rest.includes('--watch') || rest.includes('-w')) return false;
  return rest.some((arg) => arg === '--pdf' || arg === '--handout' || arg.startsWith('--handout='));
}

let early: StartedBrowser | undefined;

/**
 * Called by the executable before it loads the command line: starts Chromium if `argv` prints.
 * Returns a function that closes it if no command took it (a usage error, say).
 */
export function startEarly(argv: readonly string[], log: (message: string) => void, signal?: AbortSignal): () => Promise<void> {
  if (!printsPdf(argv)) return async () => undefined;
  const started = launchBrowser(log, signal);
  early = started;
  return started.close;
}

/** The browser started by `startEarly`, once; later callers start their own. */
export function takeEarlyBrowser(): StartedBrowser | undefined {
  const taken = early;
  early = undefined;
  return taken;
}
