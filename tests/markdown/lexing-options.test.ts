/**
 * The lexer runs without marked's hooks (src/markdown/bounded-lexer.ts, lexingOptions): given a
 * hooks object, marked masks every inline text for emphasis, which is a tenth of lexing a deck.
 * That must change nothing: every deck lexes to the same tokens, link definitions and nesting caps
 * as with hooks that keep marked masking every text (an `emStrongMask` of its own that changes
 * nothing, as decksmith's lexer did before).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMarked, lexDocument } from '../../src/markdown/lexer.js';
import { normalizeSource } from '../../src/parse/index.js';
import { corpusDecks } from '../corpus.js';

const repo = join(import.meta.dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}

/** Text where the mask matters: emphasis next to links, code spans, autolinks, references and HTML. */
const EMPHASIS = [
  '# *A* __title__ ~~struck~~ and ~one~',
  '',
  'Some **bold [link *in* it](https://example.com/a_b_c)** and `code *not* em` and <https://x.org/_y_>.',
  'A [ref][r] and [*ref*] and ![img *alt*](pic_1.png) and <span class="a_b">*x*</span> and a\\*b\\_c.',
  'snake_case_words, 2*3*4, _under_score_, ***both***, **unclosed and ~~~not code~~~',
  '',
  '- *item* with [r] and $x_1 * y_2$ math',
  '  > __quoted__ *text* with `a*b`',
  '',
  '| *a* | _b_ |',
  '| --- | --- |',
  '| **c** | ~~d~~ [r] |',
  '',
  '[r]: https://example.com/r_1 "T *t*"',
  '[*ref*]: ./x_y.md',
  '',
].join('\n');

describe('lexing without hooks', () => {
  const masked = createMarked({ hooks: { emStrongMask: (src: string) => src } }).defaults;
  const sources: [string, string][] = [
    ['emphasis', EMPHASIS],
    ...[...corpusDecks(), ...markdownFiles(join(repo, 'content')), ...markdownFiles(join(repo, 'tests', 'fixtures'))].map(
      (file): [string, string] => [file, normalizeSource(readFileSync(file, 'utf8'))],
    ),
  ];

  it('is what lexDocument does with the configuration parse uses', () => {
    expect(lexDocument('*a*', createMarked().defaults).lexer.options.hooks ?? null).toBeNull();
    // Hooks that change the mask are kept.
    expect(lexDocument('*a*', masked).lexer.options.hooks).not.toBeNull();
  });

  it('gives the same tokens, link definitions and nesting caps on every deck', () => {
    expect(sources.length).toBeGreaterThan(10);
    for (const [name, source] of sources) {
      const plain = lexDocument(source, createMarked().defaults);
      const reference = lexDocument(source, masked);
      expect(plain.tokens, name).toEqual(reference.tokens);
      expect({ ...plain.lexer.tokens.links }, name).toEqual({ ...reference.lexer.tokens.links });
      expect(plain.lexer.capped, name).toEqual(reference.lexer.capped);
    }
  });
});
