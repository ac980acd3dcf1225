import { lstatSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page, Protocol } from 'puppeteer-core';
import { BrowserError } from '../errors.js';
import type { BrowserSession } from './session.js';
import { preparePrintView } from './page-scripts.js';
import { installPrintLayout } from './print-layout.js';
import { trace } from './trace.js';
import { inside, realOrNearest, realRoot } from '../build/assets.js';

/**
 * Lets the page load only files of the built deck: every request that is not a `file://` URL
 * inside `deckDir` (after following symbolic links) is failed, so a hostile deck cannot make
 * Chromium read a private file into a PDF, fetch from the network or reach a local server while
 * printing or measuring. (`data:` URLs never reach request interception; the renderer allows
 * them only for images.) Returns the blocked URLs as they happen.
 *
 * The page's own DevTools session pauses each request (`Fetch.requestPaused`, every frame of the
 * page) and answers it in one message, without Puppeteer's request interception: that paired
 * every paused request with its Network event in an HTTPRequest and settled it through its
 * cooperative-interception machinery, and turned the page's cache off; ~70 ms of this process's
 * CPU for `npm start`'s three decks, on the thread that builds the next deck meanwhile. The
 * page's scripts are decksmith's (the deck's are filtered out), none of which starts a worker.
 *
 * With `log`, a deck file that is not there is recorded as failed with the
 * reason Chromium gives it (`net::ERR_FILE_NOT_FOUND`), and the other deck files continued as
 * started. That is all the tracking loadPrintView needs, so sessions
 * can leave Puppeteer's Network events off (BrowserSessionOptions.networkEvents).
 */
export async function allowOnlyDeckFiles(
  page: Page,
  deckDir: string,
  options: { withoutReveal?: boolean; log?: RequestLog } = {},
): Promise<string[]> {
  const classify = deckFileClassifier(deckDir);
  const blocked: string[] = [];
  const log = options.log;
  const client = await page.createCDPSession();
  const answer = (requestId: string, errorReason?: Protocol.Network.ErrorReason): void => {
    const sent =
      errorReason === undefined
        ? client.send('Fetch.continueRequest', { requestId })
        : client.send('Fetch.failRequest', { requestId, errorReason });
    // The page may close (or navigate away) while a request is paused: nothing is left to answer.
    sent.catch(() => undefined);
  };
  client.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
    const url = event.request.url + (event.request.urlFragment ?? '');
    // decksmith's print layout stands in for reveal.js (installPrintLayout): its script is not
    // needed, and refusing it saves parsing and running it. Refused, not failed: no warning.
    if (options.withoutReveal === true && event.resourceType === 'Script' && /\/reveal\.js$/.test(new URL(url).pathname)) {
      answer(event.requestId, 'BlockedByClient');
      return;
    }
    if (event.responseStatusCode !== undefined || event.responseErrorReason !== undefined) {
      // Only a page with a log pauses at the response stage: the file has answered (or failed).
      if (log !== undefined) settled(log, url, event.responseErrorReason);
      answer(event.requestId);
      return;
    }
    const kind = classify(url);
    if (kind === 'deck') {
      if (log !== undefined) log.pending.set(url, (log.pending.get(url) ?? 0) + 1);
      answer(event.requestId);
      return;
    }
    if (kind === 'missing') {
      // Continued: Chromium fails it at once, the page seeing the error it always saw.
      log?.failed.push({ url, reason: FILE_NOT_FOUND });
      answer(event.requestId);
      return;
    }
    blocked.push(url);
    answer(event.requestId, 'BlockedByClient');
  });
  const patterns: Protocol.Fetch.RequestPattern[] = [{ urlPattern: '*' }];
  if (log !== undefined) patterns.push({ urlPattern: 'file:*', requestStage: 'Response' });
  await client.send('Fetch.enable', { patterns });
  return blocked;
}

/**
 * A continued deck file has answered: no longer pending; a failure (not one the deck rule made)
 * with the reason as Chromium words it (`AccessDenied` → `net::ERR_ACCESS_DENIED`). A file that
 * was not there was logged when it was asked for, and never counted as pending.
 */
