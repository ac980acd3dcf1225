/**
 * A `css:` stylesheet's url()s reach the output: the files they name are copied under the same
 * rules as the deck's images, and the stylesheet points at the copies, so the built deck and the
 * single file show them. What cannot come (outside the root, missing, @import) is a warning at
 * the front matter's `css:` line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { singleFileHtml } from '../../src/build/single-file.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { png } from '../hostile/harness.js';

const { dir, cleanup } = tempDir('decksmith-css-urls-');
const browser = browserForFile(cleanup);

describe('url() in css: files', () => {
  it('copies what they name and rewrites the addresses; warns at css: for what it leaves out', async () => {
    const deckDir = join(dir, 'talk');
    mkdirSync(join(deckDir, 'styles', 'img'), { recursive: true });
    writeFileSync(join(deckDir, 'styles', 'img', 'bg.png'), png(3, 2, [200, 40, 40]));
    writeFileSync(join(dir, 'outside.png'), 'not for the output');
    writeFileSync(
      join(deckDir, 'styles', 'talk.css'),
      [
        '.reveal .slides section h1 { background-image: url("img/bg.png"); }',
        '.a { background: url(gone.png); }',
        '.b { background: url("../../outside.png"); }',
        '@import "more.css";',
      ].join('\n'),
    );
    const file = join(deckDir, 'talk.md');
    writeFileSync(file, '---\ntitle: Styled\ncss: styles/talk.css\n---\n\n# Styled\n');
    const built = await buildDeck(file, { outDir: join(dir, 'out') });

    const warnings = built.rendered.diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(warnings).toEqual(expect.arrayContaining(['3:missing-image', '3:file-outside-root', '3:unsafe-css']));
    const written = readFileSync(join(built.outDir, 'css', 'styles', 'talk.css'), 'utf8');
    expect(written).not.toContain('outside.png');
    expect(written).not.toContain('@import');

    const size = await browser().withPage(async (page) => {
      await page.goto(pathToFileURL(built.htmlPath).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      return page.evaluate(async () => {
        const heading = document.querySelector('h1');
        const url = /url\("?([^")]+)"?\)/.exec(heading === null ? '' : getComputedStyle(heading).backgroundImage)?.[1] ?? '';
        const image = new Image();
        image.src = url;
        await image.decode().catch(() => undefined);
        return [image.naturalWidth, image.naturalHeight];
      });
    });
    expect(size).toEqual([3, 2]);

    // The single file carries the image inline.
    expect(singleFileHtml(built)).toMatch(/background-image: url\("?data:image\/png;base64,/);
  });
});
