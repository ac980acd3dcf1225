/**
 * Code on a slide is readable in every theme decksmith offers, its own and reveal.js's: in real
 * Chromium, every highlighted token's computed colour reaches 4.5:1 against the code block's
 * computed background. (A dark highlight style on a light theme once gave yellow-green on light
 * grey, about 1.5:1.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { listThemes } from '../../src/build/theme.js';
import { tempDir } from '../helpers.js';
import { browserForFile } from '../browser-for-file.js';

const CODE_DECK = `---
title: Code
---

## JavaScript

\`\`\`js
// a comment
import { readFile } from 'node:fs/promises';
export async function greet(name = "world", n = 42) {
  const re = /h(i)+/g; if (n > 0 && true !== null) return \`hello \${name}\`;
  class Point extends Base { static #x = 1; }
}
\`\`\`

---

## Python and shell

\`\`\`python
@decorator
def area(r: float) -> float:
    """Docstring."""
    return 3.14 * r ** 2  # comment
\`\`\`

\`\`\`bash
export PATH="$HOME/bin:$PATH"; echo \${1:-none} | grep -v x
\`\`\`

---

## Markup and data

\`\`\`html
<!doctype html>
<a href="/x" class="y">link &amp; more</a>
\`\`\`

\`\`\`css
.card > h2:hover { color: #ff0000; margin: 0 auto !important; }
@media (max-width: 600px) { body { font: 12px/1.4 serif; } }
\`\`\`

\`\`\`json
{ "name": "decksmith", "n": 1, "ok": true, "none": null }
\`\`\`

---

## Diff and SQL

\`\`\`diff
@@ -1,2 +1,2 @@
- old line
+ new line
\`\`\`

\`\`\`sql
SELECT name, COUNT(*) FROM users WHERE age > 21 GROUP BY name; -- note
\`\`\`
`;

const { dir, cleanup } = tempDir('decksmith-code-contrast-');
const deck = join(dir, 'code.md');
writeFileSync(deck, CODE_DECK);
const browser = browserForFile(cleanup);

interface Token {
  text: string;
  cls: string;
  ratio: number;
  fg: string;
  bg: string;
}

/** Every highlighted token (and the code block's own text colour) with its contrast, read from computed styles. */
async function tokens(theme: string, label = theme): Promise<Token[]> {
  const built = await buildDeck(deck, { outDir: join(dir, label), theme });
  return browser().withPage(async (page) => {
    await page.goto(pathToFileURL(built.htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
    return page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (context === null) throw new Error('no canvas');
      // Any CSS colour (color-mix, color(srgb …), rgba) painted over `under`, read back as sRGB bytes.
      const paint = (color: string, under: string): [number, number, number] => {
        context.fillStyle = under;
        context.fillRect(0, 0, 1, 1);
        context.fillStyle = color;
        context.fillRect(0, 0, 1, 1);
        const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
        return [r, g, b];
      };
      const luminance = (c: [number, number, number]) =>
        c
          .map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
          .reduce((sum, v, i) => sum + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
      const ratio = (a: [number, number, number], b: [number, number, number]) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
        return (hi + 0.05) / (lo + 0.05);
      };
      const out: { text: string; cls: string; ratio: number; fg: string; bg: string }[] = [];
      for (const code of document.querySelectorAll<HTMLElement>('.reveal pre code')) {
        // The block's background over the slide's: what the tokens are painted on.
        const slideBg = getComputedStyle(document.body).backgroundColor;
        const under = paint(getComputedStyle(code.parentElement ?? code).backgroundColor, slideBg);
        const bg = paint(getComputedStyle(code).backgroundColor, `rgb(${under.join(',')})`);
        const elements = [code, ...code.querySelectorAll<HTMLElement>('span')];
        for (const el of elements) {
          const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
          if (!own) continue;
          const fg = paint(getComputedStyle(el).color, `rgb(${bg.join(',')})`);
          out.push({
            text: (el.textContent ?? '').trim().slice(0, 30),
            cls: el === code ? 'code' : el.className,
            ratio: Math.round(ratio(fg, bg) * 100) / 100,
            fg: `rgb(${fg.join(',')})`,
            bg: `rgb(${bg.join(',')})`,
          });
        }
      }
      return out;
    });
  });
}

const themes = listThemes().map((t) => t.name);

describe.each(themes)('code in theme %s', (theme) => {
  it('every token reaches 4.5:1 against the code block', async () => {
    const found = await tokens(theme);
    expect(found.length).toBeGreaterThan(40);
    expect(new Set(found.map((t) => t.cls)).size).toBeGreaterThan(12);
    const weak = found.filter((t) => t.ratio < 4.5).map((t) => `${t.cls} "${t.text}": ${t.ratio}:1 (${t.fg} on ${t.bg})`);
    expect([...new Set(weak)]).toEqual([]);
  });
});

// A theme folder that says it is dark and names no highlight style gets a dark one.
it('a dark theme folder of ones own gets a dark highlight style', async () => {
  const folder = join(dir, 'my-dark');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'theme.json'), JSON.stringify({ name: 'my-dark', scheme: 'dark' }));
  writeFileSync(join(folder, 'theme.css'), ':root { --ds-bg: #101418; --ds-fg: #e8e8e8; --ds-code-bg: #1c2128; --ds-code-fg: #e8e8e8; }\n');
  const found = await tokens(folder, 'my-dark-out');
  expect(found.filter((t) => t.ratio < 4.5).map((t) => `${t.cls} ${t.ratio}`)).toEqual([]);
});
