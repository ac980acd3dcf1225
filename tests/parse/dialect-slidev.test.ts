/**
 * Slidev decks as their authors meant (issue #12, part B): foreign front-matter values, per-slide
 * front matter, layouts, `src:` imports, clicks as fragments, Vue components said once.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slidevImports } from '../../src/build/imports.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { FrontMatterError } from '../../src/errors.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import type { Deck, SlideToken } from '../../src/types.js';
import { CORPUS } from '../corpus.js';
import { fixture, readFixture } from '../helpers.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });

/** Parses a deck file the way the build does: imports follow the folder rule, under `root`. */
function parseFile(file: string, root = dirname(file)): Deck {
  const path = resolve(file);
  return parseDeck(readFileSync(path, 'utf8'), {
    file,
    readImport: slidevImports(path, root),
    importChain: [relative(process.cwd(), path) || path],
  });
}

const model = (deck: Deck) =>
  deck.slides.map((s) => ({
    lines: s.lines,
    layout: s.layout,
    title: s.title,
    classes: s.classes,
    ...(s.background === undefined ? {} : { background: s.background }),
    ...(s.notes === '' ? {} : { notes: s.notes }),
  }));

const codes = (deck: Deck) => deck.diagnostics.map((d) => `${d.code}@${d.line}`);

describe('Slidev front-matter values', () => {
  it("maps Slidev's transitions to ours with a warning at the line, deck-wide and per slide", () => {
    const deck = parse('slidev-transition.md');
    expect(deck.dialect.name).toBe('slidev');
    expect(deck.config.transition).toBe('slide');
    expect(deck.slides.map((s) => s.attributes['data-transition'])).toEqual([undefined, 'fade']);
    const foreign = deck.diagnostics.filter((d) => d.code === 'foreign-value');
    expect(foreign.map((d) => [d.line, d.file])).toEqual([
      [4, 'slidev-transition.md'],
      [11, 'slidev-transition.md'],
    ]);
    expect(foreign[0]?.message).toContain('"slide-left"');
    expect(foreign[0]?.message).toContain('"slide" is used');
    expect(foreign[1]?.message).toContain('"fade" is used');
  });

  it("in decksmith's own dialect an invalid transition stays an error", () => {
    expect(() => parse('slidev-transition-ours.md')).toThrow(FrontMatterError);
    expect(() => parse('slidev-transition-ours.md')).toThrow(/transition/);
  });

  it.each([
    ['ethan-arrowood-self-hosting-nextjs', 48],
    ['psea-ts-type-level', 39],
  ])('the corpus deck %s parses (its transition: slide-left is a warning) to its intended %i slides', (name, intended) => {
    const deck = parseFile(join(CORPUS, name, 'slides.md'));
    expect(deck.slides).toHaveLength(intended);
    expect(deck.diagnostics.some((d) => d.code === 'foreign-value' && d.line !== undefined)).toBe(true);
  });
});

describe('Slidev per-slide front matter and layouts', () => {
  it('reads each block as the slide it opens, never as a heading; layouts map to ours', () => {
    const deck = parse('slidev-layouts.md');
    expect(deck.dialect.name).toBe('slidev');
    expect(model(deck)).toEqual([
      { lines: [7, 9], layout: 'title', title: 'The cover', classes: ['slidev-cover', 'text-center'], background: './bg.png' },
      { lines: [11, 16], layout: 'section', title: 'Centred', classes: ['slidev-center', 'big', 'loud'] },
      { lines: [18, 30], layout: 'compare', title: 'Left', classes: ['slidev-two-cols'] },
      { lines: [32, 37], layout: 'compare', title: 'Words beside a picture', classes: ['slidev-image-right'] },
      { lines: [39, 45], layout: 'quote', title: '', classes: ['slidev-quote'] },
      // Front matter only, as Slidev counts it; its title: is the slide's title.
      { lines: [47, 50], layout: 'section', title: 'Part two', classes: ['slidev-section'] },
      // hide: true leaves lines 52-56 out, as Slidev does.
      { lines: [58, 66], layout: 'section', title: '42', classes: ['slidev-fact'], notes: 'The note of the fact slide.' },
      { lines: [68, 71], layout: 'closing', title: 'Bye', classes: ['slidev-end'] },
    ]);
    for (const slide of deck.slides) expect(slide.markdown).not.toMatch(/layout:|class:|image:|hide:/);
    // Keys decksmith has nothing for: one warning per slide, at the first such key.
    expect(codes(deck)).toEqual(['unknown-key@60']);
    expect(deck.diagnostics[0]?.message).toContain('"color"');
  });

  it('two-cols: the text before ::right:: is the left column, the rest the right; image-right puts the image in a column', () => {
    const deck = parse('slidev-layouts.md');
    const columns = (i: number) =>
      (deck.slides[i]?.tokens ?? [])
        .filter((t) => t.type === 'container')
        .map((c) =>
          ((c as SlideToken & { tokens: SlideToken[] }).tokens ?? []).filter((t) => t.type !== 'space').map((t) => [t.type, t.line]),
        );
    expect(columns(2)).toEqual([
      [
        ['heading', 21],
        ['paragraph', 23],
      ],
      [
        ['heading', 27],
        ['paragraph', 29],
      ],
    ]);
    expect(columns(3)).toEqual([[['heading', 36]], [['html', 33]]]);
    const html = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    });
    expect(html.slides[2]?.html).toMatch(/class="ds-column">\s*<h3[^>]*>Left<\/h3>[\s\S]*class="ds-column">\s*<h3[^>]*>Right<\/h3>/);
    expect(html.slides[2]?.html).not.toContain('::right::');
    expect(html.slides[3]?.html).toMatch(/<img src="[^"]*side\.png"/);
  });
});

