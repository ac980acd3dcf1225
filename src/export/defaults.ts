import { availableParallelism } from 'node:os';
import { TIMEOUTS } from '../browser/timeouts.js';

/** Default for `PdfOptions.timeoutMs`: generous, since a 500-slide deck takes a while. */
export const DEFAULT_TIMEOUT_MS: number = TIMEOUTS.exportMs;

/**
 * How many export units exportQueue runs at once unless told otherwise: one per core and one more,
 * so a core never waits while a unit loads its deck or writes its file. `build` asks Chromium for
 * this many print tabs as it starts.
 */
export function defaultExportConcurrency(): number {
  return availableParallelism() + 1;
}
