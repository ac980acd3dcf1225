/**
 * Deck text that reaches the terminal: a real decksmith process, its stderr read as bytes.
 * (The in-process bounds are in bounds.test.ts.)
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-bounds-process-');
afterAll(cleanup);

describe('terminal escapes from a deck', () => {
  const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
  const run = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', fail);
      child.on('close', (code) => done({ code, stderr }));
    });

  it('are shown escaped in warnings, never written raw to stderr', async () => {
    writeFileSync(join(dir, 'escape.md'), '---\ntitle: T\ncolour\x1b[31m\u202e: red\n---\n\n# Hi\n');
    const result = await run(['build', 'escape.md', '--out', 'out-escape']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('unknown front-matter key "colour\\x1b[31m\\u{202e}"');
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr).not.toContain('\u202e');
  });

  it('are shown escaped in errors', async () => {
    writeFileSync(join(dir, 'escape-error.md'), '---\ntitle: "abc\x1b]0;pwned\x07\nauthor: x\n---\n\n# Hi\n');
    const result = await run(['build', 'escape-error.md', '--out', 'out-escape-error']);
    expect(result.code).toBe(1);
    // The hint quotes the line with the unclosed quote.
    expect(result.stderr).toContain('title: "abc\\x1b]0;pwned\\x07"');
    expect(result.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
