/**
 * `decksmith serve`: a live-reloading preview. Builds the deck into a temporary folder, serves it
 * on loopback, rebuilds when the deck, its images or its stylesheets change, and tells open pages
 * to reload over server-sent events. A build error shows as an overlay in the page while the last
 * good build stays on screen; fixing the file recovers without a restart.
 *
 * Safety: binds 127.0.0.1 unless told otherwise, serves only files inside the build folder
 * (path.relative + realpath, never a prefix test), and refuses requests whose Host header is not
 * the address it listens on (DNS rebinding).
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import mime from 'mime-types';
import { buildDeck, type BuildOptions } from '../build.js';
import { DecksmithError, OutputError } from '../errors.js';
import { scriptJson } from '../render/index.js';
import type { BuiltDeck, Diagnostic } from '../types.js';
import { tempDirectory } from '../write/temp.js';
import { watchFolders } from '../watch.js';

export interface ServeOptions {
  /** @defaultValue 8000; 0 picks a free port */
  port?: number;
  /** @defaultValue "127.0.0.1" */
  host?: string;
  theme?: string;
  templates?: string;
  /** Where the deck's images and `css:` files must come from (see BuildOptions.root). */
  root?: string;
  /** Keep raw HTML as written (see BuildOptions.html). */
  html?: boolean;
  /** Called after every build with its diagnostics, or with the error that stopped it. */
  onBuild?: (result: { built?: BuiltDeck; diagnostics: Diagnostic[]; error?: DecksmithError }) => void;
  /** Milliseconds to wait for more changes before rebuilding. @defaultValue 80 */
  debounceMs?: number;
}

export interface RunningServer extends AsyncDisposable {
  url: string;
  /** Resolves after the rebuild in progress (if any) has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const EVENTS_PATH = '/__decksmith/events';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Injected into index.html by the server only; the built file on disk stays untouched. */
function clientScript(): string {
  return `<script>
(function () {
  var source = new EventSource(${scriptJson(EVENTS_PATH)});
  source.addEventListener('reload', function () { window.location.reload(); });
  source.addEventListener('failed', function (event) {
    var box = document.getElementById('decksmith-error') || document.createElement('pre');
    box.id = 'decksmith-error';
    box.textContent = JSON.parse(event.data);
    box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;margin:0;padding:16px 20px;z-index:9999;background:#3b0d0d;color:#ffd7d7;font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;border-top:4px solid #ff5c5c';
    document.body.appendChild(box);
  });
})();
</script>`;
}

export async function serveDeck(file: string, options: ServeOptions = {}): Promise<RunningServer> {
  const temp = tempDirectory('decksmith-serve-');
  const buildOptions: BuildOptions = {
    outDir: temp.path,
    ...(options.theme === undefined ? {} : { theme: options.theme }),
    ...(options.templates === undefined ? {} : { templates: options.templates }),
    ...(options.root === undefined ? {} : { root: options.root }),
    ...(options.html === true ? { html: true } : {}),
  };
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: string) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${data}\n\n`);
  };
  let root: string | undefined;
  let lastError: string | undefined;

  const rebuild = async (): Promise<void> => {
    try {
      const built = await buildDeck(file, buildOptions);
      root = built.outDir;
      lastError = undefined;
      options.onBuild?.({ built, diagnostics: [...built.deck.diagnostics, ...built.rendered.diagnostics] });
      send('reload', '{}');
    } catch (caught) {
      // A bug rather than the author's mistake; still shown, and the next save tries again.
      const error = caught instanceof DecksmithError
        ? caught
        : new DecksmithError('rebuild-failed', `rebuilding failed unexpectedly: ${caught instanceof Error ? caught.message : String(caught)}`, { cause: caught });
      lastError = error.format();
      options.onBuild?.({ diagnostics: [], error });
      send('failed', JSON.stringify(lastError));
    }
  };
  await rebuild();

  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const allowedHosts = new Set<string>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const hostHeader = (request.headers.host ?? '').toLowerCase();
    if (allowedHosts.size > 0 && !allowedHosts.has(hostHeader)) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: unexpected Host header\n');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      if (lastError !== undefined) response.write(`event: failed\ndata: ${JSON.stringify(lastError)}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (root === undefined) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end(`${lastError ?? 'building'}\n`);
      return;
    }
    const target = await resolveInside(root, url.pathname);
    if (target === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const type = mime.contentType(target.endsWith('/') ? 'index.html' : target) || 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (target.endsWith('index.html')) {
      const html = await readFile(target, 'utf8');
      response.writeHead(200, headers).end(html.replace(/<\/body>/i, `${clientScript()}\n</body>`));
      return;
    }
    response.writeHead(200, headers);
    createReadStream(target).pipe(response);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new OutputError('serve-listen', `cannot listen on ${host}:${options.port ?? 8000}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`, {
          hint: 'Pick another port with --port, or stop the program using it.',
          cause: error,
        }),
      );
    });
    server.listen(options.port ?? 8000, host, () => resolveListen());
  }).catch(async (error: unknown) => {
    await temp[Symbol.asyncDispose]();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const hostName = host.includes(':') ? `[${host}]` : host;
  // On loopback only local names may reach us (DNS rebinding); --host 0.0.0.0 means the user
  // wants other machines in, under whatever name they use.
  if (LOOPBACK.has(host)) for (const name of [hostName, 'localhost']) allowedHosts.add(`${name}:${port}`.toLowerCase());

  // Watch the deck's folder (its images and stylesheets live there), not the build output.
  const watcher = await watchFolders([dirname(resolve(file))], { ignore: [temp.path], debounceMs: options.debounceMs ?? 80 }, rebuild);

  const close = async (): Promise<void> => {
    await watcher.close();
    for (const client of clients) client.end();
    await new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    await temp[Symbol.asyncDispose]();
  };
  return {
    url: `http://${hostName}:${port}/`,
    settled: () => watcher.settled(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The file a URL path names inside `root`, or undefined when it is outside or missing. */
async function resolveInside(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = resolve(root, `.${sep}${decoded.replace(/[/\\]+/g, sep)}`);
  const inside = (path: string, base: string) => {
    const rel = relative(base, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (!inside(candidate, root)) return undefined;
  try {
    let file = candidate;
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const real = await realpath(file);
    if (!inside(real, await realpath(root)) || !(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}
