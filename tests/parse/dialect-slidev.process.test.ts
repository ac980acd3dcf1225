/**
 * Slidev decks on the command line (issue #12, part B): another tool's front-matter value is a
 * warning at its line and the build succeeds; in decksmith's own dialect it stays an error.
 * Runs the built CLI (`npm run build` first).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../corpus.js';
import { fixture, tempDir } from '../helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

describe('Slidev decks build', () => {
  const { dir, cleanup } = tempDir('decksmith-slidev-');
  afterAll(cleanup);

  it.each([
    ['ethan-arrowood-self-hosting-nextjs', 7, 48],
    ['psea-ts-type-level', 23, 39],
  ])(
    '%s: transition: slide-left is a warning at line %i; the deck builds with its %i slides and its /images',
    async (name, line, slides) => {
      const folder = join(CORPUS, name);
      const deck = join(folder, 'slides.md');
      const result = await cli(['build', deck, '--root', folder, '--out', join(dir, name), '--json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        `slides.md:${line}:1: warning: Slidev's transition "slide-left" is not one of decksmith's; "slide" is used instead`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      // Root-absolute images (/x.png) are Slidev's public/ folder or the project root, not the disk's root.
      expect(result.stderr).not.toContain('[file-outside-root]');
      const report = JSON.parse(result.stdout) as { decks: { slides: number; outputs: { html: string } }[] };
      expect(report.decks[0]?.slides).toBe(slides);
      expect(existsSync(report.decks[0]?.outputs.html ?? '')).toBe(true);
    },
  );

  it("in decksmith's own dialect transition: slide-left stays an error at its line, exit 1", async () => {
    const result = await cli(['build', fixture('dialects/slidev-transition-ours.md'), '--out', join(dir, 'ours')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/slidev-transition-ours\.md:3.*transition/);
  });
});
