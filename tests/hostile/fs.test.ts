/**
 * A deck is data, on the file system side: building one never removes anything outside its own
 * output, two decks never share an output folder, special and huge files are refused without
 * hanging, write failures say what is wrong, and an interrupted build leaves nothing half-made.
 * Sentinel files outside the output folder are checked after every case.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck, expandInputs } from '../../src/build/index.js';
import { OutputError } from '../../src/errors.js';
import { defaultPdfPath } from '../../src/export/pdf.js';
import { decodeSource } from '../../src/build/read.js';
import { OUTPUT_MARKER, writeDeck } from '../../src/build/write.js';
import { defaultSingleFilePath } from '../../src/build/single-file.js';
import { safeOutputName } from '../../src/build/names.js';
import { asUnprivileged, cli, tempDir } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const tmp = tempDir('decksmith-hostile-fs-');
afterAll(() => tmp.cleanup());

let counter = 0;
/** A fresh project folder with sentinel files around where the output goes. */
function project(): { dir: string; out: string; sentinels: string[] } {
  const dir = join(tmp.dir, `p${counter++}`);
  mkdirSync(join(dir, '.git'), { recursive: true });
  mkdirSync(join(dir, 'other-talk'));
  const sentinels = [join(dir, 'uncommitted.txt'), join(dir, '.git', 'HEAD'), join(dir, 'other-talk', 'deck.md')];
  writeFileSync(sentinels[0] ?? '', 'work in progress');
  writeFileSync(sentinels[1] ?? '', 'ref: refs/heads/main\n');
  writeFileSync(sentinels[2] ?? '', '# Not built in these cases\n');
  return { dir, out: join(dir, 'output'), sentinels };
}

function expectSentinels(sentinels: string[]): void {
  for (const file of sentinels) expect(existsSync(file), `${file} was removed`).toBe(true);
}

/** Runs the compiled CLI; resolves with its exit code and output. `limitMs` only stops a hung old build. */
function runBin(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; limitMs?: number } = {},
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, stdout });
    }),
  );
}

