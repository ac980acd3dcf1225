import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../src/cli/io.js';
import { watchBuilds } from '../src/cli/commands/watch.js';
import { watchFolders } from '../src/watch.js';
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

describe('the folder watcher', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  // Chokidar drops a change that comes within 50 ms of the previous one unless it waits for writes
  // to settle; the second save here comes right after the first rebuild, as in serve's test.
  it('keeps rebuilding after a rebuild throws, and sees a save that comes right after a rebuild', async () => {
    const file = join(tmp.dir, 'deck.md');
    writeFileSync(file, 'one');
    let calls = 0;
    const errors: unknown[] = [];
    const watcher = await watchFolders([tmp.dir], { ignore: [], debounceMs: 20, onError: (e) => errors.push(e) }, async () => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
    });
    try {
      writeFileSync(file, 'two');
      await until(() => errors.length === 1);
      const before = calls;
      writeFileSync(file, 'three');
      await until(() => calls > before);
      expect((errors[0] as Error).message).toBe('boom');
    } finally {
      await watcher.close();
    }
  });
});
