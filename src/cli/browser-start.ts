/**
 * Starting Chromium for the commands that print. It takes about half a second to boot, so it is
 * spawned as early as possible and boots while the rest of the work (loading the CLI, building
 * the decks) happens on the other core.
 */
import { PrintTabs } from '../browser/print-tabs.js';
import type { BrowserSession } from '../browser/session.js';

/** A browser that is starting (or started); `close()` may be called any number of times. */
export interface StartedBrowser {
  /** Rejects with the launch error (no browser, …) when awaited; never unhandled. */
  session: Promise<BrowserSession>;
  close: () => Promise<void>;
  /**
   * Says that `count` decks will print at once: their tabs open while Chromium starts (one is
   * asked for anyway). Too late once it has started; the export opens the rest then.
   */
  wantPrintTabs?: (count: number) => void;
}

/** `signal`: the CLI's shutdown signal (src/cli/shutdown.ts); aborting it kills the browser. */
export function launchBrowser(log: (message: string) => void, signal?: AbortSignal): StartedBrowser {
  // A print tab opens as Chromium starts: most commands that start a browser here print PDFs
  // (png, pptx and diagrams leave it unused: one idle tab, closed with the browser).
  const tabs = new PrintTabs(1);
  const blankTab = needsBlankTab(process.argv.slice(2));
  // Loaded on first launch: a command that never prints (build) then never loads the browser code
  // and node:child_process under it.
  const session = import('../browser/session.js').then(({ BrowserSession }) =>
    BrowserSession.launch({ log, signal, printTab: tabs, blankTab, networkEvents: false }),
  );
  session.catch(() => undefined);
  return { session, close: async () => (await session.catch(() => undefined))?.close(), wantPrintTabs: (count) => tabs.want(count) };
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
  if (command === 'pdf' || command === 'png' || command === 'pptx') return true;
  if (command !== 'build' || rest.includes('--watch') || rest.includes('-w')) return false;
  return rest.some(
    (arg) => arg === '--pdf' || arg === '--handout' || arg.startsWith('--handout=') || arg === '--pptx' || arg.startsWith('--pptx='),
  );
}

/**
 * Whether the command in `argv` may want Chromium's own blank tab (BrowserSessionOptions.blankTab):
 * not when it prints handouts and nothing else in the browser (`npm start`'s `build --pdf
 * --handout 3`; `pdf --handout N`). Each deck's slides PDF and its handout are then printed from
 * one page in a print tab, and no PDF is printed in halves, the only print that takes withPage
 * (a 150-slide PDF of its own, with --notes or --size, say, still prints, in a new tab). Without
 * that tab Chromium starts one renderer fewer while the decks build: npm start's build 1.39 ->
 * 1.23 s, 2.32 -> 2.10 CPU-s (medians of 9 interleaved runs, loaded 2-core VM).
 */
export function needsBlankTab(argv: readonly string[]): boolean {
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const command = argv[at];
  const rest = argv.slice(at + 1);
  if (command !== 'build' && command !== 'pdf') return true;
  const handout = rest.some((arg) => arg === '--handout' || arg.startsWith('--handout='));
  const other = rest.some((arg) => arg === '--pptx' || arg.startsWith('--pptx=') || arg === '--watch' || arg === '-w');
  return !handout || other;
}

/**
 * A browser started before the command line loaded, handed to the one command that prints. It
 * travels on the command's `CliIO` (see `run`), so every `Reporter.childIO` copy still carries it,
 * and `take` gives it out once: a second taker starts its own.
 */
export interface EarlyBrowser {
  take(): StartedBrowser | undefined;
}

/** What `run` adds to the `CliIO` it gives the commands when the executable started a browser. */
export interface BrowserHandOff {
  readonly earlyBrowser?: EarlyBrowser;
}

export function handOff(browser: StartedBrowser): EarlyBrowser {
  let left: StartedBrowser | undefined = browser;
  return {
    take: () => {
      const taken = left;
      left = undefined;
      return taken;
    },
  };
}
