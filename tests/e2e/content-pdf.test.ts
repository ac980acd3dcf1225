/**
 * The talks carry the seed articles' facts into the PDFs people take away, and none of the
 * seeds' page chrome (the unrelated article teasers at their end).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { exportDecks } from '../../src/export/index.js';
import { PDFDict, PDFName } from 'pdf-lib';
import { loadPdf, pageTexts } from '../export/read-pdf.js';
import { tempDir } from '../helpers.js';
import { BrowserSession } from '../../src/browser/session.js';
import type { ExportOutcome } from '../../src/export/decks.js';
import { createFigureRenderer } from '../../src/figures/index.js';

const contentDir = join(import.meta.dirname, '..', '..', 'content');
const talks = readdirSync(contentDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

/** Facts of seed 000 (ML engineer vs data scientist), as they must read in the slides. */
const ROLE_FACTS = [
  /primar(y|ily) focus|focus/i,
  /responsibilit/i,
  /Python/,
  /Java\b/,
  /\bC\b/,
  /\bR\b/,
  /TensorFlow/,
  /PyTorch/,
  /AWS/,
  /GCP/,
  /Azure/,
  /Tableau/,
  /Matplotlib/,
  /A\/B test/i,
  /stakeholder/i,
  /monitor/i,
  /Quora/,
];
/** Facts of seed 001 (the team behind an intelligent system). */
const TEAM_FACTS = [
  /architect/i,
  /builder/i,
  /monitor/i,
  /inference testing/i,
  /workflow automation|automat/i,
  /communicat/i,
  /storytelling/i,
  /insight/i,
  /lifecycle/i,
  /debug/i,
];
/** The seeds' page chrome: titles of unrelated articles and the "Explore more" block. */
const CHROME = [
  /Explore more/i,
  /Architecture Studies/i,
  /Navigating Specificities/i,
  /In-Person Events/i,
  /Wealth Management/i,
  /Tune Talk/i,
];

describe('content PDFs', () => {
  const tmp = tempDir();
  const texts = new Map<string, string>();
  const files = new Map<string, string>();

  beforeAll(async () => {
    // The talks' diagrams are drawn in the browser that prints them (issue #13).
    const session = await BrowserSession.launch();
    const figures = createFigureRenderer({ session: async () => session, cacheDir: join(tmp.dir, 'cache') });
    let outcomes: ExportOutcome[];
    try {
      const builds = await Promise.all(talks.map((t) => buildDeck(join(contentDir, t), { outDir: tmp.dir, figures })));
      await figures.close();
      outcomes = await exportDecks(builds, [{ notes: 'none', fragments: 'final', timeoutMs: 60_000 }], { session });
    } finally {
      await session.close();
    }
    for (const o of outcomes) {
      if (o.error !== undefined) throw o.error;
      texts.set(o.built.name, (await pageTexts(o.result?.file ?? '')).join('\n'));
      files.set(o.built.name, o.result?.file ?? '');
    }
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('ml-engineer-vs-data-scientist carries every fact of its seed on the slides', () => {
    const text = texts.get('ml-engineer-vs-data-scientist') ?? '';
    for (const fact of ROLE_FACTS) expect(text, String(fact)).toMatch(fact);
  });

  it('intelligent-systems-team carries every fact of its seed on the slides', () => {
    const text = texts.get('intelligent-systems-team') ?? '';
    for (const fact of TEAM_FACTS) expect(text, String(fact)).toMatch(fact);
  });

  it('roles-handbook briefs both roles with the tools of both seeds', () => {
    const text = texts.get('roles-handbook') ?? '';
    for (const fact of [...ROLE_FACTS.slice(2, 13), /architect/i, /builder/i, /inference test/i]) expect(text, String(fact)).toMatch(fact);
  });

  it('embeds every font as a named font program, never as Type 3 outlines', async () => {
    for (const [name, file] of files) {
      const doc = await loadPdf(file);
      const fonts: { subtype: string; embedded: boolean; name: string }[] = [];
      for (const [, object] of doc.context.enumerateIndirectObjects()) {
        if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
        const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((k) => object.has(PDFName.of(k)));
        fonts.push({ subtype: 'descriptor', embedded, name: String(object.get(PDFName.of('FontName'))) });
      }
      for (const [, object] of doc.context.enumerateIndirectObjects()) {
        if (
          object instanceof PDFDict &&
          object.get(PDFName.of('Type')) === PDFName.of('Font') &&
          object.get(PDFName.of('Subtype')) === PDFName.of('Type3')
        ) {
          fonts.push({ subtype: 'Type3', embedded: false, name: '[none]' });
        }
      }
      expect(fonts.length, name).toBeGreaterThan(0);
      expect(
        fonts.filter((f) => !f.embedded),
        `${name}: ${JSON.stringify(fonts)}`,
      ).toEqual([]);
    }
  });

  it('prints title and closing slides vertically centred, as on screen', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const { readFile } = await import('node:fs/promises');
    for (const [name, file] of files) {
      const pdf = await getDocument({ data: new Uint8Array(await readFile(file)), isEvalSupported: false }).promise;
      for (const n of [1, pdf.numPages]) {
        const page = await pdf.getPage(n);
        const height = page.getViewport({ scale: 1 }).height;
        // The slide's content: everything but the slide number in the bottom band of the page.
        const boxes = (await page.getTextContent()).items.flatMap((item) =>
          'transform' in item && item.str.trim() !== '' && (item.transform[5] as number) > height * 0.08
            ? [{ bottom: item.transform[5] as number, top: (item.transform[5] as number) + item.height }]
            : [],
        );
        const gapAbove = height - Math.max(...boxes.map((b) => b.top));
        const gapBelow = Math.min(...boxes.map((b) => b.bottom));
        expect(
          Math.abs(gapAbove - gapBelow) / height,
          `${name} page ${n}: ${gapAbove.toFixed(0)} pt above, ${gapBelow.toFixed(0)} pt below`,
        ).toBeLessThan(0.15);
      }
      await pdf.destroy();
    }
  });

  it('no talk carries the seeds page chrome', () => {
    expect(texts.size).toBe(3);
    for (const [name, text] of texts) for (const chrome of CHROME) expect(text, `${name}: ${chrome}`).not.toMatch(chrome);
  });
});
