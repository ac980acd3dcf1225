import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/parse/index.js';
import { inspectJson } from '../../src/cli/commands/inspect.js';
import { FrontMatterError } from '../../src/errors.js';
import { readFixture } from '../helpers.js';

const parse = (source: string) => parseDeck(source, { file: 'deck.md' });
const titles = (source: string) => parse(source).slides.map((s) => s.title);

describe('splitting on thematic-break tokens', () => {
  it('never splits inside ``` or ~~~ fences, indented code, HTML comments or HTML blocks', () => {
    const source = readFixture('fences.md');
    const deck = parse(source);
    expect(deck.slides.map((s) => s.title)).toEqual(['Code that contains separators', 'Indented code', 'Last slide']);
    // The separators inside code are still in the slide's Markdown, untouched.
    expect(deck.slides[0]?.markdown).toContain('```yaml\n---\nkey: value\n---\n```');
    expect(deck.slides[0]?.markdown).toContain('~~~markdown\nSlide A\n\n---\n\nSlide B\n~~~');
    expect(deck.slides[1]?.markdown).toContain('    ---\n    ***\n    ___');
    expect(deck.slides[1]?.markdown).toContain('a comment with a separator');
    expect(deck.slides[2]?.markdown).toContain('````md\n```\n---\n```\n````');
  });

  it('splits on ---, *** and ___, and makes ---- a vertical child', () => {
    const deck = parse(readFixture('vertical.md'));
    expect(deck.slides.map((s) => [s.title, s.h, s.v])).toEqual([
      ['Stack top', 0, 0],
      ['Child one', 0, 1],
      ['Child two', 0, 2],
      ['Next horizontal', 1, 0],
      ['Star break', 2, 0],
      ['Underscore break', 3, 0],
    ]);
  });

  it('keeps a setext heading (Text + ---) a heading and warns on the --- line', () => {
    const deck = parse('# One\n\nSome text\n---\n\nmore\n\n---\n\n# Two\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['One', 'Two']);
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'setext-separator', line: 4, severity: 'warning' }));
  });

  it('gives the same slides for CRLF, lone CR and BOM input as for LF', () => {
    const lf = readFixture('vertical.md');
    const expected = inspectJson(parse(lf));
    expect(inspectJson(parse(lf.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(inspectJson(parse(lf.replace(/\n/g, '\r')))).toEqual(expected);
    expect(inspectJson(parse(`\uFEFF${lf}`))).toEqual(expected);
    const withFront = '---\ntitle: T\n---\n\n# A\n\n---\n\n# B\n';
    expect(inspectJson(parse(`\uFEFF${withFront.replace(/\n/g, '\r\n')}`))).toEqual(inspectJson(parse(withFront)));
  });

  it('never splits inside display math', () => {
    const deck = parse('# A\n\n$$\na\n---\nb\n$$\n\n---\n\n# B\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['A', 'B']);
  });

  it('starts a slide at each heading of the split level or higher', () => {
    const source =
      '---\nsplit: h2\n---\n# Title\n\nintro\n\n## One\n\ntext\n\n### Sub stays\n\n## Two\n\n```\n## not a heading\n```\n\n---\n\n## Three\n';
    expect(titles(source)).toEqual(['Title', 'One', 'Two', 'Three']);
  });

  it('warns about an unclosed fence that swallows the rest of the deck, and loses nothing', () => {
    const deck = parse('# A\n\n```js\nconst x = 1;\n\n---\n\n# B\n');
    expect(deck.slides).toHaveLength(1);
    expect(deck.slides[0]?.markdown).toContain('# B');
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'unclosed-fence', line: 3 }));
  });
});

describe('speaker notes', () => {
  const deck = parse(readFixture('notes.md'));
  it('takes a Note: paragraph and everything after it on the slide', () => {
    expect(deck.slides[0]?.notes).toBe('first line of the notes\nstill notes\n\n* notes list item');
    expect(deck.slides[0]?.markdown).not.toContain('first line of the notes');
    expect(deck.slides[0]?.markdown).toContain('- visible');
  });
  it('takes a ::: notes block and keeps what follows it on the slide', () => {
    expect(deck.slides[1]?.notes).toBe('Say **this** out loud.');
    expect(deck.slides[1]?.markdown).toContain('Visible after the notes block.');
  });
  it('never reads notes inside code, and accepts any case', () => {
    expect(deck.slides[2]?.markdown).toContain('Note: this is code');
    expect(deck.slides[2]?.notes).toBe('upper case works too');
  });
});

