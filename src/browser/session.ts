import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { basename, dirname, join } from 'node:path';
import type { Browser, CDPSession, ConnectOptions, Page, Target } from 'puppeteer-core';
import { BrowserError, interruption, InterruptedError, type StopSignal } from '../errors.js';
import { findBrowser, INSTALL_HINT, type FoundBrowser } from './find.js';
import { PrintTabs } from './print-tabs.js';
import { spawnChromium, type SpawnedChromium } from './spawn.js';
import { TIMEOUTS } from './timeouts.js';
import { trace } from './trace.js';

export { PrintTabs };

/** Re-exported where it always was: an export that a signal stopped (src/errors.ts). */
/**
 * Puppeteer's `connect`, from the entry point without its launcher: decksmith spawns Chromium
 * itself (spawn.ts), and the Node entry point also loads the code that downloads browsers
 * (@puppeteer/browsers, proxy and FTP clients: 2 MB of JavaScript that took about 0.1 s to
 * compile on every PDF command). That entry point leaves out the Node file system Puppeteer
 * writes screenshots with, so it is handed over here as the Node entry point would.
 */
async function loadConnect(): Promise<(options: ConnectOptions) => Promise<Browser>> {
  const [core, { environment }] = await Promise.all([
    import('puppeteer-core/internal/puppeteer-core-browser.js'),
    import('puppeteer-core/internal/environment.js'),
  ]);
  // Its placeholders are getters that throw: define the two it reads in Node over them.
  Object.defineProperties(environment.value, { fs: { value: fs }, path: { value: path } });
  // The same classes as puppeteer-core's main declarations, declared a second time under
  // internal/: TypeScript cannot tell they are one.
  return core.connect as unknown as (options: ConnectOptions) => Promise<Browser>;
}

export { InterruptedError };

export interface BrowserSessionOptions {
  /**
   * Receives notices for someone debugging the export: that the sandbox is turned off (said only
   * when `DECKSMITH_TRACE` is set in `env`). @defaultValue ignore
   */
  log?: (message: string) => void;
  /**
   * When it aborts (the CLI aborts it on SIGINT/SIGTERM/SIGHUP, with an InterruptedError as its
   * reason), Chromium is killed and its profile deleted at once, and everything waiting on the
   * browser rejects with that InterruptedError; `close()` then resolves once both are done.
   * @defaultValue never aborts
   */
  signal?: AbortSignal | undefined;
  /** Environment to search for a browser and decide on the sandbox. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Open a print tab (`withPrintPage`) as Chromium is spawned, for a caller about to print: it is
   * ready when the first deck is, where one opened later kept that deck waiting. A PrintTabs asks
   * for more while Chromium starts (`build` of several decks). @defaultValue false
   */
  printTab?: boolean | PrintTabs;
  /**
   * Whether Chromium opens its own blank tab, which `withPage` hands out first. A caller that
   * only prints in print tabs saves the renderer it starts while Chromium boots (headless shell;
   * another browser opens one anyway). @defaultValue true
   */
  blankTab?: boolean;
  /**
   * Whether Puppeteer tracks the network of every page: the Network (and Audits) domains enabled
   * on every tab, so pages emit `request`/`response` events and `page.goto` returns the response.
   * decksmith's own pages need none of it (allowOnlyDeckFiles tracks their requests on a Fetch
   * session of its own); off, Chromium no longer serialises an event per request and this
   * process no longer parses them (~0.2 s of CPU for `npm start`'s three decks). On by default,
   * so a caller's own pages keep Puppeteer's events. @defaultValue true
   */
  networkEvents?: boolean;
}

/**
 * Flags on top of Puppeteer's defaults (src/browser/spawn.ts) for a print run that needs no network
 * or GPU. `--in-process-gpu`: the GPU service (software only, with --disable-gpu) runs in the
 * browser process rather than in a process of its own, one process fewer to start before a page
 * loads (see EXTRA_ENABLED_FEATURES for the network service, and what the two saved).
 */
