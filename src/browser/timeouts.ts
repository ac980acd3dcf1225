/**
 * Every time limit the browser layer and its consumers use, in one place. A limit that a user can
 * change (`--timeout`) has its default here; the others guard against a browser that stopped
 * answering, and are long on purpose: a 500-slide deck on a loaded machine is slow, not stuck.
 */
export const TIMEOUTS = {
  /** How long a freshly spawned browser may take to answer on its DevTools pipe. */
  launchMs: 30_000,
  /** Any single DevTools call (Puppeteer's `protocolTimeout`); printing a long deck is one call. */
  protocolMs: 600_000,
  /** Opening a deck to measure or screenshot it (check, the theme gallery). */
  openDeckMs: 60_000,
  /** Default of `--timeout` / `PdfOptions.timeoutMs` for loading and printing one PDF. */
  exportMs: 120_000,
} as const;