function settled(log: RequestLog, url: string, error: Protocol.Network.ErrorReason | undefined): void {
  const count = log.pending.get(url);
  if (count === undefined) return;
  if (count > 1) log.pending.set(url, count - 1);
  else log.pending.delete(url);
  if (error !== undefined && error !== 'BlockedByClient')
    log.failed.push({ url, reason: `net::ERR_${error.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}` });
}

/** Chromium's error text for a `file://` URL with no file behind it. */
const FILE_NOT_FOUND = 'net::ERR_FILE_NOT_FOUND';

/** What allowOnlyDeckFiles saw of a page's requests to deck files. */
export interface RequestLog {
  /** Deck files continued to Chromium that have not answered yet (URL with its fragment → times asked). */
  pending: Map<string, number>;
  /** Deck files failed because they are not there, with Chromium's reason. */
  failed: FailedRequest[];
}

/**
 * Whether a URL is a file of the deck in `deckDir` (after following symbolic links). The real path
 * of each folder is looked up once per page; a file's own name is checked with one `lstat`, and
 * followed in full when it is a symbolic link (or not there).
 */
export function deckFileRule(deckDir: string): (url: string) => boolean {
  const classify = deckFileClassifier(deckDir);
  return (url) => classify(url) !== 'outside';
}

/**
 * deckFileRule's answer, with deck files that cannot load told apart: `missing` for a path inside
 * the deck with nothing there (or a dangling link), from the same `lstat`.
 */
function deckFileClassifier(deckDir: string): (url: string) => 'deck' | 'missing' | 'outside' {
  const root = realRoot(deckDir);
  const folders = new Map<string, string>();
  const look = (path: string): { real: string; missing: boolean } => {
    let stats: Stats | undefined;
    try {
      stats = lstatSync(path);
    } catch {
      stats = undefined;
    }
    if (stats === undefined || stats.isSymbolicLink()) {
      let target: Stats | undefined;
      try {
        target = stats === undefined ? undefined : statSync(path);
      } catch {
        target = undefined;
      }
      return { real: realOrNearest(path), missing: target === undefined };
    }
    const folder = dirname(path);
    let real = folders.get(folder);
    if (real === undefined) {
      real = realOrNearest(folder);
      folders.set(folder, real);
    }
    return { real: join(real, basename(path)), missing: false };
  };
  return (url) => {
    if (url.startsWith('data:')) return 'deck';
    if (!url.startsWith('file:')) return 'outside';
    try {
      const { real, missing } = look(fileURLToPath(url));
      if (real !== root && !inside(real, root)) return 'outside';
      return missing ? 'missing' : 'deck';
    } catch {
      return 'outside';
    }
  };
}

/** Query parameters the deck template reads in print mode (see templates/deck.hbs). */
export interface PrintQuery {
  fragments: 'final' | 'steps';
  notes: 'none' | 'page' | 'below';
}

/**
 * The print-view URL. Besides the template's own parameters it passes reveal.js options, which
 * reveal reads from the query string over its config: no margin (page = slide size) and one
 * page per slide even when a slide overflows (`decksmith check` reports those).
 */
export function printUrl(htmlPath: string, query: PrintQuery): string {
  const url = pathToFileURL(htmlPath);
  const params = ['print-pdf', 'margin=0', 'pdfMaxPagesPerSlide=1'];
  params.push(`pdfSeparateFragments=${query.fragments === 'steps'}`);
  if (query.fragments === 'steps') params.push('fragments=steps');
  if (query.notes === 'page') params.push('notes=page', 'showNotes=separate-page');
  if (query.notes === 'below') params.push('notes=below', 'showNotes=true');
  url.search = params.join('&');
  return url.href;
}

/** A request of the page that did not complete, and Chromium's reason (`net::ERR_FILE_NOT_FOUND`). */
export interface FailedRequest {
  url: string;
  reason: string;
}