const BASE_ARGS = [
  '--disable-gpu',
  '--in-process-gpu',
  '--disable-component-update',
  '--no-default-browser-check',
  '--font-render-hinting=none',
];

/**
 * Renderer processes Chromium may start: one per core, and two at least. Tabs beyond that share a
 * renderer; a tab in a browser context of its own (the second half of a PDF printed in halves,
 * withIsolatedPage) still gets one, as a renderer serves a single context. The export keeps one
 * tab more than there are cores busy, so that one tab's renderer works while another's waits on
 * this process (src/export/defaults.ts), but a third renderer process on two cores is only a
 * process more to start and schedule: `npm start`'s three decks took 0.3-0.4 CPU-s less with two
 * (4.33 -> 3.95, 4.80 -> 4.47, 4.96 -> 4.64, 5.49 -> 5.06 in four interleaved sets of 5-11 runs,
 * 2-core VM) and ~0.1 s less wall time; a single deck's PDF, which has two renderers anyway, did
 * not change. Tabs that share a renderer share Blink's DOM node numbers, which Chromium writes
 * into tagged PDFs: finishPdf renumbers them.
 */
export function rendererProcessLimit(cores = availableParallelism()): number {
  return Math.max(2, cores);
}

/**
 * Deletes a profile and the folder Chromium keeps its singleton socket in (the profile's
 * `SingletonSocket` links into a `$TMPDIR/org.chromium.Chromium.XXXXXX` folder, which a killed,
 * rather than closed, Chromium leaves behind), on libuv's threads so the process can finish a PDF
 * meanwhile. Checks afterwards that the folder is gone, and removes it again if something wrote
 * into it meanwhile.
 */
