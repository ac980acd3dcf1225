/**
 * The figure stage (issue #13): draws a deck's ```mermaid, ```chart and ```vega-lite fences to
 * SVG before render, which inlines them (src/render/figures.ts). createFigureRenderer gives the
 * build a FigureRenderer (src/types.ts):
 *
 * - Mermaid draws in Chromium (./mermaid.ts). The browser is asked for only when a diagram is not
 *   in the cache, so a deck without diagrams, or one whose diagrams are all cached, starts none;
 *   the CLI hands in the browser its PDF export uses in the same run.
 * - Charts draw in Node (./chart/, loaded only for a deck that has one).
 * - Diagrams are cached on disk by a hash of (language, source, FigureTheme, Mermaid version,
 *   this stage's version), outside the deck's folder (./cache.ts), and in memory for the
 *   renderer's life (serve rebuilds). Charts are not cached: they may read data files, and they
 *   draw in milliseconds.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { BrowserSession } from '../browser/session.js';
import { FigureError } from '../errors.js';
import type { Diagnostic, DrawnFigures, FigureFence, FigureJob, FigureRenderer } from '../types.js';
import { defaultCacheDir, readCached, writeCached } from './cache.js';
import { renderChartFence } from './charts.js';
import { findMermaid, looksSafe, MERMAID_INSTALL, MermaidPage, type MermaidLibrary } from './mermaid.js';
import { figureTheme } from './theme.js';
import type { FigureTheme } from './types.js';

export type { FigureFont, FigureTheme } from './types.js';
export { figureTheme } from './theme.js';

/** Bumped whenever what this stage does to an SVG changes, so old cache entries are not used. */
const STAGE_VERSION = 3;

/**
 * What a drawn diagram depends on, hashed: it names the cache entry and the SVG's id. Font files
 * count by name, not by absolute path, so the same deck gives the same bytes wherever decksmith is
 * installed or cloned.
 */
export function mermaidKey(version: string, fence: Pick<FigureFence, 'lang' | 'source'>, theme: FigureTheme): string {
  const fonts = theme.fonts.map((font) => ({ ...font, path: basename(font.path) }));
  return createHash('sha256')
    .update(JSON.stringify([STAGE_VERSION, version, fence.lang, fence.source, { ...theme, fonts }]))
    .digest('hex');
}

export interface FigureRendererOptions {
  /**
   * The browser to draw Mermaid diagrams in, asked for on the first diagram not in a cache (the
   * caller keeps closing it). @defaultValue a browser this renderer launches then, and closes in close()
   */
  session?: () => Promise<BrowserSession>;
  /** Folder of the disk cache; false for none. @defaultValue defaultCacheDir() */
  cacheDir?: string | false;
  /** Stops a launch this renderer starts. */
  signal?: AbortSignal | undefined;
  /** The Mermaid package to draw with; false: as if none were installed. @defaultValue findMermaid() near the deck */
  mermaid?: MermaidLibrary | false;
}

export interface FigureRendererHandle extends FigureRenderer, AsyncDisposable {
  /** Figures drawn so far (not taken from a cache): what a cached rebuild keeps at 0. */
  readonly drawn: number;
  /** Closes the diagram page, and the browser if this renderer launched it. */
  close(): Promise<void>;
}

