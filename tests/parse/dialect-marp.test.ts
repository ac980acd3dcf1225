/**
 * Marp decks read by Marp's rules (issue #12): `headingDivider` splitting, global/local/spot
 * directives, `<style>` blocks and the image keywords that make backgrounds, each on a fixture of
 * our own with the slide model it must give.
 */
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import type { Deck } from '../../src/types.js';
import { readFixture } from '../helpers.js';

const parse = (name: string): Deck => parseDeck(readFixture(`dialects/${name}`), { file: name });

const model = (deck: Deck) =>
  deck.slides.map((s) => ({
    lines: s.lines,
    title: s.title,
    classes: s.classes,
    ...(s.background === undefined ? {} : { background: s.background }),
    ...(s.footer === undefined || s.footer === '' ? {} : { footer: s.footer }),
    ...(s.header === undefined ? {} : { header: s.header }),
    ...(Object.keys(s.attributes).length === 0 ? {} : { attributes: s.attributes }),
  }));

describe('Marp headingDivider', () => {
  it('front matter headingDivider: 2 starts a slide at every # and ## heading, not at ### and not twice after ---', () => {
    const deck = parse('marp-divider.md');
    expect(deck.dialect.name).toBe('marp');
    expect(deck.slides.map((s) => ({ lines: s.lines, title: s.title, classes: s.classes }))).toEqual([
      { lines: [5, 11], title: 'Deck title', classes: ['lead'] },
      { lines: [12, 20], title: 'First section', classes: [] },
      { lines: [22, 26], title: 'Right after a separator', classes: [] },
      { lines: [27, 27], title: 'Last', classes: [] },
    ]);
    expect(deck.slides[1]?.markdown).toContain('### Not a divider');
    // headingDivider is Marp's key, read here: no "unknown front-matter key" for it.
    expect(deck.diagnostics.filter((d) => d.code === 'unknown-key')).toEqual([]);
  });

  it('a list of levels in a directive comment splits at those levels only', () => {
    const deck = parse('marp-divider-comment.md');
    expect(deck.slides.map((s) => ({ lines: s.lines, title: s.title }))).toEqual([
      { lines: [4, 10], title: 'One' },
      { lines: [11, 12], title: 'Three' },
      { lines: [13, 13], title: 'Four' },
    ]);
    expect(deck.slides[0]?.markdown).toContain('## Two stays on slide one');
    expect(deck.slides[0]?.markdown).not.toContain('headingDivider');
  });

  it('the same deck read as decksmith splits only at ---', () => {
    expect(parseDeck(readFixture('dialects/marp-divider.md'), { dialect: 'decksmith' }).slides).toHaveLength(2);
  });
});

