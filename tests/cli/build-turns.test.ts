/**
 * `decksmith build` of several decks, as a real process: a deck waiting for Chromium to boot and
 * draw its diagram (seconds with a cold diagram cache) lets the next decks build and print
 * meanwhile, and what it prints still comes in the order of the inputs. Runs the compiled CLI
 * (npm test builds dist/ first).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/browser/find.js';
import { tempDir } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const root = join(import.meta.dirname, '..', '..');

describe.skipIf(process.platform !== 'linux')('build: a deck drawing its diagrams does not hold back the next', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('builds and prints the deck after it while the first waits for the browser, listing both in order', async () => {
    const real = (await findBrowser()).executablePath;
    const out = join(tmp.dir, 'out');
    const second = join(out, 'second', 'index.html');
    const marker = join(tmp.dir, 'marker.txt');
    // A browser that starts only once the second deck's HTML is written (or gives up after 15 s):
    // with the decks built strictly one after another, the first deck's diagram would wait for it.
    const wrapper = join(tmp.dir, 'chromium-after-second.sh');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        'i=0',
        `while [ ! -f '${second}' ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done`,
        `if [ -f '${second}' ]; then echo seen > '${marker}'; else echo timeout > '${marker}'; fi`,
        `exec '${real}' "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const first = join(tmp.dir, 'first.md');
    writeFileSync(first, '# First\n\n---\n\n## Flow\n\n```mermaid\nflowchart LR\n  a[Start] --> b[Finish]\n```\n');
    const plain = join(tmp.dir, 'second.md');
    writeFileSync(plain, '# Second\n\n---\n\n## Words\n\n- only text\n');
    const child = spawn(process.execPath, [bin, 'build', first, plain, '--out', out, '--pdf'], {
      cwd: root,
      // An empty diagram cache: the first deck's diagram must be drawn in the browser.
      env: { ...process.env, CHROME_PATH: wrapper, DECKSMITH_CACHE_DIR: join(tmp.dir, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(readFileSync(marker, 'utf8').trim()).toBe('seen');
    // The diagram was drawn (not left as code) and both PDFs were written.
    expect(readFileSync(join(out, 'first', 'index.html'), 'utf8')).toContain('<svg');
    expect(existsSync(join(out, 'first.pdf'))).toBe(true);
    expect(existsSync(join(out, 'second.pdf'))).toBe(true);
    // Inputs' order, though the second deck was built and printed first.
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => line.split('  ')[0])).toEqual([
      join(out, 'first', 'index.html'),
      join(out, 'second', 'index.html'),
      join(out, 'first.pdf'),
      join(out, 'second.pdf'),
    ]);
  }, 120_000);
});
