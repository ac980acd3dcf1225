/**
 * A deck-wide fit (front matter `fit: true`, or `--fit`) shrinks every overflowing slide: code
 * blocks first (down to 70% of their size), then the whole slide (down to half size). Check
 * judges the fitted deck; what still overflows at the floor is reported at its slide's line, by
 * check and by pdf.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import type { BuiltDeck } from '../../src/types.js';
import { measureOverflow } from '../../src/check/index.js';
import { browserForFile } from '../browser-for-file.js';
import { pageTexts } from '../export/read-pdf.js';
import { cli, tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-fit-all-');
const browser = browserForFile(cleanup);

const code = (lines: number, width = 20) => [
  '```js',
  ...Array.from({ length: lines }, (_, i) => `const line${i + 1} = ${'1 + '.repeat(width / 4)}0;`),
  '```',
];
const list = (items: number) => Array.from({ length: items }, (_, i) => `- point ${i + 1} of a list that runs long`);

/** Slides, in order: fits; code a little too tall; one code line too wide; a list too long for half size. */
const body = [
  '## Short',
  '',
  '- one',
  '- two',
  '',
  '---',
  '',
  '## Tall code',
  '',
  ...code(18),
  '',
  '---',
  '',
  '## Wide code',
  '',
  ...code(3, 160),
  '',
  '---',
  '',
  '## Far too long',
  '',
  ...list(60),
  '',
];

interface Seen {
  zoom: string;
  codeFont: number[];
  codeClipped: boolean[];
}

async function look(built: BuiltDeck): Promise<Seen[]> {
  const { width, height } = built.rendered;
  return browser().withPage(async (page) => {
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    const url = pathToFileURL(built.htmlPath);
    url.search = 'margin=0&transition=none';
    await page.goto(url.href);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
    return page.evaluate(() => {
      const reveal = (window as unknown as { Reveal: { slide(h: number): void; getCurrentSlide(): HTMLElement; getTotalSlides(): number } })
        .Reveal;
      const seen = [];
      for (let h = 0; h < reveal.getTotalSlides(); h++) {
        reveal.slide(h);
        const slide = reveal.getCurrentSlide();
        const frame = slide.querySelector<HTMLElement>('.ds-frame');
        if (frame === null) throw new Error(`slide ${h} has no frame`);
        const codes = [...slide.querySelectorAll('pre code')];
        seen.push({
          zoom: frame.style.zoom,
          codeFont: codes.map((c) => parseFloat(getComputedStyle(c).fontSize)),
          codeClipped: codes.map((c) => c.scrollWidth > c.clientWidth + 1),
        });
      }
      return seen;
    });
  });
}

describe('deck-wide fit', () => {
  it('shrinks code first, then the slide down to half size; check passes what fits and names what does not', async () => {
    const plainFile = join(dir, 'plain.md');
    writeFileSync(plainFile, ['---', 'title: Plain', '---', '', ...body].join('\n'));
    const fitFile = join(dir, 'fit.md');
    writeFileSync(fitFile, ['---', 'title: Fit', 'fit: true', '---', '', ...body].join('\n'));
    const plain = await buildDeck(plainFile, { outDir: join(dir, 'out') });
    const fitted = await buildDeck(fitFile, { outDir: join(dir, 'out') });

    // Unfitted, every slide but the first overflows (the wide code line is clipped by its block).
    const before = await measureOverflow(browser(), plain);
    expect(before.map((m) => m.problems.length > 0)).toEqual([false, true, true, true]);
    const plainSeen = await look(plain);
    expect(plainSeen[2]?.codeClipped).toEqual([true]);
    const fullSize = plainSeen[1]?.codeFont[0] ?? 0;
    expect(fullSize).toBeGreaterThan(0);

    const seen = await look(fitted);
    // The short slide is left alone.
    expect(seen[0]?.zoom).toBe('');
    // Code a little too tall: only the code shrinks, not below 70%, and the slide is not zoomed.
    expect(seen[1]?.zoom).toBe('');
    const tall = seen[1]?.codeFont[0] ?? 0;
    expect(tall).toBeLessThan(fullSize);
    expect(tall).toBeGreaterThanOrEqual(fullSize * 0.7 - 0.01);
    // The wide line now shows whole.
    expect(seen[2]?.codeClipped).toEqual([false]);
    // The list stops at half size.
    expect(Number(seen[3]?.zoom)).toBe(0.5);

    const after = await measureOverflow(browser(), fitted);
    expect(after.map((m) => m.problems.length > 0)).toEqual([false, false, false, true]);
  });

  it('--fit does what fit: true does, and pdf reports the slide still overflowing at its line', async () => {
    const file = join(dir, 'flag.md');
    writeFileSync(file, ['---', 'title: Flag', '---', '', ...body].join('\n'));
    const pdf = join(dir, 'flag.pdf');
    const run = await cli(['pdf', file, '--fit', '--out', pdf]);
    expect(run.code).toBe(0);
    // Warnings point at a slide's first line: the one after its `---`.
    const lastSlideLine = ['---', 'title: Flag', '---', '', ...body].lastIndexOf('---') + 2;
    const overflow = run.stderr.split('\n').filter((l) => l.includes('[overflow]'));
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toContain(`${file}:${lastSlideLine}: warning: slide 4 "Far too long" overflows its frame`);
    expect(overflow[0]).toContain('even at half size (fit)');
    // Every code line is in the PDF's text, the wide one whole.
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('const line18');
    // (Without spaces: a tagged PDF marks each highlighted token apart, and the reader's text
    // items split there.)
    expect(text.replace(/\s+/g, '')).toContain(`const line3 = ${'1 + '.repeat(40)}0;`.replace(/\s+/g, ''));
  });
});
