/**
 * Output paths that cannot be written, found before anything is written and said in words: a
 * file where a folder should be (ENOTDIR, or EEXIST from `mkdir -p`), a read-only or forbidden
 * folder (EACCES/EROFS, which a later step may report as ENOENT), a folder where a file should be.
 */
import { accessSync, constants, lstatSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { OutputError } from '../errors.js';

const HINT = 'Pass --out with a folder you can write to.';

/** The nearest existing folder at or above `path`; throws when that is a file. */
function existingAncestor(path: string, target: string): string | undefined {
  let dir = path;
  for (;;) {
    let info: Stats;
    try {
      info = statSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        dir = dirname(dir);
        continue;
      }
      if (code !== 'ENOENT')
        throw new OutputError('output-not-writable', `cannot write to ${target}: ${systemReason(error)}`, { hint: HINT, cause: error });
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
      continue;
    }
    if (!info.isDirectory()) {
      throw new OutputError('output-not-a-folder', `cannot write to ${target}: ${dir} is a file, not a folder`, { hint: HINT });
    }
    return dir;
  }
}

function checkAccess(dir: string, target: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new OutputError('output-not-writable', `cannot write to ${target}: ${dir} ${accessReason(error)}`, { hint: HINT, cause: error });
  }
}

function accessReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable (permission denied)';
}

/**
 * Fails early, with the reason, when the output folder `outDir` cannot be made or written: a file
 * where a folder should be (`--out /etc/passwd/out`), or a read-only or forbidden parent.
 */
export function checkOutputFolder(outDir: string): void {
  const dir = existingAncestor(outDir, outDir);
  if (dir === undefined) return;
  if (dir === outDir) {
    // It exists: its parent is where the replacement is made.
    const parent = dirname(outDir);
    if (parent !== outDir) checkAccess(parent, outDir);
    return;
  }
  checkAccess(dir, outDir);
}

/** Like checkOutputFolder for a single output file (`pdf --out`, `--single-file`). */
export function checkOutputFile(file: string): void {
  try {
    if (lstatSync(file).isDirectory()) {
      throw new OutputError('output-is-a-folder', `cannot write ${file}: it is a folder`, {
        hint: 'Pass --out with a file name, e.g. slides.pdf.',
      });
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
  }
  const dir = existingAncestor(dirname(file), file);
  if (dir !== undefined) checkAccess(dir, file);
}

/** A system error in words, with its path: what the user can act on (not just "ENOENT"). */
export function systemReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const at = e.path === undefined ? '' : `${e.path}: `;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `${at}permission denied`;
    case 'EROFS':
      return `${at}read-only file system`;
    case 'ENOSPC':
      return `${at}no space left on the disk`;
    case 'EDQUOT':
      return `${at}disk quota exceeded`;
    case 'ENOTDIR':
      return `${at}a part of this path is a file, not a folder`;
    case 'EISDIR':
      return `${at}is a folder, not a file`;
    case 'ENAMETOOLONG':
      return `${at}the name is too long`;
    default:
      return e instanceof Error ? e.message : String(error);
  }
}
