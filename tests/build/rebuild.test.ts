/**
 * A rebuild into the same output folder reuses (hard-links) what it wrote last time only when
 * nothing changed on either side: a changed source, or an output file someone edited, is copied
 * afresh. And the caches a rebuild relies on (compiled templates, highlighted code) never serve
 * a stale result.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { loadTemplates } from '../../src/build/templates.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-rebuild-');
afterAll(cleanup);

describe('rebuilding into the same folder', () => {
  it('copies a changed source and repairs an edited output file; leaves one link per file', async () => {
    const deck = join(dir, 'deck.md');
    const css = join(dir, 'extra.css');
    writeFileSync(css, '.reveal h2 { color: red; }\n');
    writeFileSync(deck, '---\ntitle: Rebuild\ncss: extra.css\n---\n\n## One\n\n```js\nconst a = 1;\n```\n');
    const out = join(dir, 'out');
    const first = await buildDeck(deck, { outDir: out });
    const outCss = join(first.outDir, 'css', 'extra.css');
    expect(readFileSync(outCss, 'utf8')).toContain('red');

    // Unchanged: the same bytes, each file with one name (the old folder is gone).
    const second = await buildDeck(deck, { outDir: out });
    expect(readFileSync(outCss, 'utf8')).toContain('red');
    const revealCss = (second.files ?? []).find((f) => f.target.endsWith('reveal.css'));
    expect(revealCss).toBeDefined();
    expect(statSync(join(second.outDir, ...(revealCss?.target.split('/') ?? []))).nlink).toBe(1);

    // The source changes, keeping its size and even its time: the content is copied again.
    const before = statSync(css);
    writeFileSync(css, '.reveal h2 { color: tan; }\n');
    utimesSync(css, before.atime, new Date(before.mtimeMs + 1000));
    await buildDeck(deck, { outDir: out });
    expect(readFileSync(outCss, 'utf8')).toContain('tan');

    // Someone edits the output: the next build writes the source's bytes, not theirs.
    writeFileSync(outCss, '/* edited by hand */\n');
    await buildDeck(deck, { outDir: out });
    expect(readFileSync(outCss, 'utf8')).toContain('tan');
  });

  it('renders edited templates and edited code, not what an earlier build compiled or highlighted', async () => {
    const deck = join(dir, 'code.md');
    writeFileSync(deck, '---\ntitle: Code\n---\n\n## Code\n\n```js\nconst alphaValue = 1;\n```\n');
    const a = await buildDeck(deck, { outDir: join(dir, 'code-out') });
    expect(a.rendered.html).toContain('alphaValue');
    writeFileSync(deck, '---\ntitle: Code\n---\n\n## Code\n\n```js\nconst betaValue = 2;\n```\n');
    const b = await buildDeck(deck, { outDir: join(dir, 'code-out') });
    expect(b.rendered.html).toContain('betaValue');
    expect(b.rendered.html).not.toContain('alphaValue');

    const templates = loadTemplates();
    const marked = {
      ...templates,
      layouts: { ...templates.layouts, default: `<div class="edited-layout">${templates.layouts['default'] ?? ''}</div>` },
    };
    const c = await buildDeck(deck, { outDir: join(dir, 'code-out') }, marked);
    expect(c.rendered.html).toContain('edited-layout');
    const d = await buildDeck(deck, { outDir: join(dir, 'code-out') }, templates);
    expect(d.rendered.html).not.toContain('edited-layout');
  });
});
