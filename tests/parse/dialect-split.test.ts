/**
 * Line-based splitting (issue #12): reveal-md's separator regexes, remark's `---`/`--` lines and
 * Deckset's blank-line `---`, on token boundaries, with exact line ranges.
 */
import { describe, expect, it } from 'vitest';
import { compileSeparator } from '../../src/parse/dialects/separators.js';
import { parseDeck } from '../../src/parse/index.js';
import type { Deck, SlideToken } from '../../src/types.js';
import { readFixture } from '../helpers.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });
const model = (deck: Deck) => deck.slides.map((s) => ({ h: s.h, v: s.v, lines: s.lines, title: s.title }));

describe('line-based splitting', () => {
  it('reveal-md: "---" under a paragraph line splits, "----" is vertical, fences and *** do not split', () => {
    const deck = parse('reveal-md-split.md');
    expect(deck.dialect.name).toBe('reveal-md');
    expect(model(deck)).toEqual([
      { h: 0, v: 0, lines: [6, 9], title: 'One' },
      { h: 1, v: 0, lines: [11, 16], title: 'Two' },
      { h: 1, v: 1, lines: [18, 23], title: 'Two down' },
    ]);
    expect(deck.slides[0]?.markdown.trim()).toBe('# One\n\nA paragraph line');
    expect(deck.slides[1]?.markdown).toContain('```\n---\n```');
    expect(deck.slides[2]?.tokens.map((t) => t.type)).toContain('hr');
    expect(deck.diagnostics.map((d) => d.code)).not.toContain('setext-separator');
  });

  it("reveal-md: the front matter's separator and verticalSeparator regexes", () => {
    const deck = parse('reveal-md-custom.md');
    expect(model(deck)).toEqual([
      { h: 0, v: 0, lines: [5, 10], title: 'One' },
      { h: 1, v: 0, lines: [12, 12], title: 'Two' },
      { h: 1, v: 1, lines: [14, 14], title: 'Two down' },
    ]);
    expect(deck.diagnostics.filter((d) => d.code === 'unknown-key')).toEqual([]);
  });

  it('reveal-md: a separator that can backtrack for ever is refused at its line, and the default used', () => {
    const deck = parse('reveal-md-unsafe.md');
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'unsafe-separator', line: 2, file: 'reveal-md-unsafe.md' }));
    expect(model(deck)).toEqual([
      { h: 0, v: 0, lines: [4, 6], title: 'One' },
      { h: 1, v: 0, lines: [8, 9], title: 'Two' },
    ]);
    for (const pattern of ['(a+)+$', '(\\s*x*)*', '(a|aa){2,}', '(x)\\1']) expect(typeof compileSeparator(pattern), pattern).toBe('string');
    for (const pattern of ['\\r?\\n---\\r?\\n', '^<!--s-->$', '\\n\\n\\n']) expect(compileSeparator(pattern)).toBeInstanceOf(RegExp);
  });

  // remark counts a "--" step as a frame of the same slide, not a slide: its lines are a fragment.
  it('remark: "---" lines split even under text, "--" adds a fragment to the slide, ---- and fences do not', () => {
    const deck = parse('remark-split.md');
    expect(deck.dialect.name).toBe('remark');
    expect(model(deck)).toEqual([
      { h: 0, v: 0, lines: [1, 2], title: 'A' },
      { h: 1, v: 0, lines: [4, 18], title: 'B' },
      { h: 2, v: 0, lines: [20, 21], title: 'C' },
    ]);
    expect(deck.slides[1]?.markdown).toMatch(/- first[\s\S]*- second/);
    const step = deck.slides[1]?.tokens.find((t) => t.type === 'container') as
      | (SlideToken & { name: string; tokens: SlideToken[] })
      | undefined;
    expect(step?.name).toBe('fragment');
    expect(step?.tokens[0]?.raw).toBe('- second');
    expect(step?.line).toBe(8);
    expect(deck.slides[1]?.notes).toBe('notes of the second step\n\n----\n\n```\n---\n```');
  });

  it('Deckset: "---" splits only with a blank line on each side', () => {
    const deck = parse('deckset-split.md');
    expect(deck.dialect.name).toBe('deckset');
    expect(model(deck)).toEqual([
      { h: 0, v: 0, lines: [1, 4], title: 'A' },
      { h: 1, v: 0, lines: [6, 11], title: 'B' },
      { h: 2, v: 0, lines: [13, 14], title: 'C' },
    ]);
    expect(deck.slides[1]?.markdown).toContain('text right under a rule');
    expect(deck.diagnostics.map((d) => d.code)).not.toContain('empty-slide');
  });
});
