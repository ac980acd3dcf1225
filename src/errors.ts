/**
 * Failures are thrown as DecksmithError subclasses with a stable `code`. The CLI prints
 * `file:line: message` (plus the hint) and exits 1; usage errors exit 2. Anything that is not a
 * DecksmithError is a bug in decksmith and is reported with its stack under --debug.
 */

export interface ErrorLocation {
  file?: string | undefined;
  line?: number | undefined;
  /** What the user can do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

export class DecksmithError extends Error {
  readonly code: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;

  constructor(code: string, message: string, where: ErrorLocation = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = new.target.name;
    this.code = code;
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

/** Writing output failed. */
export class OutputError extends DecksmithError {}

/** The command line itself is wrong (exit code 2). */
export class UsageError extends DecksmithError {
  override readonly exitCode = 2;
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
