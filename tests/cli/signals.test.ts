/**
 * Ctrl-C during an export, in a real `decksmith` process: it ends as interrupted, the previous
 * PDF is untouched, and no Chromium, temp file or temp folder is left behind. Runs the compiled
 * CLI (npm test builds dist/ first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesMentioning, tempDir, until } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

describe.skipIf(process.platform !== 'linux')('interrupting an export', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("a finished export leaves nothing in the temp folder (not even Chromium's own files)", async () => {
    const privateTmp = join(tmp.dir, 'tmp-normal');
    mkdirSync(privateTmp);
    const deck = join(tmp.dir, 'small.md');
    writeFileSync(deck, '# One\n\n---\n\n## Two\n');
    const child = spawn(process.execPath, [bin, 'pdf', deck, '--out', join(tmp.dir, 'small.pdf')], {
      env: { ...process.env, TMPDIR: privateTmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  // `pdf` starts Chromium before the command line is even parsed; a command that then fails
  // (missing input, bad usage) must still take it down.
  it.each([
    ['a missing input', ['pdf', 'no-such-deck.md'], 1],
    ['bad usage', ['pdf', 'no-such-deck.md', '--size', 'huge'], 2],
  ])('the early-started Chromium goes away when the command fails on %s', async (_, argv, expected) => {
    const privateTmp = join(tmp.dir, `tmp-early-${expected}`);
    mkdirSync(privateTmp);
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd: tmp.dir,
      env: { ...process.env, TMPDIR: privateTmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(processesMentioning(privateTmp)).toEqual([]);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('a "browser" that is not one fails the launch with a clear message and the process exits', async () => {
    const deck = join(tmp.dir, 'tiny.md');
    writeFileSync(deck, '# One\n');
    const started = Date.now();
    const child = spawn(process.execPath, [bin, 'pdf', deck, '--out', join(tmp.dir, 'tiny.pdf')], {
      env: { ...process.env, CHROME_PATH: '/bin/false' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Could not start /bin/false');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(tmp.dir, 'tiny.pdf'))).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-export leaves the previous PDF and nothing else', async (signal) => {
    expect(existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'index.js')), 'run npm run build first').toBe(true);
    // A private TMPDIR tells this run's Chromium and temp folders apart from other tests'.
    const privateTmp = join(tmp.dir, `tmp-${signal}`);
    mkdirSync(privateTmp);
    const deck = join(tmp.dir, 'big.md');
    writeFileSync(deck, Array.from({ length: 300 }, (_, i) => `## Slide ${i + 1}\n\n- a point\n- another point`).join('\n\n---\n\n'));
    const out = join(tmp.dir, `out-${signal}`);
    mkdirSync(out);
    const pdf = join(out, 'big.pdf');
    writeFileSync(pdf, 'the previous PDF');

    const child = spawn(process.execPath, [bin, 'pdf', deck, '--out', pdf], {
      env: { ...process.env, TMPDIR: privateTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    );

    // Chromium is up and the deck is loading or printing.
    await until(() => processesMentioning(privateTmp).length > 0, 20_000);
    await new Promise((r) => setTimeout(r, 400));
    child.kill(signal);
    const result = await exited;

    expect(result.code === 128 + (signal === 'SIGINT' ? 2 : 15) || result.signal === signal, JSON.stringify(result) + stderr).toBe(true);
    expect(readFileSync(pdf, 'utf8')).toBe('the previous PDF');
    expect(readdirSync(out)).toEqual(['big.pdf']);
    await until(() => processesMentioning(privateTmp).length === 0, 5_000);
    expect(readdirSync(privateTmp, { recursive: true }), stderr).toEqual([]);
  });
});
