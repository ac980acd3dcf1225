/**
 * PowerPoint export (issue #14), read back the way PowerPoint reads it: the zip unpacked with a
 * zip library, the slide, notes and content-type XML checked part by part.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Token, Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { BrowserSession } from '../../src/export/index.js';
import { exportPptx } from '../../src/export/pptx/index.js';
import { createFigureRenderer } from '../../src/figures/index.js';
import { plainText } from '../../src/export/pptx/text.js';
import type { BuiltDeck } from '../../src/types.js';

const CONTENT = join(import.meta.dirname, '..', '..', 'content');
const TALKS = ['ml-engineer-vs-data-scientist', 'intelligent-systems-team', 'roles-handbook'];
const PNG_RED = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC',
  'base64',
);

let root: string;
let session: BrowserSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-pptx-test-'));
  session = await BrowserSession.launch();
});

afterAll(async () => {
  await session?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Package {
  zip: JSZip;
  parts: string[];
  text: (part: string) => Promise<string>;
}

async function open(file: string): Promise<Package> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts = Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => f.name);
  return {
    zip,
    parts,
    text: async (part) => {
      const entry = zip.file(part);
      if (entry === null) throw new Error(`no part ${part}`);
      return entry.async('string');
    },
  };
}

/** The text of every `<a:t>` in a part, in document order, XML references decoded. */
function runsOf(xml: string): string[] {
  return [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/** Paragraph texts of a slide part: the runs of each `<a:p>` joined. */
function paragraphsOf(xml: string): string[] {
  return [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((m) => runsOf(m[1] ?? '').join(''));
}

/** Every list item's own text (without nested lists) in a token tree, in order. */
function bulletTexts(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) {
        const own = item.tokens.filter((t) => t.type !== 'list');
        out.push(plainText(own).trim());
        out.push(...bulletTexts(item.tokens.filter((t) => t.type === 'list')));
      }
    } else if (token.type === 'container' || token.type === 'blockquote') {
      out.push(...bulletTexts(((token as Tokens.Generic).tokens ?? []) as Token[]));
    }
  }
  return out;
}

/** The relationship targets of a slide, e.g. `../media/image-1-1.png`. */
async function slideTargets(pkg: Package, n: number): Promise<string[]> {
  const rels = await pkg.text(`ppt/slides/_rels/slide${n}.xml.rels`);
  return [...rels.matchAll(/Target="([^"]+)"/g)].map((m) => m[1] ?? '');
}

async function checkContentTypes(pkg: Package): Promise<void> {
  const types = await pkg.text('[Content_Types].xml');
  const overrides = [...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  // Every part it names exists (pptxgenjs lists a slide master per slide; only one exists) ...
  for (const part of overrides) expect(pkg.parts).toContain(part);
  const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1] ?? ''));
  // ... every part has a type, by name or by extension ...
  for (const part of pkg.parts) {
    if (part === '[Content_Types].xml') continue;
    const ext = /\.([^./]+)$/.exec(part)?.[1] ?? '';
    expect(overrides.includes(part) || defaults.has(ext), part).toBe(true);
  }
  // ... and no extension is declared that no part has.
  for (const ext of defaults)
    expect(
      pkg.parts.some((p) => p.endsWith(`.${ext}`)),
      ext,
    ).toBe(true);
  expect(pkg.parts[0]).toBe('[Content_Types].xml');
}

