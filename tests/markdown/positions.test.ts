/**
 * Every token parse hands on carries the line and column where its text was written: checked on
 * constructed decks and on every deck of the shared corpus, by reading the source at that place.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Token, Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { positionOf } from '../../src/markdown/positions.js';
import { normalizeSource, parseDeck } from '../../src/parse/index.js';
import type { Deck } from '../../src/types.js';
import { CORPUS } from '../corpus.js';

/** Tokens at any depth: children, list items, table cells' tokens. */
function* everyToken(tokens: readonly Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token;
    if (token.type === 'list') yield* everyToken((token as Tokens.List).items);
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) yield* everyToken(cell.tokens);
    }
    const children = (token as Tokens.Generic).tokens;
    if (Array.isArray(children)) yield* everyToken(children as Token[]);
  }
}

/** Tokens whose text is not where their position says: `line:column type raw` for each. */
function misplaced(source: string, deck: Deck): string[] {
  const lines = normalizeSource(source).split('\n');
  const out: string[] = [];
  for (const slide of deck.slides) {
    for (const token of everyToken([...slide.tokens, ...slide.notesTokens])) {
      const at = positionOf(token);
      const first = token.raw.split('\n')[0] ?? '';
      if (at === undefined) {
        out.push(`unplaced ${token.type} ${JSON.stringify(first)}`);
        continue;
      }
      if (first.trim() === '') continue;
      const written = (lines[at.line - 1] ?? '').slice(at.column - 1);
      if (!written.startsWith(first))
        out.push(`${at.line}:${at.column} ${token.type} ${JSON.stringify(first)} but the line has ${JSON.stringify(written.slice(0, 40))}`);
    }
  }
  return out;
}

const check = (source: string) => misplaced(source, parseDeck(source, { file: 'deck.md' }));

describe('token positions', () => {
  it('places block and inline tokens, repeated ones each at their own place', () => {
    const source = '---\ntitle: T\n---\n# A <kbd>K</kbd>\n\npara <kbd>K</kbd> and <kbd>K</kbd>\nnext <kbd>K</kbd> [l](x) [l](x)\n';
    const deck = parseDeck(source);
    expect(check(source)).toEqual([]);
    const kbd = [...everyToken(deck.slides[0]?.tokens ?? [])].filter((t) => t.raw === '<kbd>').map(positionOf);
    expect(kbd).toEqual([
      { line: 4, column: 5 },
      { line: 6, column: 6 },
      { line: 6, column: 23 },
      { line: 7, column: 6 },
    ]);
    const links = [...everyToken(deck.slides[0]?.tokens ?? [])].filter((t) => t.type === 'link').map(positionOf);
    expect(links).toEqual([
      { line: 7, column: 19 },
      { line: 7, column: 26 },
    ]);
  });

  it('maps children of blockquotes and list items back through the markers the lexer strips', () => {
    const source = [
      '# Q',
      '',
      '> one `code`',
      '> > two <b>x</b>',
      '>   three *em*',
      '',
      '- a `c`',
      '  1. b `c`',
      '     > c `c`',
      '',
      '  - [ ] task `c`',
      '  - [x] done',
      '',
      '* loose',
      '',
      '* [ ] loose task `c`',
      '',
      '| h `c` | h2 |',
      '| --- | --- |',
      '| `a` | b *c* |',
      '',
    ].join('\n');
    expect(check(source)).toEqual([]);
    const codes = [...everyToken(parseDeck(source).slides[0]?.tokens ?? [])]
      .filter((t) => t.type === 'codespan')
      .map((t) => positionOf(t)?.line);
    expect(codes).toEqual([3, 7, 8, 9, 11, 16, 18, 20]);
  });

  it('places notes tokens where the notes were written', () => {
    const source = '# A\n\nNote: say `x` <b>y</b>\n\n- more `z`\n\n---\n\n# B\n\n::: notes\nin a *block*\n:::\n';
    const deck = parseDeck(source);
    expect(check(source)).toEqual([]);
    const notes = deck.slides.map((s) =>
      [...everyToken(s.notesTokens)].filter((t) => t.type === 'codespan' || t.type === 'em').map(positionOf),
    );
    expect(notes).toEqual([
      [
        { line: 3, column: 11 },
        { line: 5, column: 8 },
      ],
      [{ line: 12, column: 6 }],
    ]);
  });

  const decks: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md') && name !== 'README.md') decks.push(path);
    }
  };
  walk(CORPUS);

  it('finds the corpus', () => {
    expect(decks.length).toBeGreaterThan(20);
  });

  it.each(decks.map((path) => [path.slice(CORPUS.length + 1), path]))('places every token of %s', (_name, path) => {
    const source = readFileSync(path, 'utf8');
    let deck: Deck;
    try {
      deck = parseDeck(source, { file: path });
    } catch (error) {
      // A few decks have front matter of another tool that decksmith refuses, with an InputError.
      expect((error as { code?: unknown }).code).toMatch(/^front-matter/);
      return;
    }
    expect(misplaced(source, deck)).toEqual([]);
  });
});
