/**
 * Failures are thrown as DecksmithError subclasses with a stable `code` from ERROR_CODES, which
 * also fixes the process exit code for each. The CLI prints `file:line: message` (plus the hint).
 * Anything that is not a DecksmithError is a bug in decksmith and is reported with its stack under
 * --debug.
 */

/**
 * Every error code, kebab-case, with the exit code the CLI ends with: 1 for a deck, a file or the
 * machine at fault, 2 for a command line that is wrong, 128 + the signal's number for a signal.
 */
export const ERROR_CODES = {
  // The input.
  'input-not-found': 1,
  'input-not-file': 1,
  'input-unreadable': 1,
  'input-too-large': 1,
  'not-text': 1,
  'line-too-long': 1,
  'too-deeply-nested': 1,
  'no-decks': 1,
  'no-slides': 1,
  'output-clash': 1,
  'root-not-found': 1,
  'init-not-a-folder': 1,
  'init-would-overwrite': 1,
  // Front matter.
  'front-matter-yaml': 1,
  'front-matter-not-mapping': 1,
  'front-matter-invalid': 1,
  'front-matter-too-deep': 1,
  'front-matter-language': 1,
  // decksmith.config.yaml / package.json "decksmith".
  'config-unreadable': 1,
  'config-yaml': 1,
  'config-json': 1,
  'config-not-mapping': 1,
  'config-unknown-key': 1,
  'config-invalid': 1,
  'config-missing-folder': 1,
  'config-unknown-theme': 1,
  // Themes and templates.
  'template-syntax': 1,
  'template-failed': 1,
  'missing-partial': 1,
  'missing-layout': 1,
  'templates-not-found': 1,
  'font-not-installed': 1,
  'theme-css-missing': 1,
  'theme-cycle': 1,
  'theme-file-unreadable': 1,
  'theme-json-invalid': 1,
  'theme-link-outside': 1,
  'theme-not-css': 1,
  'theme-outside-root': 1,
  'theme-symlink-loop': 1,
  // The browser and the PDF.
  'browser-not-found': 1,
  'browser-launch-failed': 1,
  'browser-crashed': 1,
  'pdf-timeout': 1,
  'pdf-load-failed': 1,
  'pdf-print-failed': 1,
  'pdf-export-failed': 1,
  // PowerPoint and PNG export (issue #14).
  'png-capture-failed': 1,
  'pptx-export-failed': 1,
  // Output.
  'output-write-failed': 1,
  'output-is-a-folder': 1,
  'output-not-a-folder': 1,
  'output-not-ours': 1,
  'output-not-writable': 1,
  'write-failed': 1,
  'single-file-missing': 1,
  'serve-listen': 1,
  'rebuild-failed': 1,
  'strict-warnings': 1,
  // Diagrams and charts (issue #13).
  'figure-syntax': 1,
  'figure-data': 1,
  'figure-no-renderer': 1,
  // The command line (UsageError). A theme that does not exist is one wherever it is an error (a
  // bad --theme); one named in front matter is only a warning (DIAGNOSTIC_CODES).
  'unknown-theme': 2,
  'bad-range': 2,
  // `decksmith convert` would write over the deck it reads (without --force).
  'convert-would-overwrite': 2,
  // SIGINT; SIGTERM ends with 143 and SIGHUP with 129 (InterruptedError.exitCode).
  interrupted: 130,
} as const satisfies Record<string, 1 | 2 | 130>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The codes that mean the command line is wrong (exit code 2). */
export type UsageCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends 2 ? C : never }[ErrorCode];

export interface ErrorLocation {
  file?: string | undefined;
  line?: number | undefined;
  /** What the user can do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

export class DecksmithError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;
  /** Process exit code the CLI uses for this error: ERROR_CODES[code]. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ERROR_CODES[code];
    this.file = where.file;
    this.line = where.line;
    this.hint = where.hint;
  }

  /** `file:line: message (hint)` — the one line the CLI prints, control characters escaped. */
  format(): string {
    const place = this.file === undefined ? '' : `${escapeControl(this.file)}${this.line === undefined ? '' : `:${this.line}`}: `;
    return `${place}${escapeControl(this.message)}${this.hint === undefined ? '' : `\n  ${escapeControl(this.hint)}`}`;
  }
}

/** The input cannot be read or is not a Markdown text file. */
export class InputError extends DecksmithError {}

/** Front matter that is not valid YAML, not a mapping, or has values of the wrong type. */
export class FrontMatterError extends DecksmithError {}

/** A theme, template, layout or partial that cannot be found or used. */
export class TemplateError extends DecksmithError {}

/** No usable browser, or the browser failed or timed out. */
export class BrowserError extends DecksmithError {}

/** A ```mermaid, ```chart or ```vega-lite fence that cannot be drawn: its file and line inside the fence. */
export class FigureError extends DecksmithError {}

/** Writing output failed. */
export class OutputError extends DecksmithError {}

/** The command line itself is wrong (exit code 2). */
export class UsageError extends DecksmithError {
  constructor(code: UsageCode, message: string, where: ErrorLocation = {}) {
    super(code, message, where);
  }
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
/** The signals that stop decksmith (src/cli/shutdown.ts listens for them). */
export type StopSignal = keyof typeof SIGNAL_NUMBERS;
export const STOP_SIGNALS = Object.keys(SIGNAL_NUMBERS) as StopSignal[];

/**
 * Work stopped because the process got a signal: the reason of the AbortSignal the CLI aborts,
 * thrown by whatever was waiting on it. Exits 128 + the signal's number, as a process the signal
 * had killed.
 */
export class InterruptedError extends DecksmithError {
  override readonly exitCode: number;
  constructor(
    readonly signal: StopSignal,
    message = `Interrupted by ${signal}; nothing half-written was left behind.`,
  ) {
    super('interrupted', message);
    this.exitCode = 128 + SIGNAL_NUMBERS[signal];
  }
}

/** The InterruptedError an aborted `signal` stands for (its reason, or a SIGTERM one for any other abort). */
export function interruption(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGTERM');
}

/** Throws the interruption if `signal` has been aborted; the check lower layers make between steps. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw interruption(signal);
}

/**
 * Text from a deck (keys, names, paths, quoted values) made safe to print on a terminal: control
 * characters, which could move the cursor, recolour or retitle the terminal, and the bidi
 * controls that reorder what is shown, become visible escapes (`\x1b`, `\u{202e}`). Line breaks
 * stay, indented, so text cannot pose as a line of its own.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?|\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c.startsWith('\r') || c === '\n') return '\n  ';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

export function isDecksmithError(value: unknown): value is DecksmithError {
  return value instanceof DecksmithError;
}
