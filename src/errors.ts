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

  /** `file:line: message (hint)` — the one line the CLI prints. */
  format(): string {
    const place = this.file === undefined ? '' : `${this.file}${this.line === undefined ? '' : `:${this.line}`}: `;
    return `${place}${this.message}${this.hint === undefined ? '' : `\n  ${this.hint}`}`;
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

export function isDecksmithError(value: unknown): value is DecksmithError {
  return value instanceof DecksmithError;
}