describe('output names', () => {
  it('are never ".", "..", or hold separators or control characters', () => {
    expect(safeOutputName('.')).toBe('_');
    expect(safeOutputName('..')).toBe('__');
    expect(safeOutputName('')).toBe('_');
    expect(safeOutputName('a/b\\c')).toBe('a_b_c');
    expect(safeOutputName('x\u001b[31my\u0007')).toBe('x_[31my_');
    expect(safeOutputName('talk-2024.v2')).toBe('talk-2024.v2');
    expect(safeOutputName('..hidden')).toBe('..hidden');
  });

  it('a folder holding "...md" and "..md" builds them to their own folders and removes nothing of the project', async () => {
    const { dir, out, sentinels } = project();
    writeFileSync(join(dir, '...md'), '# Three dots\n');
    writeFileSync(join(dir, '..md'), '# Two dots\n');
    writeFileSync(join(dir, 'real.md'), '# Real\n');
    const r = await cli(['build', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expectSentinels([...sentinels, join(dir, '...md'), join(dir, '..md'), join(dir, 'real.md')]);
    expect(readdirSync(out).sort()).toEqual(['_', '__', 'other-talk', 'real']);
    expect(readFileSync(join(out, '__', 'index.html'), 'utf8')).toContain('Three dots');
    expect(r.stderr).toContain('output is named "__" instead');
  });

  it('"..md" does not replace the output root with another deck\'s output in it', async () => {
    const { dir, out, sentinels } = project();
    writeFileSync(join(dir, 'first.md'), '# First\n');
    writeFileSync(join(dir, '..md'), '# Dot\n');
    expect((await cli(['build', join(dir, 'first.md'), '--out', out])).code).toBe(0);
    const r = await cli(['build', join(dir, '..md'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'first', 'index.html'))).toBe(true);
    expectSentinels(sentinels);
  });

  it('an outName given to buildDeck cannot leave the output folder', async () => {
    const { dir, out, sentinels } = project();
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    const built = await buildDeck(join(dir, 'talk.md'), { outDir: out, outName: '../../x/..' });
    expect(built.outDir).toBe(join(out, '__', '__', 'x', '__'));
    expectSentinels(sentinels);
  });

  it('"decksmith pdf ...md" leaves the temp folder alone', async () => {
    const { dir, sentinels } = project();
    const privateTmp = join(dir, 'tmp');
    mkdirSync(privateTmp);
    const inTmp = join(privateTmp, 'someone-elses-file');
    writeFileSync(inTmp, 'keep');
    writeFileSync(join(dir, '...md'), '# Dots\n');
    const r = await runBin(['pdf', '...md', '--out', 'dots.pdf'], { cwd: dir, env: { TMPDIR: privateTmp } });
    expect(r.code, r.stderr).toBe(0);
    expectSentinels([...sentinels, inTmp]);
    expect(existsSync(join(dir, 'dots.pdf'))).toBe(true);
  });
});

describe('replacing an output folder', () => {
  it('refuses a folder decksmith did not write, and leaves it as it was', async () => {
    const { dir, out, sentinels } = project();
    writeFileSync(join(dir, 'notes.md'), '# Notes\n');
    mkdirSync(join(out, 'notes'), { recursive: true });
    writeFileSync(join(out, 'notes', 'mine.txt'), 'hand-written');
    const r = await cli(['build', join(dir, 'notes.md'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('was not written by decksmith');
    expect(readFileSync(join(out, 'notes', 'mine.txt'), 'utf8')).toBe('hand-written');
    expect(readdirSync(out)).toEqual(['notes']);
    expectSentinels(sentinels);
  });

  it('refuses a symbolic link in place of the output folder', async () => {
    const { dir, out, sentinels } = project();
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    mkdirSync(out);
    symlinkSync(join(dir, 'other-talk'), join(out, 'talk'));
    const r = await cli(['build', join(dir, 'talk.md'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a symbolic link');
    expectSentinels(sentinels);
  });

  it('replaces its own output (marked), and an output of a decksmith without the marker', async () => {
    const { dir, out } = project();
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    expect((await cli(['build', join(dir, 'talk.md'), '--out', out])).code).toBe(0);
    expect(existsSync(join(out, 'talk', OUTPUT_MARKER))).toBe(true);
    expect((await cli(['build', join(dir, 'talk.md'), '--out', out])).code).toBe(0);
    mkdirSync(join(out, 'legacy'));
    writeFileSync(
      join(out, 'legacy', 'index.html'),
      `<!doctype html>\n<html>\n<head>\n<meta name="generator" content="decksmith 0.1.0">\n${'<section>a slide</section>\n'.repeat(5000)}`,
    );
    writeFileSync(join(dir, 'legacy.md'), '# Legacy\n');
    const r = await cli(['build', join(dir, 'legacy.md'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'legacy', 'index.html'), 'utf8')).toContain('Legacy');
  });
});

describe('decks with the same base name', () => {
  function talks(): { dir: string; out: string; sentinels: string[] } {
    const p = project();
    for (const t of ['a', 'b']) {
      mkdirSync(join(p.dir, 'talks', t), { recursive: true });
      writeFileSync(join(p.dir, 'talks', t, 'deck.md'), `# Talk ${t.toUpperCase()}\n`);
    }
    return p;
  }

  it('a folder build gives each subfolder its own output folder', async () => {
    const { dir, out, sentinels } = talks();
    writeFileSync(join(dir, 'talks', 'intro.md'), '# Intro\n');
    const r = await cli(['build', join(dir, 'talks'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'a', 'deck', 'index.html'), 'utf8')).toContain('Talk A');
    expect(readFileSync(join(out, 'b', 'deck', 'index.html'), 'utf8')).toContain('Talk B');
    // A deck directly in the folder keeps today's path.
    expect(existsSync(join(out, 'intro', 'index.html'))).toBe(true);
    expectSentinels(sentinels);
  });

  it('the PDF and single-file defaults follow the same folders', async () => {
    const { dir, out } = talks();
    const [file] = expandInputs([join(dir, 'talks')], { outDir: out });
    const built = await buildDeck(file ?? '', { outDir: out });
    expect(built.outDir).toBe(join(out, 'a', 'deck'));
    expect(defaultPdfPath(built, false)).toBe(join(out, 'a', 'deck.pdf'));
    expect(defaultPdfPath(built, true)).toBe(join(out, 'a', 'deck-handout.pdf'));
    expect(defaultSingleFilePath(built)).toBe(join(out, 'a', 'deck.html'));
  });

  it('two files given by name that would share an output folder stop the build before anything is written', async () => {
    const { dir, out, sentinels } = talks();
    const r = await cli(['build', join(dir, 'talks', 'a', 'deck.md'), join(dir, 'talks', 'b', 'deck.md'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('would both be written to');
    expect(existsSync(out)).toBe(false);
    expectSentinels(sentinels);
  });

  it("a deck whose output would hold another deck's output is a clash too", async () => {
    const { dir, out } = talks();
    writeFileSync(join(dir, 'talks', 'a.md'), '# A as a deck\n');
    const r = await cli(['build', join(dir, 'talks'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('would both be written to');
  });

  it('a folder search skips node_modules, .git, hidden folders, the output folder and links leading out', async () => {
    const { dir, out } = project();
    for (const skipped of ['node_modules/pkg', '.git', '.github', 'output/old']) {
      mkdirSync(join(dir, skipped), { recursive: true });
      writeFileSync(join(dir, skipped, 'readme.md'), '# Not a deck\n');
    }
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    // Links: one to a deck inside the folder is a deck; one leading out of it is not.
    symlinkSync(join(dir, 'talk.md'), join(dir, 'alias.md'));
    writeFileSync(join(tmp.dir, 'private.md'), '# Private\n');
    symlinkSync(join(tmp.dir, 'private.md'), join(dir, 'leak.md'));
    const files = expandInputs([dir], { outDir: out }).map((f) => f.slice(dir.length + 1));
    expect(files).toEqual(['alias.md', 'talk.md', join('other-talk', 'deck.md')]);
  });
});

describe('special and huge files', () => {
  it('a css: file that is a FIFO is refused at its line; the build does not hang', async () => {
    const { dir, out, sentinels } = project();
    execFileSync('mkfifo', [join(dir, 'pipe.css')]);
    writeFileSync(join(dir, 'talk.md'), '---\ntitle: Pipes\ncss: [pipe.css]\n---\n\n# Pipes\n');
    const r = await runBin(['build', 'talk.md', '--out', out], { cwd: dir, limitMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/talk\.md(:\d+)?: warning: file "pipe\.css" is a named pipe \(FIFO\), not a regular file/);
    expect(existsSync(join(out, 'talk', 'pipe.css'))).toBe(false);
    expectSentinels(sentinels);
  });

  it('an image that is a FIFO is refused as such, not reported as "not found"', async () => {
    const { dir, out } = project();
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
    writeFileSync(join(dir, 'talk.md'), '# Pipes\n\n![a pipe](pipe.png)\n');
    const r = await cli(['build', join(dir, 'talk.md'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('talk.md:3: warning: image "pipe.png" is a named pipe (FIFO), not a regular file');
    expect(r.stderr).not.toContain('not found');
  });

  it('a stylesheet that leads to /dev/zero is refused without reading it', async () => {
    const { dir, out } = project();
    symlinkSync('/dev/zero', join(dir, 'zero.css'));
    writeFileSync(join(dir, 'talk.md'), '---\ncss: [zero.css]\n---\n\n# Zero\n');
    const r = await runBin(['build', 'talk.md', '--out', out], { cwd: dir, limitMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    // The link leads out of the deck's folder, so the one rule for local files refuses it first;
    // with --root / it is refused as a device (below). Either way it is never read.
    expect(r.stderr).toMatch(/talk\.md:2: warning: file "zero\.css" is outside .* \(through a symbolic link\)/);
    const wide = await runBin(['build', 'talk.md', '--out', out, '--root', '/'], { cwd: dir, limitMs: 30_000 });
    expect(wide.code, wide.stderr).toBe(0);
    expect(wide.stderr).toContain('file "zero.css" is a character device, not a regular file');
  });

  it('a missing css: file whose name holds terminal escapes is named with them escaped', async () => {
    const { dir, out } = project();
    writeFileSync(join(dir, 'talk.md'), '---\ncss: ["evil\\e[2J.css"]\n---\n\n# Esc\n');
    const r = await cli(['build', join(dir, 'talk.md'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('file "evil\\u001b[2J.css" not found');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('an image over 50 MB and a stylesheet over 8 MB are left out with the limit named', async () => {
    const { dir, out } = project();
    writeFileSync(join(dir, 'huge.png'), '');
    truncateSync(join(dir, 'huge.png'), 51 * 1024 * 1024);
    writeFileSync(join(dir, 'huge.css'), '');
    truncateSync(join(dir, 'huge.css'), 9 * 1024 * 1024);
    writeFileSync(join(dir, 'talk.md'), '---\ncss: [huge.css]\n---\n\n# Big\n\n![big](huge.png)\n');
    const r = await cli(['build', join(dir, 'talk.md'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('talk.md:7: warning: image "huge.png" is 51 MB, over the 50 MB limit');
    expect(r.stderr).toContain('file "huge.css" is 9 MB, over the 8 MB limit');
    expect(readdirSync(join(out, 'talk'))).not.toContain('huge.png');
  });

  it('a deck file that is a FIFO, or over 32 MB, is refused by name', async () => {
    const { dir } = project();
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    const fifo = await runBin(['build', 'pipe.md', '--out', 'out'], { cwd: dir, limitMs: 30_000 });
    expect(fifo.code).toBe(1);
    expect(fifo.stderr).toContain('input "pipe.md" is a named pipe (FIFO), not a regular file');
    writeFileSync(join(dir, 'huge.md'), '# Huge\n');
    truncateSync(join(dir, 'huge.md'), 33 * 1024 * 1024);
    const huge = await cli(['build', join(dir, 'huge.md'), '--out', join(dir, 'out')]);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain('is 33 MB, over the 32 MB limit');
  });

  it('UTF-16 without a byte order mark is named as UTF-16, not as binary data', async () => {
    const text = '# Hello\n\nA deck saved as UTF-16.\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(() => decodeSource(le, 'le.md')).toThrow('it is UTF-16 (LE) encoded, without a byte order mark');
    expect(() => decodeSource(be, 'be.md')).toThrow('it is UTF-16 (BE) encoded, without a byte order mark');
    // Binary data with NULs stays binary data.
    expect(() =>
      decodeSource(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]), 'x.md'),
    ).toThrow('binary data');
    const { dir } = project();
    writeFileSync(join(dir, 'utf16.md'), le);
    const r = await cli(['build', join(dir, 'utf16.md'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('UTF-16 (LE)');
    expect(r.stderr).toContain('Save it as UTF-8');
  });
});

describe('output paths that cannot be written', () => {
  it('pdf --out under a file says the file is not a folder (not EEXIST)', async () => {
    const { dir } = project();
    writeFileSync(join(dir, 'afile'), 'a file');
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    const r = await runBin(['pdf', 'talk.md', '--out', 'afile/x.pdf'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write to afile/x.pdf: afile is a file, not a folder');
    expect(r.stderr).not.toContain('EEXIST');
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('a file');
  });

  it('writing a deck under a file is an OutputError saying so', async () => {
    const { dir } = project();
    writeFileSync(join(dir, 'afile'), 'a file');
    const error = await writeDeck({ outDir: join(dir, 'afile', 'out', 'talk'), html: '<p>', assets: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).message).toContain(`${join(dir, 'afile')} is a file, not a folder`);
  });

  it('--single-file onto a folder says it is a folder', async () => {
    const { dir, out } = project();
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    mkdirSync(join(out, 'talk.html'), { recursive: true });
    const r = await cli(['build', join(dir, 'talk.md'), '--out', out, '--single-file']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write ${join(out, 'talk.html')}: it is a folder`);
  });

  // Permissions do not apply to root: the build runs as "nobody" then.
  it('a read-only output folder is reported as not writable', async () => {
    const { dir } = project();
    const out = join(dir, 'ro-out');
    writeFileSync(join(dir, 'talk.md'), '# Talk\n');
    expect((await cli(['build', join(dir, 'talk.md'), '--out', out])).code).toBe(0);
    execFileSync('chmod', ['-R', 'a+rX', tmp.dir]);
    execFileSync('chmod', ['555', out]);
    const user = asUnprivileged();
    const argv = [...user.prefix, process.execPath, user.bin, 'build', join(dir, 'talk.md'), '--out', out];
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(argv[0] ?? '', argv.slice(1), { env: { ...process.env, HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    }).finally(user.cleanup);
    execFileSync('chmod', ['755', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${out} is not writable (permission denied)`);
    expect(r.stderr).not.toMatch(/ENOENT|EACCES/);
    expect(existsSync(join(out, 'talk', 'index.html'))).toBe(true);
  });
});

describe.skipIf(process.platform !== 'linux')('interrupting an HTML build', () => {
  const IMAGES = 240;
  /** A deck with many images, so its copies take a while. */
  /** One deck with many images, shared (written once), so its copies take a while; a fresh project and output per case. */
  let shared: string | undefined;
  function bigDeck(): { dir: string; out: string; deck: string; sentinels: string[] } {
    const p = project();
    if (shared === undefined) {
      shared = join(tmp.dir, 'big-deck');
      mkdirSync(join(shared, 'img'), { recursive: true });
      const slides: string[] = [];
      for (let i = 0; i < IMAGES; i++) {
        writeFileSync(join(shared, 'img', `i${i}.png`), Buffer.alloc(192 * 1024, i));
        slides.push(`## Slide ${i}\n\n![picture ${i}](img/i${i}.png)`);
      }
      writeFileSync(join(shared, 'big.md'), slides.join('\n\n---\n\n'));
    }
    return { ...p, deck: join(shared, 'big.md') };
  }

  function staged(out: string): number {
    if (!existsSync(out)) return 0;
    const staging = readdirSync(out).find((e) => e.includes('.tmp-'));
    if (staging === undefined) return 0;
    try {
      return readdirSync(join(out, staging, 'media', 'img')).length;
    } catch {
      return 0;
    }
  }

  /** Only complete outputs or nothing: no staging, no set-aside folder. */
  function expectCleanOutput(out: string, stderr: string): void {
    const entries = existsSync(out) ? readdirSync(out) : [];
    expect(
      entries.filter((e) => e !== 'big'),
      stderr,
    ).toEqual([]);
    if (entries.includes('big')) {
      expect(readdirSync(join(out, 'big', 'media', 'img')).length).toBe(IMAGES);
      expect(existsSync(join(out, 'big', 'index.html'))).toBe(true);
      expect(existsSync(join(out, 'big', OUTPUT_MARKER))).toBe(true);
    }
  }

  it('SIGINT while --single-file writes its temp file leaves no temp file', async () => {
    const { dir, out, deck, sentinels } = bigDeck();
    const child = spawn(process.execPath, [bin, 'build', deck, '--out', out, '--single-file'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
    let done = false;
    void exited.then(() => (done = true));
    const temp = (): boolean => existsSync(out) && readdirSync(out).some((e) => e.endsWith('.tmp'));
    while (!done && !temp()) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGINT');
    // The temp file lives while some 60 MB are written and synced: the signal lands before the end.
    expect([await exited, stderr]).toEqual(['SIGINT', stderr]);
    expect(readdirSync(out).filter((e) => e !== 'big')).toEqual([]);
    expectSentinels(sentinels);
  });

  // A signal as soon as the staging folder shows, half-way through the copies, and at the last copies.
  it.each([
    ['SIGINT', 1, false],
    ['SIGTERM', IMAGES / 2, false],
    ['SIGINT', IMAGES - 8, false],
    ['SIGINT', IMAGES / 2, true],
    ['SIGTERM', IMAGES - 2, true],
  ] as const)('%s after %i copies (previous output: %s) leaves a complete output or none', async (signal, copies, previous) => {
    const { dir, out, deck, sentinels } = bigDeck();
    if (previous) expect((await runBin(['build', deck, '--out', out])).code).toBe(0);
    const child = spawn(process.execPath, [bin, 'build', deck, '--out', out], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, sig) => resolve(code ?? (sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : null))),
    );
    let done = false;
    void exited.then(() => (done = true));
    // Polled, not slept: the signal goes when the copies reached `copies` (or the build ended first).
    while (!done && staged(out) < copies) await new Promise((r) => setTimeout(r, 2));
    child.kill(signal);
    const code = await exited;
    expect([0, 128 + (signal === 'SIGINT' ? 2 : 15)], stderr).toContain(code);
    expectCleanOutput(out, stderr);
    if (previous) expect(existsSync(join(out, 'big', 'index.html')), 'the previous output is kept or replaced').toBe(true);
    expectSentinels(sentinels);
  });
});
