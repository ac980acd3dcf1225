/**
 * Mistakes that used to pass silently: each gives a warning (or error) at the line and column as
 * the file is written, front matter included, saying what to do; and nothing the author wrote is
 * dropped without one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { FrontMatterError } from '../../src/errors.js';
import { parseDeck } from '../../src/parse/index.js';
import { THEME_VARIABLES } from '../../src/parse/theme-vars.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import type { Diagnostic } from '../../src/types.js';
import { CORPUS, corpusDecks } from '../corpus.js';

const parse = (source: string) => parseDeck(source, { file: 'deck.md' });
const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const render = (source: string) => renderDeck(parse(source), context);
const withCode = (diagnostics: readonly Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);

function thrown(fn: () => unknown): FrontMatterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FrontMatterError) return error;
    throw error;
  }
  throw new Error('expected a FrontMatterError');
}

const FRONT = '---\ntitle: Talk\n---\n';

describe('an unclosed <!--', () => {
  const source = `${FRONT}# One\n\nBefore\n\n<!-- a note that never closes\nsecond line of it\n\nAfter the comment\n\n---\n\n# Two\n\ntext\n`;

  it('hides only its own paragraph and warns at the <!-- with what it hides', () => {
    const deck = parse(source);
    // It used to swallow the rest of the deck, separators included, with no warning.
    expect(deck.slides.map((s) => s.title)).toEqual(['One', 'Two']);
    const [warning, ...others] = withCode(deck.diagnostics, 'unclosed-comment');
    expect(others).toEqual([]);
    expect(warning).toMatchObject({ severity: 'warning', file: 'deck.md', line: 8, column: 1 });
    expect(warning?.message).toContain('a note that never closes');
    expect(warning?.message).toContain('add "-->"');
    const $ = load(renderDeck(deck, context).html);
    const first = $('section').first().text();
    expect(first).toContain('After the comment');
    expect(first).not.toContain('never closes');
    expect($('section').eq(1).text()).toContain('text');
  });

  it('keeps an unclosed <!-- inside a paragraph as text, and warns at its column', () => {
    const deck = parse(`${FRONT}# A\n\n- item\n- Some text <!-- todo fix\n  more of it\n`);
    expect(withCode(deck.diagnostics, 'unclosed-comment')).toEqual([
      expect.objectContaining({ line: 7, column: 13, message: expect.stringContaining('shown as text') }),
    ]);
    expect(load(renderDeck(deck, context).html)('section').text()).toContain('todo fix');
  });

  it('leaves a comment closed slides later alone: commenting out slides is deliberate', () => {
    const deck = parse('# A\n\n<!--\n---\n\n# Hidden\n-->\n\n---\n\n# B\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['A', 'B']);
    expect(withCode(deck.diagnostics, 'unclosed-comment')).toEqual([]);
  });
});

describe('a comment holding < or >', () => {
  const source =
    '# One\n\n<!-- walk /proc/self/fd/<N> -->\n\nVisible <!-- inline <b> and -> arrows --> text\n\n<div>\n<!-- x <y> z -->\n<b>bold</b>\n</div>\n';

  it('is an ordinary invisible comment, with no "removed" warning', () => {
    const rendered = render(source);
    expect(withCode(rendered.diagnostics, 'html-removed')).toEqual([]);
    const text = load(rendered.html)('section').first().text();
    expect(text).not.toMatch(/walk|proc|inline|arrows|<y>|-->/);
    expect(text).toContain('Visible');
    expect(text).toContain('text');
    expect(text).toContain('bold');
  });

  it('still keeps a .element comment working and filters what follows a comment', () => {
    const rendered = render(
      '# A\n\nPoint <!-- .element: class="fragment" data-x="a<b" -->\n\n<!-- a --!><img src=x onerror="alert(1)">\n\n<i title="<!--" onclick="alert(2)">t</i>\n',
    );
    const $ = load(rendered.html);
    expect($('p.fragment').text()).toContain('Point');
    expect($('[onerror], [onclick]').length).toBe(0);
    expect(rendered.html).not.toContain('alert(');
  });

  it('in a real deck (0xR-frontend-2023), a commented-out list no longer shows on the slide', () => {
    const file = join(CORPUS, '0xR-frontend-2023', 'slides.md');
    // Read as decksmith's own: in Slidev's dialect this comment ends its slide, so it is the
    // slide's note (tests/parse/dialect-notes.test.ts), and notes are in the section's aside.
    const rendered = renderDeck(parseDeck(readFileSync(file, 'utf8'), { file, dialect: 'decksmith' }), context);
    expect(load(rendered.html)('section').text()).not.toContain('style object containing class name');
    expect(rendered.diagnostics.filter((d) => d.message.includes('comment'))).toEqual([]);
  });
});

describe('unclosed ::: containers', () => {
  it('warns at the opening line and column', () => {
    const deck = parse(`${FRONT}# A\n\n::: column\nleft\n\n::: column\nright\n:::\n\n- item\n\n  ::: note\n  text\n`);
    expect(withCode(deck.diagnostics, 'unclosed-container')).toEqual([
      expect.objectContaining({ line: 6, column: 1, message: expect.stringContaining('"::: column" opened here is never closed') }),
      expect.objectContaining({ line: 15, column: 3 }),
    ]);
  });

  it('warns at a ::: that closes nothing', () => {
    const deck = parse('# A\n\n::: column\nleft\n:::\n:::\n\ntext\n');
    expect(withCode(deck.diagnostics, 'stray-container-close')).toEqual([expect.objectContaining({ line: 6, column: 1 })]);
  });

  it('says nothing about closed ones', () => {
    expect(withCode(parse('# A\n\n::: column\nleft\n:::\n\n::: column\nright\n:::\n').diagnostics, 'unclosed-container')).toEqual([]);
  });
});

describe('speaker notes', () => {
  it.each([
    ['Nots: remember', 'Nots:'],
    ['Noets: remember', 'Noets:'],
    ['Speaker notes: remember', 'Speaker notes:'],
    ['Note : remember', 'Note :'],
    ['  NOTS: remember', 'NOTS:'],
  ])('warns at a near-miss notes marker (%s) with did-you-mean Note:', (paragraph, label) => {
    const deck = parse(`${FRONT}# A\n\ntext\n\n${paragraph}\n`);
    expect(deck.slides[0]?.notes).toBe('');
    expect(withCode(deck.diagnostics, 'notes-marker')).toEqual([
      expect.objectContaining({
        line: 8,
        column: paragraph.indexOf(label) + 1,
        message: expect.stringContaining(`"${label}" is not a speaker-notes marker`),
      }),
    ]);
    expect(withCode(deck.diagnostics, 'notes-marker')[0]?.message).toContain('did you mean "Note:"?');
  });

  it.each(['Nodes: 5', 'Notes: real notes', 'Note: real', 'Votes: 12', 'Bytes: 3', 'Not: this', 'Noted: yes'])(
    'does not warn about "%s"',
    (paragraph) => {
      expect(withCode(parse(`# A\n\n${paragraph}\n`).diagnostics, 'notes-marker')).toEqual([]);
    },
  );

  it('warns at a heading that lands in the notes, once per slide', () => {
    const deck = parse(`${FRONT}# A\n\ntext\n\nNote: say hi\n\n# B\n\nmore\n\n## C\n`);
    expect(deck.slides[0]?.notes).toContain('# B');
    expect(withCode(deck.diagnostics, 'heading-in-notes')).toEqual([
      expect.objectContaining({ line: 10, column: 1, message: expect.stringContaining('missing "---" before it') }),
    ]);
    expect(withCode(parse('# A\n\n::: notes\n## fine in a notes block\n:::\n').diagnostics, 'heading-in-notes')).toEqual([]);
  });
});

describe('front matter', () => {
  it('warns at line 1 when a forgotten closing --- turns the title heading into a YAML comment', () => {
    const deck = parse('---\ntitle: x\nauthor: y\n\n# Welcome\n\n---\n\n# Two\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['Two']);
    expect(withCode(deck.diagnostics, 'heading-in-front-matter')).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('"# Welcome" on line 5 is a YAML comment') }),
    ]);
    expect(withCode(parse('---\ntitle: x\n## Welcome\n---\n# A\n').diagnostics, 'heading-in-front-matter')).toHaveLength(1);
    expect(withCode(parse('---\ntitle: x\n# My Talk\n---\n# A\n').diagnostics, 'heading-in-front-matter')).toHaveLength(1);
  });

  it('keeps quiet about YAML comments among the keys', () => {
    const deck = parse(
      '---\n# theme: seriph\n# try also default to start simple\ntitle: x\n\n# Apply classes\nclass: text-center\n---\n# A\n',
    );
    expect(withCode(deck.diagnostics, 'heading-in-front-matter')).toEqual([]);
    const trailing = parse('---\ntitle: x\n# see https://sli.dev/guide\n# Drawing options:\n# theme: dark\n---\n# A\n');
    expect(withCode(trailing.diagnostics, 'heading-in-front-matter')).toEqual([]);
  });

  it('has no second warning for the same "---" when the front matter is never closed', () => {
    const deck = parse('---\ntitle: x\n\n# Slide\n');
    expect(deck.diagnostics.map((d) => [d.code, d.line])).toEqual([['unclosed-front-matter', 1]]);
  });

  it('warns about an unknown themeVars name at its line and column, naming the closest variable', () => {
    const deck = parse('---\ntitle: x\nthemeVars:\n  accent: "#f00"\n  acent: "#f00"\n---\n# A\n');
    expect(withCode(deck.diagnostics, 'unknown-theme-var')).toEqual([
      expect.objectContaining({ line: 5, column: 3, message: expect.stringContaining('did you mean "accent"?') }),
    ]);
    // A theme of the author's own may read its own names; a near-miss still warns.
    const own = parse('---\ntheme: ./brand.css\nthemeVars:\n  brand-blue: "#00f"\n  acent: red\n---\n# A\n');
    expect(withCode(own.diagnostics, 'unknown-theme-var').map((d) => d.line)).toEqual([5]);
  });

  it('knows exactly the variables themes/base.css reads', () => {
    const css = readFileSync(join(import.meta.dirname, '..', '..', 'themes', 'base.css'), 'utf8');
    const read = new Set([...css.matchAll(/var\(--ds-([a-z0-9-]+)/g)].map((m) => m[1]));
    read.delete('column-count');
    read.delete('chrome');
    // Set by base.css itself on .reveal for the live slide's furniture, not a theme setting.
    read.delete('chrome-current');
    expect([...THEME_VARIABLES].sort()).toEqual([...read].sort());
  });
});

describe('YAML errors', () => {
  it('points at the line and column where an unclosed quote opens', () => {
    const error = thrown(() => parse('---\ntitle: "My talk\nauthor: me\n\ndate: 2024\nfoo: y\n---\n# A\n'));
    expect(error).toMatchObject({ code: 'front-matter-yaml', line: 2 });
    expect(error.message).toContain('the " that opens at column 8 is never closed');
    expect(error.hint).toContain('title: "My talk"');
  });

  it.each([
    ['keywords: [a, b\nauthor: me\n\ndate: x', '[', 11],
    ['themeVars: {accent: red\nauthor: me', '{', 12],
  ])('points at the line where an unclosed flow collection opens (%s)', (yaml, opener, column) => {
    const error = thrown(() => parse(`---\ntitle: T\n${yaml}\n---\n# A\n`));
    expect(error).toMatchObject({ code: 'front-matter-yaml', line: 3 });
    expect(error.message).toContain(`the ${opener} that opens at column ${column}`);
  });

  it('mentions !!js/function only for a tag', () => {
    expect(thrown(() => parse('---\ntitle: [unclosed\n---\n# A\n')).format()).not.toContain('js/function');
    expect(thrown(() => parse('---\ntitle: !!js/function "() => 1"\n---\n# A\n')).format()).toContain('!!js/function are not allowed');
  });

  it('suggests quoting a value that holds ": "', () => {
    const error = thrown(() => parse('---\nauthor: me\ntitle: Rust: a tour\n---\n# A\n'));
    expect(error).toMatchObject({ code: 'front-matter-yaml', line: 3 });
    expect(error.message).toContain('the value of "title" contains ": "');
    expect(error.hint).toBe('Quote the value: title: "Rust: a tour".');
  });

  it.each([
    ['slideNumber: yes', 'slideNumber: true', 'slideNumber'],
    ['slideNumber: Off', 'slideNumber: false', 'slideNumber'],
    ['reveal:\n  controls: no', 'controls: false', 'reveal.controls'],
  ])('asks for true/false instead of %s, at its line', (yaml, fix, key) => {
    const error = thrown(() => parse(`---\ntitle: T\n${yaml}\n---\n# A\n`));
    expect(error).toMatchObject({ code: 'front-matter-invalid', line: yaml.includes('\n') ? 4 : 3 });
    expect(error.message).toContain(`"${key}: `);
    expect(error.message).toContain('use true or false');
    expect(error.hint).toContain(fix);
  });
});

describe('the real-world corpus', () => {
  const NEW_CODES = [
    'unclosed-comment',
    'unclosed-container',
    'stray-container-close',
    'notes-marker',
    'heading-in-notes',
    'heading-in-front-matter',
    'unknown-theme-var',
  ];

  it('gives none of these warnings on decks written for other tools', () => {
    const files = corpusDecks();
    expect(files.length).toBeGreaterThan(30);
    const fired: string[] = [];
    for (const file of files) {
      let diagnostics: Diagnostic[] = [];
      try {
        diagnostics = parseDeck(readFileSync(file, 'utf8'), { file }).diagnostics;
      } catch (error) {
        if (!(error instanceof FrontMatterError)) throw error;
      }
      fired.push(...diagnostics.filter((d) => NEW_CODES.includes(d.code)).map((d) => `${d.file}:${d.line} ${d.code}`));
    }
    expect(fired).toEqual([]);
  });
});