describe('the three content talks', () => {
  const built = new Map<string, BuiltDeck>();
  beforeAll(async () => {
    // The talks have diagrams: drawn in this file's browser, as the CLI does.
    const figures = createFigureRenderer({ session: async () => session, cacheDir: join(root, 'cache') });
    try {
      for (const talk of TALKS) built.set(talk, await buildDeck(join(CONTENT, `${talk}.md`), { outDir: join(root, 'talks'), figures }));
    } finally {
      await figures.close();
    }
  });

  for (const talk of TALKS) {
    it(`${talk}: a slide per slide, titles, bullets, tables and notes in the XML, byte-identical reruns`, async () => {
      const deck = built.get(talk);
      if (deck === undefined) throw new Error('not built');
      const file = join(root, `${talk}.pptx`);
      const result = await exportPptx(session, deck, { out: file, timeoutMs: 60_000 });
      const first = readFileSync(file);
      const again = await exportPptx(session, deck, { out: join(root, `${talk}-again.pptx`), timeoutMs: 60_000 });
      expect(readFileSync(again.file).equals(first)).toBe(true);
      expect(result.slides).toBe(deck.deck.slides.length);

      const pkg = await open(file);
      await checkContentTypes(pkg);
      const slides = pkg.parts.filter((p) => /^ppt\/slides\/slide\d+\.xml$/.test(p));
      expect(slides).toHaveLength(deck.deck.slides.length);
      // Compressed: the XML parts take less than half their size (PNGs are compressed already).
      let xml = 0;
      let media = 0;
      for (const part of pkg.parts) {
        const size = (await pkg.zip.file(part)?.async('uint8array'))?.length ?? 0;
        if (part.startsWith('ppt/media/')) media += size;
        else xml += size;
      }
      expect(first.length).toBeLessThan(media + xml / 2);

      const core = await pkg.text('docProps/core.xml');
      expect(core).toContain(`<dc:title>${deck.deck.title}</dc:title>`);
      expect(core).toContain('1980-01-01T00:00:00Z');
      if (deck.deck.config.author !== undefined) expect(core).toContain(`<dc:creator>${deck.deck.config.author}</dc:creator>`);

      for (const slide of deck.deck.slides) {
        const xml = await pkg.text(`ppt/slides/slide${slide.index + 1}.xml`);
        const paragraphs = paragraphsOf(xml);
        if (slide.title !== '') {
          // The title sits in the title placeholder.
          const title = /<p:sp>(?:(?!<\/p:sp>)[\s\S])*?type="title"[\s\S]*?<\/p:sp>/.exec(xml)?.[0] ?? '';
          expect(runsOf(title).join('').replace(/\s+/g, ' ').trim(), `slide ${slide.index + 1}`).toBe(
            slide.title.replace(/\s+/g, ' ').trim(),
          );
        }
        // Every bullet's text, in order.
        const bullets = bulletTexts(slide.tokens);
        let from = 0;
        for (const bullet of bullets) {
          const at = paragraphs.findIndex((p, i) => i >= from && p.replace(/\s+/g, ' ').trim() === bullet.replace(/\s+/g, ' '));
          expect(at, `slide ${slide.index + 1}: "${bullet}"`).toBeGreaterThanOrEqual(from);
          from = at + 1;
        }
        // Tables as native tables with the right cells.
        for (const token of slide.tokens.filter((t) => t.type === 'table') as Tokens.Table[]) {
          const table = /<a:tbl>[\s\S]*?<\/a:tbl>/.exec(xml)?.[0];
          expect(table, `slide ${slide.index + 1}`).toBeDefined();
          const cells = [...(table ?? '').matchAll(/<a:tc[\s>][\s\S]*?<\/a:tc>/g)].map((m) => runsOf(m[0]).join(''));
          const expected = [token.header, ...token.rows].flat().map((cell) => plainText(cell.tokens));
          // A theme may show header cells in capitals (CSS text-transform); the .pptx shows them so.
          expect(cells.map((c) => c.toLowerCase())).toEqual(expected.map((c) => c.toLowerCase()));
        }
        // Notes in the notes slide.
        if (slide.notes.trim() !== '') {
          const notes = runsOf(await pkg.text(`ppt/notesSlides/notesSlide${slide.index + 1}.xml`)).join(' ');
          const words = plainText(slide.notesTokens)
            .split(/\s+/)
            .filter((w) => w.length > 3);
          for (const word of words.slice(0, 12)) expect(notes).toContain(word);
        }
      }
    });
  }
});

