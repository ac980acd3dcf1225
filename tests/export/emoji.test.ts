/**
 * Emoji print as emoji, not as empty boxes, on a machine with no emoji font (this one has only
 * DejaVu): every built-in theme and reveal.js's themes bundle Noto Emoji. A theme of one's own
 * without an emoji font gets a font-coverage warning at the emoji's line instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportPdf } from '../../src/export/index.js';
import { builtinThemeNames } from '../../src/build/theme.js';
import { cli, tempDir } from '../helpers.js';
import { pageFonts, pageTexts } from './read-pdf.js';
import { browserForFile } from '../browser-for-file.js';

const { dir, cleanup } = tempDir('decksmith-emoji-');
const deck = join(dir, 'emoji.md');
writeFileSync(deck, '---\ntitle: Emoji\n---\n\n# Plain title\n\n---\n\n## Launch 🚀\n\n- party 🎉 and thumbs 👍🏽\n');
const browser = browserForFile(cleanup);

describe.each([...builtinThemeNames(), 'white', 'black'])('emoji in theme %s', (theme) => {
  it('print with the bundled emoji font', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, theme), theme });
    expect(built.deck.diagnostics.concat(built.rendered.diagnostics).filter((d) => d.code === 'font-coverage')).toEqual([]);
    const result = await exportPdf(browser(), built, {
      notes: 'none',
      fragments: 'final',
      timeoutMs: 30_000,
      out: join(dir, `${theme}.pdf`),
    });
    const fonts = await pageFonts(result.file);
    expect(fonts[0]?.some((f) => /NotoEmoji/.test(f))).toBe(false);
    expect(
      fonts[1]?.some((f) => /NotoEmoji/.test(f)),
      fonts[1]?.join(', '),
    ).toBe(true);
    expect((await pageTexts(result.file))[1]).toContain('🚀');
  });
});

it('a theme without an emoji font warns at the line of the first emoji', async () => {
  const theme = join(dir, 'plain-theme');
  mkdirSync(theme, { recursive: true });
  writeFileSync(join(theme, 'theme.json'), JSON.stringify({ name: 'plain', fonts: ['@fontsource/inter/400.css'] }));
  writeFileSync(join(theme, 'theme.css'), ':root { --ds-font-body: "Inter", sans-serif; }\n');
  const result = await cli(['build', deck, '--theme', theme, '--out', join(dir, 'plain-out')], dir);
  expect(result.code, result.stderr).toBe(0);
  const warnings = result.stderr.split('\n').filter((l) => l.includes('[font-coverage]'));
  expect(warnings).toEqual([expect.stringContaining(`${deck}:9: warning: the theme's fonts have no glyphs for 🚀 🎉 👍`)]);
});
