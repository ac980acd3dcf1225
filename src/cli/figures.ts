/**
 * The figure renderer the commands hand to buildDeck (src/figures/). Lazy twice over: the figure
 * code loads only when a deck has a figure fence, and Chromium starts only when a diagram is not
 * in the cache; a command that prints already has a browser, and diagrams are drawn in that one.
 */
import type { FigureRendererHandle } from '../figures/index.js';
import type { BuiltDeck, DeckOptions, FigureJob, FigureRenderer } from '../types.js';
import type { BrowserSession } from '../browser/session.js';
import { launchBrowser, type StartedBrowser } from './browser-start.js';
import type { CliIO } from './io.js';

export interface CliFigures extends FigureRenderer {
  /** Closes the diagram page, and a browser started for it; safe to call more than once. */
  close(): Promise<void>;
}

/** `browser`: the command's own (PDF) browser, or a function giving one; else one is started when needed. */
export function cliFigures(io: CliIO, browser?: StartedBrowser | (() => Promise<BrowserSession>)): CliFigures {
  let handle: Promise<FigureRendererHandle> | undefined;
  let started: StartedBrowser | undefined;
  const session = (): Promise<BrowserSession> => {
    if (typeof browser === 'function') return browser();
    if (browser !== undefined) return browser.session;
    started ??= launchBrowser((message) => io.stderr(`decksmith: ${message}\n`), io.signal);
    return started.session;
  };
  const load = (): Promise<FigureRendererHandle> => {
    handle ??= import('../figures/index.js').then(({ createFigureRenderer }) => createFigureRenderer({ session }));
    return handle;
  };
  return {
    render: async (job: FigureJob) => (await load()).render(job),
    close: async () => {
      const open = handle;
      handle = undefined;
      await (await open)?.close();
      const own = started;
      started = undefined;
      await own?.close();
    },
  };
}

/**
 * Builds one deck into `outDir` for a command that then prints or photographs it (pdf, png,
 * pptx): its diagrams are drawn in that command's browser, and the diagram page is closed before
 * the export starts.
 */
export async function buildForExport(
  io: CliIO,
  browser: StartedBrowser,
  input: string,
  options: DeckOptions,
  outDir: string,
): Promise<BuiltDeck> {
  const { buildDeck, deckOptions } = await import('../build/index.js');
  const figures = cliFigures(io, browser);
  try {
    return await buildDeck(input, { ...deckOptions(options), outDir, signal: io.signal, figures });
  } finally {
    await figures.close();
  }
}
