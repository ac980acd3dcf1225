/**
 * remark decks as remark shows them (issue #12, part B): slide properties, `layout: true`
 * templates, `template:`, `exclude`, `count: false`, `--` steps as fragments, and slide counts
 * as remark counts them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import type { Deck, SlideToken } from '../../src/types.js';
import { CORPUS } from '../corpus.js';
import { readFixture } from '../helpers.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });

describe('remark slide properties and templates', () => {
  it('reads property lines, applies and hides layout: true templates, leaves excluded slides out', () => {
    const deck = parse('remark-template.md');
    expect(deck.dialect.name).toBe('remark');
    expect(
      deck.slides.map((s) => ({
        lines: s.lines,
        title: s.title,
        classes: s.classes,
        attributes: s.attributes,
        ...(s.background === undefined ? {} : { background: s.background }),
        ...(s.notes === '' ? {} : { notes: s.notes }),
      })),
    ).toEqual([
      // The template (lines 1-5) is not a slide; its class and text come first on the next ones.
      { lines: [6, 7], title: 'Title slide', classes: ['center', 'middle', 'inverse'], attributes: {} },
      // layout:false ends the template; name: is the section's id; "--" is a step of this slide.
      { lines: [9, 21], title: 'Agenda', classes: ['lead'], attributes: { id: 'agenda' }, notes: 'Notes of the agenda' },
      { lines: [23, 26], title: 'Back to the template', classes: ['center', 'middle', 'inverse'], attributes: {} },
      // exclude: true (lines 28-31) is left out.
      { lines: [33, 37], title: 'Not counted', classes: [], attributes: { 'data-remark-count': 'false' }, background: 'img/bg.png' },
    ]);
    expect(deck.slides[0]?.markdown).toMatch(/^Template text on every slide\n# Title slide/);
    expect(deck.slides[2]?.markdown).toContain('Template text on every slide');
    expect(deck.slides[1]?.markdown).not.toContain('Template text');
    for (const slide of deck.slides) expect(slide.markdown).not.toMatch(/^(?:class|name|layout|template|count|exclude|background-image):/m);
    // A "Note:" line is not one of remark's properties here: it stays text.
    expect(deck.slides[3]?.markdown).toContain('Note: this line is text, not a property');
    const step = deck.slides[1]?.tokens.find((t) => t.type === 'container') as (SlideToken & { name: string }) | undefined;
    expect([step?.name, step?.line]).toEqual(['fragment', 17]);
  });

  it.each([
    ['lenagieseke-professorium-ki', 'ki_professorium_23_03.md', 32],
    ['mrkn-rubyconf2017-ruby-data-science', 'slide.md', 54],
    ['bigdatabiology-python-tips', 'talk.md', 40],
  ])('the corpus deck %s (%s) has the %i slides remark counts', (folder, name, intended) => {
    const file = join(CORPUS, folder, name);
    const deck = parseDeck(readFileSync(file, 'utf8'), { file });
    expect(deck.dialect.name).toBe('remark');
    expect(deck.slides).toHaveLength(intended);
  });
});

describe('remark content classes', () => {
  it('.name[…] becomes a span with that class, across line breaks, links and notes; unmatched brackets stay text', () => {
    const deck = parse('remark-spans.md');
    const rendered = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    });
    const html = rendered.slides[0]?.html ?? '';
    expect(html).toContain('<span class="header">A <em>header</em> line</span>');
    expect(html).toMatch(/<span class="logo big">\s*<img [^>]*><\/span>/);
    expect(html).toContain('<span class="footnote">a <a href="https://example.com">link</a> inside</span> and more');
    expect(html).toContain('<li><span class="task">item one</span></li>');
    expect(html).toContain('.unclosed[ stays as written');
    expect(rendered.slides[0]?.notesHtml).toContain('<span class="task">COMMENT:</span> said aloud');
    expect(deck.slides[0]?.classes).toEqual(['center']);
    expect(rendered.diagnostics.filter((d) => d.code === 'html-removed' || d.code === 'unclosed-html')).toEqual([]);
    // The span opens where ".header[" was written.
    const paragraph = deck.slides[0]?.tokens.find((t) => t.type === 'paragraph') as (SlideToken & { tokens: SlideToken[] }) | undefined;
    expect(paragraph?.tokens.map((t) => [t.type, t.line, t.column])[0]).toEqual(['html', 2, 1]);
  });
});

describe('remark columns', () => {
  it(".left-column[ and .right-column[ on lines of their own are the compare layout's columns", () => {
    const deck = parse('remark-columns.md');
    expect(deck.slides.map((s) => [s.layout, s.lines, s.classes])).toEqual([
      ['compare', [1, 11], ['split']],
      ['default', [13, 14], []],
    ]);
    const rendered = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    });
    const html = rendered.slides[0]?.html ?? '';
    expect(html).toMatch(/class="ds-column">\s*<h2[^>]*>Left title<\/h2>\s*<h3[^>]*>Sub<\/h3>\s*<\/div>/);
    expect(html).toMatch(/class="ds-column">\s*<p>Right text\nwith <em>two<\/em> lines<\/p>/);
    expect(html).not.toMatch(/column\[|<p>\]<\/p>/);
    expect(rendered.diagnostics).toEqual([]);
    expect(rendered.slides[1]?.html).toContain('<span class="left-column"> inline</span>');
  });
});