describe('Slidev src: imports', () => {
  it("splices the imported file's slides in, positioned in that file; cycles and files outside the root are refused at the line", () => {
    const main = fixture('dialects/slidev-import/slides.md');
    const deck = parseFile(main);
    const part = relative(process.cwd(), fixture('dialects/slidev-import/pages/part.md'));
    const loop = relative(process.cwd(), fixture('dialects/slidev-import/pages/loop.md'));
    expect(deck.slides.map((s) => [s.index, s.h, s.title, s.file, s.lines, s.classes])).toEqual([
      [0, 0, 'Main', undefined, [4, 6], []],
      // The importing slide's class: applies to each imported slide.
      [1, 1, 'Part one', part, [4, 6], ['slidev-center', 'imported']],
      [2, 2, 'Part two', part, [8, 11], ['imported']],
      [3, 3, 'Looping', loop, [1, 2], []],
      [4, 4, '', loop, [4, 5], []],
      [5, 5, 'After the imports', undefined, [17, 20], []],
    ]);
    // Tokens of an imported slide carry the imported file's lines.
    expect(deck.slides[2]?.tokens.find((t) => t.type === 'paragraph')?.line).toBe(11);
    const refused = deck.diagnostics.filter((d) => d.code === 'import-refused');
    expect(refused.map((d) => [d.file, d.line])).toEqual([
      [loop, 4],
      [main, 17],
    ]);
    expect(refused[0]?.message).toContain('cycle');
    expect(refused[1]?.message).toContain('outside');
  });

  it('follows the imports of the 0phoff corpus deck to its intended 44 slides', () => {
    expect(parseFile(join(CORPUS, '0phoff-phd-defense', 'slides.md')).slides).toHaveLength(44);
  });

  it('without a file reader an import is not followed, and says so', () => {
    const deck = parseDeck('---\ntheme: default\n---\n\n# A\n\n---\nsrc: ./b.md\n---\n', { file: 'x.md' });
    expect(codes(deck)).toContain('import-refused@8');
  });
});

describe('Slidev clicks and components', () => {
  it('v-click, <v-click>, <v-clicks> and v-after become fragments; components and <script> warn once per kind per slide', () => {
    const deck = parse('slidev-clicks.md');
    const html = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    });
    const first = html.slides[0]?.html ?? '';
    expect(first).toContain('<li class="fragment">one</li>');
    expect(first).toContain('<li class="fragment">two</li>');
    expect(first).toMatch(/<div class="fragment"><p>Shown at once<\/p>/);
    expect(first).toContain('<div class="fragment box">A box</div>');
    expect(first).toContain('<span class="fragment">inline</span>');
    expect(first).not.toMatch(/v-click/);
    expect(html.slides[1]?.html).toContain('Kept text');
    expect(codes(deck).filter((c) => c.startsWith('vue-component'))).toEqual(['vue-component@28', 'vue-component@32']);
    expect(html.diagnostics.filter((d) => d.message.includes('v-click'))).toEqual([]);
  });
});

