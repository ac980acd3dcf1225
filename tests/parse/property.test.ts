/**
 * The parser's guarantees, over random documents: slides partition the author's lines, and every
 * line's words reach the slide they belong to (as HTML or notes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/markdown/bounded-lexer.js';
import { parseDeck } from '../../src/parse/index.js';
import { DIALECTS, type DialectName } from '../../src/types.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { slidevImports } from '../../src/build/imports.js';
import { toolFilesNear } from '../../src/build/index.js';
import { frontMatterKeys } from '../../src/parse/dialect.js';
import type { Deck } from '../../src/types.js';
import { CORPUS } from '../corpus.js';
import { fixture } from '../helpers.js';

let counter = 0;
const word = () => `w${(counter++).toString(36)}x`;

const separatorLines = ['---', '***', '___', '----', '- - -', '-----', '--'];

/**
 * Whether a separator line (written with a blank line on each side) breaks the slide in a
 * dialect: CommonMark's rules split on every rule; reveal-md's default regexes on `---` and
 * `----` only; remark on `---` (`--` adds a step to the slide); Deckset on `---`; Slidev on every line starting `---`. A line that does not break is content.
 */
function breaks(dialect: DialectName, line: string): boolean {
  if (dialect === 'reveal-md') return line === '---' || line === '----';
  // A remark `--` line is a step (fragment) of the same slide, not a break.
  if (dialect === 'remark') return line === '---';
  if (dialect === 'deckset') return line === '---';
  // Slidev splits the raw lines: any line that starts with `---`; `***` and `___` are rules on the slide.
  if (dialect === 'slidev') return line.startsWith('---');
  return line !== '--';
}

/** Each block kind makes fresh lines with unique words, so a word pins down its source line. */
const kinds: Record<string, () => string[]> = {
  h1: () => [`# ${word()} ${word()}`],
  h2: () => [`## ${word()}`],
  h3: () => [`### ${word()}`],
  paragraph: () => [`${word()} ${word()}`, `${word()}`],
  list: () => [`- ${word()}`, `- ${word()}`],
  backticks: () => ['```', word(), '---', `${word()} ---`, '***', '```'],
  tildes: () => ['~~~', word(), '---', '~~~'],
  indented: () => [`    ${word()}`, '    ---', `    ${word()}`],
  comment: () => ['<!--', '---', word(), '-->'],
  quote: () => [`> ${word()}`, `> ${word()}`],
  notes: () => [`Note: ${word()}`, word()],
  notesBlock: () => ['::: notes', word(), ':::'],
  // Notes in other tools' spelling: on the slide or in its notes, depending on the dialect.
  remarkNotes: () => ['???', word()],
  decksetNote: () => [`^ ${word()}`, word()],
  table: () => [`| ${word()} | ${word()} |`, '|---|---|', `| ${word()} | ${word()} |`],
  // Past the nesting cap the text is kept as code: still on its slide, still shown.
  deepList: () => Array.from({ length: MAX_NESTING + 3 }, (_, i) => `${'  '.repeat(i)}- ${word()}`),
  deepQuote: () => Array.from({ length: MAX_NESTING + 3 }, (_, i) => `${'>'.repeat(i + 1)} ${word()}`),
};

const block = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...Object.keys(kinds)).map((kind) => ({ kind })) },
  { weight: 1, arbitrary: fc.constantFrom(...separatorLines).map((line) => ({ kind: 'separator', line })) },
  // `---` right under a line of text: a break for the line-based tools, a setext heading for CommonMark.
  { weight: 1, arbitrary: fc.constant({ kind: 'underBreak' }) },
);

