/**
 * The hostile-input harness (issue #10, "A deck is data"). Every case builds a deck someone else
 * wrote with the real command-line process and checks the promises decksmith makes about it:
 *
 * - it ends: exit code 0 or 1, never a signal, a hang (a timeout kills it) or an "unexpected
 *   error"/stack trace, and never a raw terminal escape from the deck on stdout or stderr;
 * - nothing outside the output folder is written or removed (a snapshot of the workspace, the
 *   deck's folder and a sibling deck's output included, before and after);
 * - no file outside the deck's folder is read into an output: every private file holds a canary
 *   string, searched in every output file (base64 `data:` URLs decoded, PDF text extracted),
 *   on stdout and stderr; a built page that still points at a private file fails too;
 * - nothing the deck wrote runs: payloads call a canary HTTP server, which must see no request,
 *   whether the page is opened from file://, served by `decksmith serve` or printed by
 *   `decksmith pdf`; the page's own requests may not reach a file outside its output folder;
 * - no text is lost: the deck's marker words are in the HTML, or a `file:line` warning or error
 *   explains what was left out.
 *
 * Each case gets its own workspace under one temporary folder per test file, so cases do not see
 * each other's files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFNumber, PDFStream } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { BrowserSession } from '../../src/export/index.js';
import { pageTexts } from '../export/read-pdf.js';

export const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

/** Written into every private file; must never show up in an output, on stdout or on stderr. */
export const CANARY = 'CANARY-q7Zx3-private-do-not-leak';
/**
 * How much CPU time one command may use before it counts as unbounded. CPU time, not wall time:
 * on a loaded 2-core machine a bounded run can wait longer than this for a core.
 */
