/**
 * Dialect detection (issue #12): every corpus deck is recognised as written for its tool, from
 * its own markers, and every deck of ours stays decksmith's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolFilesNear } from '../../src/build/index.js';
import { detectDialect, dialectNotice, frontMatterKeys } from '../../src/parse/dialect.js';
import { normalizeSource, parseDeck } from '../../src/parse/index.js';
import type { DialectName } from '../../src/types.js';
import { CORPUS, corpusDecks } from '../corpus.js';

const repo = resolve(import.meta.dirname, '../..');

/** SOURCE.md's `written for:` line, as a dialect name. */
function writtenFor(folder: string): DialectName {
  const line = /^written for:\s*(.*)$/m.exec(readFileSync(join(folder, 'SOURCE.md'), 'utf8'))?.[1] ?? '';
  const tools: [RegExp, DialectName][] = [
    [/^marp/i, 'marp'],
    [/^reveal-md/i, 'reveal-md'],
    [/^slidev/i, 'slidev'],
    [/^remark/i, 'remark'],
    [/^deckset/i, 'deckset'],
    [/^pandoc/i, 'pandoc'],
  ];
  const found = tools.find(([pattern]) => pattern.test(line));
  if (found === undefined) throw new Error(`${folder}/SOURCE.md: unknown tool "${line}"`);
  return found[1];
}

/** The corpus folder a deck belongs to (decks may sit in a subfolder, e.g. `src/`). */
function corpusFolder(deck: string): string {
  let dir = dirname(deck);
  while (dirname(dir) !== CORPUS && dir !== CORPUS) dir = dirname(dir);
  return dir;
}

function detectFile(path: string, root: string): ReturnType<typeof detectDialect> {
  const text = normalizeSource(readFileSync(path, 'utf8'));
  return detectDialect(text, frontMatterKeys(text), toolFilesNear(dirname(path), root));
}

/** Markdown files of our own: content decks, fixtures, and the Markdown inside every test file. */
function ourMarkdown(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(repo, 'tests', 'fixtures', 'dialects')) walk(path);
      } else if (entry.name.endsWith('.md')) out.push({ name: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(repo, 'content'));
  walk(join(repo, 'tests'));
  return out;
}

/** Template and quoted strings in the test sources that hold Markdown (two lines or more). */
function testStrings(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // tests/convert holds other tools' decks on purpose, as dialect tests do.
      if (entry.isDirectory()) {
        if (path !== join(repo, 'tests', 'convert')) walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.startsWith('dialect')) {
        const source = readFileSync(path, 'utf8');
        for (const m of source.matchAll(/`((?:[^`\\]|\\.)*)`|'((?:[^'\\\n]|\\.)*\\n(?:[^'\\\n]|\\.)*)'/g)) {
          const raw = m[1] ?? m[2] ?? '';
          const text = raw.replace(/\\n/g, '\n').replace(/\\`/g, '`').replace(/\\\\/g, '\\');
          if (text.includes('\n')) out.push({ name: `${basename(path)}: ${text.slice(0, 40)}`, text });
        }
      }
    }
  };
  walk(join(repo, 'tests'));
  return out;
}

describe('dialect detection', () => {
  const decks = corpusDecks().filter((path) => basename(path) === corpusDeckName(path));

  it('finds every corpus deck', () => {
    expect(decks.length).toBe(23);
  });

  for (const path of decks) {
    const folder = corpusFolder(path);
    it(`${basename(folder)} is written for ${writtenFor(folder)}`, () => {
      const found = detectFile(path, folder);
      expect(found.dialect).toBe(writtenFor(folder));
      expect(found.evidence?.what).toBeTruthy();
    });
  }

  it('keeps every deck and test Markdown of ours decksmith', () => {
    const ours = [...ourMarkdown(), ...testStrings()];
    expect(ours.length).toBeGreaterThan(100);
    const foreign = ours
      .map(({ name, text }) => ({ name, found: detectDialect(normalizeSource(text)) }))
      .filter(({ found }) => found.dialect !== 'decksmith')
      .map(({ name, found }) => `${name} → ${found.dialect} (${found.evidence?.what}, line ${found.evidence?.line})`);
    expect(foreign).toEqual([]);
  });

  it('lets the front matter and the option override the guess', () => {
    const marp = '---\nmarp: true\n---\n\n# One\n';
    expect(parseDeck(marp).dialect).toEqual({ name: 'marp', from: 'detected', evidence: { line: 2, what: 'marp: true' } });
    expect(parseDeck('---\nmarp: true\ndialect: decksmith\n---\n\n# One\n').dialect).toMatchObject({
      name: 'decksmith',
      from: 'front-matter',
    });
    expect(parseDeck(marp, { dialect: 'remark' }).dialect).toEqual({ name: 'remark', from: 'option' });
    expect(parseDeck('# Ours\n\nNote: said aloud\n').dialect).toEqual({ name: 'decksmith', from: 'default' });
  });

  it('says which dialect it assumed in one line', () => {
    const deck = parseDeck('---\nmarp: true\n---\n\n# One\n', { file: 'deck.md' });
    expect(dialectNotice('deck.md', deck.dialect)).toBe('deck.md: written for Marp (marp: true, line 2)');
    expect(dialectNotice('deck.md', parseDeck('# Ours\n').dialect)).toBeUndefined();
  });
});

function corpusDeckName(path: string): string {
  const source = readFileSync(join(corpusFolder(path), 'SOURCE.md'), 'utf8');
  return basename(/^deck:\s*(.*)$/m.exec(source)?.[1]?.trim() ?? '');
}
