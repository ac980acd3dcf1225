/**
 * decksmith's library API. Importing it has no side effects.
 *
 *   const built = await buildDeck('talk.md', { outDir: 'output' });   // parse, render, write
 *   const session = await BrowserSession.launch();
 *   try {
 *     await exportPdf(session, built, { notes: 'none', fragments: 'final', timeoutMs: 120_000 });
 *     const overflow = await checkDeck(session, built);
 *   } finally {
 *     await session.close();
 *   }
 *
 * parseDeck and renderDeck are pure (no files, no browser); buildDeck reads the deck and its
 * theme and writes the output folder; exportPdf prints slides or, with `handout`, a handout.
 */
export { parseDeck, normalizeSource } from './parse/index.js';
export { renderDeck } from './render/index.js';
export { buildDeck, expandInputs, type BuildOptions } from './build/index.js';
export { loadTemplates } from './build/templates.js';
export { resolveTheme, listThemes } from './build/theme.js';
export { resolveRuntime } from './build/runtime.js';
export { BrowserSession, type BrowserSessionOptions } from './browser/session.js';
export { exportPdf, defaultPdfPath, type PdfResult } from './export/pdf.js';
export { exportDecks, type ExportDecksSettings, type ExportOutcome, type ExportProgress } from './export/decks.js';
export { DEFAULT_TIMEOUT_MS } from './export/defaults.js';
export { checkDeck } from './check/index.js';
export {
  createFigureRenderer,
  figureTheme,
  type FigureRendererOptions,
  type FigureRendererHandle,
  type FigureTheme,
  type FigureFont,
} from './figures/index.js';
export * from './errors.js';
export type * from './types.js';
export { LAYOUTS, SLIDE_SIZES, SPLIT_LEVELS, PDF_SIZES, HANDOUT_COUNTS, DIAGNOSTIC_CODES } from './types.js';
export { FIGURE_LANGS } from './types.js';
export { convertDeck, type ConvertOptions, type ConvertResult } from './convert/index.js';
export { convertFile, defaultConvertOut, type ConvertFileOptions, type ConvertedFile } from './convert/file.js';
