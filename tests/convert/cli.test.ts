/**
 * `decksmith convert` as a user runs it: a real `node bin/decksmith.js` process (after
 * `npm run build`), its exit code, what it prints (warnings at file:line on stderr) and what it
 * writes — nothing at all when it fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const { dir, cleanup } = tempDir('decksmith-convert-cli-');
afterAll(cleanup);

function decksmith(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['FORCE_COLOR'];
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const MARP = [
  '---',
  'marp: true',
  'theme: gaia',
  '---',
  '',
  '# Hello',
  '',
  '![bg left:40%](img/side.png)',
  '',
  '<!-- speaker note -->',
  '',
  '---',
  '',
  '<style>',
  'h2 { color: red; }',
  '</style>',
  '',
  '## Two',
  '',
].join('\n');

/** A fresh folder holding deck.md (and an image it shows). */
function talk(name: string, text = MARP): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'img'), { recursive: true });
  writeFileSync(join(folder, 'img', 'side.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  writeFileSync(join(folder, 'deck.md'), text);
  return folder;
}

describe('decksmith convert', () => {
  it('writes <name>.decksmith.md beside the deck and lists each line not converted at file:line', async () => {
    const folder = talk('default');
    const run = await decksmith(['convert', 'deck.md'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^deck\.md:8: warning: a split background \(left 40%\).*kept as inline images \[not-converted\]$/),
      expect.stringMatching(/^deck\.md:14: warning: a <style> block.*kept as an HTML comment \[not-converted\]$/),
    ]);
    expect(run.stdout).toBe('converted deck.md (marp, 2 slides) to deck.decksmith.md; 2 lines kept unconverted (listed above)\n');
    const text = readFileSync(join(folder, 'deck.decksmith.md'), 'utf8');
    expect(text).toContain('theme: editorial\n');
    expect(text).toContain('![](img/side.png)\n\n# Hello\n\nNote:\nspeaker note\n\n---\n');
    expect(text).toContain('<!-- not converted (line 14):\n<style>\nh2 { color: red; }\n</style>\n-->');
    // The input is as it was.
    expect(readFileSync(join(folder, 'deck.md'), 'utf8')).toBe(MARP);
  });

  it('--out elsewhere keeps image paths valid from there; the converted deck builds with its image', async () => {
    const folder = talk('elsewhere');
    const run = await decksmith(['convert', 'deck.md', '--out', '../moved/new/talk.md'], folder);
    expect(run.code).toBe(0);
    const moved = join(dir, 'moved', 'new', 'talk.md');
    expect(readFileSync(moved, 'utf8')).toContain('![](../../elsewhere/img/side.png)');
    const build = await decksmith(['build', moved, '--out', join(dir, 'built'), '--root', dir], dir);
    expect(build.stderr).not.toContain('missing-image');
    expect(build.code).toBe(0);
    // The image reached the output (a file from above the deck's folder goes under media/_up/).
    const html = readFileSync(join(dir, 'built', 'talk', 'index.html'), 'utf8');
    const src = /<img src="([^"]*side\.png)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    expect(existsSync(join(dir, 'built', 'talk', src ?? ''))).toBe(true);
  });

  it('--out - prints the converted deck and writes no file', async () => {
    const folder = talk('stdout');
    const run = await decksmith(['convert', 'deck.md', '--out', '-', '--quiet'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^---\ntheme: editorial\n/);
    expect(run.stderr).toBe('');
    expect(readdirSync(folder).sort()).toEqual(['deck.md', 'img']);
  });

  it('refuses to write over the deck it reads (exit 2) unless --force, and leaves it as it was', async () => {
    const folder = talk('same');
    const run = await decksmith(['convert', 'deck.md', '--out', './deck.md'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('deck.md: --out ./deck.md is the deck being converted; it is left as it is');
    expect(run.stderr).toContain('--force');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(folder, 'deck.md'), 'utf8')).toBe(MARP);
    expect(readdirSync(folder).sort()).toEqual(['deck.md', 'img']);
    const forced = await decksmith(['convert', 'deck.md', '--out', 'deck.md', '--force'], folder);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(folder, 'deck.md'), 'utf8')).toContain('dialect: decksmith');
  });

  it('a missing deck and an output that cannot be written fail with exit 1 and write nothing', async () => {
    const folder = talk('bad');
    const missing = await decksmith(['convert', 'nope.md'], folder);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('input "');
    expect(missing.stderr).toContain('nope.md" does not exist');
    expect(existsSync(join(folder, 'nope.decksmith.md'))).toBe(false);
    // A folder part of --out that is a file.
    const blocked = await decksmith(['convert', 'deck.md', '--out', 'deck.md/x.md'], folder);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^decksmith: /);
    expect(blocked.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(folder).sort()).toEqual(['deck.md', 'img']);
  });

  it("a deck already in decksmith's dialect: a clear message, exit 0, nothing written", async () => {
    const folder = talk('own', '# Mine\n\n---\n\nNote: hello\n');
    const run = await decksmith(['convert', 'deck.md'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("deck.md is already written in decksmith's dialect; nothing to convert, nothing written\n");
    expect(readdirSync(folder).sort()).toEqual(['deck.md', 'img']);
  });

  it('--dialect overrides detection', async () => {
    const folder = talk('forced', '# One\n\n???\nnotes\n\n---\n\n# Two\n');
    const run = await decksmith(['convert', 'deck.md', '--dialect', 'remark', '--out', '-', '--quiet'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# One\n\nNote:\nnotes\n');
  });

  it('--help says what convert does, its options and where the deck goes', async () => {
    const run = await decksmith(['convert', '--help'], dir);
    expect(run.code).toBe(0);
    // Read as words: commander wraps the help to the terminal's width.
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('Usage: decksmith convert [options] <input>');
    expect(help).toContain(
      "rewrite a deck written for another tool (Marp, reveal-md, Slidev, remark, Deckset, pandoc) in decksmith's dialect",
    );
    expect(help).toContain('("-" for standard output; default <name>.decksmith.md beside the input)');
    for (const flag of ['--out <file>', '--dialect <tool>', '--root <dir>', '--force', '--quiet']) expect(help).toContain(flag);
    expect(help).toContain('$ decksmith convert marp-talk.md # writes marp-talk.decksmith.md beside it');
    const top = await decksmith(['--help'], dir);
    expect(top.stdout.replace(/\s+/g, ' ')).toContain(' convert [options] <input> rewrite a deck written for another tool');
  });
});
