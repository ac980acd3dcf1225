/**
 * Speaker notes in each dialect (issue #12): notes the tool shows as notes reach Slide.notes with
 * their source lines, and leave the slide; directive comments stay directives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import type { Deck, SlideToken } from '../../src/types.js';
import { readFixture } from '../helpers.js';
import { CORPUS } from '../corpus.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });

/** Each slide as the tests compare it: lines, notes, the line of its first notes block, classes. */
const model = (deck: Deck) =>
  deck.slides.map((s) => ({
    lines: s.lines,
    notes: s.notes,
    notesLine: (s.notesTokens[0] as (SlideToken & { line?: number }) | undefined)?.line,
    classes: s.classes,
  }));

describe('notes in each dialect', () => {
  it('Marp: every comment that is not a directive is a note', () => {
    const deck = parse('marp-notes.md');
    expect(deck.dialect.name).toBe('marp');
    expect(model(deck)).toEqual([
      // `_class: lead` is Marp's spot directive: the first slide's class.
      { lines: [4, 16], notes: 'Say hello first.\n\nA note over\ntwo lines', notesLine: 8, classes: ['lead'] },
      { lines: [18, 22], notes: 'triple dash note', notesLine: 22, classes: [] },
    ]);
    expect(deck.slides[0]?.markdown).toContain('Visible text');
    expect(deck.slides[0]?.markdown).not.toMatch(/hello|note over/);
  });

  it('Slidev: only the comment that ends a slide is its note', () => {
    const deck = parse('slidev-notes.md');
    expect(deck.dialect.name).toBe('slidev');
    expect(model(deck)).toEqual([
      { lines: [5, 15], notes: 'The note of slide one.', notesLine: 13, classes: [] },
      { lines: [17, 22], notes: 'Second note.', notesLine: 22, classes: [] },
    ]);
    expect(deck.slides[0]?.markdown).toContain('a hidden comment, not a note');
    expect(deck.slides[0]?.markdown).not.toContain('The note of slide one');
  });

  it('remark: ??? starts the notes, to the end of the slide', () => {
    const deck = parse('remark-notes.md');
    expect(deck.dialect.name).toBe('remark');
    expect(model(deck).map(({ lines, notes, notesLine }) => ({ lines, notes, notesLine }))).toEqual([
      { lines: [1, 9], notes: 'Notes of slide one,\nover two lines.', notesLine: 7 },
      { lines: [11, 19], notes: 'Second notes\n\n- a noted list', notesLine: 17 },
    ]);
    expect(deck.slides[1]?.markdown).not.toMatch(/\?\?\?|Second notes|noted list/);
  });

  it('Deckset: ^ paragraphs are notes; the slide goes on after them', () => {
    const deck = parse('deckset-notes.md');
    expect(deck.dialect.name).toBe('deckset');
    expect(model(deck).map(({ lines, notes, notesLine }) => ({ lines, notes, notesLine }))).toEqual([
      { lines: [1, 9], notes: 'The first note.', notesLine: 6 },
      { lines: [11, 15], notes: 'Second note,\nstill the note.', notesLine: 14 },
    ]);
    expect(deck.slides[0]?.markdown).toContain('Visible after the note');
    expect(deck.slides[0]?.markdown).not.toContain('^');
  });

  it('reveal-md: Note: and notes: as before', () => {
    const deck = parse('reveal-md-notes.md');
    expect(deck.dialect.name).toBe('reveal-md');
    expect(model(deck).map(({ lines, notes, notesLine }) => ({ lines, notes, notesLine }))).toEqual([
      { lines: [6, 13], notes: 'Said aloud.', notesLine: 12 },
      { lines: [15, 18], notes: 'lower-case works too', notesLine: 18 },
    ]);
  });

  it("Slidev: a real deck's commented-out list at a slide's end is its note, not slide text", () => {
    const file = join(CORPUS, '0xR-frontend-2023', 'slides.md');
    const deck = parseDeck(readFileSync(file, 'utf8'), { file });
    expect(deck.dialect.name).toBe('slidev');
    const slide = deck.slides.find((s) => s.notes.includes('style object containing class name'));
    expect(slide?.lines[0]).toBeLessThan(273);
    expect(slide?.lines[1]).toBeGreaterThanOrEqual(281);
    expect(slide?.markdown).not.toContain('style object containing class name');
  });

  it("decksmith's dialect keeps comments hidden and ??? and ^ on the slide", () => {
    const deck = parseDeck('# Ours\n\n<!-- hidden -->\n\n???\n\n^ shown\n', { dialect: 'decksmith' });
    expect(deck.slides[0]?.notes).toBe('');
    expect(deck.slides[0]?.markdown).toContain('^ shown');
  });
});
