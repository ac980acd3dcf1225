/**
 * `decksmith serve`: a live-reloading preview. Builds the deck in memory (nothing is written,
 * and a rebuild renders only the slides that changed: SlideCache), serves it on loopback,
 * rebuilds when a file the deck uses changes (the deck, its images, `css:`
 * files, theme and templates; nothing else in its folder), and tells open pages over server-sent
 * events, which patch the slides that changed in place (client.ts) or reload, keeping the slide
 * and fragment on screen either way. A build error shows as an overlay while the last good build
 * stays on screen; with no good build yet, the page is the error itself. Either way, fixing the
 * file recovers the page without a restart.
 *
 * Safety: binds 127.0.0.1 unless told otherwise, serves only index.html and the files the build
 * lists (a lookup by name: there is no folder to escape from), and refuses requests whose Host
 * header is not the address it listens on (DNS rebinding).
 */
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';
import mime from 'mime-types';
import { buildDeck, deckOptions, type BuildOptions } from '../build/index.js';
import { DecksmithError, InputError, OutputError } from '../errors.js';
import type { AssetRef, BuiltDeck, DeckOptions, Diagnostic, FigureRenderer } from '../types.js';
import { capFor, readRegularFile } from '../build/files.js';
import { watchFiles } from './watch.js';
import { clientScript, errorPage, EVENTS_PATH } from './client.js';
import { slidePatch } from './patch.js';
import { trace } from './trace.js';
import { createFigureRenderer } from '../figures/index.js';
import { SlideCache } from '../render/index.js';

export interface ServeOptions extends DeckOptions {
  /** @defaultValue 8000; 0 picks a free port */
  port?: number;
  /**
   * When `port` is in use, try this many ports after it, then any free port (the URL says which).
   * 0: a port in use is an error. @defaultValue 0
   */
  fallbackPorts?: number;
  /** @defaultValue "127.0.0.1" */
  host?: string;
  /**
   * Stops a build in progress; closing the server stays the caller's job (`close()`, in its
   * `finally`). A build the signal stopped reports nothing. @defaultValue never aborts
   */
  signal?: AbortSignal | undefined;
  /**
   * Called after every build with its diagnostics, or with the error that stopped it; `changed`
   * holds the files whose change caused a rebuild (absent for the first build).
   */
  onBuild?: (result: { built?: BuiltDeck; diagnostics: Diagnostic[]; error?: DecksmithError; changed?: string[] }) => void;
  /** Milliseconds to wait for more changes before rebuilding. @defaultValue DEBOUNCE_MS */
  debounceMs?: number;
  /**
   * Draws diagrams and charts. @defaultValue one for the server's life (createFigureRenderer),
   * which starts Chromium on the first diagram not in the cache and closes it with the server
   */
  figures?: FigureRenderer;
}

export interface RunningServer extends AsyncDisposable {
  url: string;
  /** The files and folders being watched (see BuiltDeck.inputs), after the latest build. */
  watched(): string[];
  /** Resolves after the rebuild in progress (if any) has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Editors save in bursts (write, rename, touch) within a few milliseconds; a build that still
 * reads a half-written file is followed by another once the burst's last event arrives.
 */
export const DEBOUNCE_MS = 20;
/**
 * The quiet time that is enough when each changed file has content (see WatchOptions.quickMs):
 * a save's events (truncate, write; or write, rename) arrive well within it.
 */
export const QUICK_MS = 3;
/** How long a rebuild after a stylesheet-only save waits at most for the pages to fetch it. */
const STYLESHEET_WAIT_MS = 250;
/** How long after that the rebuild waits, so that a quick next save goes out first. */
const STYLESHEET_REBUILD_DELAY_MS = 150;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Listens on `port`, or on one of the next `fallbacks` ports, or on any free port. */
async function listen(server: Server, host: string, port: number, fallbacks: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const candidate = attempt <= fallbacks ? port + attempt : 0;
    const outcome = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
      const failed = (error: NodeJS.ErrnoException): void => done(error);
      server.once('error', failed);
      server.listen(candidate, host, () => {
        server.removeListener('error', failed);
        done(undefined);
      });
    });
    if (outcome === undefined) return;
    const more = fallbacks > 0 && candidate !== 0 && outcome.code === 'EADDRINUSE' && candidate < 65535;
    if (!more) {
      throw new OutputError(
        'serve-listen',
        `cannot listen on ${host}:${candidate}: ${outcome.code === 'EADDRINUSE' ? 'the port is in use' : outcome.message}`,
        {
          hint: 'Pick another port with --port (0 picks a free one), or stop the program using it.',
          cause: outcome,
        },
      );
    }
  }
}

