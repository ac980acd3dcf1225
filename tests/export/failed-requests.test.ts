/**
 * A file of the built deck that Chromium cannot load while printing (issue #11: the failures were
 * collected and dropped) is a warning at the deck's line that chose it.
 *
 * `decksmith pdf` always builds the deck into a fresh temporary folder and prints it straight
 * away, so from outside the process nothing can go missing between its build and its load. The
 * failure these tests make is the one `build --pdf`, `build --watch --pdf` and library callers
 * meet: the built folder changes after buildDeck (a font deleted by a clean-up, an image removed
 * by another build into the same folder) and exportDecks prints what is left. The warnings are
 * then printed by the CLI's own printing path (runExports), as `file:line: warning: … [code]`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { runExports } from '../../src/cli/commands/pdf.js';
import type { CliIO } from '../../src/cli/io.js';
import { exportDecks } from '../../src/export/index.js';
import type { PdfOptions } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { writeBrandTheme } from './fixture-deck.js';
import { pageTexts } from './read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-failed-requests-');
const browser = browserForFile(cleanup);
const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** A deck whose own theme (chosen at line 3) brings a font, with an image at line 11. */
function writeDeck(folder: string): string {
  writeBrandTheme(folder);
  writeFileSync(join(folder, 'chart.png'), PNG_1PX);
  const deck = join(folder, 'talk.md');
  writeFileSync(
    deck,
    [
      '---',
      'title: Failing files',
      'theme: ./brand',
      '---',
      '',
      '## Opening FIRSTPAGE',
      '',
      'Some text.',
      '',
      '---',
      '![a chart](chart.png)',
      '',
    ].join('\n'),
  );
  return deck;
}

function captureIO(): { io: CliIO; err: () => string } {
  let err = '';
  return {
    io: {
      stdout: () => undefined,
      stderr: (text) => {
        err += text;
      },
      isTTY: false,
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    },
    err: () => err,
  };
}

describe('files that fail to load while printing', () => {
  it('a theme font deleted from the built folder: a warning at the theme: line; the PDF is still written', async () => {
    const folder = join(dir, 'font');
    const built = await buildDeck(writeDeck(folder), { outDir: join(folder, 'out') });
    rmSync(join(built.outDir, built.rendered.assets.find((a) => a.source.endsWith('brand.woff2'))?.target ?? 'missing'));
    const [outcome] = await exportDecks([built], base, { session: browser() });
    expect(outcome?.error).toBeUndefined();
    const warnings = outcome?.result?.diagnostics.filter((d) => d.code === 'asset-not-loaded') ?? [];
    expect(warnings).toEqual([
      expect.objectContaining({ severity: 'warning', file: built.file, line: 3, message: expect.stringContaining('brand.woff2') }),
    ]);
    expect(warnings[0]?.message).toMatch(/theme's font .* did not load while printing \(net::ERR_FILE_NOT_FOUND\)/);
    expect((await pageTexts(outcome?.result?.file ?? ''))[0]).toContain('FIRSTPAGE');
  });

  it('an image removed after the build: a warning at the line that shows it, printed as file:line: warning', async () => {
    const folder = join(dir, 'image');
    const built = await buildDeck(writeDeck(folder), { outDir: join(folder, 'out') });
    const image = built.rendered.assets.find((a) => a.kind === 'image' && a.line !== undefined);
    expect(image?.line).toBe(11);
    rmSync(join(built.outDir, image?.target ?? 'missing'));
    const { io, err } = captureIO();
    const code = await runExports(io, [built], [{ ...base, out: join(folder, 'talk.pdf') }], {
      session: Promise.resolve(browser()),
      close: async () => undefined,
    });
    // A warning, not a failure: the PDF is written without the image.
    expect(code).toBe(0);
    expect(err()).toContain(`${built.file}:11: warning: image chart.png did not load while printing (net::ERR_FILE_NOT_FOUND)`);
    expect(err()).toMatch(/\[asset-not-loaded\]/);
    expect(err().match(/asset-not-loaded/g)).toHaveLength(1);
  });

  it('a font of the default theme deleted: the warning points at line 1, where no theme: line is', async () => {
    const folder = join(dir, 'default');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'plain.md'), '## Plain heading\n\nBody text in the default font.\n');
    const built = await buildDeck(join(folder, 'plain.md'), { outDir: join(folder, 'out') });
    const font = built.rendered.assets.find((a) => a.kind === 'font' && a.target.endsWith('inter-latin-400-normal.woff2'));
    expect(font).toBeDefined();
    rmSync(join(built.outDir, font?.target ?? 'missing'));
    const [outcome] = await exportDecks([built], base, { session: browser() });
    expect(outcome?.result?.diagnostics).toEqual([
      expect.objectContaining({
        code: 'asset-not-loaded',
        file: built.file,
        line: 1,
        message: expect.stringContaining('inter-latin-400-normal.woff2'),
      }),
    ]);
  });

  it('a deck whose files all load gets no such warning', async () => {
    const folder = join(dir, 'whole');
    const built = await buildDeck(writeDeck(folder), { outDir: join(folder, 'out') });
    const [outcome] = await exportDecks([built], base, { session: browser() });
    expect(outcome?.result?.diagnostics).toEqual([]);
  });
});