export const RUN_CPU_LIMIT_MS = 30_000;
/** Wall time after which a command is killed as hung (one that waits rather than computes). */
export const RUN_TIMEOUT_MS = 4 * RUN_CPU_LIMIT_MS;
/** Preloaded into each command: writes the process's own CPU time when it exits. */
const cpuHook = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';const f=process.env.DECKSMITH_TEST_CPU_FILE;if(f)process.on('exit',()=>{const u=process.cpuUsage();writeFileSync(f,String((u.user+u.system)/1000))});",
)}`;

/** Text a payload adds to every slide when it runs. */
export const SCRIPT_RAN = 'SCRIPTRAN';

/** Size of private.png: an image XObject of exactly this size in a PDF is the private image. */
export const PRIVATE_PNG = { width: 37, height: 23 };

// ---------------------------------------------------------------------------------------------
// Files

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A solid-colour PNG; `text` goes into a tEXt chunk, so a byte-for-byte copy carries it. */
export function png(width: number, height: number, rgb: [number, number, number], text?: string): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3] ?? 0)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(text === undefined ? [] : [chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1'))]),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Workspaces

/**
 * One case's folder:
 *
 *     <case>/                  the working directory of the command
 *       private.txt .png .svg .css .woff2   outside the deck's folder, each holding CANARY
 *       private-dir/           a folder outside (theme.css, image.png), for symlinks into it
 *       sentinel.txt           must still be there afterwards
 *       .git/HEAD              as in a repository of talks
 *       other-talk.md          another talk next to the deck's folder
 *       deck/                  the deck's folder (the root): deck.md, inside.png, inside.css
 *       out/                   the output folder; out/other/index.html is another deck's output
 *       tmp/                   TMPDIR for the command, holding tmp/sentinel.txt
 *       output/                (absent) the default output folder, for commands run without --out
 */
export class Workspace {
  readonly root: string;
  readonly deckDir: string;
  readonly out: string;
  readonly tmp: string;
  /** `output/`, where commands write without --out. */
  readonly defaultOut: string;
  private before = new Map<string, string>();

  constructor(base: string, name: string) {
    this.root = join(base, name.replace(/[^\w-]+/g, '_'));
    this.deckDir = join(this.root, 'deck');
    this.out = join(this.root, 'out');
    this.tmp = join(this.root, 'tmp');
    this.defaultOut = join(this.root, 'output');
    for (const dir of [this.deckDir, join(this.out, 'other'), this.tmp, join(this.root, 'private-dir'), join(this.root, '.git')])
      mkdirSync(dir, { recursive: true });
    const privatePng = png(PRIVATE_PNG.width, PRIVATE_PNG.height, [255, 0, 255], CANARY);
    this.write('private.txt', `${CANARY}\n`);
    writeFileSync(join(this.root, 'private.png'), privatePng);
    this.write(
      'private.svg',
      `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><text x="4" y="40" font-size="30">${CANARY}</text></svg>\n`,
    );
    this.write('private.css', `.reveal::after { content: "${CANARY}"; }\n`);
    this.write('private.woff2', `${CANARY}\n`);
    this.write('private-dir/theme.css', `:root { --ds-accent: #123456; } .reveal::before { content: "${CANARY}"; }\n`);
    writeFileSync(join(this.root, 'private-dir', 'image.png'), privatePng);
    this.write('sentinel.txt', 'keep\n');
    this.write('.git/HEAD', 'ref: refs/heads/main\n');
    this.write('other-talk.md', '# Another talk\n');
    this.write('out/other/index.html', '<p>another deck</p>\n');
    this.write('tmp/sentinel.txt', 'keep\n');
    writeFileSync(join(this.deckDir, 'inside.png'), png(8, 8, [0, 128, 255]));
    this.write('deck/inside.css', '.reveal .inside-css { color: #0a0; }\n');
  }

  /** Writes a file relative to the case folder (creating folders). */
  write(path: string, content: string | Buffer): string {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  /** Writes `deck/<name>` (default deck.md) and returns its path. */
  deck(markdown: string, name = 'deck.md'): string {
    return this.write(join('deck', name), markdown);
  }

  symlink(target: string, path: string): string {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(target, full);
    return full;
  }

  mkfifo(path: string): string {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    const made = spawnSync('mkfifo', [full]);
    if (made.status !== 0) throw new Error(`mkfifo ${full} failed: ${made.stderr.toString()}`);
    return full;
  }

  /** Remembers every file outside out/ and tmp/ (size, mode, mtime), to compare after the run. */
  snapshot(): void {
    this.before = this.listOutside();
  }

  private listOutside(): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (full === this.out || full === this.tmp || full === this.defaultOut) continue;
        const info = lstatSync(full);
        files.set(relative(this.root, full), `${info.mode}:${info.size}:${info.mtimeMs}`);
        if (entry.isDirectory()) walk(full);
      }
    };
    walk(this.root);
    return files;
  }

  /** Files outside out/ and tmp/ added, removed or changed since snapshot(). */
  changesOutside(): string[] {
    const after = this.listOutside();
    const changes: string[] = [];
    for (const [path, state] of this.before) {
      if (!after.has(path)) changes.push(`removed ${path}`);
      else if (after.get(path) !== state) changes.push(`changed ${path}`);
    }
    for (const path of after.keys()) if (!this.before.has(path)) changes.push(`added ${path}`);
    return changes;
  }

  /** Every regular file under out/, except the other deck's output that was there before. */
  outputFiles(): string[] {
    const files: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    walk(this.out);
    walk(this.defaultOut);
    return files;
  }

  /** The built pages (index.html files and single-file decks) under out/, the other deck's excepted. */
  pages(): string[] {
    const other = join(this.out, 'other', 'index.html');
    return this.outputFiles().filter((f) => f.endsWith('.html') && f !== other);
  }
}

/** A temporary folder per test file holding its cases' workspaces. */
export function workspaces(prefix: string): { make: (name: string) => Workspace; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), `decksmith-hostile-${prefix}-`));
  let count = 0;
  return { make: (name) => new Workspace(base, `${++count}-${name}`), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

export interface RunResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** CPU time the command used (user + system), when it exited normally. */
  cpuMs?: number;
}

/** The command's environment: no colours (escapes are checked for), TMPDIR inside the case. */
function childEnv(ws: Workspace, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: ws.tmp, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  return env;
}

