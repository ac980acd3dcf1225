/**
 * A built deck carries the font files it can show and no others: woff2 only (no woff fallback),
 * and no @font-face whose unicode-range holds none of the deck's characters (Noto Emoji's pieces
 * come only with emoji; Cyrillic only with Cyrillic). Characters count wherever the deck shows
 * them: slides, notes, the title, character references. Every face left loads in Chromium.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { shownCodePoints, trimFontCss } from '../../src/build/fonts.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-fonts-');
const browser = browserForFile(cleanup);

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** The fonts of the built page: each face's family and whether it loads (offline, from the output). */
async function faces(htmlPath: string, texts: string[]): Promise<{ failed: string[]; found: Record<string, string[]> }> {
  return browser().withPage(async (page) => {
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
    return page.evaluate(async (wanted: string[]) => {
      const all = [...document.fonts];
      const results = await Promise.allSettled(all.map((face) => face.load()));
      const failed = all.filter((_, i) => results[i]?.status === 'rejected').map((f) => `${f.family} ${f.unicodeRange}`);
      const found: Record<string, string[]> = {};
      for (const text of wanted) {
        const loaded = [...(await document.fonts.load('16px Inter', text)), ...(await document.fonts.load('16px "Noto Emoji"', text))];
        found[text] = loaded.filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, ''));
      }
      return { failed, found };
    }, texts);
  });
}

describe('font files in a built deck', () => {
  it('writes only woff2, and only the faces of characters the deck has', async () => {
    const deck = join(dir, 'latin.md');
    writeFileSync(deck, '---\ntitle: Plain\n---\n\n# Plain text\n\n- one\n- two\n\n```js\nconst x = 1;\n```\n');
    const built = await buildDeck(deck, { outDir: join(dir, 'latin-out') });
    const fonts = filesUnder(built.outDir).filter((f) => f.startsWith('assets/fonts/'));
    expect(fonts.filter((f) => f.endsWith('.woff'))).toEqual([]);
    expect(fonts.filter((f) => /cyrillic|greek|vietnamese/.test(f))).toEqual([]);
    expect(fonts).toContain('assets/fonts/fontsource/inter/files/inter-latin-400-normal.woff2');
    expect(fonts).toContain('assets/fonts/fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2');
    // Of Noto Emoji only the piece whose range holds ASCII (# * 0-9 keycaps), which the page has.
    expect(fonts.filter((f) => f.includes('noto-emoji/files/'))).toEqual([
      'assets/fonts/fontsource/noto-emoji/files/noto-emoji-2-400-normal.woff2',
    ]);
    // The HTML links the same stylesheets as ever.
    expect(readFileSync(built.htmlPath, 'utf8')).toContain('href="assets/fonts/fontsource/noto-emoji/400.css"');
    const check = await faces(built.htmlPath, ['Plain']);
    expect(check.failed).toEqual([]);
    expect(check.found['Plain']).toContain('Inter');
  });

  it('keeps the faces of emoji and scripts in notes, the title and character references', async () => {
    const deck = join(dir, 'mixed.md');
    writeFileSync(deck, '---\ntitle: Привет\n---\n\n# Launch &#x1F680;\n\ntext\n\nNote: party 🎉\n');
    const built = await buildDeck(deck, { outDir: join(dir, 'mixed-out') });
    const fonts = filesUnder(built.outDir).filter((f) => f.startsWith('assets/fonts/'));
    expect(fonts.some((f) => f.includes('inter-cyrillic-400-normal.woff2'))).toBe(true);
    expect(fonts.filter((f) => f.endsWith('.woff'))).toEqual([]);
    const check = await faces(built.htmlPath, ['\u{1F680}', '\u{1F389}', 'П']);
    expect(check.failed).toEqual([]);
    expect(check.found['\u{1F680}']).toContain('Noto Emoji');
    expect(check.found['\u{1F389}']).toContain('Noto Emoji');
    expect(check.found['П']).toContain('Inter');
  });

  it('serve keeps every face: its pages take new text without a reload', async () => {
    const deck = join(dir, 'serve.md');
    writeFileSync(deck, '# Plain\n');
    const built = await buildDeck(deck, { outDir: join(dir, 'serve-out'), inMemory: true });
    expect((built.files ?? []).filter((f) => f.target.includes('noto-emoji/files/')).length).toBeGreaterThan(10);
  });
});

describe('trimFontCss', () => {
  const css = [
    '/* a */',
    "@font-face { font-family: 'X'; src: url(./files/x-latin.woff2) format('woff2'), url(./files/x-latin.woff) format('woff'); unicode-range: U+0000-00FF; }",
    "@font-face { font-family: 'X'; src: url(./files/x-cyr.woff2) format('woff2'), url(./files/x-cyr.woff) format('woff'); unicode-range: U+0400-045F; }",
    "@font-face { font-family: 'Y'; src: url(./files/y.woff) format('woff'); }",
  ].join('\n');

  it('drops faces no shown character needs and the woff fallback of the rest', () => {
    const cut = trimFontCss(css, shownCodePoints([{ kind: 'html', text: '<p>hi</p>' }]));
    expect(cut.urls).toEqual(['./files/x-latin.woff2', './files/y.woff']);
    expect(cut.css).not.toContain('x-cyr');
    expect(cut.css).not.toContain('x-latin.woff)');
  });

  it('reads characters from references and escapes', () => {
    expect(shownCodePoints([{ kind: 'html', text: '&#x416; &#1046; &hearts;' }]).has(0x2665)).toBe(true);
    expect(shownCodePoints([{ kind: 'html', text: '&#x416;' }]).has(0x416)).toBe(true);
    expect(shownCodePoints([{ kind: 'css', text: '.a::before { content: "\\416"; }' }]).has(0x416)).toBe(true);
    expect(shownCodePoints([{ kind: 'js', text: 'el.textContent = "\\u0416"' }]).has(0x416)).toBe(true);
    // text-transform: uppercase turns ÿ (Latin-1) into Ÿ (Latin Extended-A).
    expect(shownCodePoints([{ kind: 'html', text: 'ÿ' }]).has(0x178)).toBe(true);
  });
});
