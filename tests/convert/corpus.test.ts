/**
 * Issue #12's "convert round-trips the corpus": each of the 23 real decks in the shared corpus
 * (read in place, never copied), converted to decksmith's dialect, builds to the same slides
 * (count, and the vertical index of each) with the same distinct words in the slides' and notes'
 * HTML text, and the same images, as the deck built in its own dialect. A missing corpus fails
 * here (tests/corpus.ts).
 */
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../corpus.js';
import { corpusDeckList, roundTrip, words } from './roundtrip.js';

const decks = corpusDeckList(CORPUS);

describe('convert round-trips the corpus', () => {
  it('finds the 23 decks the corpus names', () => {
    expect(decks).toHaveLength(23);
  });

  it.each(decks.map((d) => [d.name, d] as const))('%s: same slides, same words', async (_name, deck) => {
    const { original, converted, result } = await roundTrip(deck.file, deck.root);
    expect(result.unchanged).toBe(false);
    expect(result.deck.dialect.name).not.toBe('decksmith');
    expect(converted.deck.dialect.name).toBe('decksmith');
    expect(converted.deck.slides.map((s) => [s.h, s.v])).toEqual(original.deck.slides.map((s) => [s.h, s.v]));
    const before = words(original);
    const after = words(converted);
    expect([...before].filter((w) => !after.has(w))).toEqual([]);
    expect([...after].filter((w) => !before.has(w))).toEqual([]);
    // The images came over too, though the converted deck is written in another folder: the
    // same number reach the output, and no more are missing or refused than before.
    const images = (built: typeof original) => (built.files ?? []).filter((f) => f.kind === 'image').length;
    const lost = (built: typeof original) =>
      [...built.deck.diagnostics, ...built.rendered.diagnostics].filter((d) =>
        ['missing-image', 'missing-file', 'file-outside-root'].includes(d.code),
      ).length;
    expect(images(converted)).toBe(images(original));
    expect(lost(converted)).toBe(lost(original));
    // The converted deck warns of nothing new. (html-removed aside: HTML the other tool read,
    // such as a Vue component or a kept <style> block, is raw HTML in ours.)
    const counts = (built: typeof original) => {
      const by = new Map<string, number>();
      for (const d of [...built.deck.diagnostics, ...built.rendered.diagnostics]) by.set(d.code, (by.get(d.code) ?? 0) + 1);
      return by;
    };
    const warned = counts(original);
    const grown = [...counts(converted)].filter(([code, n]) => code !== 'html-removed' && n > (warned.get(code) ?? 0));
    expect(grown).toEqual([]);
    // The notes came over as notes, slide by slide.
    expect(converted.deck.slides.map((s) => s.notes === '')).toEqual(original.deck.slides.map((s) => s.notes === ''));
  });
});