/** Runs `node bin/decksmith.js …args` in the workspace with TMPDIR=<case>/tmp; kills it after the timeout. */
export function run(ws: Workspace, args: string[], timeoutMs = RUN_TIMEOUT_MS, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const cpuFile = join(tmpdir(), `decksmith-test-cpu-${process.pid}-${process.hrtime.bigint()}`);
    const child = spawn(process.execPath, ['--import', cpuHook, bin, ...args], {
      cwd: ws.root,
      env: childEnv(ws, { ...env, DECKSMITH_TEST_CPU_FILE: cpuFile }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let cpuMs: number | undefined;
      if (existsSync(cpuFile)) {
        cpuMs = Number(readFileSync(cpuFile, 'utf8'));
        rmSync(cpuFile);
      }
      resolve({ args, code, signal, timedOut, stdout, stderr, ...(cpuMs === undefined ? {} : { cpuMs }) });
    });
  });
}

/** Builds `deck/deck.md` (or the given inputs) into out/, with extra flags. */
export function build(
  ws: Workspace,
  flags: string[] = [],
  inputs: string[] = [join(ws.deckDir, 'deck.md')],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  ws.snapshot();
  return run(ws, ['build', ...inputs, '--out', ws.out, ...flags], RUN_TIMEOUT_MS, env);
}

/** `decksmith pdf deck/deck.md --out out/deck.pdf`, with extra flags. */
export function pdf(ws: Workspace, flags: string[] = [], input = join(ws.deckDir, 'deck.md')): Promise<RunResult> {
  ws.snapshot();
  return run(ws, ['pdf', input, '--out', join(ws.out, 'deck.pdf'), ...flags]);
}

const describeRun = (r: RunResult): string =>
  `decksmith ${r.args.join(' ')}\n  exit ${String(r.code)} signal ${String(r.signal)}${r.timedOut ? ' (timed out)' : ''}\n  stdout: ${r.stdout.slice(0, 800)}\n  stderr: ${r.stderr.slice(0, 1500)}`;

/** Exit 0 or 1, in time, without a crash report or a raw escape character from the deck. */
export function expectEnded(r: RunResult): void {
  const what = describeRun(r);
  expect(r.timedOut, `hung: ${what}`).toBe(false);
  if (r.cpuMs !== undefined) expect(r.cpuMs, `CPU time over ${RUN_CPU_LIMIT_MS} ms: ${what}`).toBeLessThanOrEqual(RUN_CPU_LIMIT_MS);
  expect(r.signal, `killed by a signal: ${what}`).toBe(null);
  expect([0, 1], `exit code: ${what}`).toContain(r.code);
  for (const crash of [/unexpected error/i, /bug in decksmith/i, /Maximum call stack/i, /\n\s+at .+:\d+:\d+\)?\n/, /heap out of memory/i]) {
    expect(r.stderr, `crash report: ${what}`).not.toMatch(crash);
  }
  // A deck's text may not drive the terminal: ESC, BEL, CSI and other C0/C1 controls are escaped.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  expect(r.stdout, `raw control character on stdout: ${what}`).not.toMatch(controls);
  expect(r.stderr, `raw control character on stderr: ${what}`).not.toMatch(controls);
}

/** Exit 1 names the deck and a line; exit 0 may only leave text out with a file:line warning. */
export function expectExplained(r: RunResult, deckName = 'deck.md'): void {
  if (r.code === 1) expect(r.stderr, describeRun(r)).toMatch(new RegExp(`${escapeRegExp(deckName)}:\\d+`));
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Leaks

/** Text of a file as a reader of it would see it: bytes, base64 data: URLs decoded, PDF text. */
async function readable(file: string): Promise<string> {
  const bytes = readFileSync(file);
  let text = bytes.toString('latin1');
  if (file.endsWith('.pdf')) text += (await pageTexts(file).catch(() => [] as string[])).join('\n');
  for (const m of text.matchAll(/;base64,([A-Za-z0-9+/=]{8,})/g)) text += Buffer.from(m[1] ?? '', 'base64').toString('latin1');
  return text;
}

/** Size of every image XObject in a PDF (the private PNG has a size of its own). */
async function pdfImageSizes(file: string): Promise<string[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const sizes: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFStream)) continue;
    if (object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const size = (key: string): string => String(object.dict.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber());
    sizes.push(`${size('Width')}x${size('Height')}`);
  }
  return sizes;
}

