/**
 * The round trip the convert tests check: a deck and its conversion, each built in process, give
 * the same slides (count, and per slide the vertical index) and the same distinct words in the
 * slides' and notes' HTML text.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { buildDeck, toolFilesNear } from '../../src/build/index.js';
import { slidevImports } from '../../src/build/imports.js';
import { readSource } from '../../src/build/read.js';
import { convertDeck, type ConvertResult } from '../../src/convert/index.js';
import type { BuiltDeck, FigureRenderer } from '../../src/types.js';

/** Figures are shown as their code on both sides: the round trip is about the Markdown. */
const asCode: FigureRenderer = { render: async () => ({ figures: {}, diagnostics: [] }) };

export function words(built: BuiltDeck): Set<string> {
  const text = built.rendered.slides
    .map((s) => `${s.html} ${s.notesHtml}`)
    .join(' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .toLowerCase();
  return new Set(text.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

export interface RoundTrip {
  original: BuiltDeck;
  converted: BuiltDeck;
  result: ConvertResult;
}

/** Builds `file`, converts it, and builds the conversion, written to a temp folder removed before this returns. */
export async function roundTrip(file: string, root = dirname(resolve(file))): Promise<RoundTrip> {
  const path = resolve(file);
  const dir = dirname(path);
  const original = await buildDeck(path, { inMemory: true, root, figures: asCode });
  const outDir = mkdtempSync(join(tmpdir(), 'ds-convert-'));
  try {
    const result = convertDeck(await readSource(path), {
      file: path,
      sourceDir: dir,
      outDir,
      exists: existsSync,
      toolFiles: toolFilesNear(dir, root),
      readImport: slidevImports(path, root),
      importChain: [relative(process.cwd(), path) || path],
    });
    const convertedFile = join(outDir, basename(path).replace(/\.md$/i, '.decksmith.md'));
    writeFileSync(convertedFile, result.text);
    const converted = await buildDeck(convertedFile, { inMemory: true, root: '/', figures: asCode });
    return { original, converted, result };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The corpus's decks as its SOURCE.md files name them (`deck:`), with the folder each came in (the root of its files). */
export function corpusDeckList(corpus: string): { name: string; file: string; root: string }[] {
  return readdirSync(corpus)
    .filter((name) => existsSync(join(corpus, name, 'SOURCE.md')))
    .sort()
    .map((name) => {
      const source = readFileSync(join(corpus, name, 'SOURCE.md'), 'utf8');
      const deck = /^deck:\s*(\S+)\s*$/m.exec(source)?.[1];
      if (deck === undefined) throw new Error(`${join(corpus, name, 'SOURCE.md')} has no "deck:" line`);
      return { name, file: join(corpus, name, deck), root: join(corpus, name) };
    });
}
