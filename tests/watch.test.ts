import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../src/cli/io.js';
import { watchBuilds } from '../src/cli/commands/watch.js';
import { tempDir, until } from './helpers.js';

describe('decksmith build --watch', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rebuilds on save, keeps the last good output when a save breaks the deck, and recovers', async () => {
    const file = join(tmp.dir, 'talk.md');
    const out = join(tmp.dir, 'out');
    const html = join(out, 'talk', 'index.html');
    writeFileSync(file, '# First\n');
    let stderr = '';
    const io: CliIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), isTTY: false, cwd: tmp.dir, env: process.env };
    const controller = new AbortController();
    const watching = watchBuilds(io, [file], { out }, controller.signal);
    const read = () => {
      try {
        return readFileSync(html, 'utf8');
      } catch {
        return '';
      }
    };
    await until(() => read().includes('First') && stderr.includes('watching'));
    await new Promise((r) => setTimeout(r, 300));

    writeFileSync(file, '# Second\n');
    await until(() => read().includes('Second'));

    writeFileSync(file, '---\ntitle: [broken\n---\n# Third\n');
    await until(() => stderr.includes('front matter is not valid YAML'));
    expect(read()).toContain('Second');

    writeFileSync(file, '# Fourth\n');
    await until(() => read().includes('Fourth'));

    controller.abort();
    expect(await watching).toBe(0);
  });
});
