/** `decksmith init`: a talk that builds cleanly, with a theme of its own, and never overwrites. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { cli, tempDir } from '../helpers.js';
import { createFigureRenderer } from '../../src/figures/index.js';

const { dir, cleanup } = tempDir('decksmith-init-');
afterAll(cleanup);

describe('decksmith init', () => {
  it('scaffolds deck.md, a theme extending a built-in one, an image and a README', async () => {
    const { code, stdout } = await cli(['init', 'my-talk'], dir);
    expect(code).toBe(0);
    for (const file of ['deck.md', 'README.md', 'theme/theme.css', 'theme/theme.json', 'images/pipeline.svg']) {
      expect(existsSync(join(dir, 'my-talk', file)), file).toBe(true);
      expect(stdout).toContain(join('my-talk', file));
    }
    expect(JSON.parse(readFileSync(join(dir, 'my-talk', 'theme', 'theme.json'), 'utf8'))).toMatchObject({ extends: 'paper' });
    const deck = readFileSync(join(dir, 'my-talk', 'deck.md'), 'utf8');
    expect(deck).toContain('title: "My talk"');
    expect(deck).toContain('theme: ./theme');
    const readme = readFileSync(join(dir, 'my-talk', 'README.md'), 'utf8');
    for (const command of ['decksmith build', 'decksmith serve', 'decksmith pdf', '--single-file']) expect(readme).toContain(command);
  });

  it('builds cleanly: no warnings, every layout, the theme and the image in the output', async () => {
    // The sample's diagram is drawn in a browser the renderer starts (issue #13).
    const figures = createFigureRenderer({ cacheDir: join(dir, 'cache') });
    const built = await buildDeck(join(dir, 'my-talk', 'deck.md'), { outDir: join(dir, 'out'), figures }).finally(() => figures.close());
    expect([...built.deck.diagnostics, ...built.rendered.diagnostics]).toEqual([]);
    expect(new Set(built.deck.slides.map((s) => s.layout))).toEqual(
      new Set(['title', 'section', 'default', 'compare', 'quote', 'image', 'closing']),
    );
    expect(built.deck.slides.some((s) => s.v > 0)).toBe(true);
    const html = readFileSync(built.htmlPath, 'utf8');
    expect(html).toMatch(/assets\/theme\/paper\/theme\.css[\s\S]*assets\/theme\/user\/theme\.css/);
    expect(existsSync(join(built.outDir, 'media', 'images', 'pipeline.svg'))).toBe(true);
    expect(html).toContain('class="katex"');
    expect(html).toContain('<figure class="ds-figure ds-figure-mermaid">');
    const { code, stderr } = await cli(['build', join(dir, 'my-talk', 'deck.md'), '--strict', '--out', join(dir, 'out-strict')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses to overwrite and writes nothing when any file exists', async () => {
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'deck.md'), 'mine');
    const { code, stderr } = await cli(['init', 'taken'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('taken already has deck.md; nothing was written');
    expect(readFileSync(join(dir, 'taken', 'deck.md'), 'utf8')).toBe('mine');
    expect(readdirSync(join(dir, 'taken'))).toEqual(['deck.md']);
  });

  it('extends the theme given with --theme, and rejects a theme that is not built in', async () => {
    expect((await cli(['init', 'dark-talk', '--theme', 'midnight'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'dark-talk', 'theme', 'theme.json'), 'utf8')).toContain('"extends": "midnight"');
    const bad = await cli(['init', 'other', '--theme', 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });
});