/**
 * Requests the page has started and not yet finished, so a timeout can say what it waited for,
 * and those that failed. Requests `allowOnlyDeckFiles` refused are not failures: blocking them is
 * the rule working, and the build already warned about the reference where it could.
 *
 * Built on allowOnlyDeckFiles' log, not Puppeteer's Network events (the sessions decksmith
 * launches turn them off): a deck file is pending from when it is continued until it answers,
 * seen at Fetch's response stage, which pauses `file://` answers too (the page's resource timings
 * leave `file://` out).
 */
class RequestTracker {
  readonly log: RequestLog = { pending: new Map(), failed: [] };

  /**
   * The URLs still loading, the files the deck refers to (its images, its own CSS) before the
   * files decksmith ships with every deck (`assets/reveal/`, a built-in theme, fonts, highlight, KaTeX),
   * which the author cannot remove: on a loaded machine those may still be in flight when the
   * timeout fires, and a list cut at five must not hide the deck's file behind them.
   */
  pendingUrls(deckDir: string): string[] {
    const root = pathToFileURL(deckDir).href;
    const shipped = RUNTIME_FOLDERS.map((folder) => `${root}/${folder}`);
    const userTheme = `${root}/assets/theme/user`;
    const ours = (url: string): boolean => shipped.some((prefix) => url.startsWith(prefix)) && !url.startsWith(userTheme);
    const urls = [...this.log.pending.keys()];
    return [...urls.filter((url) => !ours(url)), ...urls.filter(ours)].map(shortUrl);
  }

  failures(): FailedRequest[] {
    return [...this.log.failed];
  }
}

/** Where the files decksmith ships with every deck are written (src/build/runtime.ts, fonts.ts, theme.ts). */
const RUNTIME_FOLDERS = ['assets/reveal/', 'assets/theme/', 'assets/fonts/', 'assets/highlight/', 'assets/katex/', 'css/ds-'];

function shortUrl(url: string): string {
  return url.startsWith('data:') ? `${url.slice(0, 40)}…` : url;
}

export interface PrintViewOptions {
  /**
   * 'decksmith' lays the deck out with decksmith's own print layout (installPrintLayout), without
   * running reveal.js; 'reveal' (the default) uses reveal.js's print view.
   */
  layout?: 'decksmith' | 'reveal';
  /**
   * With the 'decksmith' layout: the reading-order slides whose pages are shown; the others are
   * dropped before the pages are styled (layoutPages would drop them later). @defaultValue all
   */
  keep?: number[] | null;
  /** With `keep`: slides whose pages stay, empty, in their place (installPrintLayout's `show`). */
  blank?: number[] | null;
}

export interface LoadedDeck {
  /** The deck's own files that failed to load (a missing image or font), in the order they failed. */
  failedRequests: FailedRequest[];
}

/**
 * Opens the deck's print view and waits until it is ready to print: reveal's `pdf-ready`
 * (surfaced by the template as `html[data-pdf-ready]`), every web font, and every image and CSS
 * background image decoded. No fixed sleeps.
 *
 * @throws BrowserError `pdf-timeout` naming the step and the requests still loading.
 */
