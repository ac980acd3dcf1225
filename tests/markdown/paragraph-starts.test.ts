/**
 * A `:::` block or `$$` display math written right under a paragraph line cuts the paragraph
 * there (startInParagraph), however far ahead or behind the deck's other `:::` and `$$` lines are:
 * the lexer looks for those lines from the paragraph on, remembering where the next one is.
 */
import type { Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { lexDocument } from '../../src/markdown/lexer.js';

const types = (src: string) =>
  lexDocument(src)
    .tokens.map((t: Token) => t.type)
    .filter((t) => t !== 'space');

describe('blocks that start under a paragraph line', () => {
  const filler = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} with *text*.\n`).join('\n');

  it('cut the paragraph after many paragraphs without them', () => {
    expect(types(`${filler}\nText\n::: note\ninside\n:::\n`)).toEqual([...Array(30).fill('paragraph'), 'paragraph', 'container']);
    expect(types(`${filler}\nText\n$$\nx^2\n$$\n`)).toEqual([...Array(30).fill('paragraph'), 'paragraph', 'blockMath']);
  });

  it('cut the paragraph when the first ::: or $$ of the deck is in a code block before it', () => {
    const code = '```\n:::\n$$\n```\n\n';
    expect(types(`${code}${filler}\nText\n::: note\ninside\n:::\n`)).toEqual([
      'code',
      ...Array(30).fill('paragraph'),
      'paragraph',
      'container',
    ]);
    expect(types(`${code}${filler}\nText\n$$\nx^2\n$$\n`)).toEqual(['code', ...Array(30).fill('paragraph'), 'paragraph', 'blockMath']);
  });

  it('cut each of several paragraphs, and none in a deck without them', () => {
    const twice = `A\n::: one\nx\n:::\n\n${filler}\nB\n::: two\ny\n:::\n`;
    expect(types(twice)).toEqual(['paragraph', 'container', ...Array(30).fill('paragraph'), 'paragraph', 'container']);
    expect(types(`${filler}\nText\n:: not\n$ nor\n`)).toEqual([...Array(31).fill('paragraph')]);
  });
});
