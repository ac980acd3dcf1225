/**
 * The dialect a deck is read in, as a user sees it: `inspect --json`, the one line on stderr from
 * build and pdf (not with --quiet), and `--dialect` (a name that does not exist is exit 2).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

/** `node bin/decksmith.js …` as a real process (run `npm run build` first). */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

describe('dialect on the command line', () => {
  const { dir, cleanup } = tempDir('decksmith-dialect-');
  afterAll(cleanup);
  const marp = join(dir, 'deck.md');
  writeFileSync(marp, '---\nmarp: true\n---\n\n# One\n\n---\n\n# Two\n');
  const ours = join(dir, 'ours.md');
  writeFileSync(ours, '# Ours\n\nNote: said aloud\n');

  it('inspect --json names the dialect, and --dialect overrides it', async () => {
    const detected = await cli(['inspect', marp, '--json']);
    expect(detected.code).toBe(0);
    expect(JSON.parse(detected.stdout).dialect).toBe('marp');
    const own = await cli(['inspect', ours, '--json']);
    expect(JSON.parse(own.stdout).dialect).toBe('decksmith');
    const forced = await cli(['inspect', marp, '--json', '--dialect', 'remark']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout).dialect).toBe('remark');
  });

  it('build says once which tool a deck was written for, and --quiet does not', async () => {
    const built = await cli(['build', marp, ours, '--out', join(dir, 'out')]);
    expect(built.code).toBe(0);
    const lines = built.stderr.split('\n').filter((l) => l.includes('written for'));
    expect(lines).toEqual([`${marp}: written for Marp (marp: true, line 2)`]);
    const quiet = await cli(['build', marp, '--out', join(dir, 'out'), '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('written for');
  });

  it('refuses a dialect that does not exist with exit 2 and the names', async () => {
    const bad = await cli(['build', marp, '--out', join(dir, 'out'), '--dialect', 'keynote']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('marp');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
