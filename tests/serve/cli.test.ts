/**
 * `decksmith serve` and `build --watch` as a terminal user runs them: a missing deck and a taken
 * --port fail at once with a clear message; Ctrl-C (SIGINT) and SIGTERM end a real process with
 * exit code 0, after closing the server and watcher, leaving no temp files. Runs the
 * compiled CLI (npm test builds dist/ first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir, until } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

describe('decksmith serve on the command line', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('exits 1 with a clear message for a deck that is not there, without serving', async () => {
    const result = await cli(['serve', 'missing.md', '--port', '0'], tmp.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'decksmith: input "missing.md" does not exist\n  Check the path, or run "decksmith init" to start a talk.\n',
    );
    expect(result.stdout).toBe('');
  });

  it('exits 1 when the --port given is taken, naming it', async () => {
    const deck = join(tmp.dir, 'talk.md');
    writeFileSync(deck, '# Talk\n');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await cli(['serve', deck, '--port', String(port)], tmp.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(result.stdout).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  // Whether 8000 was free or not, it is taken while this runs: held here, or by someone else.
  it('without --port, moves from a taken 8000 to a free port and prints the URL it uses', async () => {
    const deck = join(tmp.dir, 'default-port.md');
    writeFileSync(deck, '# Default port\n');
    const holder = createServer();
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(8000, '127.0.0.1', () => resolve(true));
    });
    const child = spawn(process.execPath, [bin, 'serve', deck], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => /Serving .* at http:\/\/127\.0\.0\.1:\d+\//.test(stdout) || child.exitCode !== null, 20_000);
      const port = Number(/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1]);
      expect(port, stderr).not.toBe(8000);
      expect(stderr).toContain(`port 8000 is in use; using ${port}`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('Default port');
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      if (held) await new Promise((resolve) => holder.close(resolve));
    }
  });

  // serve and build --watch run until stopped: stopping them is success, not an interruption.
  it.each([
    ['serve', 'SIGINT'],
    ['serve', 'SIGTERM'],
    ['build --watch', 'SIGINT'],
  ] as const)('%s exits 0 on %s after closing everything, leaving no temp files', async (command, signal) => {
    const privateTmp = join(tmp.dir, `tmp-${command.replace(/\W/g, '')}-${signal}`);
    mkdirSync(privateTmp);
    const deck = join(tmp.dir, 'stop.md');
    writeFileSync(deck, '# Stop me\n');
    const argv = command === 'serve' ? ['serve', deck, '--port', '0'] : ['build', deck, '--watch', '--out', join(tmp.dir, 'out')];
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd: tmp.dir,
      env: { ...process.env, TMPDIR: privateTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    if (command === 'serve') {
      await until(() => /Serving .* at http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 20_000);
      // serve builds in memory: nothing in the temp folder, no output folder beside the deck.
      expect(readdirSync(privateTmp)).toEqual([]);
      expect(existsSync(join(tmp.dir, 'output'))).toBe(false);
    } else {
      await until(() => stderr.includes('watching for changes'), 20_000);
      expect(existsSync(join(tmp.dir, 'out', 'stop', 'index.html'))).toBe(true);
    }
    child.kill(signal);
    expect(await exited, stderr).toEqual({ code: 0, signal: null });
    expect(readdirSync(privateTmp)).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
