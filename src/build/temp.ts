/** A temporary folder removed when disposed (`await using`), or when the process is interrupted. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterruptLast } from '../interrupt.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Removes `path` for good while file operations already handed to libuv's worker threads (a build
 * copying into it, a `mkdir -p` that would recreate it) may still land: remove, wait a moment,
 * and remove again until it stays gone. Only for the interrupt path, where the process is ending.
 */
export function removeForGood(path: string): void {
  for (let round = 0; round < 20; round++) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // A file appeared while its folder was being removed (ENOTEMPTY): go round again.
    }
    Atomics.wait(pause, 0, 0, 10);
    if (!existsSync(path)) return;
  }
}

export function tempDirectory(prefix: string): AsyncDisposable & { path: string } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const forget = onInterruptLast(() => removeForGood(path));
  return {
    path,
    [Symbol.asyncDispose]: async () => {
      // Stay registered until the folder is gone: an interrupt may end the process mid-removal.
      await rm(path, { recursive: true, force: true });
      forget();
    },
  };
}
