/** The PDF commands as a user runs them: exit codes, messages and files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { printsPdf } from '../../src/cli/browser-start.js';
import { pageTexts } from '../export/read-pdf.js';
import { cli, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const deck = join(tmp.dir, 'talk.md');
writeFileSync(deck, '---\ntitle: CLI PDF\n---\n# One\n\nNote: n1\n\n---\n\n## Two\n\n---\n\n## Three\n\n---\n\n## Four\n');
const pages = async (file: string) => (await PDFDocument.load(await readFile(file))).getPageCount();

describe('decksmith pdf', () => {
  // npm start's command: three decks print at once in tabs that share renderer processes, where
  // Blink numbers DOM nodes per process and Chromium writes those numbers into each PDF's tags.
  it('writes the same PDFs each time it builds several decks at once (npm start)', { timeout: 120_000 }, async () => {
    const content = join(import.meta.dirname, '..', '..', 'content');
    const pdfs = async (name: string): Promise<Map<string, Buffer>> => {
      const out = join(tmp.dir, name);
      const result = await cli(['build', content, '--out', out, '--pdf', '--handout', '3', '--quiet'], tmp.dir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith('.pdf'));
      return new Map(files.map((f) => [f, readFileSync(join(out, f))]));
    };
    const first = await pdfs('again-1');
    const second = await pdfs('again-2');
    expect([...first.keys()].sort()).toHaveLength(6);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [name, bytes] of first) expect(second.get(name)?.equals(bytes), name).toBe(true);
  });

  it('exports an open range such as --range 3- and names the file it wrote', async () => {
    const out = join(tmp.dir, 'range.pdf');
    const result = await cli(['pdf', deck, '--out', out, '--range', '3-'], tmp.dir);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${out}  (2 pages)`);
    expect(await pages(out)).toBe(2);
  });

  it('rejects a malformed range as bad usage (exit 2) before doing any work', async () => {
    const result = await cli(['pdf', deck, '--range', 'x-y', '--out', join(tmp.dir, 'never.pdf')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--range');
    expect(existsSync(join(tmp.dir, 'never.pdf'))).toBe(false);
  });

  it('build --pdf --handout writes both PDFs next to the decks', async () => {
    const out = join(tmp.dir, 'out');
    mkdirSync(out, { recursive: true });
    const result = await cli(['build', deck, '--out', out, '--pdf', '--handout', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(await pages(join(out, 'talk.pdf'))).toBe(4);
    expect(await pages(join(out, 'talk-handout.pdf'))).toBe(2);
    // Longer than the launch's 30 s and the export's 120 s limits: a stuck step then fails with its name instead of
    // a bare test timeout (CI once timed out here, with no clue, on an overloaded machine).
  }, 180_000);

  // Scaled onto a sheet, a slide must not be split across the sheet's page boundary by Chromium's
  // pagination: that once printed most slides of a real theme as empty pages on A4.
  const sheetDeck = (size: '16:9' | '4:3'): string => {
    const file = join(tmp.dir, `sheet-${size.replace(':', 'x')}.md`);
    const slides = Array.from(
      { length: 4 },
      (_, i) =>
        `## Slide ZQX${i + 1}\n\n- first point of ${i + 1}\n- second point\n- third point\n- fourth point\n\nNote: spoken NOTE${i + 1}`,
    );
    writeFileSync(file, `---\ntitle: Sheets\ntheme: midnight\nsize: "${size}"\n---\n\n${slides.join('\n\n---\n\n')}\n`);
    return file;
  };
  it.each([
    ['a4', '16:9', []],
    ['letter', '16:9', []],
    ['a4', '16:9', ['--notes', 'below']],
    ['16:9', '4:3', []],
    ['4:3', '16:9', ['--notes', 'below']],
  ] as const)('--size %s (a %s deck, %j) prints every slide whole on its sheet', async (size, deckSize, extra) => {
    const out = join(tmp.dir, `sheet-${size.replace(':', 'x')}-${deckSize.replace(':', 'x')}-${extra.length}.pdf`);
    const result = await cli(['pdf', sheetDeck(deckSize), '--size', size, '--out', out, ...extra], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const texts = await pageTexts(out);
    expect(texts).toHaveLength(4);
    texts.forEach((text, i) => {
      expect(text).toContain(`ZQX${i + 1}`);
      expect(text).toContain('fourth point');
      if (extra.length > 0) expect(text).toContain(`NOTE${i + 1}`);
    });
  });

  // A <!-- fit --> slide is scaled down in the browser; printed, it must show all of its content,
  // not the top of it cut at the page's edge.
  it('prints a <!-- fit --> slide whole', async () => {
    const file = join(tmp.dir, 'fit.md');
    const bullets = Array.from({ length: 16 }, (_, i) => `- point FIT${i + 1} with a few more words to make it wrap`).join('\n');
    writeFileSync(file, `# Title\n\n---\n\n<!-- fit -->\n## Too long\n\n${bullets}\n`);
    const check = await cli(['check', file], tmp.dir);
    expect(check.code, check.stderr).toBe(0);
    const out = join(tmp.dir, 'fit.pdf');
    const printed = await cli(['pdf', file, '--out', out], tmp.dir);
    expect(printed.code).toBe(0);
    expect(printed.stderr).not.toContain('[overflow]');
    const [, page] = await pageTexts(out);
    for (let i = 1; i <= 16; i++) expect(page).toContain(`FIT${i} `);
  });

  // The print view clips a slide that does not fit: the PDF commands say so, as `check` does.
  it('warns about an overflowing slide at its file:line, as check does, and still exits 0', async () => {
    const file = join(tmp.dir, 'long.md');
    const bullets = Array.from({ length: 40 }, (_, i) => `- bullet ${i + 1}`).join('\n');
    writeFileSync(file, `---\ntitle: Long\n---\n# One\n\n---\n\n## Two\n\n---\n\n## Forty bullets\n\n${bullets}\n\n---\n\n## Four\n`);
    const check = await cli(['check', file], tmp.dir);
    const expected = check.stderr.split('\n').filter((l) => l.includes('[overflow]'));
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatch(/long\.md:11: warning: slide 3 "Forty bullets" overflows its frame \(\d+px too tall\)/);
    const pdf = await cli(['pdf', file, '--out', join(tmp.dir, 'long.pdf')], tmp.dir);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(pdf.stderr.split('\n').filter((l) => l.includes('[overflow]'))).toEqual(expected);
    // Slides and handout from one build: the deck is measured twice, warned about once.
    const build = await cli(['build', file, '--out', join(tmp.dir, 'long-out'), '--pdf', '--handout', '2'], tmp.dir);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr.split('\n').filter((l) => l.includes('[overflow]'))).toEqual(expected);
    // A range without the slide: nothing to say.
    const range = await cli(['pdf', file, '--range', '1-2', '--out', join(tmp.dir, 'long-range.pdf')], tmp.dir);
    expect(range.stderr).not.toContain('[overflow]');
  });

  it('says what to install when there is no browser, and exits 1', async () => {
    const saved = process.env['CHROME_PATH'];
    process.env['CHROME_PATH'] = join(tmp.dir, 'no-such-chrome');
    try {
      const result = await cli(['pdf', deck, '--out', join(tmp.dir, 'nobrowser.pdf')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('CHROME_PATH');
      expect(result.stderr).toMatch(/apt-get install chromium|Install Chromium/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(tmp.dir, 'nobrowser.pdf'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['CHROME_PATH'];
      else process.env['CHROME_PATH'] = saved;
    }
  });
});

describe('which commands start Chromium before the CLI loads', () => {
  it('is the printing ones only', () => {
    expect(printsPdf(['pdf', 'talk.md'])).toBe(true);
    expect(printsPdf(['--debug', 'pdf', 'talk.md'])).toBe(true);
    expect(printsPdf(['build', 'content', '--pdf'])).toBe(true);
    expect(printsPdf(['build', 'content', '--handout', '3'])).toBe(true);
    expect(printsPdf(['build', 'content', '--handout=3'])).toBe(true);
    expect(printsPdf(['build', 'content'])).toBe(false);
    expect(printsPdf(['build', 'content', '--pdf', '--watch'])).toBe(false);
    expect(printsPdf(['pdf', '--help'])).toBe(false);
    expect(printsPdf(['inspect', 'talk.md'])).toBe(false);
    expect(printsPdf([])).toBe(false);
  });
});