describe('a deck with every kind of block', () => {
  let deck: BuiltDeck;
  let pkg: Package;
  let diagnostics: Awaited<ReturnType<typeof exportPptx>>['diagnostics'];
  const slideXml = (n: number): Promise<string> => pkg.text(`ppt/slides/slide${n}.xml`);

  beforeAll(async () => {
    const dir = join(root, 'kinds');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'red.png'), PNG_RED);
    const svg =
      '<svg role="img" aria-label="Bar chart" xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150"><rect x="10" y="50" width="60" height="100" fill="#d33"/><rect x="90" y="20" width="60" height="130" fill="#33d"/></svg>';
    const md = [
      '---',
      'title: Every kind',
      'author: Ada Lovelace',
      'description: What a PowerPoint export must carry',
      'transition: none',
      '---',
      '',
      '<!-- layout: default -->',
      '## Runs',
      '',
      'Plain **bold** and *italic* and `code()` and [a link](https://example.org/x).',
      '',
      '- Level one',
      '  - Level two',
      '    - Level three',
      '- Back to one',
      '',
      '1. First',
      '2. Second',
      '',
      'Note: Say the **runs** out loud.',
      '',
      '---',
      '',
      '## A table',
      '',
      '| Name | Value |',
      '| --- | ---: |',
      '| alpha | 1 |',
      '| beta | 2 |',
      '',
      '---',
      '',
      '<!-- layout: compare -->',
      '## Side by side',
      '',
      '### Left',
      '',
      '- Left point',
      '',
      '### Right',
      '',
      '- Right point',
      '',
      '---',
      '',
      '<!-- background: #0b2545 -->',
      '## A background',
      '',
      '![A red square](red.png)',
      '',
      '---',
      '',
      '## A chart',
      '',
      `<figure>${svg}</figure>`,
      '',
      '---',
      '',
      '## Code',
      '',
      '```js',
      'const answer = 42; // the answer',
      '```',
      '',
      'Some $x^2$ math inline.',
    ].join('\n');
    writeFileSync(join(dir, 'kinds.md'), `${md}\n`);
    deck = await buildDeck(join(dir, 'kinds.md'), { outDir: dir, html: true });
    const result = await exportPptx(session, deck, { out: join(dir, 'kinds.pptx'), timeoutMs: 60_000 });
    diagnostics = result.diagnostics;
    pkg = await open(result.file);
  });

  it('writes bold, italic, code and link runs', async () => {
    const xml = await slideXml(1);
    const run = (text: string): string => {
      const match = new RegExp(`<a:r><a:rPr((?:(?!</a:r>).)*?)<a:t>${text}</a:t></a:r>`, 's').exec(xml);
      expect(match, text).not.toBeNull();
      return match?.[1] ?? '';
    };
    expect(run('bold')).toContain(' b="1"');
    expect(run('italic')).toContain(' i="1"');
    expect(run('Plain ')).not.toContain(' b="1"');
    expect(run('code\\(\\)')).toMatch(/<a:latin typeface="[^"]*Mono[^"]*"/);
    expect(run('a link')).toContain('<a:hlinkClick');
    const rels = await pkg.text('ppt/slides/_rels/slide1.xml.rels');
    expect(rels).toContain('Target="https://example.org/x"');
  });

  it('keeps nested list levels and numbering', async () => {
    const xml = await slideXml(1);
    const para = (text: string): string => {
      const match = new RegExp(`<a:p><a:pPr([^>]*)>((?:(?!</a:p>).)*?)<a:t>${text}</a:t>`, 's').exec(xml);
      expect(match, text).not.toBeNull();
      return `${match?.[1] ?? ''} ${match?.[2] ?? ''}`;
    };
    expect(para('Level one')).not.toContain('lvl=');
    expect(para('Level two')).toContain('lvl="1"');
    expect(para('Level three')).toContain('lvl="2"');
    expect(para('Back to one')).not.toContain('lvl=');
    expect(para('First')).toContain('<a:buAutoNum type="arabicPeriod"');
    expect(para('Level one')).toContain('<a:buChar');
  });

  it('writes notes, document properties, a native table and side-by-side compare columns', async () => {
    const notes = runsOf(await pkg.text('ppt/notesSlides/notesSlide1.xml')).join('');
    expect(notes).toContain('Say the runs out loud.');
    const core = await pkg.text('docProps/core.xml');
    expect(core).toContain('<dc:title>Every kind</dc:title>');
    expect(core).toContain('<dc:creator>Ada Lovelace</dc:creator>');
    expect(core).toContain('<dc:subject>What a PowerPoint export must carry</dc:subject>');
    const table = /<a:tbl>[\s\S]*<\/a:tbl>/.exec(await slideXml(2))?.[0] ?? '';
    const cells = [...table.matchAll(/<a:tc[\s>][\s\S]*?<\/a:tc>/g)].map((m) => runsOf(m[0]).join(''));
    expect(cells).toEqual(['Name', 'Value', 'alpha', '1', 'beta', '2']);
    expect(table).toMatch(/<a:tc[\s>][\s\S]*?algn="r"[\s\S]*?<a:t>1<\/a:t>/);
    // Compare: each column's text in its own box, side by side (same top, left one further left).
    const xml = await slideXml(3);
    const offset = (text: string): { x: number; y: number } => {
      const match = new RegExp(`<a:off x="(\\d+)" y="(\\d+)"/>(?:(?!</p:sp>).)*<a:t>${text}</a:t>`, 's').exec(xml);
      expect(match, text).not.toBeNull();
      return { x: Number(match?.[1]), y: Number(match?.[2]) };
    };
    const left = offset('Left point');
    const right = offset('Right point');
    expect(right.x).toBeGreaterThan(left.x + 2_000_000);
    expect(Math.abs(right.y - left.y)).toBeLessThan(50_000);
  });

  it('sets the background colour, embeds the image, and pictures the chart', async () => {
    expect(await slideXml(4)).toContain('<p:bg><p:bgPr><a:solidFill><a:srgbClr val="0B2545"/>');
    const media = async (n: number): Promise<Buffer[]> => {
      const targets = (await slideTargets(pkg, n)).filter((t) => t.startsWith('../media/'));
      return Promise.all(targets.map(async (t) => (await pkg.zip.file(t.replace('../', 'ppt/'))?.async('nodebuffer')) ?? Buffer.alloc(0)));
    };
    // The image file itself (beside it, at most a transparent picture of the theme's ornaments).
    expect((await media(4)).filter((bytes) => bytes.equals(PNG_RED))).toHaveLength(1);
    expect(await slideXml(4)).toContain('descr="A red square"');
    // The inline SVG (a chart) is a PNG picture of what Chromium drew, at twice its pixels.
    const sizes = (await media(5)).map((png) => `${png.subarray(1, 4).toString()} ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
    expect(sizes).toContain('PNG 600×300');
  });

  it('keeps code monospaced in its highlight colours', async () => {
    const xml = await slideXml(6);
    const code = /<p:sp>(?:(?!<\/p:sp>)[\s\S])*?const(?:(?!<\/p:sp>)[\s\S])*<\/p:sp>/.exec(xml)?.[0] ?? '';
    expect(runsOf(code).join('')).toBe('const answer = 42; // the answer');
    const colours = new Set([...code.matchAll(/<a:rPr[^>]*>(?:<a:[^>]*>)*?<a:solidFill><a:srgbClr val="([0-9A-F]{6})"/g)].map((m) => m[1]));
    expect(colours.size).toBeGreaterThanOrEqual(3);
    expect(code).toMatch(/<a:latin typeface="[^"]*Mono[^"]*"/);
  });

  it('warns, naming the line, about what PowerPoint cannot show', () => {
    const math = diagnostics.find((d) => d.code === 'pptx-unsupported' && d.message.includes('inline math'));
    expect(math).toBeDefined();
    expect(math?.file).toBe(deck.file);
    const mdLine =
      readFileSync(deck.file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('$x^2$')) + 1;
    expect(math?.line).toBe(mdLine);
    expect(math?.message).toMatch(/^slide 6: /);
  });

  it('writes each slide as a picture with --pictures, notes kept', async () => {
    const result = await exportPptx(session, deck, { out: join(root, 'kinds-pictures.pptx'), mode: 'pictures', timeoutMs: 60_000 });
    const pictures = await open(result.file);
    await checkContentTypes(pictures);
    for (let n = 1; n <= deck.deck.slides.length; n++) {
      const xml = await pictures.text(`ppt/slides/slide${n}.xml`);
      expect(runsOf(xml)).toEqual([]);
      expect(xml).toContain('<p:pic>');
      const media = (await slideTargets(pictures, n)).filter((t) => t.startsWith('../media/'));
      const png = await pictures.zip.file(media[0]?.replace('../', 'ppt/') ?? '')?.async('nodebuffer');
      expect(png?.readUInt32BE(16)).toBe(2560);
      expect(png?.readUInt32BE(20)).toBe(1440);
    }
    expect(runsOf(await pictures.text('ppt/notesSlides/notesSlide1.xml')).join('')).toContain('Say the runs out loud.');
  });
});

// The print view numbered its slides after reveal.js had removed the hidden ones, so each slide
// after a hidden one was measured as the one before it: the hidden slide's text went out on the
// shown slide's page, and the shown slide's text was dropped as "not on the slide".
describe('hidden slides', () => {
  const deckText = [
    '<!-- .slide: data-visibility="hidden" -->',
    '# Secret plan',
    '',
    '---',
    '',
    '# First shown',
    '',
    '- alpha point',
    '',
    '---',
    '',
    '<!-- .slide: data-visibility="hidden" -->',
    '# Also hidden',
    '',
    '---',
    '',
    '# Second shown',
    '',
    'Note: notes of the second shown slide',
    '',
  ].join('\n');

  it('are left out, and every shown slide keeps its own text and notes', async () => {
    const dir = join(root, 'hidden');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hidden.md'), deckText);
    const built = await buildDeck(join(dir, 'hidden.md'), { outDir: dir });
    const result = await exportPptx(session, built, { out: join(dir, 'hidden.pptx'), timeoutMs: 60_000 });
    expect(result.slides).toBe(2);
    expect(result.diagnostics.filter((d) => d.code === 'pptx-unsupported')).toEqual([]);
    const pkg = await open(result.file);
    expect(pkg.parts.filter((p) => /^ppt\/slides\/slide\d+\.xml$/.test(p))).toHaveLength(2);
    const first = runsOf(await pkg.text('ppt/slides/slide1.xml')).join(' ');
    const second = runsOf(await pkg.text('ppt/slides/slide2.xml')).join(' ');
    expect(first).toContain('First shown');
    expect(first).toContain('alpha point');
    expect(second).toContain('Second shown');
    expect(`${first} ${second}`).not.toMatch(/Secret plan|Also hidden/);
    const notes = (await Promise.all(pkg.parts.filter((p) => /notesSlide\d+\.xml$/.test(p)).map((p) => pkg.text(p)))).join(' ');
    expect(notes).toContain('notes of the second shown slide');

    const pictures = await exportPptx(session, built, { out: join(dir, 'pictures.pptx'), mode: 'pictures', timeoutMs: 60_000 });
    expect(pictures.slides).toBe(2);
  });

  it('a deck whose every slide is hidden fails at once with no-slides, writing nothing', async () => {
    const dir = join(root, 'all-hidden');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'all.md'), '<!-- .slide: data-visibility="hidden" -->\n# Only\n');
    const built = await buildDeck(join(dir, 'all.md'), { outDir: dir });
    const out = join(dir, 'all.pptx');
    await expect(exportPptx(session, built, { out, timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'no-slides',
      line: 1,
      message: 'every slide of the deck is hidden, so there is nothing to write as PowerPoint',
    });
    expect(() => readFileSync(out)).toThrow();
  });
});
