/** A temporary folder removed when disposed (`await using`), or when the process is interrupted. */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterruptLast } from '../interrupt.js';

export function tempDirectory(prefix: string): AsyncDisposable & { path: string } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  // Last, and with retries: file operations already queued on libuv's worker threads (a build
  // writing into the folder) may still land while it is being deleted.
  const forget = onInterruptLast(() => rmSync(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 }));
  return {
    path,
    [Symbol.asyncDispose]: async () => {
      forget();
      await rm(path, { recursive: true, force: true });
    },
  };
}
