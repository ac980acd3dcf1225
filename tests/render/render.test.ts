import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const render = (source: string) => renderDeck(parseDeck(source, { file: 'deck.md' }), context);
const $of = (source: string) => load(render(source).html);

describe('escaping', () => {
  it('renders a hostile front-matter title as text everywhere it lands', () => {
    const source =
      '---\ntitle: "</title><script>alert(1)</script>"\nauthor: "\\"><svg onload=alert(2)>"\ndescription: "<b>x</b>"\n---\n# Hello\n';
    const html = render(source).html;
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<svg onload');
    const $ = load(html);
    expect($('title').text()).toBe('</title><script>alert(1)</script>');
    expect($('meta[name="author"]').attr('content')).toBe('"><svg onload=alert(2)>');
    expect($('meta[name="description"]').attr('content')).toBe('<b>x</b>');
    expect($('script').filter((_, el) => $(el).text().includes('alert')).length).toBe(0);
  });

  it('shows Handlebars syntax written on a slide as written, never evaluated', () => {
    const $ = $of('# {{title}}\n\n{{constructor.constructor "return process"}} and {{{x}}} and {{> slide}}\n\n`{{deck.title}}`\n');
    const text = $('section').first().text();
    expect(text).toContain('{{title}}');
    expect(text).toContain('{{constructor.constructor "return process"}}');
    expect(text).toContain('{{{x}}}');
    expect(text).toContain('{{> slide}}');
    expect($('section code').text()).toBe('{{deck.title}}');
  });

  it('keeps </textarea>, </script> and <!-- inside code verbatim', () => {
    const $ = $of('# Code\n\n```html\n</textarea></script><!-- x\n```\n\n---\n\n# After\n');
    expect($('section pre code').text()).toContain('</textarea></script><!-- x');
    expect($('section').length).toBe(2);
  });

  it('drops javascript: and data:text/html links but keeps their text', () => {
    const rendered = render(
      '# L\n\n[click me](javascript:alert(1)) [two](JaVaScRiPt:alert(1)) [three](data:text/html,x) [ok](https://example.com)\n',
    );
    const $ = load(rendered.html);
    expect($('a[href^="javascript"], a[href^="JaVa"], a[href^="data:"]').length).toBe(0);
    expect($('section').text()).toContain('click me');
    expect($('a[href="https://example.com"]').text()).toBe('ok');
    expect(rendered.diagnostics.filter((d) => d.code === 'unsafe-url')).toHaveLength(3);
  });
});

describe('slides and layouts', () => {
  it('wraps vertical slides in a stack section and puts notes in aside.notes', () => {
    const $ = $of('# A\n\nNote: say A\n\n---\n\n# B\n\n----\n\n## B.1\n\nNote: say B.1\n');
    expect($('.slides > section').length).toBe(2);
    expect($('.slides > section.ds-stack > section').length).toBe(2);
    expect($('.slides > section').first().find('aside.notes').text()).toContain('say A');
    expect($('section.ds-stack > section').last().find('aside.notes').text()).toContain('say B.1');
  });

  it('builds compare columns from h3 headings and from ::: column blocks', () => {
    const fromHeadings = $of(
      '# T\n\n---\n\n<!-- layout: compare -->\n## Roles\n\n### ML engineer\n- ships\n\n### Data scientist\n- analyses\n',
    );
    const columns = fromHeadings('section.ds-layout-compare .ds-column');
    expect(columns.length).toBe(2);
    expect(columns.eq(0).find('h3').text()).toBe('ML engineer');
    expect(columns.eq(1).text()).toContain('analyses');
    expect(fromHeadings('section.ds-layout-compare .ds-compare-header h2').text()).toBe('Roles');

    const fromBlocks = $of('# T\n\n---\n\n## Three\n\n::: column\nA\n:::\n\n::: column\nB\n:::\n\n::: column\nC\n:::\n');
    expect(
      fromBlocks('section.ds-layout-compare .ds-column')
        .map((_, el) => fromBlocks(el).text().trim())
        .get(),
    ).toEqual(['A', 'B', 'C']);
  });

  it('puts the closing byline on a line of its own, below a list', () => {
    const $ = $of('---\nauthor: Ada\n---\n# T\n\n---\n\n# Thank you\n\n- one\n- two\n');
    expect($('section.ds-layout-closing .ds-closing-block > ul + .ds-byline-row > .ds-byline').text()).toBe('Ada');
  });

  it('applies classes, backgrounds and reveal.js attributes to the section', () => {
    const $ = $of(
      '# T\n\n---\n\n<!-- class: lead -->\n<!-- background: #123456 -->\n## X\n\n---\n\n<!-- .slide: data-transition="zoom" -->\n## Y\n',
    );
    expect($('section.lead').attr('data-background-color')).toBe('#123456');
    expect($('section[data-transition="zoom"]').length).toBe(1);
  });

  it('turns ::: fragments and .element comments into reveal.js fragments', () => {
    const $ = $of(
      '# F\n\n::: fragments\n- one\n- two\n:::\n\n- three <!-- .element: class="fragment" -->\n- four\n\nPara\n<!-- .element: class="fragment fade-up" -->\n',
    );
    expect(
      $('li.fragment')
        .map((_, el) => $(el).text().trim())
        .get(),
    ).toEqual(['one', 'two', 'three']);
    expect($('p.fragment.fade-up').text()).toBe('Para');
  });
});