describe('directives', () => {
  const deck = parse(readFixture('directives.md'));
  it('reads layout, class, background and fit', () => {
    expect(deck.slides[0]).toMatchObject({ layout: 'compare', layoutExplicit: true, classes: ['lead', 'wide'] });
    expect(deck.slides[1]).toMatchObject({ background: '#123456', fit: true });
    expect(deck.slides[0]?.markdown).not.toContain('layout:');
  });
  it('reads reveal.js .slide attributes and refuses event handlers', () => {
    expect(deck.slides[2]?.attributes).toEqual({ 'data-background-color': '#ff0000' });
    expect(deck.slides[2]?.classes).toEqual(['red']);
  });
  it('warns about a misspelt directive, naming the closest one', () => {
    expect(deck.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unknown-directive', line: 32, message: expect.stringContaining('"layout"') }),
    );
  });
});

describe('layout inference', () => {
  it('infers title, section, quote, image, compare and closing', () => {
    const source = [
      '# The talk',
      '',
      'A subtitle',
      '',
      '---',
      '',
      '## Part one',
      '',
      '---',
      '',
      '> A quote worth reading',
      '',
      '---',
      '',
      '![diagram](img/d.png)',
      '',
      '---',
      '',
      '## Two columns',
      '',
      '::: column',
      'left',
      ':::',
      '',
      '::: column',
      'right',
      ':::',
      '',
      '---',
      '',
      '## Body',
      '',
      '- a',
      '',
      '---',
      '',
      '# Thank you',
      '',
    ].join('\n');
    expect(parse(source).slides.map((s) => s.layout)).toEqual(['title', 'section', 'quote', 'image', 'compare', 'default', 'closing']);
  });
});

describe('front matter', () => {
  it('reads a typed config and warns about unknown keys, naming the closest', () => {
    const deck = parse('---\ntitle: Hello\nauthor: Ada\nthem: dark\nkeywords: [a, b]\n---\n# Slide\n');
    expect(deck.title).toBe('Hello');
    expect(deck.config).toMatchObject({ author: 'Ada', keywords: ['a', 'b'], size: '16:9', lang: 'en' });
    expect(deck.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unknown-key', line: 4, message: expect.stringContaining('did you mean "theme"') }),
    );
  });

  it.each([
    ['malformed YAML', '---\ntitle: [unclosed\n---\n# A\n', 'front-matter-yaml', 2],
    ['a list instead of a mapping', '---\n- a\n- b\n---\n# A\n', 'front-matter-not-mapping', 2],
    ['a scalar instead of a mapping', '---\njust text\n---\n# A\n', 'front-matter-not-mapping', 2],
    ['a wrong type', '---\ntitle: T\nsplit: h7\n---\n# A\n', 'front-matter-invalid', 3],
    ['a custom tag', '---\ntitle: !!js/function "() => 1"\n---\n# A\n', 'front-matter-yaml', 2],
    ['duplicate keys', '---\ntitle: a\ntitle: b\n---\n# A\n', 'front-matter-yaml', 3],
    ['CSS injection in themeVars', '---\nthemeVars:\n  accent: "red; } body { display: none"\n---\n# A\n', 'front-matter-invalid', 3],
  ])('rejects %s with file and line', (_, source, code, line) => {
    let error: unknown;
    try {
      parse(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrontMatterError);
    expect(error).toMatchObject({ code, file: 'deck.md', line });
  });

  it('never pollutes prototypes', () => {
    parse('---\n__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\n---\n# A\n');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads --- at the top followed by Markdown as a separator, not front matter, and loses nothing', () => {
    const deck = parse('---\n# Slide 1\n---\n# Slide 2\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['Slide 1', 'Slide 2']);
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'leading-separator', line: 1 }));
  });

  it('reads unclosed front matter as content with a warning', () => {
    const deck = parse('---\ntitle: x\n\n# Slide\n');
    expect(deck.slides[0]?.markdown).toContain('title: x');
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'unclosed-front-matter', line: 1 }));
  });
});

