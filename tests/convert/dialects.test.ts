/**
 * `convertDeck` per dialect, on small decks of our own: the exact converted text, the lines it
 * lists as not converted, and that the result read in decksmith's dialect has the slides, notes,
 * classes and layouts the original had in its own.
 */
import { describe, expect, it } from 'vitest';
import { convertDeck } from '../../src/convert/index.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';

/** What a reader of the slide model sees of each slide. */
function model(source: string, dialect?: 'decksmith') {
  return parseDeck(source, dialect === undefined ? {} : { dialect }).slides.map((s) => ({
    h: s.h,
    v: s.v,
    title: s.title,
    layout: s.layout,
    notes: s.notes,
    classes: s.classes,
  }));
}

function converted(source: string, name: string) {
  const result = convertDeck(source, { file: `${name}.md` });
  // The converted deck says what the original meant, slide by slide.
  expect(model(result.text)).toEqual(model(source));
  return { text: result.text, listed: result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.code}`), dialect: result.deck.dialect.name };
}

describe('convert', () => {
  it('Marp: theme mapped, spot class, fit heading, bg images, notes, step lists, image sizes, header', () => {
    const source = [
      '---',
      'marp: true',
      'theme: gaia',
      'paginate: true',
      'header: My talk',
      '---',
      '',
      '<!-- _class: lead -->',
      '',
      '# <!--fit--> Hello',
      '',
      '![bg grayscale](sky.png)',
      '',
      '<!-- A note for the speaker -->',
      '',
      '---',
      '',
      '<!-- backgroundColor: #123 -->',
      '',
      '## Steps',
      '',
      '* one',
      '* two',
      '',
      '![bg left:40%](side.png)',
      '',
      '![w:200 sepia](small.png)',
      '',
    ].join('\n');
    const { text, listed, dialect } = converted(source, 'marp');
    expect(dialect).toBe('marp');
    expect(text).toBe(
      [
        '---',
        'theme: editorial',
        'slideNumber: true',
        'dialect: decksmith',
        '---',
        '',
        '<!-- layout: default',
        '     class: lead',
        '     background: sky.png -->',
        '',
        '<!-- Marp header: My talk -->',
        '',
        '# <!--fit--> Hello',
        '',
        'Note:',
        'A note for the speaker',
        '',
        '---',
        '',
        '<!-- background: #123 -->',
        '',
        '<!-- Marp header: My talk -->',
        '',
        '![](side.png)',
        '',
        '## Steps',
        '',
        '::: fragments',
        '* one',
        '* two',
        ':::',
        '',
        '<img src="small.png" alt="" style="width: 200px; filter: sepia(1);">',
        '',
      ].join('\n'),
    );
    expect(listed).toEqual([
      'marp.md:7: not-converted',
      'marp.md:10: not-converted',
      'marp.md:12: not-converted',
      'marp.md:25: not-converted',
    ]);
  });

  it('reveal-md: front-matter separators become ours, notes and attribute comments stay', () => {
    const source = [
      '---',
      'title: Deck',
      'separator: "^\\\\+\\\\+\\\\+$"',
      'verticalSeparator: "^>>>$"',
      '---',
      '',
      '# One',
      '',
      'Note: first note',
      '',
      '+++',
      '',
      '# Two',
      '<!-- .slide: data-background-color="#222" -->',
      '',
      '- a <!-- .element: class="fragment" -->',
      '',
      '>>>',
      '',
      '## Two down',
      '',
    ].join('\n');
    const { text, listed } = converted(source, 'reveal');
    expect(text).toBe(
      [
        '---',
        'title: Deck',
        'dialect: decksmith',
        '---',
        '',
        '# One',
        '',
        'Note:',
        'first note',
        '',
        '---',
        '',
        '<!-- .slide: data-background-color="#222" -->',
        '',
        '# Two',
        '',
        '- a <!-- .element: class="fragment" -->',
        '',
        '----',
        '',
        '## Two down',
        '',
      ].join('\n'),
    );
    expect(listed).toEqual([]);
  });

  it("reveal-md: revealOptions' plain values become our reveal:, the rest is kept and listed", () => {
    const source = [
      '---',
      'title: Deck',
      'revealOptions:',
      '  width: 1024',
      '  transition: fade',
      '  keyboard:',
      '    13: next',
      '---',
      '',
      '# One',
      '',
      'Note: first note',
      '',
    ].join('\n');
    const result = convertDeck(source, { file: 'opts.md', dialect: 'reveal-md' });
    expect(result.text).toBe(
      [
        '---',
        'title: Deck',
        'dialect: decksmith',
        'reveal:',
        '  width: 1024',
        '  transition: fade',
        '#| revealOptions:',
        '#|   width: 1024',
        '#|   transition: fade',
        '#|   keyboard:',
        '#|     13: next',
        '---',
        '',
        '# One',
        '',
        'Note:',
        'first note',
        '',
      ].join('\n'),
    );
    expect(parseDeck(result.text).config.reveal).toEqual({ width: 1024, transition: 'fade' });
    expect(result.diagnostics.map((d) => `${d.line}: ${d.code}`)).toEqual(['3: not-converted']);
  });

  it('Slidev: headmatter, per-slide front matter, two-cols slots, clicks, comment notes', () => {
    const source = [
      '---',
      'theme: seriph',
      'title: Slidev deck',
      '---',
      '',
      '# Welcome',
      '',
      '<!-- welcome note -->',
      '',
      '---',
      'layout: two-cols',
      'class: text-left',
      '---',
      '',
      '# Left',
      '',
      '::right::',
      '',
      '# Right',
      '',
      '---',
      'layout: center',
      'mystery: 3',
      '---',
      '',
      '<v-clicks>',
      '',
      '- x',
      '- y',
      '',
      '</v-clicks>',
      '',
      '<div v-click>later</div>',
      '',
    ].join('\n');
    const { text, listed } = converted(source, 'slidev');
    expect(text).toBe(
      [
        '---',
        'title: Slidev deck',
        'theme: editorial',
        'dialect: decksmith',
        '---',
        '',
        '# Welcome',
        '',
        'Note:',
        'welcome note',
        '',
        '---',
        '',
        '<!-- layout: compare',
        '     class: slidev-two-cols text-left -->',
        '',
        '::: column',
        '# Left',
        ':::',
        '',
        '::: column',
        '# Right',
        ':::',
        '',
        '---',
        '',
        '<!-- layout: section',
        '     class: slidev-center -->',
        '',
        '<!-- not converted (line 23):',
        'mystery: 3',
        '-->',
        '',
        '::: fragments',
        '- x',
        '- y',
        ':::',
        '',
        '<div class="fragment">later</div>',
        '',
      ].join('\n'),
    );
    // Once, saying where the line went (not also the parser's warning at that line).
    expect(listed).toEqual(['slidev.md:23: not-converted']);
  });

  it('Slidev: numbered clicks, v-after, v-clicks and v-click-hide keep their order and fading in the converted deck', () => {
    const source = [
      '---',
      'theme: default',
      '---',
      '',
      '# Clicks',
      '',
      '<div v-click="3">third</div>',
      '<div v-click>first</div>',
      '<div v-after>with first</div>',
      '',
      '<v-clicks>',
      '',
      '- item a',
      '  - nested',
      '- item b',
      '',
      '</v-clicks>',
      '',
      '<v-click at="2">',
      '',
      'Block at **two**',
      '',
      '</v-click>',
      '',
      '<div v-click-hide="2" class="q">question</div>',
      '',
    ].join('\n');
    const { text } = converted(source, 'slidev');
    const html = (markdown: string) =>
      renderDeck(parseDeck(markdown), {
        templates: loadTemplates(),
        theme: resolveTheme('paper', '.'),
        runtime: resolveRuntime(),
        version: 't',
      }).slides[0]?.html ?? '';
    /** Each fragment: its tag, classes and index, in document order. */
    const fragments = (markdown: string) =>
      [...html(markdown).matchAll(/<(\w+) class="([^"]*fragment[^"]*)" data-fragment-index="(\d+)"/g)].map(
        (m) => `${m[1]}.${m[2]}@${m[3]}`,
      );
    expect(fragments(source)).toEqual([
      'div.fragment@2',
      'div.fragment@0',
      'div.fragment@0',
      'li.fragment@1',
      'li.fragment@2',
      'div.fragment@1',
      'div.fragment fade-out q@1',
    ]);
    expect(fragments(text)).toEqual(fragments(source));
    expect(text).toContain('- item a <!-- .element: class="fragment" data-fragment-index="1" -->\n  - nested\n');
    expect(text).not.toMatch(/v-click|v-after|:::/);
  });

  it('remark: property lines, ??? notes, -- increments as fragments, .class[] spans', () => {
    const source = [
      'class: center, middle',
      '',
      '# Title',
      '',
      '???',
      'Presenter notes',
      '',
      '---',
      'class: inverse',
      '',
      '## Increments',
      '',
      '- first',
      '',
      '--',
      '',
      '- second',
      '',
      '.red[warning]',
      '',
    ].join('\n');
    const { text, listed, dialect } = converted(source, 'remark');
    expect(dialect).toBe('remark');
    expect(text).toBe(
      [
        '---',
        'dialect: decksmith',
        '---',
        '',
        '<!-- class: center middle -->',
        '',
        '# Title',
        '',
        'Note:',
        'Presenter notes',
        '',
        '---',
        '',
        '<!-- class: inverse -->',
        '',
        '## Increments',
        '',
        '- first',
        '',
        '::: fragment',
        '- second',
        '',
        '<span class="red">warning</span>',
        ':::',
        '',
      ].join('\n'),
    );
    expect(listed).toEqual([]);
  });

  it('remark: a rule the dialect did not split on stays a rule, not a vertical slide', () => {
    const source = ['class: middle', '', '# Heading', '----', '- item', '', '???', 'notes', '', '-----', 'more notes', ''].join('\n');
    const { text } = convertDeck(source, { file: 'rule.md' });
    expect(parseDeck(text).slides.map((s) => [s.h, s.v, s.title])).toEqual([[0, 0, 'Heading']]);
    expect(text).toContain('# Heading\n<hr>\n\n- item');
    expect(text).toContain('Note:\nnotes\n\n<hr>\n\nmore notes');
  });

  it('Deckset: settings, [fit] headings, ^ notes, split and inline images, build-lists', () => {
    const source = [
      'autoscale: true',
      'build-lists: true',
      'footer: © Me',
      'theme: Fira',
      '',
      '# [fit] Big title',
      '',
      '^ A note',
      '',
      '---',
      '',
      '![left, fit](pic.jpg)',
      '',
      '## Split',
      '',
      '- a',
      '- b',
      '',
      '![inline](in.png)',
      '',
    ].join('\n');
    const { text, listed, dialect } = converted(source, 'deckset');
    expect(dialect).toBe('deckset');
    expect(text).toBe(
      [
        '---',
        'footer: © Me',
        'fit: true',
        'dialect: decksmith',
        '---',
        '',
        '<!-- not converted (line 4):',
        'theme: Fira',
        '-->',
        '',
        '# Big title',
        '',
        'Note:',
        'A note',
        '',
        '---',
        '',
        '![](pic.jpg)',
        '',
        '## Split',
        '',
        '::: fragments',
        '- a',
        '- b',
        ':::',
        '',
        '![](in.png)',
        '',
      ].join('\n'),
    );
    expect(listed).toEqual(['deckset.md:4: not-converted', 'deckset.md:6: not-converted', 'deckset.md:12: not-converted']);
  });

  it('pandoc: % title block to front matter, slide-level headings to separators', () => {
    const source = [
      '% Pandoc talk',
      '% Ann Author',
      '% 2020',
      '',
      '# Section',
      '',
      '## First slide',
      '',
      'Text',
      '',
      '## Second slide',
      '',
      'More',
      '',
    ].join('\n');
    const { text, listed } = converted(source, 'pandoc');
    expect(text).toBe(
      [
        '---',
        'title: Pandoc talk',
        'author: Ann Author',
        'date: "2020"',
        'dialect: decksmith',
        '---',
        '',
        '<!-- layout: title',
        '     class: pandoc-title -->',
        '',
        '# Pandoc talk',
        '',
        '---',
        '',
        '# Section',
        '',
        '---',
        '',
        '## First slide',
        '',
        'Text',
        '',
        '---',
        '',
        '## Second slide',
        '',
        'More',
        '',
      ].join('\n'),
    );
    expect(listed).toEqual([]);
  });

  it('notes that open with a list, a rule or a line that would underline "Note:" stay notes', () => {
    const source = [
      '---',
      'marp: true',
      '---',
      '',
      '# A',
      '',
      '<!--',
      '- point one',
      '- point two',
      '-->',
      '',
      '---',
      '',
      '# B',
      '',
      '<!--',
      '==',
      'under a line of equals signs',
      '-->',
      '',
      '---',
      '',
      '# C',
      '',
      '<!--',
      '---',
      'after a rule',
      '-->',
      '',
    ].join('\n');
    const { text } = convertDeck(source, { file: 'notes.md' });
    // Right under "Note:", "==" would make it a heading shown on the slide, and the notes would be lost.
    expect(parseDeck(text).slides.map((s) => [s.title, s.notes])).toEqual([
      ['A', '- point one\n- point two'],
      ['B', '==\nunder a line of equals signs'],
      ['C', '<hr>\n\nafter a rule'],
    ]);
    expect(text).toContain('# A\n\nNote:\n\n- point one\n- point two\n');
    expect(text).toContain('# C\n\nNote:\n\n<hr>\n\nafter a rule\n');
  });

  it("a deck in decksmith's own dialect converts to itself, byte for byte", () => {
    const source = '---\ntitle: Mine\n---\n\n# Mine\r\n\n---\n\nNote: hello\n';
    const result = convertDeck(source, { file: 'own.md' });
    expect(result.unchanged).toBe(true);
    expect(result.text).toBe(source);
    expect(result.diagnostics).toEqual([]);
  });

  it('image paths are rewritten to stay valid from the output folder', () => {
    const source = '---\nmarp: true\n---\n\n# A\n\n![w:100](img/a.png) ![](img/b%20c.png "t")\n';
    const result = convertDeck(source, { file: 'deck.md', sourceDir: '/talks/old', outDir: '/talks/new/out' });
    expect(result.text).toContain('<img src="../../old/img/a.png" alt="" style="width: 100px;"> ![](../../old/img/b%20c.png "t")');
  });
});

describe('the library', () => {
  it('exports convertDeck and convertFile', async () => {
    const api = await import('../../src/index.js');
    expect(api.convertDeck).toBe(convertDeck);
    expect(typeof api.convertFile).toBe('function');
    expect(api.defaultConvertOut('talks/marp.md')).toBe('talks/marp.decksmith.md');
  });
});