/**
 * @throws InputError when `file` is not there or is not a file (nothing is started);
 *   OutputError `serve-listen` when the port is taken and no fallback is allowed.
 */
export async function serveDeck(file: string, options: ServeOptions = {}): Promise<RunningServer> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined)
    throw new InputError('input-not-found', `input "${file}" does not exist`, {
      hint: 'Check the path, or run "decksmith init" to start a talk.',
    });
  if (!info.isFile())
    throw new InputError('input-not-file', `input "${file}" is not a file`, { hint: 'serve previews one deck: pass its Markdown file.' });

  const slideCache = new SlideCache();
  // Nothing is written: requests are answered from the last good build's page and file list.
  const ownFigures = options.figures === undefined ? createFigureRenderer({ signal: options.signal }) : undefined;
  const buildOptions: BuildOptions = {
    ...deckOptions(options),
    signal: options.signal,
    inMemory: true,
    figures: options.figures ?? ownFigures,
    // A save renders again only the slides it changed.
    slideCache,
  };
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: string) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${data}\n\n`);
  };
  let shown: Shown | undefined;
  let builds = 0;
  let lastError: string | undefined;
  // What to watch: the last good build's inputs, the deck, the file an error names (a broken
  // theme.json), and the template overrides.
  const templates = options.templates === undefined ? [] : ['', 'layouts', 'partials'].map((sub) => resolve(options.templates ?? '', sub));
  let inputs: string[] = [resolve(file)];
  let errorFile: string | undefined;
  const watched = (): string[] => [
    ...new Set([...inputs, resolve(file), ...(errorFile === undefined ? [] : [resolve(errorFile)]), ...templates]),
  ];

  const rebuild = async (changed?: string[]): Promise<void> => {
    const cause = changed === undefined ? {} : { changed };
    try {
      trace('build');
      const built = await buildDeck(file, buildOptions);
      trace(`built ${slideCache.rendered.length}/${built.deck.slides.length}`);
      builds += 1;
      const before = shown;
      shown = { html: built.rendered.html, files: new Map((built.files ?? []).map((f) => [f.target, f])), build: builds };
      const change = changeOf(before, shown, changed, (changed && pushedFor.get(changed)) ?? new Set());
      lastError = undefined;
      errorFile = undefined;
      inputs = built.inputs ?? inputs;
      // Open pages patch the slides that changed in place, and swap the stylesheets that changed:
      // sent before anything else, as this is what an author waits for.
      const patch = change.html && before !== undefined ? slidePatch(before.html, shown.html) : undefined;
      trace(patch === undefined ? 'update' : `patch ${patch.slides.length}`);
      send(
        'update',
        JSON.stringify({ ...change, build: String(builds), ...(patch === undefined ? {} : { from: String(before?.build), patch }) }),
      );
      options.onBuild?.({ built, diagnostics: [...built.deck.diagnostics, ...built.rendered.diagnostics], ...cause });
    } catch (caught) {
      // The server is about to close: nothing to show.
      if (options.signal?.aborted === true) return;
      // A bug rather than the author's mistake; still shown, and the next save tries again.
      const error =
        caught instanceof DecksmithError
          ? caught
          : new DecksmithError(
              'rebuild-failed',
              `rebuilding failed unexpectedly: ${caught instanceof Error ? caught.message : String(caught)}`,
              { cause: caught },
            );
      lastError = error.format();
      errorFile = error.file;
      options.onBuild?.({ diagnostics: [], error, ...cause });
      // A page showing the error page reloads into the deck once it builds; until then it updates.
      send('failed', JSON.stringify(lastError));
    }
    watcher.update(watched());
  };
  // Builds run one after another (the first one and those the watcher asks for).
  let queue: Promise<void> = Promise.resolve();
  const serial = (build: () => Promise<void>): Promise<void> => (queue = queue.then(build, build));
  // Per batch of changes: the stylesheets the pages were told to load again ahead of its rebuild.
  const pushedFor = new WeakMap<readonly string[], Set<string>>();
  /**
   * A save of stylesheets only, each one a file the build on show serves from disk as it is:
   * the pages load it again at once, without waiting for the rebuild (which still runs, for its
   * warnings, and sends whatever else changed).
   */
  const pushStylesheets = (changed: readonly string[]): void => {
    if (shown === undefined || lastError !== undefined) return;
    const bySource = new Map<string, string>();
    for (const [target, asset] of shown.files)
      if (asset.kind === 'style' && asset.content === undefined) bySource.set(resolve(asset.source), target);
    const targets = changed.map((path) => bySource.get(resolve(path)));
    if (targets.length === 0 || targets.some((t) => t === undefined)) return;
    const pushed = new Set<string>();
    for (const target of targets) if (target !== undefined) pushed.add(target);
    pushedFor.set(changed, pushed);
    trace('stylesheets');
    send('update', JSON.stringify({ html: false, css: targets, build: String(shown.build) }));
    // The rebuild holds the event loop for a while: let the pages fetch the stylesheets first.
    fetching = new Promise<void>((done) => {
      const timer = setTimeout(() => {
        stylesheetsWanted = undefined;
        done();
      }, STYLESHEET_WAIT_MS);
      stylesheetsWanted = {
        targets: pushed,
        left: clients.size * targets.length,
        done: () => {
          clearTimeout(timer);
          done();
        },
      };
      if (stylesheetsWanted.left <= 0) stylesheetsWanted.done();
    });
  };
  // The stylesheet requests pushStylesheets still waits for, and the wait itself.
  let stylesheetsWanted: { targets: ReadonlySet<string>; left: number; done: () => void } | undefined;
  let fetching: Promise<void> = Promise.resolve();
  const fetched = (target: string): void => {
    if (stylesheetsWanted === undefined || !stylesheetsWanted.targets.has(target)) return;
    stylesheetsWanted.left -= 1;
    if (stylesheetsWanted.left <= 0) {
      stylesheetsWanted.done();
      stylesheetsWanted = undefined;
    }
  };

  const host = options.host ?? '127.0.0.1';
  const allowedHosts = new Set<string>();
  let firstBuild: Promise<void> = Promise.resolve();
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const hostHeader = (request.headers.host ?? '').toLowerCase();
    if (allowedHosts.size > 0 && !allowedHosts.has(hostHeader)) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: unexpected Host header\n');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      if (shown !== undefined) response.write(`event: build\ndata: ${JSON.stringify(String(shown.build))}\n\n`);
      if (lastError !== undefined) response.write(`event: failed\ndata: ${JSON.stringify(lastError)}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    await firstBuild;
    if (shown === undefined) {
      const page = url.pathname === '/' || url.pathname === '/index.html';
      const text = lastError ?? 'the deck has not been built';
      if (page)
        response.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(errorPage(file, text));
      else response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${text}\n`);
      return;
    }
    const current = shown;
    const answer = await servedFile(current, url.pathname);
    if (answer === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    // By extension: mime's contentType() returns a full path unchanged, which no browser renders.
    const type = mime.contentType(extname(answer.target)) || 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (answer.target === 'index.html') {
      const html = answer.body.toString('utf8');
      const end = html.search(/<\/body>\s*<\/html>\s*$/i);
      const at = end < 0 ? html.length : end;
      response.writeHead(200, headers).end(`${html.slice(0, at)}${clientScript(current.build)}\n${html.slice(at)}`);
      return;
    }
    response.writeHead(200, headers).end(answer.body);
    fetched(answer.target);
  }

  const hostName = host.includes(':') ? `[${host}]` : host;
  let port = 0;
  // Watching starts before the first build, so a save during it is not missed.
  const watcher = watchFiles(
    watched(),
    // A stylesheet-only save goes out as soon as it is seen, also while a rebuild still runs.
    { debounceMs: options.debounceMs ?? DEBOUNCE_MS, quickMs: QUICK_MS, onBatch: pushStylesheets },
    (changed) =>
      serial(async () => {
        if (pushedFor.has(changed)) {
          // The pages have the new stylesheet: the rebuild (warnings, url() rewriting) can wait a
          // moment more, so the next save is not held up behind it.
          await fetching;
          await new Promise((done) => setTimeout(done, STYLESHEET_REBUILD_DELAY_MS));
        }
        await rebuild(changed);
      }),
  );
  try {
    // Listen first: a port in use fails at once, before a build that would be thrown away.
    await listen(server, host, options.port ?? 8000, options.fallbackPorts ?? 0);
    // Errors after listening (a failed accept) must not end the process; requests just fail.
    server.on('error', () => undefined);
    port = (server.address() as AddressInfo).port;
    // On loopback only local names may reach us (DNS rebinding), from the first request on;
    // --host 0.0.0.0 means the user wants other machines in, under whatever name they use.
    if (LOOPBACK.has(host)) for (const name of [hostName, 'localhost']) allowedHosts.add(`${name}:${port}`.toLowerCase());
    firstBuild = serial(() => rebuild());
    await firstBuild;
  } catch (error) {
    await watcher.close();
    server.close();
    await ownFigures?.close();
    throw error;
  }

  const close = async (): Promise<void> => {
    await watcher.close();
    for (const client of clients) client.end();
    await new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    await ownFigures?.close();
  };
  return {
    url: `http://${hostName}:${port}/`,
    watched,
    settled: async () => {
      await watcher.settled();
      await queue;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A build on show: its page, the files it lists by target, and its number. */
interface Shown {
  html: string;
  files: Map<string, AssetRef>;
  build: number;
}

/**
 * What changed between two builds, for the page client (client.ts): whether the page's HTML
 * changed (else it need not fetch it), and which stylesheets to swap: those whose file was among
 * the changed paths (unless the pages were told already), or whose generated text differs.
 */
function changeOf(
  before: Shown | undefined,
  after: Shown,
  changed: readonly string[] | undefined,
  pushed: ReadonlySet<string>,
): { html: boolean; css: string[] } {
  const paths = new Set((changed ?? []).map((p) => resolve(p)));
  const css: string[] = [];
  for (const [target, file] of after.files) {
    if (file.kind !== 'style') continue;
    const old = before?.files.get(target);
    // Served from disk and already loaded again by the pages (pushStylesheets): nothing new.
    const sent = pushed.has(target) && old !== undefined && old.content === undefined && old.source === file.source;
    const differs = file.content !== undefined ? old?.content !== file.content : paths.has(resolve(file.source)) && !sent;
    if (differs) css.push(target);
  }
  return { html: before === undefined || before.html !== after.html, css };
}

/**
 * What a URL path names in the build on show: index.html, or one of the files the build would
 * write (already checked against the file rules when it was built; read again here with the same
 * bounds, so a file swapped for a link or a device since is refused). Anything else is not
 * there: the server has no folder to wander in.
 */
async function servedFile(shown: Shown, pathname: string): Promise<{ target: string; body: Buffer } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const target = decoded.replace(/^\/+/, '');
  if (target === '' || target === 'index.html') return { target: 'index.html', body: Buffer.from(shown.html) };
  const file = shown.files.get(target);
  if (file === undefined) return undefined;
  if (file.content !== undefined) return { target, body: Buffer.from(file.content) };
  try {
    return { target, body: await readRegularFile(file.source, capFor(file.kind)) };
  } catch {
    return undefined;
  }
}
