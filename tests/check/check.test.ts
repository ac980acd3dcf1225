/**
 * `check`'s browser half: overflow measured in Chromium on the real template, reported at the
 * slide's first line; a `<!-- fit -->` slide is measured after the template has shrunk it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { checkDeck, measureOverflow } from '../../src/check/index.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-check-');
const browser = browserForFile(cleanup);

const longList = Array.from({ length: 24 }, (_, i) => `- point number ${i + 1} of a list far too long for one slide`).join('\n');

describe('checkDeck', () => {
  it('warns once per overflowing slide, at its first line; a fitted slide and a short one pass', async () => {
    const deck = join(dir, 'talk.md');
    writeFileSync(
      deck,
      [
        '---',
        'title: Check',
        '---',
        '',
        '## Short',
        '',
        'Fits.',
        '',
        '---',
        '',
        '## Too long',
        '',
        longList,
        '',
        '---',
        '',
        '<!-- fit -->',
        '## Fitted',
        '',
        longList,
        '',
      ].join('\n'),
    );
    const built = await buildDeck(deck, { outDir: join(dir, 'out') });
    const measures = await measureOverflow(browser(), built);
    expect(measures.map((m) => m.problems.length > 0)).toEqual([false, true, false]);
    expect(measures[1]?.bottom).toBeGreaterThan(0);
    const diagnostics = await checkDeck(browser(), built);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'overflow', file: built.file, line: built.deck.slides[1]?.lines[0] }),
    ]);
    expect(diagnostics[0]?.message).toMatch(/^slide 2 "Too long" overflows its frame \(\d+px too tall\)/);
  });

  // reveal.js removes hidden slides, and the measurement then showed the first slide under a
  // hidden one's number: its overflow was reported twice, and a deck of hidden slides only got
  // "no current slide" as an overflow.
  it('measures nothing for a hidden slide, and the others at their own numbers', async () => {
    const deck = join(dir, 'hidden.md');
    writeFileSync(
      deck,
      ['<!-- .slide: data-visibility="hidden" -->', '## Hidden', '', '---', '', '## Too long', '', longList, ''].join('\n'),
    );
    const built = await buildDeck(deck, { outDir: join(dir, 'hidden-out') });
    const measures = await measureOverflow(browser(), built);
    expect(measures.map((m) => m.problems.length > 0)).toEqual([false, true]);
    const diagnostics = await checkDeck(browser(), built);
    expect(diagnostics.map((d) => [d.line, d.message.slice(0, 20)])).toEqual([[built.deck.slides[1]?.lines[0], 'slide 2 "Too long" o']]);

    const only = join(dir, 'only-hidden.md');
    writeFileSync(only, '<!-- .slide: data-visibility="hidden" -->\n## Hidden\n');
    expect(await checkDeck(browser(), await buildDeck(only, { outDir: join(dir, 'only-out') }))).toEqual([]);
  });
});
