/**
 * `decksmith build deck.md` of a deck with many code fences starts the highlight worker before
 * the CLI has loaded (src/cli/main.ts): the deck is written as a build that does not (a folder
 * input) writes it, and a command that ends before building still exits. Runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const deckText = Array.from({ length: 120 }, (_, i) => `## Slide ${i}\n\n\`\`\`js\nconst slide = ${i};\n\`\`\`\n`).join('\n---\n\n');

describe('highlight worker started by the CLI', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });

  it('writes the deck a build without it writes', () => {
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'talk.md'), deckText);
    const byFile = run('build', join(folder, 'talk.md'), '--out', join(tmp.dir, 'a'));
    expect(byFile.status, byFile.stderr).toBe(0);
    const byFolder = run('build', folder, '--out', join(tmp.dir, 'b'));
    expect(byFolder.status, byFolder.stderr).toBe(0);
    const html = readFileSync(join(tmp.dir, 'a', 'talk', 'index.html'), 'utf8');
    expect(html).toContain('hljs-keyword');
    expect(html).toBe(readFileSync(join(tmp.dir, 'b', 'talk', 'index.html'), 'utf8'));
  });

  it('a command that stops before building exits with its usage error', () => {
    writeFileSync(join(tmp.dir, 'big.md'), deckText);
    const result = run('build', 'big.md', '--no-such-option');
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no-such-option/);
  });
});
