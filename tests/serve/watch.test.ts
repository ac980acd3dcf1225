import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { watchBuilds } from '../../src/cli/commands/watch.js';
import { watchFiles } from '../../src/serve/watch.js';
import { tempDir, until } from '../helpers.js';

describe('decksmith build --watch', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rebuilds on save, keeps the last good output when a save breaks the deck, and recovers', async () => {
    const file = join(tmp.dir, 'talk.md');
    const out = join(tmp.dir, 'out');
    const html = join(out, 'talk', 'index.html');
    writeFileSync(file, '# First\n');
    let stderr = '';
    const io: CliIO = {
      stdout: () => undefined,
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
      cwd: tmp.dir,
      env: process.env,
    };
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

  // `decksmith build --watch talks > build.log` with the output next to the decks: neither the log
  // nor the output is watched; a deck added to the folder is. Each step writes the log first, so a
  // watched log would show as a build of its own or in the build's changed files.
  it('watches the decks of a folder and what they use, not the log or the output beside them', async () => {
    const folder = join(tmp.dir, 'talks');
    mkdirSync(join(folder, 'img'), { recursive: true });
    const a = join(folder, 'a.md');
    const b = join(folder, 'b.md');
    const image = join(folder, 'img', 'pic.png');
    const log = join(folder, 'build.log');
    writeFileSync(image, 'picture');
    writeFileSync(a, '# A\n\n![pic](img/pic.png)\n');
    const builds: (string[] | undefined)[] = [];
    const io: CliIO = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: tmp.dir, env: process.env };
    const controller = new AbortController();
    const watching = watchBuilds(io, [folder], { out: join(folder, 'output') }, controller.signal, {
      debounceMs: 30,
      onBuild: ({ changed }) => void builds.push(changed),
    });
    await until(() => builds.length === 1);
    const expectBuildFrom = async (expected: string, save: () => void): Promise<void> => {
      const before = builds.length;
      writeFileSync(log, `line ${before}\n`, { flag: 'a' });
      save();
      await until(() => builds.length > before);
      // The build wrote into output/ inside the folder: had that been watched, the next step
      // would see a build of its own or the output among its changed files.
      expect(builds.slice(before)).toEqual([[expected]]);
    };
    await expectBuildFrom(a, () => writeFileSync(a, '# A again\n\n![pic](img/pic.png)\n'));
    await expectBuildFrom(image, () => writeFileSync(image, 'another picture'));
    await expectBuildFrom(b, () => writeFileSync(b, '# B\n'));
    await expectBuildFrom(b, () => writeFileSync(b, '# B again\n'));
    expect(readFileSync(join(folder, 'output', 'b', 'index.html'), 'utf8')).toContain('B again');
    controller.abort();
    expect(await watching).toBe(0);
  });
});

describe('the file watcher', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('keeps rebuilding after a rebuild throws, and sees a save that comes right after a rebuild', async () => {
    const file = join(tmp.dir, 'deck.md');
    writeFileSync(file, 'one');
    let calls = 0;
    const errors: unknown[] = [];
    const watcher = watchFiles([file], { debounceMs: 20, onError: (e: unknown) => errors.push(e) }, async () => {
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

  it('sees a file appear in a folder that did not exist when watching began', async () => {
    const file = join(tmp.dir, 'later', 'deeper', 'pic.png');
    const changes: string[][] = [];
    const watcher = watchFiles([file], { debounceMs: 20 }, async (changed) => void changes.push(changed));
    try {
      mkdirSync(join(tmp.dir, 'later'));
      await until(() => changes.length === 1);
      expect(changes).toEqual([[join(tmp.dir, 'later')]]);
    } finally {
      await watcher.close();
    }
  });
});

describe('the file watcher with a short quiet time for complete saves', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('reports a save of a file with content after quickMs, without waiting the full debounce', async () => {
    const file = join(tmp.dir, 'quick.md');
    writeFileSync(file, 'one');
    const changes: string[][] = [];
    // A debounce no test would wait for: only the quick path can report this save in time.
    const watcher = watchFiles([file], { debounceMs: 600_000, quickMs: 5 }, async (changed) => void changes.push(changed));
    try {
      writeFileSync(file, 'two');
      await until(() => changes.length === 1);
      expect(changes).toEqual([[file]]);
    } finally {
      await watcher.close();
    }
  });

  it('waits the full debounce while a changed file is empty (a save truncated, not yet written)', async () => {
    const file = join(tmp.dir, 'truncated.md');
    writeFileSync(file, 'one');
    const seen: string[] = [];
    const watcher = watchFiles([file], { debounceMs: 2_000, quickMs: 5 }, async () => void seen.push(readFileSync(file, 'utf8')));
    try {
      writeFileSync(file, '');
      // The rest of the save comes later than quickMs, well within the debounce.
      await new Promise((done) => setTimeout(done, 100));
      writeFileSync(file, 'two, complete');
      await until(() => seen.length > 0);
      await watcher.settled();
      expect(seen).toEqual(['two, complete']);
    } finally {
      await watcher.close();
    }
  });
});
