import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/index.js';
import type { CliIO } from '../src/cli/io.js';

export const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
export const readFixture = (name: string): string => readFileSync(fixture(name), 'utf8');

/** A temp folder removed by the returned cleanup function. */
export function tempDir(prefix = 'decksmith-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Lets go of Chromium's threads still waiting to open the FIFOs a test made as files that never
 * arrive: a reader blocked in open() waits for a writer for as long as the browser lives, so
 * each such test would leave a thread of the file's shared browser stuck for the tests after
 * it. Opening the FIFO to write wakes every waiting reader, which then reads an empty file.
 */
export function releaseFifos(...paths: string[]): void {
  for (const path of paths) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: no reader is waiting.
    }
  }
}

/** Runs the CLI in-process and captures what it printed. */
export async function cli(argv: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    cwd,
    env: process.env,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** Polls `check` every 25 ms until it holds; fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Live processes whose command line mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * The live processes (zombies left out) of process group `group`, with their command lines
 * (arguments joined by spaces): Chromium runs in a group of its own, so this is it and its children.
 */
export function processGroup(group: number): { pid: number; command: string }[] {
  const out: { pid: number; command: string }[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // Fields after the command name (which may hold spaces): state, parent, process group.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group || fields[0] === 'Z') continue;
      out.push({ pid: Number(pid), command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * Running decksmith as another user, for tests of permissions (root may write anywhere, so such
 * a test drops to "nobody"): the command prefix, and a bin/decksmith.js that user can read. A
 * clone under a private folder (mktemp -d makes them 0700) is out of that user's reach; then the
 * files decksmith needs are hard-linked into a world-readable temp folder, which `cleanup`
 * removes (call it in a finally).
 */
export function asUnprivileged(): { prefix: string[]; bin: string; cleanup: () => void } {
  const repoBin = join(import.meta.dirname, '..', 'bin', 'decksmith.js');
  const none = () => {};
  if (process.getuid?.() !== 0) return { prefix: [], bin: repoBin, cleanup: none };
  const prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  if (spawnSync(prefix[0] ?? '', [...prefix.slice(1), 'test', '-r', repoBin]).status === 0) return { prefix, bin: repoBin, cleanup: none };
  const dir = mkdtempSync(join(tmpdir(), 'decksmith-readable-'));
  chmodSync(dir, 0o755);
  const repo = join(import.meta.dirname, '..');
  for (const name of ['package.json', 'bin', 'dist', 'node_modules', 'templates', 'themes'])
    execFileSync('cp', ['-al', join(repo, name), dir]);
  return { prefix, bin: join(dir, 'bin', 'decksmith.js'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
