/**
 * Dialect rules of issue #12 that had no fixture of their own (the audit of session 6): Deckset's
 * `build-lists`, Marp's header/footer as inline Markdown, `backgroundImage` (url and gradient) and
 * `color`, reveal's `.slide`/`.element` attribute comments in a reveal-md deck. Each checks the
 * slide model (lines, classes, attributes, notes) and what it renders to.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import type { Deck, RenderedDeck } from '../../src/types.js';
import { readFixture } from '../helpers.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });
const render = (deck: Deck): RenderedDeck => renderDeck(deck, context);
const sections = (html: string): string[] => html.split('<section ').slice(1);
const model = (deck: Deck) =>
  deck.slides.map((s) => ({
    lines: s.lines,
    layout: s.layout,
    classes: s.classes,
    attributes: s.attributes,
    ...(s.notes === '' ? {} : { notes: s.notes }),
  }));

describe('Deckset build-lists', () => {
  it('build-lists: true shows every list item (nested ones too) as a fragment; notes and text stay', () => {
    const deck = parse('deckset-build-lists.md');
    expect(deck.dialect.name).toBe('deckset');
    expect(model(deck)).toEqual([
      { lines: [1, 11], layout: 'default', classes: [], attributes: {}, notes: 'the note stays a note' },
      { lines: [13, 19], layout: 'default', classes: [], attributes: {} },
    ]);
    // The list is one fragments block at the list's own line.
    expect(deck.slides[0]?.tokens.filter((t) => t.type === 'container').map((t) => [(t as { name?: string }).name, t.line])).toEqual([
      ['fragments', 6],
    ]);
    const [first, second] = render(deck).slides.map((s) => s.html);
    expect(first).toMatch(/<li class="fragment">one<\/li>\s*<li class="fragment">two<ul>\s*<li class="fragment">nested<\/li>/);
    expect(second).toMatch(/<ol>\s*<li class="fragment">first<\/li>\s*<li class="fragment">second<\/li>\s*<\/ol>/);
    expect(second).toContain('<p>Text after.</p>');
  });

  it('without build-lists the same lists are shown at once', () => {
    const deck = parseDeck(readFixture('dialects/deckset-build-lists.md').replace('build-lists: true', 'build-lists: false'));
    expect(deck.dialect.name).toBe('deckset');
    expect(render(deck).html).not.toContain('class="fragment"');
  });
});

describe('Marp header, footer, backgroundImage and color', () => {
  it('header and footer are inline Markdown: emphasis, links and sized images render; "" hides the footer', () => {
    const deck = parse('marp-header-footer.md');
    expect(deck.dialect.name).toBe('marp');
    const [one, two, three] = sections(render(deck).html);
    expect(one).toContain(
      '<div class="ds-header"><strong>Bold</strong> head, <a href="https://example.com">a link</a> and <img src="media/img/logo.png" alt="" style="width: 20px;"></div>',
    );
    expect(one).toContain('<div class="ds-footer"><em>em</em> foot</div>');
    expect(two).toContain('<div class="ds-header">plain</div>');
    expect(three).not.toContain('ds-footer');
    expect(three).toContain('<strong>Bold</strong> head');
    // The plain text stays the slide's header for other readers of the model.
    expect(deck.slides[0]?.header).toBe('Bold head, a link and w:20');
    expect(deck.slides[0]?.headerTokens?.[0]?.line).toBe(3);
  });

  it('backgroundImage url() and gradients, color as the text colour; spot directives hold on their slide only', () => {
    const deck = parse('marp-header-footer.md');
    const colour = (c: string) => ({ style: `color: ${c}; --ds-fg: ${c}; --ds-heading: ${c};` });
    expect(model(deck)).toEqual([
      { lines: [8, 10], layout: 'default', classes: [], attributes: colour('#123456') },
      {
        lines: [12, 18],
        layout: 'default',
        classes: [],
        attributes: { ...colour('red'), 'data-background-gradient': 'linear-gradient(to bottom, #67b8e3, #0288d1)' },
      },
      { lines: [20, 23], layout: 'default', classes: [], attributes: colour('#123456') },
    ]);
    expect(deck.slides.map((s) => s.background)).toEqual(["url('img/a.png')", undefined, "url('img/a.png')"]);
    const [one, two] = sections(render(deck).html);
    expect(one).toContain('data-background-image="media/img/a.png"');
    expect(two).toContain('data-background-gradient="linear-gradient(to bottom, #67b8e3, #0288d1)"');
    expect(two).not.toContain('data-background-image');
  });
});

describe('reveal-md attribute comments', () => {
  it('.slide: sets the section attributes and classes; .element: puts fragment classes and indexes on its element', () => {
    const deck = parse('reveal-md-attributes.md');
    expect(deck.dialect.name).toBe('reveal-md');
    expect(model(deck)).toEqual([
      { lines: [4, 13], layout: 'default', classes: ['x'], attributes: { 'data-background': '#ffffff' } },
      { lines: [15, 18], layout: 'section', classes: [], attributes: {}, notes: 'said aloud' },
    ]);
    const rendered = render(deck);
    const [one] = sections(rendered.html);
    expect(one).toMatch(/^class="ds-slide ds-layout-default x" data-ds-index="0" data-background="#ffffff">/);
    expect(rendered.slides[0]?.html).toMatch(
      /<li class="fragment" data-fragment-index="2">a<\/li>\s*<li class="fragment" data-fragment-index="1">b<\/li>[\s\S]*<p class="fragment" data-fragment-index="3">Para<\/p>/,
    );
    expect(rendered.slides[0]?.html).not.toContain('.element');
  });
});

describe('Marp bg keywords fit, contain and cover', () => {
  it('fit and contain show the whole image, cover (the default) fills the slide', () => {
    const deck = parseDeck('---\nmarp: true\n---\n\n![bg fit](a.png)\n\n---\n\n![bg contain](b.png)\n\n---\n\n![bg cover](c.png)\n', {
      file: 'deck.md',
    });
    expect(deck.slides.map((s) => [s.lines, s.backgroundImages])).toEqual([
      [[4, 6], [{ href: 'a.png', size: 'contain', line: 5, column: 1 }]],
      [[8, 10], [{ href: 'b.png', size: 'contain', line: 9, column: 1 }]],
      [[12, 13], [{ href: 'c.png', size: 'cover', line: 13, column: 1 }]],
    ]);
  });
});

describe('Marp has no vertical slides', () => {
  it('a rule of four dashes opens the next slide, as --- and *** do', () => {
    const deck = parseDeck('---\nmarp: true\n---\n\n# One\n\n----\n\n# Two\n\n***\n\n# Three\n', { file: 'marp.md' });
    expect(deck.dialect.name).toBe('marp');
    expect(deck.slides.map((s) => [s.h, s.v, s.title, s.lines])).toEqual([
      [0, 0, 'One', [4, 6]],
      [1, 0, 'Two', [8, 10]],
      [2, 0, 'Three', [12, 13]],
    ]);
  });
});