describe('parser properties', () => {
  const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: 'test' };

  it('slides partition the non-separator lines and every word reaches its slide, in every dialect', () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 14 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.constantFrom('none', 'plain', 'split'),
        fc.constantFrom(...DIALECTS),
        (blocks, eol, front, dialect) => {
          const lines: string[] = [];
          const separators = new Set<number>();
          if (front !== 'none') lines.push('---', front === 'split' ? 'split: h2' : 'title: Property', '---', '');
          // A file that starts with "---" opens front matter; start with a heading instead.
          else if (blocks[0]?.kind === 'separator') lines.push(`# ${word()}`, '');
          for (const b of blocks) {
            if (b.kind === 'underBreak') {
              lines.push(`${word()} ${word()}`);
              if (dialect === 'reveal-md' || dialect === 'remark' || dialect === 'slidev') separators.add(lines.length + 1);
              lines.push('---', '');
            } else if ('line' in b) {
              if (breaks(dialect, b.line)) separators.add(lines.length + 1);
              lines.push(b.line, '');
            } else lines.push(...(kinds[b.kind]?.() ?? []), '');
          }
          const source = lines.join(eol);
          const deck = parseDeck(source, { dialect });
          const rendered = renderDeck(deck, context);
          const firstBody = front === 'none' ? 1 : 4;

          const owner = new Map<number, number>();
          let previousEnd = 0;
          for (const slide of deck.slides) {
            const [start, end] = slide.lines;
            expect(start).toBeGreaterThan(previousEnd);
            expect(end).toBeGreaterThanOrEqual(start);
            previousEnd = end;
            for (let l = start; l <= end; l++) {
              expect(separators.has(l), `separator line ${l} inside slide ${slide.index}`).toBe(false);
              owner.set(l, slide.index);
            }
          }
          lines.forEach((text, i) => {
            const line = i + 1;
            const words = text.match(/w[0-9a-z]+x/g) ?? [];
            if (line < firstBody || words.length === 0) return;
            const index = owner.get(line);
            expect(index, `line ${line} "${text}" belongs to no slide`).toBeDefined();
            const slide = rendered.slides[index ?? -1];
            for (const w of words) expect(`${slide?.html}${slide?.notesHtml}`).toContain(w);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A line between slides: a separator of any dialect (reveal-md's custom ones in the fixtures and corpus too). */
const BETWEEN = /^(?:-{2,}|\*{3,}|_{3,}|- - -|<!--[sv]-->)[ \t]*$/;
/** A key by which the tool itself leaves a slide out of the deck (Slidev hide/disabled, an import block, remark templates and exclude). */
const LEFT_OUT = /^(?:hide|disabled):[ \t]*true\b|^src:|^layout:[ \t]*true\b|^exclude:[ \t]*true\b/;

/**
 * The lines of each file a deck's slides come from that break the partition: a line in two
 * slides, or a written line in none that is neither front matter, a separator, nor part of a
 * slide its tool leaves out by one of its own keys.
 */
function partitionProblems(deck: Deck, entry: string): string[] {
  const problems: string[] = [];
  const byFile = new Map<string, Deck['slides']>();
  for (const slide of deck.slides) {
    const file = resolve(slide.file ?? entry);
    byFile.set(file, [...(byFile.get(file) ?? []), slide]);
  }
  for (const [file, slides] of byFile) {
    const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    const lines = text.split('\n');
    const count = new Map<number, number>();
    for (const slide of slides) for (let l = slide.lines[0]; l <= slide.lines[1]; l++) count.set(l, (count.get(l) ?? 0) + 1);
    for (const [line, n] of count) if (n > 1) problems.push(`${file}:${line} is in ${n} slides`);
    // An imported file's leading block is its front matter as the deck's is (its first slide's, in Slidev).
    const front = frontMatterKeys(text).lineCount;
    let run: [number, string][] = [];
    const flush = () => {
      if (!run.some(([, t]) => LEFT_OUT.test(t)))
        for (const [line, t] of run) if (line > front && !BETWEEN.test(t)) problems.push(`${file}:${line} "${t}" is in no slide`);
      run = [];
    };
    lines.forEach((t, i) => {
      if (count.has(i + 1)) flush();
      else if (t.trim() !== '') run.push([i + 1, t]);
    });
    flush();
  }
  return problems;
}

/** Parses a deck file as the build does (imports under `root`, tool files up to it). */
function parseFile(file: string, root: string): Deck {
  const path = resolve(file);
  return parseDeck(readFileSync(path, 'utf8'), {
    file,
    toolFiles: toolFilesNear(dirname(path), root),
    readImport: slidevImports(path, root),
    importChain: [relative(process.cwd(), path) || path],
  });
}

describe('every source line belongs to exactly one slide, in real decks', () => {
  const fixtures = readdirSync(fixture('dialects'))
    .filter((name) => name.endsWith('.md') && name !== 'slidev-transition-ours.md')
    .concat('slidev-import/slides.md');

  it.each(fixtures)('dialect fixture %s', (name) => {
    const file = fixture(`dialects/${name}`);
    const deck = parseFile(file, dirname(file));
    expect(deck.slides.length).toBeGreaterThan(0);
    expect(partitionProblems(deck, file)).toEqual([]);
  });

  const decks = readdirSync(CORPUS)
    .filter((name) => !name.endsWith('.md'))
    .map((name) => {
      const source = readFileSync(join(CORPUS, name, 'SOURCE.md'), 'utf8');
      return [name, /^deck:[ \t]*(.+)$/m.exec(source)?.[1]?.trim() ?? ''] as const;
    });

  it('covers all 23 corpus decks', () => {
    expect(decks).toHaveLength(23);
  });

  it.each(decks)('corpus deck %s', (name, deckFile) => {
    const file = join(CORPUS, name, deckFile);
    const deck = parseFile(file, join(CORPUS, name));
    expect(deck.slides.length).toBeGreaterThan(0);
    expect(partitionProblems(deck, file)).toEqual([]);
  });
});