async function removeProfile(profileDir: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const socketDir = singletonSocketDir(profileDir);
    await Promise.all([
      socketDir === undefined ? undefined : rm(socketDir, { recursive: true, force: true }),
      rm(profileDir, { recursive: true, force: true, maxRetries: 3 }),
    ]);
    if (!existsSync(profileDir)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function singletonSocketDir(profileDir: string): string | undefined {
  try {
    const socketDir = dirname(readlinkSync(join(profileDir, 'SingletonSocket')));
    return basename(socketDir).startsWith('org.chromium.') ? socketDir : undefined;
  } catch {
    // No socket link: nothing outside the profile to remove.
    return undefined;
  }
}

function launchFailed(found: FoundBrowser, detail: string, cause: unknown, noSandbox?: 'root' | 'container'): BrowserError {
  const sandbox =
    noSandbox === undefined
      ? ''
      : ` (It was started with --no-sandbox, since this runs ${noSandbox === 'root' ? 'as root' : 'in a container'}.)`;
  return new BrowserError('browser-launch-failed', `Could not start ${found.executablePath}: ${detail}`, {
    hint: `${INSTALL_HINT} Run as a normal user, or check that the executable starts on its own.${sandbox}`,
    cause,
  });
}

/** Chromium's sandbox cannot start as root, and usually not inside a container. */
export function needsNoSandbox(env: NodeJS.ProcessEnv = process.env): 'root' | 'container' | undefined {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return 'root';
  if (env['container'] !== undefined || existsSync('/.dockerenv') || existsSync('/run/.containerenv')) return 'container';
  try {
    if (/docker|kubepods|containerd|lxc/.test(readFileSync('/proc/1/cgroup', 'utf8'))) return 'container';
  } catch {
    // Not Linux, or /proc is hidden: assume no container.
  }
  return undefined;
}

/**
 * One headless Chromium for the whole process: launched by `BrowserSession.launch`, shared by
 * every export, closed by `close()` (or `await using`). Each session has its own temporary
 * profile, removed on close.
 */
export class BrowserSession implements AsyncDisposable {
  /** The signal that ended the session, if any. */
  interruptedBy: StopSignal | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private spareTab: Promise<Page | undefined> | undefined;
  private readonly openedTabs: Promise<Page | undefined>[] = [];
  private readonly printTabs: Promise<Page | undefined>[] = [];
  private browserCdp: Promise<CDPSession> | undefined;
  private readonly disconnected: Promise<never>;
  private forgetInterrupt: () => void = () => undefined;

  private constructor(
    readonly browser: Browser,
    /** Chromium's main process (spawned by spawnChromium, leader of its own process group). */
    readonly child: ChildProcess,
    readonly found: FoundBrowser,
    private readonly profileDir: string,
    /** Aborted when the process is told to stop (BrowserSessionOptions.signal). */
    readonly signal: AbortSignal | undefined,
    /** The ids of the print tabs asked for as Chromium was spawned (see launch). */
    earlyPrintTabs: readonly Promise<string>[] = [],
  ) {
    this.disconnected = new Promise<never>((_, reject) => {
      browser.once('disconnected', () => reject(this.lostError()));
    });
    // Only ever observed through `race`; keep an unobserved rejection from crashing the process.
    this.disconnected.catch(() => undefined);
    // A tab whose main frame is not attached yet throws from url(); it is then no spare tab.
    const isBlank = (p: Page): boolean => {
      try {
        return p.url() === 'about:blank';
      } catch {
        return false;
      }
    };
    // The early print tabs are blank too, but they are no spare: they draw no frames.
    const early = earlyPrintTabs.map((tab) => tab.catch(() => undefined));
    this.spareTab = Promise.all([browser.pages(), Promise.all(early)])
      .then(([pages, ids]) => pages.find((p) => isBlank(p) && !ids.includes(targetIdOf(p.target()))))
      .catch(() => undefined);
    for (const tab of early)
      this.printTabs.push(
        tab
          .then((id) => (id === undefined ? undefined : this.pageOf(id)))
          .then((page) => {
            trace('print tab attached');
            return page;
          })
          .catch(() => undefined),
      );
    if (signal !== undefined) {
      const stop = (): void => this.interrupt(interruption(signal).signal);
      if (signal.aborted) stop();
      else {
        signal.addEventListener('abort', stop, { once: true });
        this.forgetInterrupt = () => signal.removeEventListener('abort', stop);
      }
    }
  }

  /**
   * Finds a browser and launches it.
   * @throws BrowserError `browser-not-found` or `browser-launch-failed`, each with an install hint.
   */
  static async launch(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
    const env = options.env ?? process.env;
    const found = await findBrowser(env);
    const args = [...BASE_ARGS, `--renderer-process-limit=${rendererProcessLimit()}`];
    const reason = needsNoSandbox(env);
    if (reason !== undefined) {
      args.push('--no-sandbox');
      if (reason === 'container') args.push('--disable-dev-shm-usage');
      // Not on every command: as root or in a container there is nothing to do about it, and the
      // line only taught users to skip stderr. Said when tracing, and in a launch failure's hint.
      const trace = env['DECKSMITH_TRACE'];
      if (trace !== undefined && trace !== '')
        options.log?.(`Running ${reason === 'root' ? 'as root' : 'in a container'}: Chromium's sandbox is turned off (--no-sandbox).`);
    }
    // A short name: Chromium's temporary files go inside it (below), and its singleton socket's
    // path there must stay under the 108 bytes a Unix socket path may have.
    const profileDir = mkdtempSync(join(tmpdir(), 'ds-'));
    args.push(`--user-data-dir=${profileDir}`);
    // Chromium's own temporary files (shared memory without /dev/shm, its singleton socket) go
    // inside the profile, so they go with it even when Chromium is killed mid-print.
    const chromeTmp = join(profileDir, 't');
    mkdirSync(chromeTmp);
    // Spawn before loading Puppeteer: Chromium boots on the other core while it loads.
    let spawned: SpawnedChromium;
    try {
      spawned = spawnChromium(
        found.executablePath,
        args,
        found.headlessShell,
        { ...process.env, TMPDIR: chromeTmp },
        options.blankTab !== false || !found.headlessShell,
      );
    } catch (cause) {
      rmSync(profileDir, { recursive: true, force: true });
      throw launchFailed(found, cause instanceof Error ? cause.message : String(cause), cause, reason);
    }
    const { child } = spawned;
    trace('spawned');
    // Print tabs are asked for at once: Chromium opens them (and starts their renderers) as it
    // boots, while Puppeteer loads, instead of after the connection, when a deck waits for one.
    const earlyPrintTabs: Promise<string>[] = [];
    const wanted = options.printTab === true ? new PrintTabs(1) : options.printTab === false ? undefined : options.printTab;
    if (found.headlessShell)
      wanted?.listen(() => {
        while (earlyPrintTabs.length < wanted.count) {
          const tab = createPrintTab((params) => spawned.transport.call('Target.createTarget', params));
          tab.then(
            () => trace('print tab opened'),
            () => undefined,
          );
          earlyPrintTabs.push(tab);
        }
      });
    // An abort before the session exists kills the half-started browser, which fails the launch
    // below; once launched, the session's own listener takes over.
    const signal = options.signal;
    const abortLaunch = (): void => {
      spawned.transport.close();
      killGroup(child.pid);
    };
    signal?.addEventListener('abort', abortLaunch, { once: true });
    const forgetLaunch = (): void => signal?.removeEventListener('abort', abortLaunch);
    let browser: Browser;
    try {
      const connect = await loadConnect();
      const connected = connect({
        transport: spawned.transport,
        defaultViewport: null,
        protocolTimeout: TIMEOUTS.protocolMs,
        ...(options.networkEvents === false ? { networkEnabled: false, issuesEnabled: false } : {}),
      });
      const failure = spawned.failed.then((reason) => Promise.reject(new Error(reason)));
      failure.catch(() => undefined);
      connected.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const tooSlow = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer after ${TIMEOUTS.launchMs / 1000} s; is it Chrome or Chromium?`)),
          TIMEOUTS.launchMs,
        );
      });
      try {
        browser = await Promise.race([connected, failure, tooSlow]);
      } finally {
        clearTimeout(timer);
      }
    } catch (cause) {
      forgetLaunch();
      // Fails Puppeteer's pending calls (and their timers), so nothing keeps the process alive.
      spawned.transport.close();
      // Removed only once every process of the group is gone: a browser still starting could
      // otherwise write its profile again after it was deleted.
      await killAndWait(child);
      await removeProfile(profileDir);
      wanted?.listen(undefined);
      if (signal?.aborted === true) throw interruption(signal);
      throw launchFailed(found, cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause), cause, reason);
    }
    trace('connected');
    forgetLaunch();
    // More tabs wanted from now on are the session's to open (openPrintTabs).
    wanted?.listen(undefined);
    const session = new BrowserSession(browser, child, found, profileDir, signal, earlyPrintTabs);
    if (signal?.aborted === true) {
      await session.close();
      throw interruption(signal);
    }
    return session;
  }

  /**
   * Starts opening `count` blank tabs now, for pages about to be asked for at once: `withPage`
   * hands them out (after Chromium's own blank tab) before it opens new ones. `closeTabs` closes
   * those not handed out.
   */
  openTabs(count: number): void {
    for (let i = 0; i < count; i++) this.openedTabs.push(this.browser.newPage().catch(() => undefined));
  }

  /**
   * Starts opening `count` print tabs now, for `withPrintPage` to hand out before it opens new
   * ones (Chromium's own blank tab draws frames, so it is no print tab). `closeTabs` closes those
   * not handed out.
   */
  openPrintTabs(count: number): void {
    for (let i = this.printTabs.length; i < count; i++) this.printTabs.push(this.newPrintTab().catch(() => undefined));
  }

  /**
   * A tab that draws no frames: created with its begin-frames left to DevTools (headless shell),
   * which never asks for one. Printing lays the document out and paints it on its own, so a PDF
   * comes out the same (but for the structure tree's node numbers, which count the nodes its
   * renderer made before); what goes is the compositing, rasterising and drawing of the viewport
   * at every frame while the deck loads and is laid out, which nobody sees: ~0.1 CPU-s of
   * renderer and GPU process per deck, a fifth of a print, measured on the content decks. Such a
   * tab never runs requestAnimationFrame callbacks, so it serves pages whose scripts do not wait
   * for a frame (the print view); screenshots and `check` take `withPage`. A browser that cannot
   * control begin-frames (Chrome with a window, new headless) gives a normal tab.
   */
  private async newPrintTab(): Promise<Page> {
    if (!this.found.headlessShell) return this.browser.newPage();
    this.browserCdp ??= this.browser.target().createCDPSession();
    const cdp = await this.browserCdp;
    let targetId: string;
    try {
      targetId = await createPrintTab((params) => cdp.send('Target.createTarget', params));
    } catch {
      // A headless shell that does not let DevTools hold frames: a normal tab prints the same.
      this.assertAlive();
      return this.browser.newPage();
    }
    return this.pageOf(targetId);
  }

  /** The page of the tab `targetId`, once Puppeteer has attached to it. */
  private async pageOf(targetId: string): Promise<Page> {
    const target = await this.browser.waitForTarget((t) => targetIdOf(t) === targetId, { timeout: 0 });
    const page = await target.page();
    if (page === null) throw new Error(`Chromium's new tab ${targetId} has no page.`);
    return page;
  }

  /** Closes the tabs `openTabs` and `openPrintTabs` opened that no page was asked for. */
  async closeTabs(): Promise<void> {
    const left = [...this.openedTabs.splice(0), ...this.printTabs.splice(0)];
    await Promise.all(
      left.map(async (tab) => {
        const page = await this.race(tab).catch(() => undefined);
        if (page !== undefined) await this.race(page.close()).catch(() => undefined);
      }),
    );
  }

  /** Opens a fresh page, runs `fn`, and closes the page whatever happens. */
  async withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    this.assertAlive();
    // Chromium starts with one blank tab; the first export takes it instead of opening another.
    const spare = this.spareTab;
    this.spareTab = undefined;
    // Raced like any call to the browser: a tab still opening when Chromium goes never settles.
    const page =
      (await spare) ??
      (await this.race(this.openedTabs.shift() ?? Promise.resolve(undefined))) ??
      (await this.race(this.browser.newPage()));
    try {
      return await fn(page);
    } finally {
      // Once the session is closing (the last export printed), Chromium goes with its pages.
      // Raced: Puppeteer's close() waits for the tab's destroyed event after Chromium has answered,
      // and a browser killed in between (the caller closing the session once every deck printed)
      // never sends it, which left this close, and the export waiting on it, hanging for good.
      if (this.browser.connected && !this.closing) await this.race(page.close()).catch(() => undefined);
    }
  }

  /**
   * withPage for a page that prints: a tab that draws no frames (see newPrintTab), so its page's
   * scripts must not wait for one.
   */
  async withPrintPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    this.assertAlive();
    // Chromium's own blank tab, if nothing took it, goes with this page: an export leaves no tab
    // open. Not before: its renderer's teardown would take the browser process while it loads
    // the deck, and once the session is closing neither is closed but by Chromium's exit.
    const spare = this.spareTab;
    this.spareTab = undefined;
    const page = (await this.race(this.printTabs.shift() ?? Promise.resolve(undefined))) ?? (await this.race(this.newPrintTab()));
    try {
      return await fn(page);
    } finally {
      // As in withPage: raced, and left to Chromium's exit once the session is closing.
      if (this.browser.connected && !this.closing) {
        const blank = spare === undefined ? undefined : await this.race(spare).catch(() => undefined);
        await Promise.all([this.race(page.close()).catch(() => undefined), blank && this.race(blank.close()).catch(() => undefined)]);
      }
    }
  }

  /**
   * withPage in a browser context of its own: Chromium never lets two contexts share a renderer
   * process, so this page's work runs on a core of its own beside a withPage page (a second tab
   * of the same context may be given the first tab's renderer, and its main thread). The context
   * goes with the page.
   */
  async withIsolatedPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    this.assertAlive();
    const context = await this.race(this.browser.createBrowserContext());
    try {
      const page = await this.race(context.newPage());
      return await fn(page);
    } finally {
      // As in withPage: raced, and left to Chromium's exit once the session is closing.
      if (this.browser.connected && !this.closing) await this.race(context.close()).catch(() => undefined);
    }
  }

  /** Settles with `work`, or rejects as soon as the browser goes away. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.disconnected]);
  }

  /** The error to throw when the browser is gone: interrupted, or crashed. */
  lostError(): BrowserError | InterruptedError {
    if (this.interruptedBy !== undefined) return exportInterrupted(this.interruptedBy);
    return new BrowserError('browser-crashed', `Chromium (${this.found.executablePath}) exited during the export.`, {
      hint: 'The output file was left as it was. Run again; if it keeps happening, try --timeout or a smaller --range.',
    });
  }

  /** Throws the lost-browser error if the browser has gone away. */
  assertAlive(): void {
    if (!this.browser.connected || this.closing) throw this.lostError();
  }

  /** Throws InterruptedError if a signal ended the session (a closed session is fine). */
  assertNotInterrupted(): void {
    if (this.interruptedBy !== undefined) throw exportInterrupted(this.interruptedBy);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Kills Chromium and removes its profile. Safe to call more than once and from several places
   * (the last export, then the caller's `finally`): every call waits for the same shutdown.
   */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    this.forgetInterrupt();
    // The profile is a throwaway temp dir, so there is nothing for a graceful shutdown to save;
    // killing the process group takes milliseconds where Browser.close takes ~200 ms.
    await killAndWait(this.child);
    await removeProfile(this.profileDir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * On abort: mark the session interrupted (so what fails next says so), then shut down as
   * close() does; the caller's `finally` awaits the same shutdown through close().
   */
  private interrupt(signal: StopSignal): void {
    if (this.interruptedBy !== undefined) return;
    this.interruptedBy = signal;
    void this.close();
  }
}

/** Opens a blank tab whose frames DevTools holds (BrowserSession.newPrintTab); its target id. */
async function createPrintTab(
  createTarget: (params: { url: string; enableBeginFrameControl: boolean }) => Promise<unknown>,
): Promise<string> {
  const answer = (await createTarget({ url: 'about:blank', enableBeginFrameControl: true })) as { targetId?: unknown };
  if (typeof answer.targetId !== 'string') throw new Error('Chromium opened no tab.');
  return answer.targetId;
}

/** Chromium's id of a target (Puppeteer keeps it on its Target without a public getter). */
function targetIdOf(target: Target): string | undefined {
  return (target as unknown as { _targetId?: string })._targetId;
}

function exportInterrupted(signal: StopSignal): InterruptedError {
  return new InterruptedError(signal, `Export interrupted by ${signal}; the browser was closed and no partial file was written.`);
}

/**
 * Kills Chromium's process group and resolves once its main process has exited and no other
 * process of the group is still running (a helper busy in a disk write dies when that write
 * returns), or after two seconds. Killed helpers linger as zombies until PID 1 reaps them, which
 * in some containers takes a second; a zombie writes nothing, so it is not waited for.
 */
async function killAndWait(child: ChildProcess): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child.pid);
  await exited;
  const pid = child.pid;
  if (pid === undefined || process.platform === 'win32') return;
  for (let waited = 0; waited < 2_000 && groupRunning(pid); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Whether a process of group `pgid` is alive and not a zombie (on Linux, read from /proc). */
function groupRunning(pgid: number): boolean {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (name) state ppid pgrp …"; the name may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** SIGKILLs a detached process's whole group, then the process itself. Never throws. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