describe('Slidev components kept as their text', () => {
  const render = (deck: Deck) =>
    renderDeck(deck, { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: 'test' });

  it('a component start tag over several lines is one tag: its attributes are never slide text, its content stays', () => {
    const deck = parse('slidev-components.md');
    const first = deck.slides[0];
    // The tag is an HTML block at its first line; no paragraph of attributes, no blockquote from its lone ">".
    expect(first?.tokens.filter((t) => t.type !== 'space').map((t) => `${t.type}@${t.line}`)).toEqual([
      'heading@5',
      'html@7',
      'paragraph@13',
      'html@15',
      'html@17',
      'heading@19',
      'paragraph@20',
      'html@22',
    ]);
    expect(first?.lines).toEqual([4, 23]);
    const html = render(deck).slides[0]?.html ?? '';
    expect(html).toContain('How can we adapt detection?');
    expect(html).toContain('Kept in the block');
    expect(html).not.toMatch(/color-opacity|w-full|<blockquote/);
    // Its v-click="1" survives the component: its content appears on a click, the other block's does not.
    expect(html).toMatch(/<div class="fragment">\s*<p>How can we adapt detection\?<\/p>\s*<\/div>/);
    expect(html.match(/class="fragment"/g)).toHaveLength(1);
    // One warning per kind per slide, at the first component's line.
    expect(codes(deck).filter((c) => c.startsWith('vue-component'))).toEqual(['vue-component@7']);
  });

  it('a clicked component inline, or nested in another, keeps its click and its text; the outer one closes where it did', () => {
    const deck = parseDeck(
      '---\ntheme: default\n---\n\n# Clicks\n\nSome <Badge v-click>BADGE</Badge> text\n\n<Card>\n\n<Note v-after class="x">\n\nNOTE\n\n</Note>\n\nAFTER\n\n</Card>\n',
      { file: 'x.md' },
    );
    const html = render(deck).slides[0]?.html ?? '';
    // v-after shows with the click before it: one step, so both carry reveal.js's index.
    expect(html).toContain('<span class="fragment" data-fragment-index="0">BADGE</span>');
    expect(html).toMatch(/<div class="fragment" data-fragment-index="0">\s*<p>NOTE<\/p>\s*<\/div>/);
    expect(html).toMatch(/<\/div>\s*<p>AFTER<\/p>/);
    expect(html.match(/class="fragment"/g)).toHaveLength(2);
  });

  it('a slide that is only front matter shows its title:, never an empty page', () => {
    const deck = parse('slidev-components.md');
    expect(model(deck)[1]).toEqual({ lines: [25, 28], layout: 'section', title: 'Section Plane', classes: ['slidev-section'] });
    expect(render(deck).slides[1]?.html).toMatch(/<h1[^>]*>Section Plane<\/h1>/);
  });

  it('figures one after another sit in one row, each image held to a readable height', () => {
    const deck = parse('slidev-components.md');
    const html = render(deck).slides[2]?.html ?? '';
    expect(html).toMatch(
      /<div class="slidev-figures" style="display: flex;[^"]*">\s*<figure[^>]*class="fragment"[^>]*>[\s\S]*Yolo III[\s\S]*<\/figure>\s*<figure[\s\S]*DYolo[\s\S]*<\/figure><\/div>/,
    );
    expect(html.match(/<img style="max-height: 12em;/g)).toHaveLength(2);
    expect(html).toContain('59.67%');
  });
});

describe('Slidev numbered and hiding clicks', () => {
  const slides = (source: string): string[] =>
    renderDeck(parseDeck(`---\ntheme: default\n---\n\n${source}`, { file: 'clicks.md' }), {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    }).slides.map((s) => s.html);
  /** Each fragment's text and reveal.js index (or classes), in document order. */
  const steps = (html: string): string[] =>
    [...html.matchAll(/<(\w+) class="([^"]*\bfragment\b[^"]*)"(?: data-fragment-index="(\d+)")?[^>]*>\s*(?:<p>)?([^<]*)/g)].map(
      (m) => `${(m[4] ?? '').trim()}@${m[3] ?? '-'}${(m[2] ?? '').includes('fade-out') ? ' out' : ''}`,
    );

  it('numbered clicks get reveal.js indices in Slidev order: v-click="N" is click N', () => {
    const [html] = slides('# N\n\n<div v-click="3">C</div>\n<div v-click="1">A</div>\n<div v-click="2">B</div>\n');
    expect(steps(html ?? '')).toEqual(['C@2', 'A@0', 'B@1']);
  });

  it("numbered and unnumbered on one slide: absolute numbers leave Slidev's counter where it was, '-1' moves it back", () => {
    const [html] = slides(
      `# Mixed\n\n<div v-click>one</div>\n<div v-click="3">three</div>\n<div v-click>two</div>\n<div v-click="'-1'">also one</div>\n<div v-click="4">four</div>\n<div v-click="[5, 6]">five</div>\n`,
    );
    expect(steps(html ?? '')).toEqual(['one@0', 'three@2', 'two@1', 'also one@0', 'four@3', 'five@4']);
  });

  it('v-after shares the index of the click before it; first on its slide it is shown from the start', () => {
    const [html] = slides(
      '# After\n\n<span v-after>always</span>\n\n<div v-click>A</div>\n<div v-after>with A</div>\n<div v-click>B</div>\n<div v-after="7">at seven</div>\n',
    );
    expect(steps(html ?? '')).toEqual(['A@0', 'with A@0', 'B@1', 'at seven@6']);
    expect(html).toContain('<span>always</span>');
  });

  it('<v-clicks> items get consecutive indices on a numbered slide, nested items come with theirs; <v-click at> as a block', () => {
    const [html] = slides(
      '# List\n\n<div v-click>first</div>\n\n<v-clicks>\n\n- a\n  - a.1\n- b\n- c\n\n</v-clicks>\n\n<v-click at="2">\n\nWith **a**\n\n</v-click>\n\n<div v-click="1">with first</div>\n',
    );
    expect(html).toContain('<li class="fragment" data-fragment-index="1">a <ul>\n<li>a.1</li>');
    expect(html).toContain('<li class="fragment" data-fragment-index="2">b</li>');
    expect(html).toContain('<li class="fragment" data-fragment-index="3">c</li>');
    expect(html).toMatch(/<div class="fragment" data-fragment-index="1">\s*<p>With <strong>a<\/strong><\/p>\s*<\/div>/);
    expect(steps(html ?? '')).toContain('with first@0');
    expect(html).not.toMatch(/v-click|element:/);
    // Paragraphs straight inside <v-clicks> are a step each, as they are on a slide without numbers.
    const [paragraphs] = slides('# P\n\n<v-clicks>\n\nPara one\n\nPara two\n\n</v-clicks>\n\n<div v-click="1">with one</div>\n');
    expect(steps(paragraphs ?? '')).toEqual(['Para one@0', 'Para two@1', 'with one@0']);
  });

  it('<v-click> tags inside a larger HTML block (0phoff-phd-defense) are fragments too, each closed where it ends', () => {
    const deck = parseDeck(
      '---\ntheme: default\n---\n\n# T\n\n<v-click at="1">\n\nRecall\n\n</v-click>\n<v-click at="3">\n\nAverage\n\n</v-click>\n\n<v-click at="2">\n<div v-click-hide="3" class="ex">Example</div>\n</v-click>\n',
      { file: 't.md' },
    );
    const rendered = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 't',
    });
    const html = rendered.slides[0]?.html ?? '';
    expect(html).toMatch(/<div class="fragment" data-fragment-index="0">\s*<p>Recall<\/p>\s*<\/div>/);
    expect(html).toMatch(/<div class="fragment" data-fragment-index="2">\s*<p>Average<\/p>\s*<\/div>/);
    expect(html).toMatch(
      /<div class="fragment" data-fragment-index="1">\s*<div class="fragment fade-out ex" data-fragment-index="2">Example<\/div>\s*<\/div>/,
    );
    expect([...deck.diagnostics, ...rendered.diagnostics].map((d) => d.code)).toEqual([]);
  });

  it('v-click-hide and v-click.hide fade out at their click; a question hides as its answer shows', () => {
    const [numbered, plain] = slides(
      '# Q\n\n<div v-click="1">Question</div>\n<div v-click-hide="2">Hint</div>\n<div class="answer" v-click="2">Answer</div>\n\n---\n\n# Plain\n\n<div v-click>shown</div>\n<div v-click.hide>hidden</div>\n\n<v-click hide>\n\nBlock\n\n</v-click>\n',
    );
    expect(numbered).toContain('<div class="fragment fade-out" data-fragment-index="1">Hint</div>');
    expect(numbered).toContain('<div class="fragment answer" data-fragment-index="1">Answer</div>');
    expect(steps(numbered ?? '')).toEqual(['Question@0', 'Hint@1 out', 'Answer@1']);
    expect(steps(plain ?? '')).toEqual(['shown@0', 'hidden@1 out', 'Block@2 out']);
  });

  it('a slide whose clicks come one by one is unchanged: no index, byte for byte, beside a numbered one', () => {
    // The expected HTML is what decksmith rendered for this slide before clicks were numbered.
    const plain =
      '# Plain\n\n<v-clicks>\n\n- x\n- y\n\n</v-clicks>\n\n<v-click>\n\nShown\n\n</v-click>\n\n<div v-click class="box">A box</div>\n';
    const [numbered, same] = slides(`# N\n\n<div v-click="2">two</div>\n<div v-click="1">one</div>\n\n---\n\n${plain}`);
    expect(steps(numbered ?? '')).toEqual(['two@1', 'one@0']);
    expect(same).toBe(
      '<div class="ds-body">\n<h1>Plain</h1>\n<ul>\n<li class="fragment">x</li>\n<li class="fragment">y</li>\n</ul>\n<div class="fragment"><p>Shown</p>\n</div>\n<div class="fragment box">A box</div>\n</div>\n',
    );
    expect(same).toBe(slides(plain)[0]);
  });
});
