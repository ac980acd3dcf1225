export { BrowserSession, InterruptedError, needsNoSandbox, type BrowserSessionOptions } from '../browser/session.js';
export { findBrowser, BROWSER_ENV_VARS, type FoundBrowser, type BrowserSource } from '../browser/find.js';
export { exportPdf, defaultPdfPath, DEFAULT_TIMEOUT_MS, type PdfResult } from './pdf.js';
export {
  exportDecks,
  EXPORT_PHASES,
  type ExportDecksSettings,
  type ExportOutcome,
  type ExportPhase,
  type ExportProgress,
  type ProgressCallback,
} from './decks.js';
export { parseRange, parseRangeSpans, type RangeSpan } from './range.js';
export { reproducibleDate } from './finish-pdf.js';