export async function loadPrintView(
  session: BrowserSession,
  page: Page,
  htmlPath: string,
  query: PrintQuery,
  size: { width: number; height: number },
  timeoutMs: number,
  options: PrintViewOptions = {},
): Promise<LoadedDeck> {
  const own = options.layout === 'decksmith';
  const tracker = new RequestTracker();
  let step = 'the page to load';
  const steps = async (): Promise<void> => {
    trace('load: start');
    // Independent set-up calls, sent at once rather than one round trip after another (the page's
    // scripts still register in order: preparePrintView first).
    await Promise.all([
      allowOnlyDeckFiles(page, dirname(htmlPath), { withoutReveal: own, log: tracker.log }),
      page.setViewport({ width: size.width, height: size.height }),
      (async () => {
        await page.evaluateOnNewDocument(preparePrintView, size.height, own);
        if (own) await page.evaluateOnNewDocument(installPrintLayout, true);
      })(),
    ]);
    await page.goto(printUrl(htmlPath, query), { waitUntil: 'load', timeout: 0 });
    trace('load: goto done');
    step = own ? 'the print layout' : "reveal.js's pdf-ready event";
    // With decksmith's layout, pdf-ready comes before the template's fit passes (reveal.js's
    // print view comes after them): wait for both. One call that settles when the page says so,
    // not Puppeteer's waitForFunction, which first injects its ~10 kB helper script into every
    // page and takes four round trips more.
    await page.evaluate(
      (both: boolean) =>
        new Promise<void>((resolve) => {
          const root = document.documentElement;
          const ready = (): boolean => root.dataset['pdfReady'] === 'true' && (!both || root.dataset['ready'] === 'true');
          if (ready()) {
            resolve();
            return;
          }
          const observer = new MutationObserver(() => {
            if (!ready()) return;
            observer.disconnect();
            resolve();
          });
          observer.observe(root, { attributes: true, attributeFilter: ['data-pdf-ready', 'data-ready'] });
        }),
      own,
    );
    trace('load: pdf-ready');
    if (own) {
      // The pages are built and hidden (installPrintLayout's holdVeil): print media now costs no
      // restyle of a slide, and the pages are then styled and laid out once, as they print.
      // Switching while they showed (or letting page.pdf switch) restyled the whole deck twice.
      step = 'the print media';
      await page.emulateMediaType('print');
      await page.evaluate(
        (keep: number[] | null, blank: number[] | null) => {
          type Show = (keep: number[] | null, blank: number[] | null) => void;
          const show = (window as unknown as { decksmithShowPages?: Show }).decksmithShowPages;
          if (show === undefined) throw new Error('The print layout did not build its pages.');
          show(keep, blank);
        },
        options.keep ?? null,
        options.blank ?? null,
      );
      trace('load: print media');
    }
    step = 'web fonts and images';
    // Web fonts; then <img> elements, and CSS background images (reveal.js slide backgrounds,
    // theme art), which load lazily and are not covered by the load event. Waiting on these
    // page-level signals, not on "no request in flight": DevTools does not always report a
    // file:// request as finished, which would make that wait hang. With decksmith's layout the
    // view is built by now, and marked so in the same call (`html[data-ds-built]`, see
    // preparePrintView), where its callers spent a round trip on it before measuring.
    await page.evaluate(async (built: boolean) => {
      await document.fonts.ready;
      const urls = new Set<string>();
      for (const element of document.querySelectorAll<HTMLElement>('.reveal *')) {
        const background = getComputedStyle(element).backgroundImage;
        for (const match of background.matchAll(/url\(["']?([^"')]+)["']?\)/g)) if (match[1] !== undefined) urls.add(match[1]);
      }
      const backgrounds = [...urls].map((url) => {
        const image = new Image();
        image.src = url;
        return image.decode().catch(() => undefined);
      });
      const images = [...document.images].map((img) => (img.complete ? undefined : img.decode().catch(() => undefined)));
      await Promise.all([...images, ...backgrounds]);
      if (built) document.documentElement.dataset['dsBuilt'] = '';
    }, own);
    trace('load: fonts and images');
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (timeoutMs <= 0) return;
    timer = setTimeout(() => {
      const pending = tracker.pendingUrls(dirname(htmlPath));
      const still =
        pending.length > 0
          ? ` Still loading: ${pending.slice(0, 5).join(', ')}${pending.length > 5 ? ` and ${pending.length - 5} more` : ''}.`
          : '';
      reject(
        new BrowserError('pdf-timeout', `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${step} in ${htmlPath}.${still}`, {
          file: htmlPath,
          hint: 'Raise --timeout, or remove the resource that does not load (a remote font or image?).',
        }),
      );
    }, timeoutMs);
  });
  try {
    await session.race(Promise.race([steps(), timeout]));
  } catch (error) {
    session.assertAlive();
    if (error instanceof BrowserError) throw error;
    throw new BrowserError('pdf-load-failed', `Could not open ${htmlPath} in Chromium: ${(error as Error).message}`, {
      file: htmlPath,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  return { failedRequests: tracker.failures() };
}
