import { closeSync, constants, lstatSync, openSync, statSync, type Stats } from 'node:fs';
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
 * With `log`, a deck file that is not there, or that does not open, is recorded as failed with
 * the reason Chromium gives it (`net::ERR_FILE_NOT_FOUND`, `net::ERR_ACCESS_DENIED`), and the
 * other deck files continued as started. That is all the tracking loadPrintView needs, so
 * sessions can leave Puppeteer's Network events off (BrowserSessionOptions.networkEvents).
 */
export async function allowOnlyDeckFiles(
  page: Page,
  deckDir: string,
  options: { withoutReveal?: boolean; log?: RequestLog } = {},
): Promise<string[]> {
  const log = options.log;
  const classify = deckFileClassifier(deckDir, log !== undefined);
  const blocked: string[] = [];
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
      // A web font has answered (only those pause at the response stage, and only with a log).
      log?.fonts.delete(url);
      answer(event.requestId);
      return;
    }
    const kind = classify(url);
    if (kind === 'deck') {
      log?.started.add(url);
      if (event.resourceType === 'Font') log?.fonts.add(url);
      answer(event.requestId);
      return;
    }
    if (kind !== 'outside') {
      // Continued: Chromium fails it at once, the page seeing the error it always saw.
      log?.failed.push({ url, reason: kind.reason });
      answer(event.requestId);
      return;
    }
    blocked.push(url);
    answer(event.requestId, 'BlockedByClient');
  });
  const patterns: Protocol.Fetch.RequestPattern[] = [{ urlPattern: '*' }];
  // The page cannot say which font file it waits for (a file:// stylesheet's rules are closed to
  // its scripts): fonts alone pause again when they answer. Every file doing so cost ~0.1 s of CPU.
  if (log !== undefined) patterns.push({ urlPattern: 'file:*', resourceType: 'Font', requestStage: 'Response' });
  await client.send('Fetch.enable', { patterns });
  return blocked;
}

/** Chromium's error text for a `file://` URL with no file behind it. */
const FILE_NOT_FOUND = 'net::ERR_FILE_NOT_FOUND';

/**
 * Chromium's error text for a file it could not open, from the `open` error's code: a file it may
 * not read (`chmod 000` for a user other than root) is `net::ERR_ACCESS_DENIED`; one that is not a
 * file that opens (a Unix socket: ENXIO, even for root) `net::ERR_FAILED`.
 */
function openFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'net::ERR_ACCESS_DENIED';
  if (code === 'ENOENT') return FILE_NOT_FOUND;
  return 'net::ERR_FAILED';
}

/** What allowOnlyDeckFiles saw of a page's requests to deck files. */
export interface RequestLog {
  /** Deck files continued to Chromium (URL with its fragment). */
  started: Set<string>;
  /** Web fonts continued that have not answered yet. */
  fonts: Set<string>;
  /** Deck files failed because they are not there or cannot be opened, with Chromium's reason. */
  failed: FailedRequest[];
}

/**
 * Whether a URL is a file of the deck in `deckDir` (after following symbolic links). The real path
 * of each folder is looked up once per page; a file's own name is checked with one `lstat`, and
 * followed in full when it is a symbolic link (or not there).
 */
export function deckFileRule(deckDir: string): (url: string) => boolean {
  const classify = deckFileClassifier(deckDir, false);
  return (url) => classify(url) !== 'outside';
}

/**
 * deckFileRule's answer, with deck files that cannot load told apart, with the reason Chromium
 * gives them: a path inside the deck with nothing there (or a dangling link), from the same
 * `lstat`; with `probe`, a file there that does not open (not readable, a socket), from one `open`
 * of it (of the link's target), as Chromium's own open would fail. Without Network events, a
 * continued file that fails is seen nowhere else.
 */
function deckFileClassifier(deckDir: string, probe: boolean): (url: string) => 'deck' | 'outside' | { reason: string } {
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
      const path = fileURLToPath(url);
      const { real, missing } = look(path);
      if (real !== root && !inside(real, root)) return 'outside';
      if (missing) return { reason: FILE_NOT_FOUND };
      // Only once the file is known to be the deck's: opening a device outside it may do something.
      const failure = probe ? opens(path) : undefined;
      return failure === undefined ? 'deck' : { reason: failure };
    } catch {
      return 'outside';
    }
  };
}

