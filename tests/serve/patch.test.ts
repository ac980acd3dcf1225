/**
 * What the server pushes to open pages after a save (src/serve/patch.ts): the slides whose
 * contents changed and nothing else; no patch at all when the change is more than contents or
 * when reading section tags as text could misread the page.
 */
import { describe, expect, it } from 'vitest';
import { slidePatch, splitSlides } from '../../src/serve/patch.js';

const page = (...slides: string[]) =>
  `<!doctype html><html><head><title>T</title><link rel="stylesheet" href="a.css"></head><body><div class="reveal"><div class="slides">${slides.join('\n')}</div></div><script>var s = 1;</script></body></html>`;
const slide = (i: number, body: string, attrs = '') =>
  `<section class="ds-slide" data-ds-index="${i}"${attrs}>\n<h2>${body}</h2>\n</section>`;
const stack = (...inner: string[]) => `<section class="ds-stack">\n${inner.join('')}</section>`;

describe('slidePatch', () => {
  it('names only the slides whose contents changed, with their new contents', () => {
    const before = page(slide(0, 'one'), slide(1, 'two'), slide(2, 'three'));
    const after = page(slide(0, 'one'), slide(1, 'TWO <em>now</em>'), slide(2, 'three'));
    expect(slidePatch(before, after)).toEqual({ shape: [0, 0, 0], slides: [{ at: 1, html: '\n<h2>TWO <em>now</em></h2>\n' }] });
  });

  it('counts the slides of a vertical stack in document order', () => {
    const before = page(slide(0, 'one'), stack(slide(1, 'a'), slide(2, 'b')), slide(3, 'four'));
    const after = page(slide(0, 'one'), stack(slide(1, 'a'), slide(2, 'B!')), slide(3, 'FOUR'));
    expect(slidePatch(before, after)).toEqual({
      shape: [0, 2, 0],
      slides: [
        { at: 2, html: '\n<h2>B!</h2>\n' },
        { at: 3, html: '\n<h2>FOUR</h2>\n' },
      ],
    });
  });

  it('is empty when only the frame is the same and no slide changed', () => {
    const same = page(slide(0, 'one'), slide(1, 'two'));
    expect(slidePatch(same, same)).toEqual({ shape: [0, 0], slides: [] });
  });

  it.each([
    ['a slide added', page(slide(0, 'one'), slide(1, 'two')), page(slide(0, 'one'), slide(1, 'two'), slide(2, 'three'))],
    [
      'a slide attribute changed',
      page(slide(0, 'one'), slide(1, 'two')),
      page(slide(0, 'one'), slide(1, 'two', ' data-background-color="red"')),
    ],
    ['a slide moved into a stack', page(slide(0, 'one'), slide(1, 'two')), page(stack(slide(0, 'one'), slide(1, 'two')))],
    ['the head changed', page(slide(0, 'one')), page(slide(0, 'one')).replace('a.css', 'b.css')],
    ['the scripts changed', page(slide(0, 'one')), page(slide(0, 'one')).replace('var s = 1', 'var s = 2')],
  ])('is undefined when %s', (_what, before, after) => {
    expect(slidePatch(before, after)).toBeUndefined();
  });

  it.each([
    ['a section tag in a comment', slide(1, 'x <!-- </section><section> --> y')],
    ['a section tag in a script', slide(1, 'x <script>"<section>"</script> y')],
    ['a section tag in a textarea', slide(1, '<textarea></section></textarea>')],
    ['sections nested deeper than a stack', stack(`<section>${slide(1, 'deep')}</section>`)],
    ['an unclosed section', '<section class="ds-slide"><h2>open</h2>'],
    ['a stray closing tag', `${slide(1, 'x')}</section>`],
  ])('refuses to split a page with %s', (_what, odd) => {
    expect(splitSlides(page(slide(0, 'one'), odd))).toBeUndefined();
  });

  it('reads a quoted > in an attribute as part of the tag, and splits around code and styles that mention sections', () => {
    const split = splitSlides(
      page(slide(0, 'one', ' data-note="a > b"'), slide(1, '<code>&lt;section&gt;</code><svg><style>section { fill: red }</style></svg>')),
    );
    expect(split?.shape).toEqual([0, 0]);
    expect(split?.contents[1]).toContain('&lt;section&gt;');
  });
});
