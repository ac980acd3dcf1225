import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DecksmithError, OutputError, throwIfInterrupted } from '../errors.js';
import { checkOutputFile, systemReason } from './check-output.js';

/**
 * Writes `file` so that readers see either the old file or the complete new one: the bytes go to
 * a temp file in the same folder (same file system, so the rename is atomic), are fsync'ed, then
 * renamed over the target. The temp file is removed on every failure path; when `signal` aborts
 * before the rename, the target is left as it was and the InterruptedError is thrown.
 *
 * The path is checked before `produce` runs (a PDF takes seconds to print): a folder part that is
 * a file, a target that is a folder, a read-only folder are OutputErrors saying so.
 *
 * @throws OutputError `output-write-failed` naming the file and the system error.
 */
export async function writeFileAtomic(
  file: string,
  produce: () => Promise<Uint8Array>,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<void> {
  checkOutputFile(file);
  const dir = dirname(file);
  // Web Crypto's global loads node:crypto on first use: an HTML build, which never gets here,
  // does not pay the ~10 ms of loading it at start-up.
  const random = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  const temp = join(dir, `.${basename(file)}.${process.pid}.${random}.tmp`);
  let renamed = false;
  // Only a temp file this call created is ever unlinked.
  let created = false;
  try {
    const bytes = await produce();
    try {
      await mkdir(dir, { recursive: true });
      const handle = await open(temp, 'wx');
      created = true;
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      throwIfInterrupted(options.signal);
      await rename(temp, file);
      renamed = true;
    } catch (cause) {
      if (cause instanceof DecksmithError) throw cause;
      throw new OutputError('output-write-failed', `Could not write ${file}: ${systemReason(cause)}`, {
        file,
        hint: 'Check that the folder exists and is writable and that the path is not a folder.',
        cause,
      });
    }
  } finally {
    if (created && !renamed) await unlink(temp).catch(() => undefined);
  }
}