/**
 * Why Chromium cannot open the file at `path`, if it cannot: opened for reading and closed at once. Without
 * blocking: a FIFO opens (and is then waited on, as Chromium waits); `access` would not do, as
 * root may read any file but open no socket.
 */
function opens(path: string): string | undefined {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    return undefined;
  } catch (error) {
    return openFailure(error);
  }
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
 * launches turn them off). What is still loading is asked of the page when a timeout fires: the
 * continued deck files that it still waits for, as an unfinished image, background image
 * (loadPrintView's wait) or stylesheet, and the web fonts that have not answered (seen at Fetch's
 * response stage). The page's resource timings leave `file://` out, and pausing every file's
 * answer at the response stage cost `npm start` ~0.1 s of CPU.
 */
class RequestTracker {
  readonly log: RequestLog = { started: new Set(), fonts: new Set(), failed: [] };

  constructor(private readonly page: Page) {}

  /**
   * The started deck files the page still waits for, none when the page does not answer in time:
   * the files the deck refers to (its images, its own CSS) before the files decksmith ships with
   * every deck (`assets/reveal/`, a built-in theme, fonts, highlight, KaTeX), which the author
   * cannot remove: on a loaded machine those may still be in flight when the timeout fires, and a
   * list cut at five must not hide the deck's file behind them.
   */
  async pendingUrls(deckDir: string): Promise<string[]> {
    if (this.log.started.size === 0) return [];
    const asked = this.page.evaluate(stillLoading).catch((): [string[], string[]] => [[], []]);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<[string[], string[]]>((resolve) => {
      timer = setTimeout(() => resolve([[], []]), PENDING_ANSWER_MS);
    });
    const [first, last] = await Promise.race([asked, late]);
    clearTimeout(timer);
    const loading = [...first, ...this.log.fonts, ...last].map(withoutFragment);
    const started = new Set([...this.log.started].map(withoutFragment));
    const urls = [...new Set(loading.filter((url) => started.has(url)))];
    const root = pathToFileURL(deckDir).href;
    const shipped = RUNTIME_FOLDERS.map((folder) => `${root}/${folder}`);
    const userTheme = `${root}/assets/theme/user`;
    const ours = (url: string): boolean => shipped.some((prefix) => url.startsWith(prefix)) && !url.startsWith(userTheme);
    return [...urls.filter((url) => !ours(url)), ...urls.filter(ours)].map(shortUrl);
  }

  failures(): FailedRequest[] {
    return [...this.log.failed];
  }
}

/** Where the files decksmith ships with every deck are written (src/build/runtime.ts, fonts.ts, theme.ts). */
const RUNTIME_FOLDERS = ['assets/reveal/', 'assets/theme/', 'assets/fonts/', 'assets/highlight/', 'assets/katex/', 'css/ds-'];

/** How long a timed-out page gets to say what it still waits for. */
const PENDING_ANSWER_MS = 1000;

/** Global under which loadPrintView's wait keeps the background images it still waits for. */
interface WaitingWindow {
  decksmithWaiting?: Set<string>;
}

/**
 * Runs in the page: absolute URLs of what it still waits for: images not complete and background
 * images being waited for; then stylesheets without their sheet (web fonts come between them).
 */
function stillLoading(): [string[], string[]] {
  const urls: string[] = [];
  for (const img of document.images) if (!img.complete) urls.push(img.currentSrc || img.src);
  urls.push(...((window as unknown as WaitingWindow).decksmithWaiting ?? []));
  // Last: a stylesheet may wait only because Chromium's file loading waits on a file above.
  const sheets: string[] = [];
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"]')) if (link.sheet === null) sheets.push(link.href);
  return [urls, sheets];
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

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
  const tracker = new RequestTracker(page);
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
      // Kept where a timeout can ask for them (RequestTracker.pendingUrls).
      const waiting = new Set<string>();
      Object.defineProperty(window, 'decksmithWaiting', { value: waiting, configurable: true });
      const backgrounds = [...urls].map((url) => {
        const image = new Image();
        image.src = url;
        waiting.add(image.src);
        return image
          .decode()
          .catch(() => undefined)
          .finally(() => waiting.delete(image.src));
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
    timer = setTimeout(async () => {
      const pending = await tracker.pendingUrls(dirname(htmlPath));
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
