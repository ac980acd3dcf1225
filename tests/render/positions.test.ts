import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import type { Diagnostic } from '../../src/types.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const render = (source: string) => renderDeck(parseDeck(source, { file: 'deck.md' }), context);
const where = (list: readonly Diagnostic[], code: string) =>
  list.filter((d) => d.code === code).map((d) => ({ line: d.line, column: d.column }));

describe('diagnostics at each occurrence', () => {
  // Lines:  1-3 front matter, 4 heading, 9 and 13 the same removed tag, 15 and 17 the same unsafe link.
  const source = [
    '---',
    'title: Positions',
    '---',
    '# Repeats (font is a tag the filter removes)',
    '',
    'Intro text',
    '',
    'More text',
    'a <font>x</font> here',
    '',
    'filler',
    '',
    '  b <font>x</font>',
    '',
    '[bad](javascript:1)',
    '',
    'see [bad](javascript:1)',
    '',
  ].join('\n');

  it('reports a repeated removed tag and a repeated unsafe link once per occurrence, at its own line and column', () => {
    const { diagnostics } = render(source);
    expect(where(diagnostics, 'html-removed')).toEqual([
      { line: 9, column: 3 },
      { line: 13, column: 5 },
    ]);
    expect(where(diagnostics, 'unsafe-url')).toEqual([
      { line: 15, column: 1 },
      { line: 17, column: 5 },
    ]);
  });

  it('finds lines inside blockquotes and lists, whose markers the lexer strips', () => {
    const deck = [
      '# Nested',
      '',
      '> quoted <font>one</font>',
      '> and [q](javascript:1)',
      '',
      '- item <font>two</font>',
      '  - deeper [l](javascript:2)',
      '',
      '1. first',
      '2. > quote in item',
      '   > with <font>three</font>',
      '',
    ].join('\n');
    const { diagnostics } = render(deck);
    expect(where(diagnostics, 'html-removed')).toEqual([
      { line: 3, column: 10 },
      { line: 6, column: 8 },
      { line: 11, column: 11 },
    ]);
    expect(where(diagnostics, 'unsafe-url')).toEqual([
      { line: 4, column: 7 },
      { line: 7, column: 12 },
    ]);
  });

  it('places diagnostics in speaker notes at their line', () => {
    const deck = ['# N', '', 'Note: say <font>this</font>', 'and [x](javascript:3)', ''].join('\n');
    const { diagnostics } = render(deck);
    expect(where(diagnostics, 'html-removed')).toEqual([{ line: 3, column: 11 }]);
    expect(where(diagnostics, 'unsafe-url')).toEqual([{ line: 4, column: 5 }]);
  });

  it('gives images, raw-HTML attributes and unclosed tags a column', () => {
    const deck = [
      '# I',
      '',
      'x ![a](javascript:1) y',
      '',
      'z <a href="javascript:2">k</a> <img src="../../../x.png">',
      '',
      'w <div>',
      '',
    ].join('\n');
    const { diagnostics } = render(deck);
    expect(where(diagnostics, 'unsafe-url')).toEqual([{ line: 3, column: 3 }]);
    expect(where(diagnostics, 'html-removed')).toEqual([{ line: 5, column: 3 }]);
    expect(where(diagnostics, 'file-outside-root')).toEqual([{ line: 5, column: 32 }]);
    expect(where(diagnostics, 'unclosed-html')).toEqual([{ line: 7, column: 3 }]);
  });
});

describe('rendering is pure', () => {
  it('renders the same Deck twice to the same HTML and leaves its tokens as they were', () => {
    const deck = parseDeck(
      [
        '# Code',
        '',
        '```js',
        'const a = 1 < 2;',
        '```',
        '',
        'Math $x^2$ and <u>u</u>',
        '',
        '- [ ] task',
        '- [x] done',
        '',
        'Note: ```py',
        '',
      ].join('\n'),
      { file: 'deck.md' },
    );
    const before = JSON.stringify(deck);
    const first = renderDeck(deck, context);
    expect(JSON.stringify(deck)).toBe(before);
    const second = renderDeck(deck, context);
    expect(second.html).toBe(first.html);
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(first.html).toContain('<span class="hljs-keyword">const</span>');
  });
});