describe('Marp directives', () => {
  it('local directives carry forward, spot directives hold once, globals set the deck', () => {
    const deck = parse('marp-directives.md');
    expect(deck.config.theme).toBe('gaia');
    expect(deck.config.size).toBe('4:3');
    const page = (n: number) => ({ 'data-marpit-pagination': String(n), 'data-marpit-pagination-total': '4' });
    expect(model(deck)).toEqual([
      {
        lines: [11, 13],
        title: 'One',
        classes: ['invert'],
        background: '#fff',
        footer: 'Deck footer',
        header: 'Deck header',
        attributes: page(1),
      },
      { lines: [15, 21], title: 'Two', classes: ['lead'], background: '#fff', header: 'Deck header' },
      {
        lines: [23, 30],
        title: 'Three',
        classes: ['lead'],
        background: '#123456',
        footer: 'Deck footer',
        attributes: { style: 'color: white; --ds-fg: white; --ds-heading: white;', ...page(3) },
      },
      {
        lines: [32, 38],
        title: 'Four',
        classes: ['lead'],
        background: "url('img/back.png')",
        footer: 'Deck footer',
        attributes: { 'data-background-color': '#fff', 'data-background-size': 'contain' },
      },
      {
        lines: [40, 53],
        title: 'Five',
        classes: ['gaia'],
        background: "url('img/back.png')",
        footer: 'Later footer',
        attributes: { 'data-background-color': '#fff', 'data-background-size': 'contain', ...page(4) },
      },
    ]);
    // `_footer: ""` hides the footer on that slide only.
    expect(deck.slides[1]?.footer).toBe('');
    for (const slide of deck.slides) expect(slide.markdown).not.toMatch(/paginate|_class|<style|backgroundImage/);
    expect(deck.styles).toEqual([
      { css: '\nh1 { letter-spacing: 0.1em; }\n', line: 47 },
      { css: '\nh1 { color: red; }\n', line: 51, slide: 4 },
    ]);
    expect(deck.diagnostics.filter((d) => d.code === 'unknown-key' || d.code === 'unknown-directive')).toEqual([]);
  });

  it('a front-matter class list, Markdown in a footer shown as its text, and no inferred layouts', () => {
    const deck = parseDeck(
      '---\nmarp: true\nclass:\n  - lead\n  - invert\nfooter: "by [me](https://x.example) **now**"\n---\n\n# Title\n\n---\n\n## Only a heading\n',
    );
    expect(deck.slides.map((s) => [s.classes, s.footer, s.layout])).toEqual([
      [['lead', 'invert'], 'by me now', 'default'],
      [['lead', 'invert'], 'by me now', 'default'],
    ]);
  });

  it('front matter style: is the author CSS, and the comment that is no directive stays a note', () => {
    const deck = parseDeck('---\nmarp: true\nstyle: |\n  section { color: red; }\n---\n\n# A\n\n<!-- say this -->\n');
    expect(deck.styles).toEqual([{ css: 'section { color: red; }\n', line: 4 }]);
    expect(deck.slides[0]?.notes).toBe('say this');
  });
});

describe('Marp image keywords', () => {
  it('bg images become the slide background: split, several side by side, sizes, a colour', () => {
    const deck = parse('marp-images.md');
    expect(deck.slides.map((s) => ({ title: s.title, images: s.backgroundImages, split: s.split, background: s.background }))).toEqual([
      {
        title: 'Full background',
        images: [{ href: 'img/a.png', size: 'cover', line: 7, column: 1 }],
        split: undefined,
        background: undefined,
      },
      {
        title: 'Split left',
        images: [{ href: 'img/a.png', size: 'contain', line: 11, column: 1 }],
        split: { side: 'left', size: '40%' },
        background: undefined,
      },
      {
        title: 'Two images on the right half',
        images: [
          { href: 'img/a.png', size: 'cover', line: 19, column: 1 },
          { href: 'img/b.png', size: 'cover', line: 20, column: 1 },
        ],
        split: { side: 'right', size: '50%' },
        background: undefined,
      },
      {
        title: 'Sizes',
        images: [
          { href: 'img/a.png', size: '60%', line: 26, column: 1 },
          { href: 'img/b.png', size: '300px 200px', line: 27, column: 1 },
          { href: 'img/b.png', size: 'auto 50%', line: 28, column: 1 },
        ],
        split: undefined,
        background: undefined,
      },
      { title: 'Colour only', images: undefined, split: undefined, background: '#336699' },
      // Marp takes a bg image wherever it stands, here continuing a list item.
      {
        title: 'In a list',
        images: [{ href: 'img/c.png', size: 'cover', line: 50, column: 1 }],
        split: { side: 'right', size: '50%' },
        background: undefined,
      },
    ]);
    // The bg paragraphs leave the slide; inline images with size keywords stay.
    expect(deck.slides[0]?.markdown).toBe('\n# Full background');
    expect(deck.slides[3]?.markdown).toContain('![w:200](img/a.png)');
    expect(deck.slides.map((s) => s.layout)).not.toContain('image');
  });
});
