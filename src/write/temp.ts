/** A temporary folder removed when disposed (`await using`). */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDirectory(prefix: string): AsyncDisposable & { path: string } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}
