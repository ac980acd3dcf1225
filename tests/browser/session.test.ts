import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserError } from '../../src/errors.js';
import { isHeadlessShell } from '../../src/browser/find.js';
import { BrowserSession, exportDecks, exportPdf, findBrowser, needsNoSandbox } from '../../src/export/index.js';
import { rendererProcessLimit } from '../../src/browser/session.js';
import type { PdfOptions } from '../../src/types.js';
import { makeDeck, type FixtureSlide } from '../export/fixture-deck.js';
import { processesMentioning, processGroup } from '../helpers.js';
import type { Target } from 'puppeteer-core';

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-browser-test-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function profileDirOf(session: BrowserSession): string {
  const arg = session.child.spawnargs.find((a) => a.startsWith('--user-data-dir='));
  if (arg === undefined) throw new Error('no --user-data-dir');
  return arg.slice('--user-data-dir='.length);
}

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Processes whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The command lines of the processes in process group `group` (Chromium and its children). */
function groupCommandLines(group: number): string[] {
  return processGroup(group).map((process) => process.command);
}

describe('findBrowser', () => {
  it('says what to install and which variable to set when CHROME_PATH points nowhere', async () => {
    const error = await findBrowser({ ...process.env, CHROME_PATH: '/nonexistent/chrome' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).code).toBe('browser-not-found');
    expect((error as BrowserError).exitCode).toBe(1);
    const text = (error as BrowserError).format();
    expect(text).toContain('CHROME_PATH');
    expect(text).toContain('/nonexistent/chrome');
    expect(text).toMatch(/apt-get install chromium/);
    await expect(BrowserSession.launch({ env: { ...process.env, CHROME_PATH: '/nonexistent/chrome' } })).rejects.toThrow(/CHROME_PATH/);
  });

  it('finds a browser on this machine', async () => {
    const found = await findBrowser({ ...process.env, CHROME_PATH: '', PUPPETEER_EXECUTABLE_PATH: '' });
    expect(existsSync(found.executablePath)).toBe(true);
    // A headless shell, found anywhere, is started without --headless (see spawnChromium).
    expect(found.headlessShell).toBe(isHeadlessShell(found.executablePath));
  });

  it("knows Chrome's and Debian's headless shells from the full browsers", async () => {
    for (const file of ['/usr/lib/chromium/chromium-headless-shell', '/x/chrome-headless-shell', 'C:\\x\\chrome-headless-shell.exe'])
      expect(isHeadlessShell(file)).toBe(true);
    for (const file of ['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/chromium-headless-shell-wrapper'])
      expect(isHeadlessShell(file)).toBe(false);
    // Chosen by name, from the variable too.
    const shell = join(root, 'chromium-headless-shell');
    writeFileSync(shell, '#!/bin/sh\n', { mode: 0o755 });
    expect(await findBrowser({ ...process.env, CHROME_PATH: shell })).toMatchObject({
      executablePath: shell,
      source: 'env',
      headlessShell: true,
    });
  });
});

