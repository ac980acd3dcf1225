/**
 * What the CLI talks to, so tests can run it in-process and read what it printed, and how it
 * prints: diagnostics as `file:line: warning: message [code]`, in colour on a terminal.
 */
import * as util from 'node:util';
import { type DecksmithError, escapeControl } from '../errors.js';
import type { Deck, Diagnostic } from '../types.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (progress bars and colours only then). */
  isTTY: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborted when the process is told to stop (src/cli/shutdown.ts). Long-running commands await
   * it and pass it down; absent, nothing stops them. @defaultValue never aborts
   */
  signal?: AbortSignal | undefined;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * Colours on stderr: on for a terminal, off when piped; `NO_COLOR` (any non-empty value) turns
 * them off and `FORCE_COLOR` (anything but `0`) on, FORCE_COLOR winning, as in Node itself.
 */
export function colorEnabled(io: Pick<CliIO, 'isTTY' | 'env'>): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if ((io.env['NO_COLOR'] ?? '') !== '') return false;
  return io.isTTY && io.env['TERM'] !== 'dumb';
}

type Style = 'red' | 'yellow' | 'bold' | 'dim';
export type Paint = (style: Style, text: string) => string;

const plain: Paint = (_, text) => text;

/**
 * ANSI codes from node:util's colour table. Not util.styleText: it checks process.stdout (we
 * write to stderr) and drops colours whenever `CI` is set, overruling colorEnabled.
 */
export function painter(enabled: boolean): Paint {
  if (!enabled) return plain;
  return (style, text) => {
    const [open, close] = util.inspect.colors[style] ?? [0, 0];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

function place(file: string | undefined, line: number | undefined, column?: number): string {
  if (file === undefined) return '';
  return `${escapeControl(file)}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}`;
}

/**
 * `file:line[:column]: warning: message [code]` — the format editors and CI annotate from.
 * Every part is passed through escapeControl: messages quote the deck.
 */
export function formatDiagnostic(d: Diagnostic, paint: Paint = plain): string {
  const where = place(d.file, d.line, d.column);
  const severity = paint(d.severity === 'error' ? 'red' : 'yellow', `${d.severity}:`);
  return `${where === '' ? '' : `${paint('bold', `${where}:`)} `}${severity} ${escapeControl(d.message)} ${paint('dim', `[${escapeControl(d.code)}]`)}`;
}

/** `decksmith: file:line: message` and the hint on the next line, escaped as formatDiagnostic. */
export function formatError(error: DecksmithError, paint: Paint = plain): string {
  const where = place(error.file, error.line);
  const hint = error.hint === undefined ? '' : `\n  ${escapeControl(error.hint)}`;
  return `decksmith: ${where === '' ? '' : `${paint('bold', `${where}:`)} `}${paint('red', escapeControl(error.message))}${hint}`;
}

/** --json and --quiet, for the commands that report on decks (options.ts adds them). */
export interface OutputFlags {
  /** Print one JSON document on stdout and nothing else there. */
  json?: boolean;
  /** Print errors only: no result lines, notices or warnings. */
  quiet?: boolean;
}

/** One diagnostic in `check --json` and `build --json`. */
export interface Finding {
  file: string | null;
  severity: Diagnostic['severity'];
  /** A diagnostic's code, or for a deck that failed its error's. */
  code: Diagnostic['code'] | DecksmithError['code'];
  /** The slide the line falls on; null for the front matter or a deck-wide finding. */
  slide: { index: number; h: number; v: number } | null;
  line: number | null;
  column: number | null;
  message: string;
}

export function toFinding(d: Diagnostic, deck?: Deck): Finding {
  const slide = d.line === undefined ? undefined : deck?.slides.find((s) => s.lines[0] <= (d.line ?? 0) && (d.line ?? 0) <= s.lines[1]);
  return {
    file: d.file ?? deck?.file ?? null,
    severity: d.severity,
    code: d.code,
    slide: slide === undefined ? null : { index: slide.index, h: slide.h, v: slide.v },
    line: d.line ?? null,
    column: d.column ?? null,
    message: d.message,
  };
}

/** A failure (a deck that could not be built) as a finding with severity "error". */
export function errorFinding(error: DecksmithError, file: string): Finding {
  return {
    file: error.file ?? file,
    severity: 'error',
    code: error.code,
    slide: null,
    line: error.line ?? null,
    column: null,
    message: error.hint === undefined ? error.message : `${error.message} (${error.hint})`,
  };
}

/**
 * Where each kind of line goes. stdout carries results (output paths, summaries) or, with --json,
 * the JSON document alone; stderr carries diagnostics, errors and notices. --quiet keeps errors
 * only.
 */
export class Reporter {
  readonly paint: Paint;
  readonly json: boolean;
  readonly quiet: boolean;

  constructor(
    readonly io: CliIO,
    flags: OutputFlags = {},
  ) {
    this.paint = painter(colorEnabled(io));
    this.json = flags.json === true;
    this.quiet = flags.quiet === true;
  }

  /** A line of the human-readable result on stdout (not with --json or --quiet). */
  result(text: string): void {
    if (!this.json && !this.quiet) this.io.stdout(`${text}\n`);
  }

  /** Progress and notices on stderr (not with --quiet). */
  notice(text: string): void {
    if (!this.quiet) this.io.stderr(`${text}\n`);
  }

  /** A diagnostic on stderr; with --quiet only errors. */
  diagnostic(d: Diagnostic): void {
    if (!this.quiet || d.severity === 'error') this.io.stderr(`${formatDiagnostic(d, this.paint)}\n`);
  }

  error(error: DecksmithError): void {
    this.io.stderr(`${formatError(error, this.paint)}\n`);
  }

  /** The one JSON document of --json. */
  document(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * The CliIO to hand to code that prints for itself (the PDF export): its stdout lines go to
   * `onResult`, and to stdout unless --json or --quiet. Its stderr passes through, except for
   * `notices` (the browser's start-up notes), which --quiet drops.
   */
  childIO(onResult: (line: string) => void = () => {}, kind: 'results' | 'notices' = 'results'): CliIO {
    const passResults = !this.json && !this.quiet;
    return {
      ...this.io,
      stdout: (text) => {
        for (const line of text.split('\n').filter((l) => l !== '')) onResult(line);
        if (passResults) this.io.stdout(text);
      },
      stderr: (text) => {
        if (kind === 'results' || !this.quiet) this.io.stderr(text);
      },
    };
  }
}
