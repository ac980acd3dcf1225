/**
 * decksmith's own print layout (src/browser/print-layout.ts): PDFs are laid out without running
 * reveal.js, and each page looks as reveal.js's print view drew it: same DOM classes, same
 * pixels, for final fragments, fragment steps, notes pages and notes below the slide, on a deck
 * with slide numbers, a footer, colour and image backgrounds, code and a vertical slide. Unlike
 * reveal.js, it hides no slide from assistive technology, so a tagged PDF tags every slide.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { loadPrintView, type PrintQuery } from '../../src/browser/load.js';
import { layoutPages } from '../../src/browser/page-scripts.js';
import { exportPdf } from '../../src/export/index.js';
import type { BuiltDeck } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { pageTexts } from './read-pdf.js';

const DECK = `---
title: Print layout
footer: FOOTQ
slideNumber: true
---

# A title slide TITLEQ

Note: Notes of the title NOTEA

---

<!-- background: #102030 -->
## Dark slide DARKQ

::: fragments
- First FRAGA
- Second FRAGB
:::

Note: Notes of the dark slide NOTEB

---

<!-- background: bg.svg -->
## Image background IMGQ

\`\`\`js
const answer = 42;
\`\`\`

----

## Below it VERTQ

Note: Vertical notes NOTEC

---

<!-- background: #f4f4f4 -->
## Light slide LIGHTQ

1. one
2. two
`;

const BACKGROUND =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="36"><rect width="64" height="36" fill="#c0ffee"/><circle cx="32" cy="18" r="12" fill="#803"/></svg>';

const { dir, cleanup } = tempDir('decksmith-print-layout-');
const browser = browserForFile(cleanup);

async function build(name: string): Promise<BuiltDeck> {
  const source = join(dir, `${name}.md`);
  writeFileSync(join(dir, 'bg.svg'), BACKGROUND);
  writeFileSync(source, DECK);
  return buildDeck(source, { outDir: join(dir, name) });
}

interface Printed {
  /** Per top-level child of `.slides`: its classes and those of everything in it, and which are aria-hidden (slides aside). */
  classes: string[];
  /** Slides hidden from assistive technology (reveal.js hides all but the first; a tagged PDF then leaves them out). */
  hiddenSlides: number;
  /** The print-media rendering of the whole laid-out document. */
  png: string;
}

async function render(built: BuiltDeck, query: PrintQuery, layout: 'reveal' | 'decksmith'): Promise<Printed> {
  const session = browser();
  const slide = { width: built.rendered.width, height: built.rendered.height };
  return session.withPage(async (page) => {
    await loadPrintView(session, page, built.htmlPath, query, slide, 30_000, { layout });
    await page.evaluate(() => {
      document.documentElement.dataset['dsBuilt'] = '';
    });
    const titles = built.rendered.slides.map((s) => s.title);
    await page.evaluate(layoutPages, { keep: null, slide, notesBelow: query.notes === 'below', sheet: null, titles });
    await page.emulateMediaType('print');
    // Fragments fade in with a CSS transition: under load one screenshot caught a fragment mid-fade.
    // Both layouts are compared at rest.
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const classes = await page.evaluate(() =>
      [...document.querySelectorAll('.reveal .slides > *')].map((child) =>
        [child, ...child.querySelectorAll('*')]
          .map(
            (element) =>
              `${element.getAttribute('class') ?? ''}${element.hasAttribute('aria-hidden') && element.tagName !== 'SECTION' ? ' (aria-hidden)' : ''}`,
          )
          .join(' | '),
      ),
    );
    const hiddenSlides = await page.evaluate(
      () => document.querySelectorAll('.reveal .slides section[aria-hidden], .reveal .slides section[hidden]').length,
    );
    const png = (await page.screenshot({ fullPage: true, encoding: 'base64', type: 'png' })) as string;
    return { classes, hiddenSlides, png };
  });
}

describe("decksmith's print layout", () => {
  const variants: [string, PrintQuery][] = [
    ['final fragments', { fragments: 'final', notes: 'none' }],
    ['fragment steps', { fragments: 'steps', notes: 'none' }],
    ['notes pages', { fragments: 'final', notes: 'page' }],
    ['notes below the slide', { fragments: 'final', notes: 'below' }],
  ];
  for (const [name, query] of variants) {
    it(`draws the pages reveal.js's print view draws: ${name}`, { timeout: 120_000 }, async () => {
      const built = await build(`deck-${name.replace(/\W+/g, '-')}`);
      const theirs = await render(built, query, 'reveal');
      const ours = await render(built, query, 'decksmith');
      expect(ours.classes).toEqual(theirs.classes);
      // The one difference: every slide stays visible to assistive technology, so the PDF tags it.
      expect(theirs.hiddenSlides).toBeGreaterThan(0);
      expect(ours.hiddenSlides).toBe(0);
      expect(ours.png.length).toBeGreaterThan(0);
      // Same pixels: compared as PNG data from the same encoder (a difference shows as a length).
      expect({ length: ours.png.length, same: ours.png === theirs.png }).toEqual({ length: theirs.png.length, same: true });
    });
  }

  it('prints a deck whose reveal.js file is gone: printing does not run it', { timeout: 120_000 }, async () => {
    const built = await build('no-reveal');
    rmSync(join(built.outDir, 'assets', 'reveal', 'reveal.js'));
    const result = await exportPdf(browser(), built, {
      notes: 'none',
      fragments: 'final',
      timeoutMs: 20_000,
      out: join(dir, 'no-reveal.pdf'),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.pages).toBe(5);
    const texts = await pageTexts(result.file);
    expect(texts.map((t) => ['TITLEQ', 'DARKQ', 'IMGQ', 'VERTQ', 'LIGHTQ'].find((marker) => t.includes(marker)))).toEqual([
      'TITLEQ',
      'DARKQ',
      'IMGQ',
      'VERTQ',
      'LIGHTQ',
    ]);
    // Fragments in their final state, the footer and the slide numbers on every page.
    expect(texts[1]).toContain('FRAGB');
    for (const [i, text] of texts.entries()) {
      expect(text).toContain('FOOTQ');
      expect(text).toContain(String(i + 1));
    }
  });
});