describe('content rendering', () => {
  it('highlights code at build time', () => {
    const $ = $of('# C\n\n```ts\nconst answer: number = 42;\n```\n');
    expect($('pre code.hljs.language-ts .hljs-keyword').first().text()).toBe('const');
  });

  it('typesets math at build time and ships KaTeX CSS only when used', () => {
    const withMath = render('# M\n\nEnergy $E = mc^2$ here.\n\n$$\n\\int_0^1 x\\,dx\n$$\n');
    const $ = load(withMath.html);
    expect($('.katex').length).toBeGreaterThanOrEqual(2);
    expect($('link[href$="katex.min.css"]').length).toBe(1);
    expect(withMath.assets.some((a) => a.target.endsWith('.woff2') && a.target.includes('katex'))).toBe(true);
    const money = load(render('# M\n\nFrom $5 to $10, and $ 3 $ is not math either.\n').html);
    expect(money('.katex').length).toBe(0);
    expect(money('section').text()).toContain('From $5 to $10, and $ 3 $ is not math either.');
    const without = render('# M\n\nNo math, costs $5.\n');
    expect(load(without.html)('link[href$="katex.min.css"]').length).toBe(0);
    expect(without.assets.some((a) => a.target.includes('katex'))).toBe(false);
  });

  it('ships KaTeX CSS for math wherever it is: a table cell, a list item, the notes only', () => {
    for (const deck of [
      '# M\n\n| a | b |\n| - | - |\n| $x^2$ | 1 |\n',
      '# M\n\n- one\n  - nested $\\alpha$\n',
      '# M\n\nNo math on the slide.\n\nNote: but $x_1$ in the notes.\n',
    ]) {
      const rendered = render(deck);
      expect(load(rendered.html)('link[href$="katex.min.css"]').length, deck).toBe(1);
      expect(load(rendered.html)('.katex').length, deck).toBeGreaterThanOrEqual(1);
    }
  });

  it('renders tables', () => {
    const $ = $of('# T\n\n| Role | Tool |\n|---|---|\n| MLE | PyTorch |\n');
    expect(
      $('table th')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['Role', 'Tool']);
    expect($('table td').first().text()).toBe('MLE');
  });

  it('reads %-escapes in image paths as the file name (a%20b%231.svg is "a b#1.svg")', () => {
    const rendered = render('# I\n\n![x](img/a%20b%231.svg?v=2#frag)\n');
    expect(rendered.assets).toContainEqual(expect.objectContaining({ source: 'img/a b#1.svg', target: 'media/img/a b_1.svg' }));
  });

  it('points images at media/ and lists them as assets with their line', () => {
    const rendered = render('# I\n\ntext\n\n![A chart](img/chart%201.png "Chart")\n');
    const $ = load(rendered.html);
    expect($('img').attr('src')).toBe('media/img/chart 1.png');
    expect($('img').attr('alt')).toBe('A chart');
    expect(rendered.assets).toContainEqual(
      expect.objectContaining({ source: 'img/chart 1.png', target: 'media/img/chart 1.png', line: 5 }),
    );
  });

  it('links only local files: reveal.js, the theme and highlight CSS', () => {
    const $ = $of('# Offline\n');
    const refs = [
      ...$('link[href]')
        .map((_, el) => $(el).attr('href'))
        .get(),
      ...$('script[src]')
        .map((_, el) => $(el).attr('src'))
        .get(),
    ];
    expect(refs.length).toBeGreaterThan(3);
    for (const ref of refs) expect(ref).not.toMatch(/^(https?:)?\/\//);
  });
});

describe("the author's raw HTML", () => {
  const hostile = [
    '# Raw',
    '',
    '<div class="grid" data-cols="2" style="gap: 1em" onclick="evil()">',
    '<script>document.title = "pwned"</script>',
    '<p>NL01 kept</p>',
    '<iframe src="https://example.com/"></iframe>',
    '</div>',
    '',
    'Inline <span class="hi" onmouseover="x()">NL02</span> and <a href="JaVaScRiPt:alert(1)">NL03</a> and <a href="&#106;avascript:alert(1)">NL04</a> <a href="java&Tab;script:alert(3)">NL09</a> <a href="https://example.com/?a=1&amp;b=2">NL10</a> <!-- .element: class="fragment" -->',
    '',
    '<img src="pic.png" alt="NL05" onerror="alert(1)"> <svg onload="alert(1)"><circle r="4"/></svg> NL06',
    '',
    '<!--><script>alert(2)</script>-->',
    '',
    '<video src="clip.mp4" controls muted></video> <details><summary>NL07</summary>NL08</details>',
    '',
  ].join('\n');

  it('keeps formatting, data-* and media, drops scripts, frames, handlers and unsafe addresses, and loses no text', () => {
    const rendered = render(hostile);
    const $ = load(rendered.html);
    const slide = $('section').first();
    expect(slide.find('script, iframe, svg').length).toBe(0);
    expect($('section script').length).toBe(0);
    expect(slide.find('[onclick], [onmouseover], [onerror], [onload]').length).toBe(0);
    const hrefs = slide
      .find('a')
      .map((_, a) => $(a).attr('href') ?? '')
      .get();
    expect(hrefs.some((href) => /script/i.test(href.replace(/\s/g, '')))).toBe(false);
    expect(hrefs).toContain('https://example.com/?a=1&b=2');
    expect(rendered.html).not.toContain('alert(2)');
    expect(rendered.html).not.toContain('pwned');
    const grid = slide.find('div.grid');
    expect(grid.attr('data-cols')).toBe('2');
    expect(grid.attr('style')).toBe('gap: 1em');
    expect(slide.find('video[controls][muted]').attr('src')).toBe('media/clip.mp4');
    expect(slide.find('img').attr('alt')).toBe('NL05');
    // reveal.js's .element comment still reaches its paragraph.
    expect(slide.find('p.fragment').text()).toContain('NL02');
    const text = slide.text();
    for (let n = 1; n <= 10; n++) {
      if (n === 5) continue;
      expect(text).toContain(`NL${String(n).padStart(2, '0')}`);
    }
  });

  it('says what it removed, once per line, with the line', () => {
    const found = render(hostile).diagnostics.filter((d) => d.code === 'html-removed');
    expect(found.map((d) => d.line)).toEqual([3, 9, 11, 13]);
    expect(found[0]?.message).toMatch(/<script>.*onclick.*<iframe>|<script>, onclick, <iframe>/);
    expect(found[1]?.message).toContain('onmouseover');
    expect(found[1]?.message).toMatch(/href="JaVaScRiPt/);
    expect(found[2]?.message).toMatch(/onerror.*<svg>/);
    expect(found.every((d) => d.message.includes('--html'))).toBe(true);
  });

  it('passes raw HTML through as written with rawHtml (the --html flag)', () => {
    const rendered = renderDeck(parseDeck(hostile, { file: 'deck.md' }), { ...context, rawHtml: true });
    expect(rendered.html).toContain('<script>document.title = "pwned"</script>');
    expect(rendered.html).toContain('onclick="evil()"');
    expect(rendered.diagnostics.filter((d) => d.code === 'html-removed')).toEqual([]);
  });
});

describe('local files, without the file system', () => {
  it('renderDeck alone checks paths as written: inside the deck folder accepted, ../ refused', () => {
    const rendered = render('# Pictures\n\n![in](img/a.png)\n\n![out](../secret.png)\n');
    const sources = rendered.assets.map((a) => a.source);
    expect(sources).toContain('img/a.png');
    expect(sources.filter((source) => source.includes('secret'))).toEqual([]);
    expect(rendered.diagnostics.find((d) => d.code === 'file-outside-root')).toMatchObject({ line: 5 });
  });

  it('uses the rule the caller passes (the build passes the one that follows links)', () => {
    const seen: string[] = [];
    const deck = parseDeck('# P\n\n![a](a.png)\n', { file: 'deck.md' });
    const rendered = renderDeck(deck, {
      ...context,
      resolveAsset: (ref) => {
        seen.push(ref);
        return { refused: true, reason: 'is refused by the caller' };
      },
    });
    expect(seen).toEqual(['a.png']);
    expect(rendered.assets.filter((a) => a.source.includes('a.png'))).toEqual([]);
    expect(rendered.diagnostics.map((d) => d.message).join('\n')).toContain('is refused by the caller');
  });
});
