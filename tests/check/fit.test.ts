/**
 * `<!-- fit -->` and `check` judge a slide by one measure (templates/partials/fit.hbs): the deck
 * shrinks a slide exactly when check calls the same content unfitted overflowing, by as much as
 * check's measure says it reaches past the frame, and check calls the shrunk slide fitting.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { measureOverflow } from '../../src/check/index.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-fit-');
const browser = browserForFile(cleanup);

// KaTeX draws a square root's sign with a 400em-wide box that its own parent clips: the formula
// is an inch wide on screen, but that box reaches far past the slide's right edge.
const root = ['$$', String.raw`\sqrt{\frac{1}{2}} + \sqrt{x^2 + y^2}`, '$$'];
const shortList = ['- one', '- two', '- three'];
const longList = Array.from({ length: 16 }, (_, i) => `- point ${i + 1} of a list too long for one slide`);

/** The same content twice, unfitted and then with `<!-- fit -->`. */
const pair = (title: string, body: string[]): string[] => [
  `## ${title}`,
  '',
  ...body,
  '',
  '---',
  '',
  '<!-- fit -->',
  `## ${title}`,
  '',
  ...body,
  '',
];

describe('<!-- fit --> and check agree', () => {
  it('shrinks a slide only when check calls it overflowing, by what check measures, and check then passes it', async () => {
    const deck = join(dir, 'fit.md');
    writeFileSync(
      deck,
      [
        '---',
        'title: Fit',
        '---',
        '',
        ...pair('Roots', [...shortList, '', ...root]),
        '---',
        '',
        ...pair('Roots', [...longList, '', ...root]),
      ].join('\n'),
    );
    const built = await buildDeck(deck, { outDir: join(dir, 'out') });
    const measures = await measureOverflow(browser(), built);
    // Unfitted: the short slide fits, the long one does not; fitted, both fit.
    expect(measures.map((m) => m.problems.length > 0)).toEqual([false, false, true, false]);
    const tooTall = measures[2]?.bottom ?? 0;
    expect(tooTall).toBeGreaterThan(0);

    const { width, height } = built.rendered;
    const seen = await browser().withPage(async (page) => {
      await page.setViewport({ width, height, deviceScaleFactor: 1 });
      const url = pathToFileURL(built.htmlPath);
      url.search = 'margin=0&transition=none';
      await page.goto(url.href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      return page.evaluate(() => {
        const reveal = (window as unknown as { Reveal: { slide(h: number): void; getCurrentSlide(): HTMLElement } }).Reveal;
        return [0, 1, 2, 3].map((h) => {
          reveal.slide(h);
          const slide = reveal.getCurrentSlide();
          const frame = slide.querySelector<HTMLElement>('.ds-frame');
          const heading = slide.querySelector('h2');
          if (frame === null || heading === null) throw new Error(`slide ${h} has no frame or heading`);
          const style = getComputedStyle(frame);
          const k = frame.getBoundingClientRect().height / frame.offsetHeight;
          return {
            heading: heading.getBoundingClientRect().height,
            // The content area's height in unzoomed slide pixels.
            area: frame.getBoundingClientRect().height - (parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)) * k,
          };
        });
      });
    });
    const [short, shortFitted, long, longFitted] = seen.map((s) => s.heading);
    // Check found nothing to shrink: the fitted slide shows its content at full size.
    expect(shortFitted).toBeCloseTo(short ?? 0, 1);
    // Check measured the unfitted content `tooTall` px past an area this tall: the deck zooms by
    // area / (area + tooTall), not more (check rounds to whole pixels).
    const area = seen[2]?.area ?? 0;
    expect((longFitted ?? 0) / (long ?? 1)).toBeCloseTo(area / (area + tooTall), 2);
  });
});
