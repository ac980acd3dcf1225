/**
 * Stopping the commands that run until stopped, in a real `decksmith` process: SIGINT aborts the
 * one shutdown signal, the export in flight stops (its Chromium killed, its half-made PDF never
 * written), everything opened is closed in the command's own `finally`, and the process exits 0.
 * Runs the compiled CLI (npm test builds dist/ first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesMentioning, tempDir, until } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

describe.skipIf(process.platform !== 'linux')('stopping serve and build --watch', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('SIGINT mid-export exits 0, leaves the previous PDF, and no Chromium, staging or temp files', async () => {
    expect(existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'index.js')), 'run npm run build first').toBe(true);
    // A private TMPDIR tells this run's Chromium (its profile lives there) from other tests'.
    const privateTmp = join(tmp.dir, 'tmp');
    mkdirSync(privateTmp);
    const deck = join(tmp.dir, 'big.md');
    writeFileSync(deck, Array.from({ length: 400 }, (_, i) => `## Slide ${i + 1}\n\n- a point\n- another point`).join('\n\n---\n\n'));
    const out = join(tmp.dir, 'out');
    mkdirSync(out);
    const pdf = join(out, 'big.pdf');
    writeFileSync(pdf, 'the previous PDF');

    const child = spawn(process.execPath, [bin, 'build', deck, '--watch', '--pdf', '--out', out], {
      cwd: tmp.dir,
      env: { ...process.env, TMPDIR: privateTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    );

    // The HTML is written and Chromium is up: the export of 400 slides is under way.
    await until(() => existsSync(join(out, 'big', 'index.html')) && processesMentioning(privateTmp).length > 0, 30_000);
    child.kill('SIGINT');
    const result = await exited;

    expect(result, stderr).toEqual({ code: 0, signal: null });
    expect(readFileSync(pdf, 'utf8'), stderr).toBe('the previous PDF');
    expect(readdirSync(out).sort()).toEqual(['big', 'big.pdf']);
    await until(() => processesMentioning(privateTmp).length === 0, 5_000);
    expect(readdirSync(privateTmp, { recursive: true }), stderr).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serve: SIGINT with a page connected to its event stream exits 0 and leaves no process or temp folder', async () => {
    const privateTmp = join(tmp.dir, 'tmp-serve');
    mkdirSync(privateTmp);
    const deck = join(tmp.dir, 'talk.md');
    writeFileSync(deck, '# Talk\n\n---\n\n## Two\n');
    const child = spawn(process.execPath, [bin, 'serve', deck, '--port', '0'], {
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
    await until(() => /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.test(stdout), 20_000);
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1] ?? '';
    // A page that stays connected, as an open browser tab does.
    const events = await fetch(new URL('/__decksmith/events', url));
    expect(events.status).toBe(200);
    const reader = events.body?.getReader();
    await reader?.read();
    // serve builds in memory: nothing in the temp folder while it runs.
    expect(readdirSync(privateTmp)).toEqual([]);
    child.kill('SIGINT');
    expect(await exited, stderr).toEqual({ code: 0, signal: null });
    expect(processesMentioning(privateTmp)).toEqual([]);
    expect(readdirSync(privateTmp)).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
    await reader?.cancel().catch(() => undefined);
  });
});
