/**
 * Starting Chromium ourselves, before Puppeteer is even loaded: Puppeteer takes ~150 ms to import,
 * and Chromium needs ~0.5 s to boot on the other core, so spawning first and connecting Puppeteer
 * afterwards (over the same `--remote-debugging-pipe` Puppeteer would use) takes the import off
 * the critical path of every export.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ConnectionTransport } from 'puppeteer-core';

/**
 * Puppeteer 24's default Chrome flags (`puppeteer.defaultArgs()`), which its printing relies on
 * (`--export-tagged-pdf`, `--generate-pdf-document-outline`, `--force-color-profile=srgb`).
 * tests/export/spawn.test.ts fails if Puppeteer's list drifts from this one.
 */
export const PUPPETEER_DEFAULT_ARGS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--hide-scrollbars',
  '--mute-audio',
  '--disable-extensions',
];

/**
 * Chromium features turned off on top of Puppeteer's list. Headless Chromium 15x preloads the
 * omnibox popup's WebUI in a renderer of its own, which keeps a whole core busy for the first
 * second, exactly while the deck loads and prints: 50 slides printed in ~1.1 s with it and
 * ~0.55 s without (measured on 2 cores). Later Puppeteer releases disable the same two features.
 */
export const EXTRA_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/**
 * Chromium features turned on on top of Puppeteer's list. NetworkServiceInProcess2 runs the
 * network service in the browser process instead of a utility process of its own: decksmith's
 * pages load local files only, and every process Chromium starts is one more to boot before the
 * first page can load (with --in-process-gpu, see session.ts, a PDF of one content deck took
 * 1.44 s instead of 1.65 s, medians of 7 interleaved runs on a 2-core VM).
 */
export const EXTRA_ENABLED_FEATURES = ['NetworkServiceInProcess2'];

/**
 * The flag list with one `--disable-features` switch: Chromium keeps only the last of repeated
 * switches, so features to disable are merged into Puppeteer's instead of passed again.
 */
export function withDisabledFeatures(args: readonly string[], features: readonly string[]): string[] {
  return withFeatures(args, '--disable-features=', features);
}

/** withDisabledFeatures for `--enable-features`. */
export function withEnabledFeatures(args: readonly string[], features: readonly string[]): string[] {
  return withFeatures(args, '--enable-features=', features);
}

function withFeatures(args: readonly string[], prefix: string, features: readonly string[]): string[] {
  const existing = args.filter((arg) => arg.startsWith(prefix)).flatMap((arg) => arg.slice(prefix.length).split(','));
  const merged = [...new Set([...existing, ...features].filter((name) => name !== ''))];
  return [...args.filter((arg) => !arg.startsWith(prefix)), `${prefix}${merged.join(',')}`];
}

/** DevTools protocol over Chromium's pipe: NUL-terminated JSON messages on fds 3 (in) and 4 (out). */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  private pending: Buffer[] = [];
  private closed = false;
  /** Calls of `call`, by id, answered here and never shown to Puppeteer. */
  private readonly calls = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private nextCallId = OWN_CALL_IDS;

  constructor(
    private readonly toChrome: Writable,
    private readonly fromChrome: Readable,
  ) {
    fromChrome.on('data', (chunk: Buffer) => this.receive(chunk));
    fromChrome.on('close', () => this.close());
    fromChrome.on('error', () => undefined);
    toChrome.on('error', () => undefined);
  }

  send(message: string): void {
    if (this.closed) {
      // Answer for the dead browser, so the caller's pending call (and its timer) ends now.
      const id = (JSON.parse(message) as { id?: number }).id;
      if (id !== undefined)
        queueMicrotask(() => this.onmessage?.(JSON.stringify({ id, error: { code: -32000, message: 'Browser closed' } })));
      return;
    }
    this.toChrome.write(`${message}\0`);
  }

  /**
   * Sends a browser-level DevTools command before (or besides) Puppeteer, whose answer comes
   * back here: Chromium reads it as soon as it is up, while Puppeteer is still loading. Rejects
   * with Chromium's error, or when the pipe closes.
   */
  call(method: string, params: object): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('Browser closed'));
    const id = this.nextCallId++;
    const answer = new Promise<unknown>((resolve, reject) => this.calls.set(id, { resolve, reject }));
    this.toChrome.write(`${JSON.stringify({ id, method, params })}\0`);
    return answer;
  }

  /** Closes both pipes and tells Puppeteer, which then fails whatever still awaits an answer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { reject } of this.calls.values()) reject(new Error('Browser closed'));
    this.calls.clear();
    this.toChrome.destroy();
    this.fromChrome.destroy();
    this.onclose?.();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.pending.push(chunk.subarray(start, end));
      const message = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      start = end + 1;
      if (this.calls.size > 0 && this.answersCall(message)) continue;
      this.onmessage?.(message);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Settles the `call` that `message` answers; false when it answers none (it is Puppeteer's). */
  private answersCall(message: string): boolean {
    // Parsed only while a call is unanswered: a handful of messages at start-up.
    let answer: { id?: unknown; sessionId?: unknown; result?: unknown; error?: { message?: string } };
    try {
      answer = JSON.parse(message) as typeof answer;
    } catch {
      return false;
    }
    const call = typeof answer.id === 'number' && answer.sessionId === undefined ? this.calls.get(answer.id) : undefined;
    if (call === undefined || typeof answer.id !== 'number') return false;
    this.calls.delete(answer.id);
    if (answer.error !== undefined) call.reject(new Error(answer.error.message ?? 'DevTools error'));
    else call.resolve(answer.result);
    return true;
  }
}

/** Ids of PipeTransport.call's commands: far above Puppeteer's, which count up from 1. */
const OWN_CALL_IDS = 2_000_000_000;

export interface SpawnedChromium {
  child: ChildProcess;
  transport: ConnectionTransport & { close(): void; call(method: string, params: object): Promise<unknown> };
  /** Resolves with a reason if Chromium fails to start or exits; never rejects. */
  failed: Promise<string>;
}

/**
 * Spawns Chromium in its own process group (so it can be killed as a whole) with a DevTools pipe.
 * `env` is its environment (default: this process's).
 */
export function spawnChromium(
  executable: string,
  args: readonly string[],
  headlessShell: boolean,
  env: NodeJS.ProcessEnv = process.env,
  /** Whether Chromium opens its blank tab (headless shell opens none without a URL). */
  blankTab = true,
): SpawnedChromium {
  const child = spawn(
    executable,
    [
      ...withEnabledFeatures(
        withDisabledFeatures([...PUPPETEER_DEFAULT_ARGS, ...(headlessShell ? [] : ['--headless=new']), ...args], EXTRA_DISABLED_FEATURES),
        EXTRA_ENABLED_FEATURES,
      ),
      '--remote-debugging-pipe',
      ...(blankTab ? ['about:blank'] : []),
    ],
    { detached: process.platform !== 'win32', stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], env },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const failed = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => {
      const last = stderr
        .split('\n')
        .filter((l) => l.trim() !== '' && !/dbus|DBus/.test(l))
        .slice(-2)
        .join(' ');
      resolve(`it exited (${signal ?? `code ${code}`})${last === '' ? '' : `: ${last}`}`);
    });
  });
  const transport = new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
  return { child, transport, failed };
}
