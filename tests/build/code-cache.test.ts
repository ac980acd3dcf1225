/**
 * The executable runs dist/cli/decksmith.cjs compiled from the V8 code cache `npm run build`
 * writes next to it (scripts/bundle.mjs, bin/decksmith.js). The cache must be one this Node
 * accepts (else every start pays for compiling the bundle), and a cache V8 rejects, or none,
 * must only cost time: the same output, exit code and messages. Runs the built CLI (npm test
 * builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const repo = join(import.meta.dirname, '..', '..');
const bundle = join(repo, 'dist', 'cli', 'decksmith.cjs');

/** Every file under `dir`, by path relative to it, with its bytes. */
function files(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of files(path, `${prefix}${entry.name}/`)) out.set(k, v);
    else out.set(`${prefix}${entry.name}`, readFileSync(path).toString('base64'));
  }
  return out;
}

describe('code cache', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('the executable changes no V8 flag while V8 runs but the interrupt budget and the regexp peephole pass', () => {
    // Node documents v8.setFlagsFromString after start-up as able to crash the process: with
    // --no-regexp-tier-up set there, about 1 build in 250 died of SIGSEGV. The interrupt budget
    // (a number V8 reads when it budgets a function) ran thousands of builds without a crash, and
    // so did the peephole pass (read only as V8 writes a regexp's bytecode, which is valid with or
    // without it). Any other flag needs the same evidence first.
    const source = readFileSync(join(repo, 'bin', 'decksmith.js'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const calls = [...source.matchAll(/setFlagsFromString\(([^)]*)\)/g)].map((m) => m[1]);
    expect(calls).toEqual(['FLAGS']);
    expect(source).toContain("const FLAGS = '--interrupt-budget=1000000 --no-regexp-peephole-optimization';");
    const flags = [...source.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
    expect(new Set(flags)).toEqual(new Set(['--interrupt-budget', '--no-regexp-peephole-optimization', '--regexp-peephole-optimization']));
  });

  it('the cache npm run build writes is one this Node accepts for the bundle', () => {
    // As the executable compiles it (with Node's own V8 flags, which the cache must match).
    const deck = join(tmp.dir, 'accepted.md');
    writeFileSync(deck, '# One\n');
    const run = spawnSync(process.execPath, [join(repo, 'bin', 'decksmith.js'), 'build', deck, '--out', join(tmp.dir, 'accepted')], {
      cwd: tmp.dir,
      encoding: 'utf8',
      env: { ...process.env, DECKSMITH_TRACE: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^decksmith trace: +\d+ ms {2}code cache accepted$/m);
  });

  it('without a cache, or with one V8 rejects, a build writes the same files and says the same', () => {
    // A copy of the package whose bin and bundle are its own, so its cache can be replaced.
    const copy = join(tmp.dir, 'package');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    mkdirSync(join(copy, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(repo, 'bin', 'decksmith.js'), join(copy, 'bin', 'decksmith.js'));
    copyFileSync(bundle, join(copy, 'dist', 'cli', 'decksmith.cjs'));
    for (const name of ['package.json', 'node_modules', 'templates', 'themes', 'dist/templates.cjs', 'dist/cli/vendor'])
      symlinkSync(join(repo, name), join(copy, name));
    const deck = join(tmp.dir, 'talk.md');
    writeFileSync(
      deck,
      '# Talk\n\n- one **bold** point\n\n```js\nlet x = 1;\n```\n\nNote: hello\n\n---\n\n## Two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n:::\n',
    );
    const run = (bin: string, out: string) =>
      spawnSync(process.execPath, [bin, 'build', deck, '--out', out], { cwd: tmp.dir, encoding: 'utf8' });

    const cached = run(join(repo, 'bin', 'decksmith.js'), join(tmp.dir, 'cached'));
    expect(cached.status, cached.stderr).toBe(0);
    const expected = files(join(tmp.dir, 'cached'));
    expect(expected.size).toBeGreaterThan(1);
    const messages = (text: string) => text.replaceAll(join(tmp.dir, 'cached'), 'OUT').replaceAll(join(tmp.dir, 'rejected'), 'OUT');

    // No cache file.
    const none = run(join(copy, 'bin', 'decksmith.js'), join(tmp.dir, 'none'));
    expect(none.status, none.stderr).toBe(0);
    expect(files(join(tmp.dir, 'none'))).toEqual(expected);

    // A cache for other source: V8 rejects it.
    const bogus = join(copy, 'dist', 'cli', 'decksmith.cjs.cache');
    writeFileSync(bogus, new vm.Script('1 + 1').createCachedData());
    const rejected = run(join(copy, 'bin', 'decksmith.js'), join(tmp.dir, 'rejected'));
    expect(rejected.status, rejected.stderr).toBe(0);
    const traced = spawnSync(process.execPath, [join(copy, 'bin', 'decksmith.js'), 'build', deck, '--out', join(tmp.dir, 'traced')], {
      cwd: tmp.dir,
      encoding: 'utf8',
      env: { ...process.env, DECKSMITH_TRACE: '1' },
    });
    expect(traced.stderr).toMatch(/^decksmith trace: +\d+ ms {2}code cache rejected$/m);
    expect(files(join(tmp.dir, 'rejected'))).toEqual(expected);
    expect(messages(rejected.stderr)).toBe(messages(cached.stderr));
    expect(messages(rejected.stdout)).toBe(messages(cached.stdout));
    rmSync(bogus);
  });
});