describe('BrowserSession', () => {
  // Puppeteer's page.close() waits for the tab's destroyed event after Chromium has answered; a
  // browser killed in between never sends it. Seen in CI: an export that closed its session once
  // every deck had printed hung for good. Here that close never settles, and Chromium dies while
  // the page is still open.
  it('withPage settles when Chromium dies while a page closes', { timeout: 30_000 }, async () => {
    const session = await BrowserSession.launch();
    try {
      const settled = session.withPage(async (page) => {
        Object.defineProperty(page, 'close', { value: () => new Promise<void>(() => undefined) });
        process.kill(-(session.child.pid ?? 0), 'SIGKILL');
        return 'done';
      });
      await expect(settled).resolves.toBe('done');
    } finally {
      await session.close();
    }
  });

  it('says the sandbox is off only when tracing, closes Chromium and removes its profile', async () => {
    const quiet: string[] = [];
    const env = { ...process.env };
    delete env['DECKSMITH_TRACE'];
    await (await BrowserSession.launch({ log: (m) => quiet.push(m), env })).close();
    expect(quiet).toEqual([]);
    const notices: string[] = [];
    const session = await BrowserSession.launch({ log: (m) => notices.push(m), env: { ...env, DECKSMITH_TRACE: '1' } });
    const profile = profileDirOf(session);
    expect(existsSync(profile)).toBe(true);
    if (needsNoSandbox(env) !== undefined) expect(notices).toEqual([expect.stringContaining('--no-sandbox')]);
    await session[Symbol.asyncDispose]();
    expect(existsSync(profile)).toBe(false);
    expect(processesMentioning(profile)).toEqual([]);
  });

  // Headless Chromium preloads the omnibox popup's WebUI in a renderer that keeps a core busy
  // while the deck prints (it doubled the print time of 50 slides on 2 cores).
  it('runs no browser-UI pages beside the deck, so the deck has the cores to itself', async () => {
    await using session = await BrowserSession.launch();
    const cdp = await session.browser.target().createCDPSession();
    const seen = new Set<string>();
    const note = (t: { type: string; url: string }): void => {
      if (t.type !== 'page' || t.url.startsWith('chrome://')) seen.add(`${t.type} ${t.url}`);
    };
    const look = async (): Promise<void> => {
      const { targetInfos } = await cdp.send('Target.getTargets');
      for (const t of targetInfos) note(t);
    };
    // Every target created from here on, however briefly it lives, and its later URL.
    cdp.on('Target.targetCreated', ({ targetInfo }) => note(targetInfo));
    cdp.on('Target.targetInfoChanged', ({ targetInfo }) => note(targetInfo));
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    // They appear at start-up or soon after: look then, and while and after a real deck loads
    // and prints on this browser, the work they would compete with.
    await look();
    const deck = await makeDeck(
      join(root, 'ui'),
      [
        { title: 'One', body: 'body' },
        { title: 'Two', body: 'body' },
      ],
      { name: 'ui' },
    );
    const result = await exportPdf(session, deck, base);
    expect(result.pages).toBe(2);
    await look();
    expect([...seen]).toEqual([]);
    const flags = session.child.spawnargs.filter((arg) => arg.startsWith('--disable-features='));
    expect(flags).toHaveLength(1);
    expect(flags[0]?.split('=')[1]?.split(',')).toEqual(expect.arrayContaining(['Translate', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']));
  });

  // Three decks print at once in three tabs (one more than the cores of a 2-core machine); a
  // renderer process each cost 0.3-0.4 CPU-s more for npm start's three decks than two shared.
  it('prints more decks than cores in no more renderer processes than cores', {
    timeout: 60_000,
  }, async () => {
    // With Chromium's own blank tab, which draws frames (and so would start a GPU process).
    await using session = await BrowserSession.launch({ printTab: true, networkEvents: false });
    const decks = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        makeDeck(
          join(root, `limit-${name}`),
          Array.from({ length: 6 }, (_, i): FixtureSlide => ({ title: `${name} ${i + 1}`, body: 'body' })),
          {
            name,
          },
        ),
      ),
    );
    let most = 0;
    const types = new Set<string>();
    const watch = setInterval(() => {
      const commands = groupCommandLines(session.child.pid ?? 0);
      most = Math.max(most, commands.filter((command) => command.includes('--type=renderer')).length);
      for (const command of commands)
        types.add(/--utility-sub-type=(\S+)/.exec(command)?.[1] ?? /--type=(\S+)/.exec(command)?.[1] ?? 'browser');
    }, 10);
    try {
      const outcomes = await exportDecks(decks, [base, { ...base, handout: 3 }], { session, concurrency: 3 });
      expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    } finally {
      clearInterval(watch);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(rendererProcessLimit());
    expect(session.child.spawnargs).toContain(`--renderer-process-limit=${rendererProcessLimit()}`);
  });

  // Each process Chromium starts is one more to boot before the first page loads: with the GPU
  // and network services in the browser process, one deck's PDF took 1.44 s instead of 1.65 s.
  it('runs the GPU and network services inside the browser process when the CLI prints', { timeout: 60_000 }, async () => {
    const dir = join(root, 'in-process');
    for (const name of ['one', 'two'])
      await makeDeck(
        join(dir, name),
        [
          { title: `${name} 1`, body: 'body' },
          { title: `${name} 2`, body: 'body' },
        ],
        { name },
      );
    const cli = spawn(process.execPath, [bin, 'build', dir, '--out', join(root, 'in-process-out'), '--pdf', '--handout', '3', '--quiet'], {
      stdio: 'ignore',
    });
    const types = new Set<string>();
    const watch = setInterval(() => {
      const browser = childrenOf(cli.pid ?? 0).find((pid) => /chrom/i.test(commandLine(pid)));
      if (browser === undefined) return;
      for (const command of groupCommandLines(browser))
        types.add(/--utility-sub-type=(\S+)/.exec(command)?.[1] ?? /--type=(\S+)/.exec(command)?.[1] ?? 'browser');
    }, 5);
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    clearInterval(watch);
    expect(code).toBe(0);
    expect(types).toContain('renderer');
    expect([...types].filter((type) => type.includes('gpu') || type.toLowerCase().includes('network'))).toEqual([]);
  });

  it('Chromium killed mid-export: BrowserError, previous PDF untouched, no temp files, no processes', async () => {
    const slides: FixtureSlide[] = Array.from({ length: 120 }, (_, i) => ({ title: `Slide ${i + 1}`, body: 'body' }));
    const deck = await makeDeck(join(root, 'killed'), slides, { name: 'killed' });
    const session = await BrowserSession.launch();
    const profile = profileDirOf(session);
    try {
      const first = await exportPdf(session, deck, base);
      const before = readFileSync(first.file);
      // Kill the browser while the export's page loads the deck: at its first request for one of
      // the deck's files (the page is the target the export opens).
      session.browser.once('targetcreated', (target: Target) => {
        void target.page().then((page) => page?.once('request', () => process.kill(-(session.pid ?? 0), 'SIGKILL')));
      });
      const error = await exportPdf(session, deck, base).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrowserError);
      expect((error as BrowserError).code).toBe('browser-crashed');
      expect((error as BrowserError).message).toMatch(/exited during the export/);
      expect(readFileSync(first.file).equals(before)).toBe(true);
      expect(readdirSync(join(root, 'killed')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // Later exports on the dead session fail fast with the same message.
      const outcomes = await exportDecks([deck], base, { session });
      expect(outcomes[0]?.error?.code).toBe('browser-crashed');
    } finally {
      await session.close();
    }
    expect(existsSync(profile)).toBe(false);
    expect(processesMentioning(profile)).toEqual([]);
  });
});

describe('an abort while Chromium is still starting', () => {
  // CI once found a whole Chromium profile left in TMPDIR after SIGINT: the launch's cleanup
  // removed the profile while the killed browser was still writing it.
  it('leaves no process and no profile, whenever it comes', async () => {
    const privateTmp = mkdtempSync(join(root, 'launch-abort-'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = privateTmp;
    try {
      for (const delayMs of [0, 5, 20, 50, 100, 200, 400]) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), delayMs);
        const outcome = await BrowserSession.launch({ signal: controller.signal }).then(
          (session) => session.close().then(() => 'launched'),
          () => 'rejected',
        );
        clearTimeout(timer);
        expect(processesMentioning(privateTmp), `abort after ${delayMs} ms (${outcome})`).toEqual([]);
        expect(readdirSync(privateTmp), `abort after ${delayMs} ms (${outcome})`).toEqual([]);
      }
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  }, 60_000);
});
