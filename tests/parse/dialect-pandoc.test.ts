/**
 * pandoc decks as `pandoc -t revealjs` splits them (issue #12, part B): the title slide from a `%`
 * block or the metadata, the slide level, rules as breaks, `::: notes`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import type { Deck } from '../../src/types.js';
import { CORPUS } from '../corpus.js';
import { readFixture } from '../helpers.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });
const model = (deck: Deck) =>
  deck.slides.map((s) => ({ h: s.h, lines: s.lines, title: s.title, layout: s.layout, ...(s.notes === '' ? {} : { notes: s.notes }) }));

describe('pandoc slides', () => {
  it('a % title block is the title slide; headings at the slide level split; rules split; ::: notes are notes', () => {
    const deck = parse('pandoc-percent.md');
    expect(deck.dialect.name).toBe('pandoc');
    expect(model(deck)).toEqual([
      { h: 0, lines: [1, 3], title: 'The talk title', layout: 'title' },
      { h: 1, lines: [5, 6], title: 'Section one', layout: 'section' },
      { h: 2, lines: [7, 10], title: 'First slide', layout: 'default' },
      { h: 3, lines: [11, 18], title: 'Second slide', layout: 'default', notes: 'Said aloud' },
      { h: 4, lines: [20, 23], title: '', layout: 'default' },
    ]);
    expect([deck.config.title, deck.config.author, deck.config.date]).toEqual(['The talk title', 'Ada Lovelace', '1 Feb 2020']);
    expect(deck.slides[0]?.tokens[0]?.line).toBe(1);
    // "Note:" is text in pandoc; only ::: notes blocks are notes.
    expect(deck.slides[4]?.markdown).toContain('Note: this is text in pandoc');
    expect(deck.diagnostics).toEqual([]);
  });

  it('slide-level: in the metadata sets the level; a metadata title makes the title slide', () => {
    const deck = parse('pandoc-level.md');
    expect(model(deck)).toEqual([
      { h: 0, lines: [1, 5], title: 'Metadata title', layout: 'title' },
      { h: 1, lines: [6, 8], title: 'Part', layout: 'section' },
      { h: 2, lines: [9, 12], title: 'One', layout: 'default' },
      { h: 3, lines: [13, 15], title: 'Two', layout: 'default' },
    ]);
    expect(deck.slides[0]?.tokens[0]?.line).toBe(2);
    expect(deck.diagnostics).toEqual([]);
  });

  it('the corpus deck juliasprenger-fosdem2020 has its intended 34 slides (title + 33)', () => {
    const file = join(CORPUS, 'juliasprenger-fosdem2020', 'talk.md');
    const deck = parseDeck(readFileSync(file, 'utf8'), { file });
    expect(deck.slides).toHaveLength(34);
    expect(deck.slides[0]?.layout).toBe('title');
    expect(deck.slides[0]?.title).toBe('Challenges and opportunities in scientific software development');
  });
});
