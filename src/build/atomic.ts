import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../errors.js';
import { onInterruptLast } from '../interrupt.js';
import { checkOutputFile, systemReason } from './check-output.js';
import { removeForGood } from './temp.js';

/**
 * Writes `file` so that readers see either the old file or the complete new one: the bytes go to
 * a temp file in the same folder (same file system, so the rename is atomic), are fsync'ed, then
 * renamed over the target. The temp file is removed on every failure path, and on a signal:
 * `track` registers it for deletion then (by default with the interrupt cleanup) and returns an
 * untrack function.
 *
 * The path is checked before `produce` runs (a PDF takes seconds to print): a folder part that is
 * a file, a target that is a folder, a read-only folder are OutputErrors saying so.
 *
 * @throws OutputError `OUTPUT_WRITE_FAILED` naming the file and the system error.
 */
export async function writeFileAtomic(
  file: string,
  produce: () => Promise<Uint8Array>,
  track: (temp: string) => () => void = (temp) => onInterruptLast(() => removeForGood(temp)),
): Promise<void> {
  checkOutputFile(file);
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const untrack = track(temp);
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
      await rename(temp, file);
      renamed = true;
    } catch (cause) {
      throw new OutputError('OUTPUT_WRITE_FAILED', `Could not write ${file}: ${systemReason(cause)}`, {
        file,
        hint: 'Check that the folder exists and is writable and that the path is not a folder.',
        cause,
      });
    }
  } finally {
    if (created && !renamed) await unlink(temp).catch(() => undefined);
    untrack();
  }
}
