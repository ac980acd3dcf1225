/**
 * When the two halves of a split print cannot be joined (pdf-join.ts answers null for a file it
 * does not understand), the deck prints again in one piece (src/export/pdf.ts printInHalves): the
 * user gets the same PDF as an unsplit print, and progress reports the printing phase once.
 * The join is replaced here by one that always refuses, the only way to reach that path on
 * purpose: every PDF this Chromium writes joins.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportPdf, type ExportPhase } from '../../src/export/pdf.js';
import type { PdfOptions } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';
import { makeDeck, nineSlides } from './fixture-deck.js';
import { loadPdf, outline, pageTexts } from './read-pdf.js';

vi.mock('../../src/export/pdf-join.js', () => ({ joinPdfs: () => null }));

const { dir, cleanup } = tempDir('decksmith-split-fallback-');
const browser = browserForFile(cleanup);
const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 60_000 };

const saved = process.env['DECKSMITH_SPLIT_PRINT'];
afterEach(() => {
  if (saved === undefined) delete process.env['DECKSMITH_SPLIT_PRINT'];
  else process.env['DECKSMITH_SPLIT_PRINT'] = saved;
});

describe('a split print whose halves cannot be joined', () => {
  it('prints in one piece, the same PDF, reporting each phase once', { timeout: 120_000 }, async () => {
    const deck = await makeDeck(join(dir, 'nine'), nineSlides(), { title: 'Nine slides' });
    const print = async (split: boolean, file: string) => {
      process.env['DECKSMITH_SPLIT_PRINT'] = split ? '2' : '0';
      const phases: ExportPhase[] = [];
      const result = await exportPdf(browser(), deck, { ...base, out: join(dir, file) }, { onPhase: (phase) => phases.push(phase) });
      return { file: result.file, phases };
    };
    const whole = await print(false, 'whole.pdf');
    const fallback = await print(true, 'fallback.pdf');
    expect(fallback.phases).toEqual(['loading', 'printing', 'finishing']);
    expect(whole.phases).toEqual(['loading', 'printing', 'finishing']);
    expect(await pageTexts(fallback.file)).toEqual(await pageTexts(whole.file));
    const [a, b] = [await loadPdf(whole.file), await loadPdf(fallback.file)];
    expect(b.getPageCount()).toBe(a.getPageCount());
    expect(outline(b)).toEqual(outline(a));
  });
});
