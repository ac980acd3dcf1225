/**
 * A temporary folder removed when disposed (`await using`). A command that makes one disposes it
 * in its own `finally`, which a signal reaches too (the CLI turns signals into an aborted
 * AbortSignal, src/cli/shutdown.ts), after the work writing into it has stopped.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDirectory(prefix: string): AsyncDisposable & { path: string } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    [Symbol.asyncDispose]: async () => {
      await rm(path, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