/**
 * Nothing of a private file reached an output, stdout or stderr; no built page still points at a
 * private file; nothing outside out/ and tmp/ changed; the sentinels are there.
 */
export async function expectNoLeak(ws: Workspace, r: RunResult): Promise<void> {
  const what = describeRun(r);
  expect(r.stdout.includes(CANARY), `private content printed on stdout: ${what}`).toBe(false);
  expect(r.stderr.includes(CANARY), `private content printed on stderr: ${what}`).toBe(false);
  for (const file of ws.outputFiles()) {
    const text = await readable(file);
    expect(text.includes(CANARY), `private content in ${relative(ws.root, file)}: ${what}`).toBe(false);
    if (file.endsWith('.pdf'))
      expect(text.includes(SCRIPT_RAN), `a deck script ran while ${relative(ws.root, file)} was printed: ${what}`).toBe(false);
    if (file.endsWith('.html') || file.endsWith('.css')) {
      expect(text, `${relative(ws.root, file)} still points at a private file: ${what}`).not.toMatch(
        /private(?:-dir|\.(?:png|svg|css|txt|woff2))/,
      );
    }
    if (file.endsWith('.pdf')) {
      const sizes = await pdfImageSizes(file);
      expect(sizes, `the private image is printed in ${relative(ws.root, file)}: ${what}`).not.toContain(
        `${PRIVATE_PNG.width}x${PRIVATE_PNG.height}`,
      );
    }
  }
  expect(ws.changesOutside(), `files outside the output folder touched: ${what}`).toEqual([]);
  for (const sentinel of ['sentinel.txt', '.git/HEAD', 'other-talk.md', 'out/other/index.html', 'tmp/sentinel.txt']) {
    expect(existsSync(join(ws.root, sentinel)), `${sentinel} was removed: ${what}`).toBe(true);
  }
}

/**
 * Every marker word is in a built page, or the run explains itself: exit 1 naming the deck and a
 * line, or a `file:line` warning.
 */
