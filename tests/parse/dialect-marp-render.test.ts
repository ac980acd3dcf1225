/**
 * What Marp's and Deckset's slide model renders to: background layers and split backgrounds,
 * sized inline images without their keywords, step lists as fragments, fitted headings, Marp's
 * header and page numbers, and the author's `<style>` CSS as a sanitised stylesheet.
 */
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import type { RenderedDeck } from '../../src/types.js';
import { readFixture } from '../helpers.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const render = (source: string, file = 'deck.md'): RenderedDeck => renderDeck(parseDeck(source, { file }), context);
const sections = (html: string): string[] => html.split('<section ').slice(1);

describe('Marp rendered', () => {
  it('bg images are a layer behind the frame; a split puts the content on the other side', () => {
    const { html, assets } = render(readFixture('dialects/marp-images.md'));
    const [full, left, right, sizes, colour] = sections(html);
    expect(full).toContain(
      '<div class="ds-bg" aria-hidden="true"><div class="ds-bg-image" style="background-image: url(&quot;media/img/a.png&quot;); background-size: cover;"></div></div>',
    );
    expect(full).not.toContain('<img');
    expect(left).toMatch(/^class="[^"]*\bds-split ds-split-left"[^>]*style="--split-size: 40%;"/);
    expect(left).toContain('background-size: contain;');
    expect(right).toMatch(/^class="[^"]*\bds-split ds-split-right"/);
    expect(right?.match(/ds-bg-image/g)).toHaveLength(2);
    expect(sizes).toContain('background-size: 60%;');
    expect(sizes).toContain('background-size: 300px 200px;');
    // h: alone keeps the width automatic (hashbangcode's QR code, `bg h:50% right:40%`).
    expect(sizes).toContain('background-size: auto 50%;');
    // Keywords size an inline image and never reach its alt text.
    expect(sizes).toContain('<img src="media/img/a.png" alt="" style="width: 200px;">');
    expect(sizes).toContain('<img src="media/img/b.png" alt="" title="a title" style="height: 120px; filter: sepia(1);">');
    expect(html).not.toMatch(/alt="[^"]*(?:bg|w:|height:|sepia)/);
    expect(colour).toContain('data-background-color="#336699"');
    // `*` lists are Marp Core's step lists; `-` lists are not.
    expect(colour).toContain('<li class="fragment">first step</li>\n<li class="fragment">second step</li>');
    expect(colour).toContain('<li>not a step</li>');
    expect(assets.filter((a) => a.kind === 'image').map((a) => a.target)).toEqual([
      'media/img/a.png',
      'media/img/b.png',
      'media/img/c.png',
    ]);
    const inList = sections(html)[5] ?? '';
    expect(inList).toContain('url(&quot;media/img/c.png&quot;)');
    expect(inList).toContain('<li>an item\n</li>');
  });

  it('header, page numbers and the author CSS, scoped where the author scoped it', () => {
    const { html, assets } = render(readFixture('dialects/marp-directives.md'));
    const [one, two] = sections(html);
    expect(one).toContain('<div class="ds-header">Deck header</div>');
    expect(one).toContain('data-marpit-pagination="1"');
    // The Marp theme it was written for (gaia) places the content.
    expect(one).toMatch(/^class="ds-slide ds-layout-default invert ds-marp ds-marp-gaia"/);
    expect(two).not.toContain('data-marpit-pagination');
    expect(two).not.toContain('ds-footer');
    const style = assets.find((a) => a.target === 'css/ds-deck-style.css');
    expect(style?.content).toBe('\nh1 { letter-spacing: 0.1em; }\n\n@scope (section[data-ds-index="4"]) {\n\nh1 { color: red; }\n\n}\n');
    expect(html).toContain('<link rel="stylesheet" href="css/ds-deck-style.css">');
  });

  it('the author CSS gets the css: file rules: no @import, url() through the file rule', () => {
    const { assets, diagnostics } = render(
      '---\nmarp: true\n---\n\n<style>\n@import url("https://evil.example/x.css");\nsection { background: url("../../secret.png"); }\n</style>\n\n# A\n',
      'talk/deck.md',
    );
    const css = assets.find((a) => a.target === 'css/ds-deck-style.css')?.content ?? '';
    expect(css).not.toContain('@import');
    expect(css).toContain('url("data:,")');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['file-outside-root', 5]]);
  });

  it('# <!--fit--> marks the heading to fit the width; the same deck as decksmith has no such class', () => {
    const source = '---\nmarp: true\n---\n\n# <!--fit--> Big title\n';
    expect(render(source).html).toMatch(/<h1 class="ds-fit-heading">(?:<!--fit-->)? ?Big title<\/h1>/);
    expect(renderDeck(parseDeck(source, { dialect: 'decksmith' }), context).html).not.toContain('ds-fit-heading');
  });
});

describe('Deckset rendered', () => {
  it('[fit] headings, own-line images as backgrounds, left/right splits, inline images sized', () => {
    const { html } = render(readFixture('dialects/deckset-images.md'));
    const [first, left, inline, right] = sections(html);
    expect(first).toContain('<h1 class="ds-fit-heading">A fitted title</h1>');
    expect(first).not.toContain('[fit]');
    expect(first).toContain('ds-bg-image');
    expect(first).not.toContain('slidenumbers');
    expect(left).toMatch(/^class="[^"]*ds-split ds-split-left"/);
    expect(left).toContain('background-size: contain;');
    expect(inline).toContain('<img src="media/img/a.png" alt="" style="width: 50%;">');
    expect(inline).not.toContain('ds-bg');
    expect(right?.match(/ds-bg-image/g)).toHaveLength(2);
  });

  it('the first lines are settings: footer (as plain text) and slide numbers', () => {
    const deck = parseDeck('footer: by **me** [link](https://x.example)\nslidenumbers: true\n\n# One\n\n---\n\n# Two\n');
    expect(deck.dialect.name).toBe('deckset');
    expect(deck.config.footer).toBe('by me link');
    expect(deck.config.slideNumber).toBe(true);
    expect(deck.slides[0]?.markdown).not.toContain('footer');
  });
});
