/** What the CLI talks to, so tests can run it in-process and read what it printed. */
import type { Diagnostic } from '../types.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (progress bars only then). */
  isTTY: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
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

/** `file:line[:column]: warning: message [code]` — the format editors and CI annotate from. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.file === undefined ? '' : `${d.file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}: `;
  return `${place}${d.severity}: ${d.message} [${d.code}]`;
}