export function expectNoTextLost(ws: Workspace, r: RunResult, markers: string[], deckName = 'deck.md'): void {
  const what = describeRun(r);
  if (r.code === 1) {
    expectExplained(r, deckName);
    return;
  }
  const html = ws
    .pages()
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
  const warned = new RegExp(`${escapeRegExp(deckName)}:\\d+(?::\\d+)?: warning`).test(r.stderr);
  for (const marker of markers) {
    if (!html.includes(marker))
      expect(warned, `"${marker}" is missing from the HTML and no file:line warning says why: ${what}`).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Scripts

/** Counts requests; a payload that runs calls it. */
export class Canary {
  private server: Server;
  readonly hits: string[] = [];
  port = 0;

  private constructor() {
    this.server = createServer((request, response) => {
      this.hits.push(request.url ?? '/');
      response.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' }).end('ok');
    });
  }

  static async start(): Promise<Canary> {
    const canary = new Canary();
    await new Promise<void>((done) => canary.server.listen(0, '127.0.0.1', () => done()));
    canary.port = (canary.server.address() as AddressInfo).port;
    return canary;
  }

  /** The hits whose path starts with /<tag>/. */
  hitsFor(tag: string): string[] {
    return this.hits.filter((h) => h.startsWith(`/${tag}/`));
  }

  url(tag: string, what = 'ran'): string {
    return `http://127.0.0.1:${this.port}/${tag}/${what}`;
  }

  /** JavaScript that reports to the canary (and marks the top window when it can). */
  js(tag: string): string {
    // Three traces, so a script is caught where the network is blocked or the frame is opaque:
    // a request, the window's name, and text added to every slide (it shows in a PDF's text;
    // built at run time, so a payload shown as text is not mistaken for one that ran).
    return `fetch('${this.url(tag)}',{mode:'no-cors'});try{top.name='ran-${tag}'}catch(e){}try{top.document.querySelectorAll('.slides section').forEach(function(s){s.append(' '+'${SCRIPT_RAN.slice(0, 6)}'+'${SCRIPT_RAN.slice(6)}${tag} ')})}catch(e){}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}

/** One headless Chromium per test file. */
export async function launchBrowser(): Promise<BrowserSession> {
  return BrowserSession.launch();
}

export interface PageVisit {
  /** Requests for file:// addresses outside `allowedDir`. */
  outsideFiles: string[];
  /** file:// requests that failed (an image the build did not copy or rewrite). */
  failedFiles: string[];
  /** Alerts, confirms and prompts that opened. */
  dialogs: string[];
  topName: string;
  /** Attributes in the page (slides and everything else) that would run code when used. */
  scriptAttributes: string[];
  /** Whether reveal.js started. */
  ready: boolean;
  /** Requests the page (or a frame in it) sent to the canary server. */
  canaryRequests: string[];
  /** Whether a payload added its text to the slides. */
  ran: boolean;
}

/**
 * Opens a built page, steps through every slide (so lazy backgrounds and iframes load), waits for
 * the network to go idle, and reports what the page did.
 */
export async function visit(session: BrowserSession, url: string, allowedDir?: string, canaryPort?: number): Promise<PageVisit> {
  const page: Page = await session.browser.newPage();
  const canaryRequests: string[] = [];
  const outsideFiles: string[] = [];
  const failedFiles: string[] = [];
  const dialogs: string[] = [];
  const allowed = allowedDir === undefined ? undefined : `${pathToFileURL(allowedDir).href}/`;
  page.on('request', (request) => {
    const target = request.url();
    if (canaryPort !== undefined && target.startsWith(`http://127.0.0.1:${canaryPort}/`)) canaryRequests.push(target);
    if (allowed !== undefined && target.startsWith('file:') && !target.startsWith(allowed)) outsideFiles.push(target);
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith('file:')) failedFiles.push(request.url());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 20_000 });
    const ready = await page
      .evaluate(async () => {
        type Reveal = {
          isReady(): boolean;
          on(e: string, f: () => void): void;
          getSlides(): Element[];
          getIndices(s: Element): { h: number; v?: number };
          slide(h: number, v?: number): void;
        };
        const reveal = (window as unknown as { Reveal?: Reveal }).Reveal;
        if (reveal === undefined) return false;
        if (!reveal.isReady()) {
          await new Promise<void>((done) => {
            reveal.on('ready', () => done());
            // reveal.js that never starts (a deck that broke it) is reported, not waited on.
            setTimeout(done, 5000);
          });
        }
        if (!reveal.isReady()) return false;
        for (const slide of reveal.getSlides()) {
          const { h, v } = reveal.getIndices(slide);
          reveal.slide(h, v);
        }
        return true;
      })
      .catch(() => false);
    // Not waitForNetworkIdle: file:// fonts served from the memory cache fire `request` without
    // `requestfinished`, so it never settles. What loads after the slide changes: fonts, images
    // and frames; each is awaited, a frame up to a second (an opaque frame's state is hidden).
    await page
      .evaluate(async () => {
        const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
        await frame();
        await document.fonts.ready;
        const images = Array.from(document.images).filter((img) => !img.complete);
        const frames = Array.from(document.querySelectorAll('iframe'));
        await Promise.all([
          ...images.map(
            (img) =>
              new Promise((done) => {
                img.addEventListener('load', done);
                img.addEventListener('error', done);
                setTimeout(done, 3000);
              }),
          ),
          ...frames.map(
            (f) =>
              new Promise((done) => {
                f.addEventListener('load', done);
                setTimeout(done, 1000);
              }),
          ),
        ]);
        await frame();
      })
      .catch(() => undefined);
    const scriptAttributes = await page
      .evaluate(() => {
        const found: string[] = [];
        const code = /^(javascript|vbscript|data:text\/html|data:application\/xhtml|data:image\/svg)/;
        for (const element of Array.from(document.querySelectorAll('*'))) {
          for (const attribute of Array.from(element.attributes)) {
            const value = attribute.value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
            if (/^on/i.test(attribute.name) || code.test(value) || attribute.name === 'srcdoc')
              found.push(`<${element.localName} ${attribute.name}="${attribute.value.slice(0, 60)}">`);
          }
        }
        return found;
      })
      .catch(() => ['(the page could not be read)']);
    const topName = await page.evaluate(() => window.name).catch(() => '');
    const ran = await page.evaluate((mark) => document.body.textContent?.includes(mark) ?? false, SCRIPT_RAN).catch(() => false);
    return { outsideFiles, failedFiles, dialogs, topName, scriptAttributes, ready, canaryRequests, ran };
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Opens every built page under out/ from file://: no canary call, no dialog, no renamed window,
 * no file read from outside the output folder.
 */
export async function expectNothingRan(
  session: BrowserSession,
  canary: Canary,
  tag: string,
  ws: Workspace,
  pages = ws.pages(),
): Promise<PageVisit[]> {
  const visits: PageVisit[] = [];
  for (const page of pages) {
    const seen = await visit(session, pathToFileURL(page).href, ws.out, canary.port);
    const name = relative(ws.root, page);
    expect(seen.canaryRequests, `a deck script ran in ${name}`).toEqual([]);
    expect(seen.ran, `a deck script changed the slides of ${name}`).toBe(false);
    expect(seen.dialogs, `a dialog opened in ${name}`).toEqual([]);
    expect(seen.topName, `a script renamed the window of ${name}`).not.toContain('ran-');
    expect(seen.scriptAttributes, `${name} holds attributes that run code`).toEqual([]);
    expect(seen.outsideFiles, `${name} loaded files outside the output folder`).toEqual([]);
    expect(seen.ready, `reveal.js did not start in ${name}`).toBe(true);
    visits.push(seen);
  }
  expect(canary.hitsFor(tag), `a deck script ran (${tag})`).toEqual([]);
  return visits;
}

/** `decksmith serve deck/deck.md --port 0`: the page it serves, checked like expectNothingRan. */
export async function expectNothingRanServed(
  session: BrowserSession,
  canary: Canary,
  tag: string,
  ws: Workspace,
  flags: string[] = [],
): Promise<void> {
  const child = spawn(process.execPath, [bin, 'serve', join(ws.deckDir, 'deck.md'), '--port', '0', ...flags], {
    cwd: ws.root,
    env: childEnv(ws),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve printed no URL in time\n${stdout}\n${stderr}`)), RUN_TIMEOUT_MS);
      const look = (): void => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (m !== null) {
          clearTimeout(timer);
          done(m[0]);
        }
      };
      child.stdout.on('data', look);
      void exited.then(() => {
        clearTimeout(timer);
        fail(new Error(`serve exited early\n${stdout}\n${stderr}`));
      });
    });
    const seen = await visit(session, url, undefined, canary.port);
    expect(seen.canaryRequests, 'a deck script ran in the served deck').toEqual([]);
    expect(seen.ran, 'a deck script changed the served slides').toBe(false);
    expect(seen.dialogs, 'a dialog opened in the served deck').toEqual([]);
    expect(seen.topName, 'a script renamed the served window').not.toContain('ran-');
    expect(seen.scriptAttributes, 'the served deck holds attributes that run code').toEqual([]);
    expect(stderr).not.toContain(CANARY);
  } finally {
    child.kill('SIGINT');
    expect(await exited, `serve did not stop cleanly\n${stderr}`).toBe(0);
  }
  expect(canary.hitsFor(tag), `a deck script ran in the served deck (${tag})`).toEqual([]);
}

/** Whether the path has a segment that is exactly `.` or `..` (an output name gone wrong). */
export const hasDotSegment = (path: string): boolean => path.split(sep).some((s) => s === '.' || s === '..');