export function createFigureRenderer(options: FigureRendererOptions = {}): FigureRendererHandle {
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const memory = new Map<string, string>();
  let owned: Promise<BrowserSession> | undefined;
  let page: Promise<MermaidPage> | undefined;
  let pageBundle: string | undefined;
  let drawn = 0;

  const session = (): Promise<BrowserSession> => {
    if (options.session !== undefined) return options.session();
    owned ??= import('../browser/session.js').then(({ BrowserSession }) =>
      BrowserSession.launch({ signal: options.signal, networkEvents: false }),
    );
    return owned;
  };
  const mermaidPage = async (library: MermaidLibrary): Promise<MermaidPage> => {
    // A page kept for the next deck in line has that deck's Mermaid only if both found the same one.
    if (page !== undefined && pageBundle !== library.bundle) await closePage();
    pageBundle = library.bundle;
    page ??= session().then((s) => MermaidPage.open(s, library));
    // A failed open (a browser that would not start) is tried again by the next build.
    page.catch(() => {
      page = undefined;
    });
    return page;
  };

  const drawMermaid = async (fence: FigureFence, theme: FigureTheme, job: FigureJob, library: MermaidLibrary): Promise<string> => {
    const hash = mermaidKey(library.version, fence, theme);
    const remembered = memory.get(hash);
    if (remembered !== undefined) return remembered;
    if (cacheDir !== false) {
      const cached = await readCached(cacheDir, hash);
      if (cached !== undefined && looksSafe(cached)) {
        memory.set(hash, cached);
        return cached;
      }
    }
    // Chromium may still be booting, and Mermaid is yet to load: seconds the caller may use.
    job.onWaiting?.();
    const svg = await (await mermaidPage(library)).draw(fence, theme, `ds-fig-${hash.slice(0, 12)}`, job.file);
    if (!looksSafe(svg)) {
      throw new FigureError('figure-syntax', 'the drawn diagram still held a script, a handler or an outside link; it is left out', {
        file: job.file,
        line: fence.line,
        hint: 'Please report this with the diagram: it is a bug in decksmith.',
      });
    }
    drawn += 1;
    memory.set(hash, svg);
    if (cacheDir !== false) await writeCached(cacheDir, hash, svg);
    return svg;
  };

  // One deck at a time: decks built at once (Promise.all over buildDeck, or `build` letting the
  // next deck start while one waits for its diagrams) share the one diagram page, which the last
  // deck in line closes; drawing on it while another closes it fails.
  let queue: Promise<unknown> = Promise.resolve();
  let inLine = 0;
  const render = (job: FigureJob): Promise<DrawnFigures> => {
    // Behind another deck: this one waits for that deck's diagrams to be drawn first.
    if (inLine > 0) job.onWaiting?.();
    inLine += 1;
    const run = queue.then(async () => {
      try {
        return await renderFences(job);
      } finally {
        inLine -= 1;
        // Not kept once no deck waits for it: an open page would be the browser's front tab, and
        // Chromium stops painting the tabs behind it, which the export and check measure and print
        // in. A deck already in line draws on it instead of loading Mermaid again.
        if (inLine === 0) await closePage();
        else await forgetFonts();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const forgetFonts = async (): Promise<void> => {
    const open = await page?.catch(() => undefined);
    // A page that cannot forget is not handed on.
    if (open !== undefined) await open.forgetFonts().catch(closePage);
  };

  const closePage = async (): Promise<void> => {
    const open = page;
    page = undefined;
    await (await open?.catch(() => undefined))?.close();
  };

  const renderFences = async (job: FigureJob): Promise<DrawnFigures> => {
    const theme = figureTheme(job.theme, job.deck);
    const figures: Record<string, string> = {};
    const diagnostics: Diagnostic[] = [];
    const inputs = new Set<string>();
    let library: MermaidLibrary | false | undefined;
    for (const fence of job.fences) {
      if (job.signal?.aborted === true) break;
      if (fence.lang === 'mermaid') {
        library ??= options.mermaid === undefined ? findMermaid([job.deckDir]) : options.mermaid;
        if (library === false || library === undefined) {
          // Not installed: the fence stays code (render shows it), with one warning per deck saying how to get it.
          if (!diagnostics.some((d) => d.code === 'figure-not-drawn')) diagnostics.push(mermaidMissing(job, fence));
          continue;
        }
        figures[fence.key] = await drawMermaid(fence, theme, job, library);
      } else {
        const chart = await renderChartFence(
          fence,
          job,
          theme,
          `ds-chart-${createHash('sha256').update(fence.key).digest('hex').slice(0, 12)}`,
        );
        diagnostics.push(...chart.diagnostics);
        for (const data of chart.dataFiles) inputs.add(data);
        if (chart.svg === '') continue;
        drawn += 1;
        figures[fence.key] = chart.svg;
      }
    }
    return { figures, diagnostics, inputs: [...inputs] };
  };

  const close = async (): Promise<void> => {
    await closePage();
    const launched = owned;
    owned = undefined;
    await (await launched?.catch(() => undefined))?.close();
  };
  return {
    render,
    get drawn() {
      return drawn;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function mermaidMissing(job: FigureJob, fence: FigureFence): Diagnostic {
  const count = job.fences.filter((f) => f.lang === 'mermaid').length;
  return {
    severity: 'warning',
    code: 'figure-not-drawn',
    message: `${count === 1 ? 'this ```mermaid diagram is' : `these ${count} \`\`\`mermaid diagrams are`} shown as code: the mermaid package (11.x) is not installed, and decksmith leaves it out of its own install (about 150 MB). Run "${MERMAID_INSTALL}" in the deck's folder (or "npm install -g mermaid@11" beside a global decksmith) and build again`,
    file: job.file,
    line: fence.line - 1,
  };
}
