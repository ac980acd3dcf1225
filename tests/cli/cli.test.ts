import { existsSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from '../helpers.js';

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

function deckIn(name: string, content: string | Buffer): string {
  tmp ??= tempDir();
  const file = join(tmp.dir, name);
  writeFileSync(file, content);
  return file;
}

describe('decksmith inspect --json', () => {
  it('prints the contract shape', async () => {
    const result = await cli(['inspect', fixture('vertical.md'), '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { slides: { h: number; v: number; lines: number[] }[]; diagnostics: unknown[] };
    expect(Object.keys(json)).toEqual(['title', 'theme', 'dialect', 'slides', 'diagnostics']);
    expect(json.slides).toHaveLength(6);
    expect(json.slides[1]).toMatchObject({ h: 0, v: 1, notes: 'notes for child one', lines: [6, 10] });
  });
});

describe('decksmith inspect --json diagnostics', () => {
  it('carry the column where the parser knows it', async () => {
    tmp = tempDir();
    deckIn('talk.md', '# Talk\n\nSome text\n\n::: column\nLeft\n');
    const result = await cli(['inspect', join(tmp.dir, 'talk.md'), '--json']);
    const json = JSON.parse(result.stdout) as { diagnostics: { code: string; line?: number; column?: number }[] };
    expect(json.diagnostics.find((d) => d.code === 'unclosed-container')).toMatchObject({ line: 5, column: 1 });
  });
});

describe('decksmith build', () => {
  it('builds every .md in a folder into <out>/<deck>/index.html with its assets', async () => {
    tmp = tempDir();
    deckIn('one.md', '# One\n\n![pic](pic.svg)\n');
    deckIn('two.md', '# Two\n');
    writeFileSync(join(tmp.dir, 'pic.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const out = join(tmp.dir, 'out');
    const result = await cli(['build', tmp.dir, '--out', out]);
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['one', 'two']);
    expect(existsSync(join(out, 'one', 'media', 'pic.svg'))).toBe(true);
    expect(existsSync(join(out, 'one', 'assets', 'reveal', 'reveal.js'))).toBe(true);
    expect(readFileSync(join(out, 'two', 'index.html'), 'utf8')).toContain('<h1>Two</h1>');
  });

  it('--single-file also writes one self-contained <deck>.html', async () => {
    tmp = tempDir();
    const file = deckIn('solo.md', '# Solo\n\n![pic](pic.svg)\n\n$E = mc^2$ inline\n');
    writeFileSync(join(tmp.dir, 'pic.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    const out = join(tmp.dir, 'out');
    const result = await cli(['build', file, '--out', out, '--single-file']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${join(out, 'solo.html')}  (single file)`);
    const html = readFileSync(join(out, 'solo.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(assets|media)\//);
    expect(html).toContain('data:image/svg+xml');
  });

  it('warns about a missing image with file:line and still builds', async () => {
    tmp = tempDir();
    const file = deckIn('deck.md', '# Deck\n\ntext\n\n![gone](nope.png)\n');
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${file}:5: warning: image "nope.png" not found`);
    expect(result.stderr).toContain('[missing-image]');
    expect((await cli(['build', file, '--out', join(tmp.dir, 'out'), '--strict'])).code).toBe(1);
  });

  it("leaves out a file from outside the deck's folder (or --root), also through a symlink, with file:line", async () => {
    tmp = tempDir();
    const talk = join(tmp.dir, 'talk');
    mkdirSync(join(talk, 'images'), { recursive: true });
    writeFileSync(join(tmp.dir, 'secret.png'), 'not for publishing');
    writeFileSync(join(tmp.dir, 'shared.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    writeFileSync(join(talk, 'images', 'own.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    symlinkSync(join(tmp.dir, 'secret.png'), join(talk, 'images', 'link.png'));
    const file = join(talk, 'deck.md');
    writeFileSync(
      file,
      '# Deck\n\n![own](images/own.svg)\n\n![up](../secret.png)\n\n![via link](images/link.png)\n\n![shared](../shared.svg)\n',
    );
    const out = join(tmp.dir, 'out');
    const result = await cli(['build', file, '--out', out]);
    expect(result.code).toBe(0);
    // The image's line and column (render places each warning at its token).
    expect(result.stderr).toContain(`${file}:5:1: warning: image "../secret.png" is outside ${realpathSync(talk)}`);
    expect(result.stderr).toContain(`${file}:7:1: warning: image "images/link.png" is outside`);
    expect(result.stderr.match(/\[file-outside-root\]/g)).toHaveLength(3);
    const copied = readdirSync(join(out, 'deck', 'media'), { recursive: true }).map(String);
    expect(copied).toContain(join('images', 'own.svg'));
    expect(copied.some((f) => f.includes('secret') || f.includes('link') || f.includes('shared'))).toBe(false);
    expect((await cli(['build', file, '--out', out, '--strict'])).code).toBe(1);
    // A wider --root lets shared files in; the symlink to a file inside it too.
    const wide = await cli(['build', file, '--out', out, '--root', tmp.dir]);
    expect(wide.stderr).not.toContain('[file-outside-root]');
    const shared = readdirSync(join(out, 'deck', 'media'), { recursive: true }).map(String);
    expect(shared).toEqual(expect.arrayContaining([join('_up', 'shared.svg'), join('images', 'link.png')]));
  });

  it("refuses a front-matter theme from outside the deck's folder (file:line, exit 1) and warns at a css: line", async () => {
    tmp = tempDir();
    const talk = join(tmp.dir, 'talk');
    mkdirSync(join(tmp.dir, 'corp'), { recursive: true });
    mkdirSync(talk);
    writeFileSync(join(tmp.dir, 'corp', 'theme.css'), '.reveal { color: #123; }');
    writeFileSync(join(tmp.dir, 'extra.css'), '.reveal h2 { color: #456; }');
    const file = join(talk, 'deck.md');
    writeFileSync(file, '---\ntitle: T\ntheme: ../corp\ncss:\n  - ../extra.css\n---\n# T\n');
    const out = join(tmp.dir, 'out');
    const refused = await cli(['build', file, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${file}:3:`);
    expect(refused.stderr).toContain('theme "../corp" is outside');
    expect(existsSync(join(out, 'deck'))).toBe(false);
    // The theme from --theme is the caller's choice; the css: file is still the deck's.
    const chosen = await cli(['build', file, '--out', out, '--theme', join(tmp.dir, 'corp')]);
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toContain(`${file}:4: warning: file "../extra.css" is outside`);
    const wide = await cli(['build', file, '--out', out, '--root', tmp.dir]);
    expect(wide.code, wide.stderr).toBe(0);
    expect(wide.stderr).not.toContain('outside');
    expect(readFileSync(join(out, 'deck', 'index.html'), 'utf8')).toContain('extra.css');
  });

  it('builds an empty file into an empty deck with a warning', async () => {
    tmp = tempDir();
    const file = deckIn('empty.md', '');
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[empty-deck]');
    expect(existsSync(join(tmp.dir, 'out', 'empty', 'index.html'))).toBe(true);
  });

  // reveal.js never signals that a deck without slides is ready, so both waited for their whole
  // timeout (120 s by default) and then blamed a resource that did not load.
  it('png and pptx of an empty deck fail at once, naming the file, and write nothing', async () => {
    tmp = tempDir();
    const file = deckIn('empty.md', '---\ntitle: Nothing yet\n---\n');
    const png = await cli(['png', file, '--out', join(tmp.dir, 'png'), '--timeout', '30']);
    expect(png.code).toBe(1);
    expect(png.stderr).toContain(`decksmith: ${file}: the deck has no slides, so there is nothing to write as PNG`);
    expect(png.stderr).not.toContain('Timed out');
    expect(existsSync(join(tmp.dir, 'png'))).toBe(false);
    const pptx = await cli(['pptx', file, '--out', join(tmp.dir, 'empty.pptx'), '--timeout', '30']);
    expect(pptx.code).toBe(1);
    // Named once: the command names the deck only when the error does not.
    expect(pptx.stderr).toContain(`decksmith: ${file}: the deck has no slides, so there is nothing to write as PowerPoint`);
    expect(pptx.stderr.split(file).length - 1).toBe(2);
    expect(existsSync(join(tmp.dir, 'empty.pptx'))).toBe(false);
  });
});

describe('bad input: one clear line with file and line, exit 1, nothing half-written', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['malformed YAML', '---\ntitle: [oops\n---\n# A\n', /deck\.md:2: front matter is not valid YAML/],
    ['front matter that is not a mapping', '---\n- a\n---\n# A\n', /deck\.md:2: front matter must be a YAML mapping/],
    ['a wrong type', '---\nsize: 5:4\n---\n# A\n', /deck\.md:2: front matter "size"/],
    ['invalid UTF-8', Buffer.from([0x23, 0x20, 0x41, 0x0a, 0xc3, 0x28, 0x0a]), /deck\.md:2: not a UTF-8 text file: it is not valid UTF-8/],
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      /deck\.md:3: not a UTF-8 text file: it holds binary data/,
    ],
    ['UTF-16', Buffer.from('\ufeff# A\n', 'utf16le'), /deck\.md: not a UTF-8 text file: it is UTF-16/],
  ];
  it.each(cases)('%s', async (_, content, message) => {
    tmp = tempDir();
    const file = deckIn('deck.md', content);
    const out = join(tmp.dir, 'out');
    // A good build first: a failed one must leave it untouched.
    writeFileSync(join(tmp.dir, 'good.md'), '# Good\n');
    const good = await cli(['build', join(tmp.dir, 'good.md'), '--out', out]);
    expect(good.code).toBe(0);
    const before = readFileSync(join(out, 'good', 'index.html'), 'utf8');

    const result = await cli(['build', file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(out, 'deck'))).toBe(false);
    expect(readdirSync(out)).toEqual(['good']); // no temp folders left
    expect(readFileSync(join(out, 'good', 'index.html'), 'utf8')).toBe(before);
  });

  it('keeps the previous output when a rebuild of the same deck fails', async () => {
    tmp = tempDir();
    const file = deckIn('deck.md', '# Version one\n');
    const out = join(tmp.dir, 'out');
    expect((await cli(['build', file, '--out', out])).code).toBe(0);
    writeFileSync(file, '---\ntitle: [broken\n---\n# Version two\n');
    expect((await cli(['build', file, '--out', out])).code).toBe(1);
    expect(readFileSync(join(out, 'deck', 'index.html'), 'utf8')).toContain('Version one');
    expect(readdirSync(out)).toEqual(['deck']);
  });

  it('a missing input', async () => {
    const result = await cli(['build', '/nonexistent/deck.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('input "/nonexistent/deck.md" does not exist');
  });

  it('an unknown --theme lists the themes and the closest match (bad usage, exit 2)', async () => {
    tmp = tempDir();
    const file = deckIn('deck.md', '# A\n');
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out'), '--theme', 'midnigt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--theme: unknown theme "midnigt"; did you mean "midnight"?');
    expect(result.stderr).toContain('Themes: ');
  });
});

describe('usage', () => {
  it('exits 2 on bad usage and 0 on --help and --version', async () => {
    expect((await cli(['build', '--no-such-flag'])).code).toBe(2);
    expect((await cli(['build', '--handout', '5'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('inspect');
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

void mkdirSync;

describe('hostile input: a clear error, never a crash', () => {
  it.each([
    // 5000 nested blockquotes or lists: a warning and the text kept (tests/parse/bounds.test.ts).
    [
      'a YAML alias bomb',
      `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n# A\n`,
      /deck\.md:2: front matter is not valid YAML/,
    ],
    ['---js front matter', '---js\n{ title: require("fs") }\n---\n# A\n', /deck\.md:1: front matter opened with "---js"/],
    [
      'a 10-million-character line',
      `# A\n\nfine\n\n${'x'.repeat(10_000_000)}\n`,
      /deck\.md:5: this line is too long to render \(10,000,000 characters\)/,
    ],
  ])('%s', async (_, content, message) => {
    tmp = tempDir();
    const file = deckIn('deck.md', content);
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('unexpected error');
  });
});

describe('text the bundled fonts cannot draw', () => {
  it('warns once, at the first slide that has it, and not for Greek or Cyrillic', async () => {
    tmp = tempDir();
    const file = deckIn('cjk.md', '# Title\n\nΕλληνικά, Кириллица\n\n---\n\n## 你好\n\n- 日本語 テキスト\n\n---\n\n## 再见\n');
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out')]);
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('[font-coverage]'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:7: warning: the theme's fonts have no glyphs for 你 好 日 本 語 テ キ ス and 3 more`);
    expect(result.stderr).not.toMatch(/glyphs for.*[ΕΛК]/);
  });

  it('is silent once the deck brings a font for it', async () => {
    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'cjk.css'), '@font-face { font-family: "My CJK"; src: local("Noto Sans CJK SC"); }\n');
    const file = deckIn('cjk.md', '---\ncss: cjk.css\n---\n# 你好\n');
    const result = await cli(['build', file, '--out', join(tmp.dir, 'out')]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('[font-coverage]');
  });
});