describe('empty input', () => {
  it('gives an empty deck with a warning', () => {
    for (const source of ['', '\n\n  \n', '---\ntitle: Only meta\n---\n']) {
      const deck = parse(source);
      expect(deck.slides).toEqual([]);
      expect(deck.diagnostics.map((d) => d.code)).toContain('empty-deck');
    }
  });
  it('warns at the separator that leaves a trailing or leading empty slide', () => {
    const trailing = parse('# A\n\n---\n\n');
    expect(trailing.slides).toHaveLength(1);
    expect(trailing.diagnostics).toContainEqual(expect.objectContaining({ code: 'empty-slide', line: 3 }));
    const leading = parse('---\ntitle: T\n---\n\n---\n\n# A\n');
    expect(leading.slides.map((s) => s.title)).toEqual(['A']);
    expect(leading.diagnostics).toContainEqual(expect.objectContaining({ code: 'empty-slide', line: 5 }));
  });

  it('warns once per separator when only separators are left after the front matter', () => {
    const deck = parse('---\n\n---\n\n---\n');
    expect(deck.slides).toEqual([]);
    const lines = deck.diagnostics.filter((d) => d.code === 'empty-slide').map((d) => d.line);
    expect(lines).toEqual([...new Set(lines)]);
    expect(lines).toEqual([5]);
  });

  it('says where an unclosed front matter went wrong, in file lines, and asks about the closing ---', () => {
    let error: unknown;
    try {
      parse('---\ntitle: x\n# Slide one\n\nbody text\n\n---\n\n# Two\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'front-matter-yaml', line: 5 });
    const text = (error as { format(): string }).format();
    expect(text).not.toMatch(/at line \d+, column/);
    expect(text).toContain('closing "---" missing');
  });

  it('drops the empty slide between two separators with a warning', () => {
    const deck = parse('# A\n\n---\n\n---\n\n# B\n');
    expect(deck.slides.map((s) => s.title)).toEqual(['A', 'B']);
    expect(deck.diagnostics).toContainEqual(expect.objectContaining({ code: 'empty-slide' }));
  });
});

describe('inspect --json shape', () => {
  it('has exactly the contract keys, with 1-based inclusive line ranges in the file as written', () => {
    const source = '---\ntitle: Shape\ntheme: midnight\n---\n# Shape\n\nNote: hello\n\n---\n\n## Two\n<!-- class: x -->\n';
    const json = inspectJson(parse(source));
    expect(Object.keys(json)).toEqual(['title', 'theme', 'dialect', 'slides', 'diagnostics']);
    expect(json.slides[0]).toEqual({ index: 0, h: 0, v: 0, title: 'Shape', layout: 'title', lines: [5, 8], notes: 'hello', classes: [] });
    expect(json.slides[1]).toEqual({ index: 1, h: 1, v: 0, title: 'Two', layout: 'section', lines: [10, 12], notes: '', classes: ['x'] });
    expect(json.theme).toBe('midnight');
  });
});

describe('long decks', () => {
  const deckOf = (count: number): string =>
    Array.from(
      { length: count },
      (_, i) => `## Slide ${i + 1}\n\n- a point with **bold** and \`code\`\n\n\`\`\`js\nconst x = ${i};\n\`\`\`\n\nNote: said ${i}`,
    ).join('\n\n---\n\n');
  const bestOf = (runs: number, fn: () => void): number => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      fn();
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };

  // A growth ratio, not a time limit: 8× the slides may cost about 8× the time, never the ~64× of
  // a scan that rereads the rest of the document at every block (the `:::` tokenizer once did).
  it('parse time grows linearly with the number of slides', () => {
    const small = deckOf(250);
    const large = deckOf(2000);
    parse(small);
    const smallMs = bestOf(3, () => parse(small));
    const largeMs = bestOf(3, () => parse(large));
    expect(parse(large).slides).toHaveLength(2000);
    expect(largeMs / smallMs).toBeLessThan(24);
  });
});
