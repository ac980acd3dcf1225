import { TIMEOUTS } from '../browser/timeouts.js';

/** Default for `PdfOptions.timeoutMs`: generous, since a 500-slide deck takes a while. */
export const DEFAULT_TIMEOUT_MS: number = TIMEOUTS.exportMs;
