/**
 * What `serve` watches: exactly the files the deck uses (the deck, its images, its `css:` files,
 * its theme, also one outside the deck's folder), so a log written next to the deck
 * (`decksmith serve deck.md > serve.log`) never rebuilds it. Every step writes that log first and
 * the watched file second; the kernel reports the two in that order, so a log that triggered
 * anything would show up as a build of its own or in the build's list of changed files.
 */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDeck, type RunningServer } from '../../src/serve/index.js';
import { tempDir, until } from '../helpers.js';

describe('decksmith serve watches what the deck uses, and nothing else', () => {
  const tmp = tempDir();
  const deckDir = join(tmp.dir, 'talk');
  const themeDir = join(tmp.dir, 'shared-theme');
  const file = join(deckDir, 'deck.md');
  const log = join(deckDir, 'serve.log');
  const builds: { changed: string[] | undefined; error: string | undefined }[] = [];
  let server: RunningServer;
  const deck = (image: string, text: string) =>
    `---\ntheme: ../shared-theme\ncss: style.css\n---\n# Watched\n\n${text}\n\n![a picture](img/${image})\n`;

  beforeAll(async () => {
    mkdirSync(join(deckDir, 'img'), { recursive: true });
    mkdirSync(themeDir);
    writeFileSync(join(themeDir, 'theme.css'), '.reveal { color: #222; }\n');
    writeFileSync(join(themeDir, 'theme.json'), '{ "extends": "paper" }\n');
    writeFileSync(join(deckDir, 'style.css'), 'h1 { letter-spacing: 0; }\n');
    writeFileSync(join(deckDir, 'img', 'pic.png'), 'first picture');
    writeFileSync(file, deck('pic.png', 'one'));
    // The theme is outside the deck's folder: --root lets the deck use it.
    server = await serveDeck(file, {
      port: 0,
      root: tmp.dir,
      debounceMs: 30,
      onBuild: ({ changed, error }) => void builds.push({ changed, error: error?.code }),
    });
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  /** Writes the log, then runs `save`; expects exactly one rebuild, caused by `expected` alone. */
  async function expectRebuildFrom(expected: string, save: () => void): Promise<{ error: string | undefined }> {
    await server.settled();
    const before = builds.length;
    writeFileSync(log, `log line ${before}\n`, { flag: 'a' });
    save();
    await until(() => builds.length > before);
    await server.settled();
    expect(builds.slice(before).map((b) => b.changed)).toEqual([[expected]]);
    return { error: builds[before]?.error };
  }

  it('builds once at the start, with no error', () => {
    expect(builds).toEqual([{ changed: undefined, error: undefined }]);
  });

  it('watches the deck, its image, its css file and its theme outside the folder, and not the folder', () => {
    const watched = server.watched();
    for (const path of [file, join(deckDir, 'img', 'pic.png'), join(deckDir, 'style.css'), join(themeDir, 'theme.css'), themeDir])
      expect(watched).toContain(path);
    expect(watched).not.toContain(deckDir);
    expect(watched).not.toContain(log);
  });

  it('rebuilds on a save of the deck', async () => {
    await expectRebuildFrom(file, () => writeFileSync(file, deck('pic.png', 'two')));
  });

  it('rebuilds on a save of an image the deck uses', async () => {
    await expectRebuildFrom(join(deckDir, 'img', 'pic.png'), () => writeFileSync(join(deckDir, 'img', 'pic.png'), 'second picture'));
  });

  it('rebuilds on a save of its css: file', async () => {
    await expectRebuildFrom(join(deckDir, 'style.css'), () => writeFileSync(join(deckDir, 'style.css'), 'h1 { letter-spacing: 1px; }\n'));
  });

  it("rebuilds on a save of its theme's stylesheet, outside the deck's folder", async () => {
    await expectRebuildFrom(join(themeDir, 'theme.css'), () => writeFileSync(join(themeDir, 'theme.css'), '.reveal { color: #111; }\n'));
  });

  it('starts watching an image once the deck refers to it', async () => {
    const added = join(deckDir, 'img', 'new.png');
    // Not used yet: written together with the log, it must not rebuild either.
    await expectRebuildFrom(file, () => {
      writeFileSync(added, 'new picture');
      writeFileSync(file, deck('new.png', 'three'));
    });
    expect(server.watched()).toContain(added);
    await expectRebuildFrom(added, () => writeFileSync(added, 'newer picture'));
  });

  it('sees a save by rename (write a new file, rename it over the deck)', async () => {
    await expectRebuildFrom(file, () => {
      writeFileSync(`${file}.tmp`, deck('new.png', 'four'));
      renameSync(`${file}.tmp`, file);
    });
  });

  it('keeps watching a deck that was deleted and created again', async () => {
    expect(await expectRebuildFrom(file, () => unlinkSync(file))).toEqual({ error: 'input-not-found' });
    expect(await expectRebuildFrom(file, () => writeFileSync(file, deck('new.png', 'five')))).toEqual({ error: undefined });
  });
});
