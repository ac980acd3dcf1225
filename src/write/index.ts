/**
 * Writes a rendered deck to `<outRoot>/<name>/`: index.html plus every asset it refers to.
 * All-or-nothing: everything is written into a staging folder next to the target, which then
 * replaces the previous output in one rename. A failed build leaves the previous output as it was.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutputError } from '../errors.js';
import type { AssetRef } from '../types.js';

export interface WriteJob {
  outDir: string;
  html: string;
  /** Assets with absolute sources. */
  assets: readonly AssetRef[];
}

let counter = 0;
const COPIES_IN_FLIGHT = 8;

export async function writeDeck(job: WriteJob): Promise<void> {
  const parent = dirname(job.outDir);
  const base = job.outDir.slice(parent.length + 1);
  const stamp = `${process.pid}-${Date.now()}-${counter++}`;
  const staging = join(parent, `.${base}.tmp-${stamp}`);
  const old = join(parent, `.${base}.old-${stamp}`);
  try {
    await mkdir(staging, { recursive: true });
    const targets = job.assets.map((asset) => ({ asset, target: join(staging, ...asset.target.split('/')) }));
    // A deck has a hundred-odd small files (fonts in every subset): make the folders once, then
    // copy with a few copies in flight. Few, not all: an interrupted build is deleted while the
    // copies already handed to the file system finish, and that must be a short list.
    for (const folder of new Set(targets.map((t) => dirname(t.target)))) await mkdir(folder, { recursive: true });
    let next = 0;
    const copier = async (): Promise<void> => {
      for (let t = targets[next++]; t !== undefined; t = targets[next++]) {
        if (t.asset.content === undefined) await copyFile(t.asset.source, t.target);
        else await writeFile(t.target, t.asset.content);
      }
    };
    await Promise.all(Array.from({ length: COPIES_IN_FLIGHT }, copier));
    await writeFile(join(staging, 'index.html'), job.html);
    const hadPrevious = existsSync(job.outDir);
    if (hadPrevious) await rename(job.outDir, old);
    try {
      await rename(staging, job.outDir);
    } catch (error) {
      if (hadPrevious) await rename(old, job.outDir);
      throw error;
    }
    if (hadPrevious) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new OutputError('write-failed', `cannot write ${job.outDir}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check that the output folder is writable and is not open in another program.',
    });
  }
}
