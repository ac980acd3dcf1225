/**
 * Reading the files a deck names, bounded: a deck is data from someone else, and a path it gives
 * may be a FIFO (opening it blocks forever), a device (`/dev/zero` never ends) or a huge file. Only
 * regular files are read, each up to a cap, and a refusal says which file and why.
 *
 * The check is done twice: `stat` before opening (so a FIFO is never opened for reading, which
 * would block), then `fstat` on what was opened (with O_NONBLOCK, so a path swapped for a FIFO in
 * between cannot block either), and reading stops at the cap even if the file grows meanwhile.
 */
import { constants, statSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** The largest file of each kind decksmith reads or copies; README "Limits". */
export const SIZE_CAPS = {
  /** A deck's Markdown source (with its front matter). */
  deck: 32 * 1024 * 1024,
  /** A stylesheet (`css:`, a theme's), read to look for fonts and copied. */
  style: 8 * 1024 * 1024,
  /** Images, fonts, scripts and any other file copied into the output. */
  other: 50 * 1024 * 1024,
} as const;

export type FileKind = 'image' | 'style' | 'script' | 'font' | 'other';

export function capFor(kind: FileKind | 'deck'): number {
  return kind === 'deck' ? SIZE_CAPS.deck : kind === 'style' ? SIZE_CAPS.style : SIZE_CAPS.other;
}

/** Why a file cannot be read, in words for a message; `missing` when there is nothing there. */
export type Refusal = { reason: 'missing' } | { reason: 'special' | 'folder' | 'too-large'; detail: string };

export function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function whatIs(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Classifies `info` against the cap; undefined when the file may be read. */
export function refusalOf(info: Stats, cap: number): Refusal | undefined {
  if (info.isDirectory()) return { reason: 'folder', detail: 'a folder, not a file' };
  if (!info.isFile()) return { reason: 'special', detail: `${whatIs(info)}, not a regular file` };
  if (info.size > cap) return { reason: 'too-large', detail: `${describeSize(info.size)}, over the ${describeSize(cap)} limit` };
  return undefined;
}

/** Checks `path` without opening it (follows symbolic links). */
export function checkFile(path: string, cap: number): Refusal | undefined {
  let info: Stats;
  try {
    info = statSync(path);
  } catch {
    return { reason: 'missing' };
  }
  return refusalOf(info, cap);
}

/** Thrown by readRegularFile/copyRegularFile; callers turn it into their own error or warning. */
export class RefusedFile extends Error {
  constructor(
    readonly path: string,
    readonly refusal: Refusal,
  ) {
    super(refusal.reason === 'missing' ? `"${path}" does not exist` : `"${path}" is ${refusal.detail}`);
  }
}

async function openChecked(path: string, cap: number): Promise<{ handle: FileHandle; size: number }> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    throw new RefusedFile(path, { reason: 'missing' });
  }
  const before = refusalOf(info, cap);
  if (before !== undefined) throw new RefusedFile(path, before);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    const after = refusalOf(opened, cap);
    if (after !== undefined) throw new RefusedFile(path, after);
    return { handle, size: opened.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const CHUNK = 1024 * 1024;

/** The bytes of a regular file of at most `cap` bytes; anything else is a RefusedFile. */
export async function readRegularFile(path: string, cap: number): Promise<Buffer> {
  const { handle, size } = await openChecked(path, cap);
  try {
    // Read to the end, as a plain read would (a file being saved may grow after fstat), but
    // never more than one byte past the cap.
    const chunks: Buffer[] = [];
    let length = 0;
    let want = Math.min(size, cap) + 1;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(Math.max(want, 64 * 1024), cap + 1 - length));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, length);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (length > cap) throw new RefusedFile(path, { reason: 'too-large', detail: `over the ${describeSize(cap)} limit` });
      want = CHUNK;
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` bytes of a regular file of any size (a file that is not one is a RefusedFile). */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const { handle } = await openChecked(path, Number.POSITIVE_INFINITY);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Copies a regular file of at most `cap` bytes to `target` (created or truncated). */
export async function copyRegularFile(source: string, target: string, cap: number): Promise<void> {
  const { handle, size } = await openChecked(source, cap);
  try {
    const out = await open(target, 'w');
    try {
      const buffer = Buffer.allocUnsafe(Math.min(Math.max(size, 1), CHUNK));
      let position = 0;
      // Copy the size fstat gave: a file that grows while copied is cut there, never past the cap.
      while (position < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
        if (bytesRead === 0) break;
        await out.write(buffer, 0, bytesRead);
        position += bytesRead;
      }
    } finally {
      await out.close();
    }
  } finally {
    await handle.close();
  }
}
