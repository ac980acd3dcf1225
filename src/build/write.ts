/**
 * Writes a rendered deck to `<outRoot>/<name>/`: index.html plus every asset it refers to.
 * All-or-nothing: everything is written into a staging folder next to the target, which then
 * replaces the previous output in one rename. A failed build leaves the previous output as it was.
 *
 * Nothing is removed that this run did not create, or that an earlier run did not mark as its
 * own: every output folder holds OUTPUT_MARKER, and a folder without it is never replaced. When
 * `signal` aborts (Ctrl-C), the copying stops, the staging folder is removed once no copy is in
 * flight, and the InterruptedError is thrown: the complete old output stays, and no
 * `.<name>.tmp-*` / `.<name>.old-*` folder is left.
 */
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DecksmithError, OutputError, throwIfInterrupted } from '../errors.js';
import type { AssetRef } from '../types.js';
import { checkOutputFolder, systemReason } from './check-output.js';
import { capFor, copyRegularFile, readHead } from './files.js';
import { isPackaged } from './packaged.js';

export interface WriteJob {
  outDir: string;
  html: string;
  /** Assets with absolute sources. */
  assets: readonly AssetRef[];
  /** Stops the write between copies; the previous output stays. */
  signal?: AbortSignal | undefined;
}

/** The file that marks a folder as decksmith's output, which the next build may replace whole. */
export const OUTPUT_MARKER = '.decksmith-output';
const MARKER_TEXT = 'This folder was written by decksmith. The next build of its deck replaces it whole.\n';

let counter = 0;
const COPIES_IN_FLIGHT = 8;

/** A file this process wrote into an output: where it came from and what it was, both as stat saw them. */
interface Written {
  source: string;
  sourceSize: number;
  sourceMtime: number;
  ino: number;
  size: number;
  mtime: number;
}

/**
 * What this process last wrote into each output folder, by target path. A rebuild (serve,
 * watch) hard-links a file from the output it replaces instead of copying it again, when its
 * source is unchanged and the old output's file is still the one this process wrote (same inode,
 * size and time): the old folder is removed right after, so the link leaves one file, as a copy
 * would. Anything else, or a file system without hard links, is copied.
 */
const writtenTo = new Map<string, Map<string, Written>>();

async function reuse(previous: Written | undefined, asset: AssetRef, old: string, target: string): Promise<Written | undefined> {
  if (previous === undefined || previous.source !== asset.source) return undefined;
  try {
    const [source, before] = await Promise.all([stat(asset.source), lstat(old)]);
    const same =
      source.size === previous.sourceSize &&
      source.mtimeMs === previous.sourceMtime &&
      before.isFile() &&
      before.ino === previous.ino &&
      before.size === previous.size &&
      before.mtimeMs === previous.mtime;
    if (!same) return undefined;
    await link(old, target);
    return previous;
  } catch {
    return undefined;
  }
}

async function record(asset: AssetRef, target: string): Promise<Written | undefined> {
  try {
    const [source, written] = await Promise.all([stat(asset.source), lstat(target)]);
    return {
      source: asset.source,
      sourceSize: source.size,
      sourceMtime: source.mtimeMs,
      ino: written.ino,
      size: written.size,
      mtime: written.mtimeMs,
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether `dir` may be replaced: it does not exist, or it is a real folder (not a link) holding
 * OUTPUT_MARKER, or (outputs of decksmith before the marker) an index.html that names decksmith
 * as its generator. Anything else is the user's and is refused.
 */
async function previousOutput(dir: string): Promise<boolean> {
  let info: Stats;
  try {
    info = await lstat(dir);
  } catch {
    return false;
  }
  const refuse = (what: string): never => {
    throw new OutputError('output-not-ours', `${dir} already exists and ${what}, so decksmith will not replace it`, {
      hint: 'Move it away, or pass --out with another folder: decksmith only replaces output folders it wrote itself.',
    });
  };
  if (info.isSymbolicLink()) refuse('is a symbolic link');
  if (!info.isDirectory()) refuse('is a file, not an output folder');
  const marker = await lstat(join(dir, OUTPUT_MARKER)).catch(() => undefined);
  if (marker?.isFile() === true) return true;
  try {
    const head = (await readHead(join(dir, 'index.html'), 4096)).toString('utf8');
    if (/<meta name="generator" content="decksmith [^"]*">/.test(head)) return true;
  } catch {
    // No readable index.html: not a decksmith output.
  }
  return refuse(`was not written by decksmith (it has no ${OUTPUT_MARKER} file)`);
}

export async function writeDeck(job: WriteJob): Promise<void> {
  const parent = dirname(job.outDir);
  const base = basename(job.outDir);
  const stamp = `${process.pid}-${Date.now()}-${counter++}`;
  const staging = join(parent, `.${base}.tmp-${stamp}`);
  const old = join(parent, `.${base}.old-${stamp}`);
  checkOutputFolder(job.outDir);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw writeFailed(job.outDir, error);
  }
  const hadPrevious = await previousOutput(job.outDir);
  let staged = false;
  try {
    // Not recursive: this call creating it is what proves the folder is this run's to remove.
    await mkdir(staging);
    staged = true;
    const targets = job.assets.map((asset) => ({
      asset,
      target: join(staging, ...asset.target.split('/')),
      old: join(job.outDir, ...asset.target.split('/')),
    }));
    const before = hadPrevious ? writtenTo.get(job.outDir) : undefined;
    const written = new Map<string, Written>();
    // A deck has a hundred-odd small files (fonts in every subset): make the folders once, then
    // copy with a few copies in flight. Few, not all: an interrupted build is deleted while the
    // copies already handed to the file system finish, and that must be a short list.
    for (const folder of new Set(targets.map((t) => dirname(t.target)))) await mkdir(folder, { recursive: true });
    let next = 0;
    const copier = async (): Promise<void> => {
      for (let t = targets[next++]; t !== undefined; t = targets[next++]) {
        throwIfInterrupted(job.signal);
        if (t.asset.content !== undefined) {
          await writeFile(t.target, t.asset.content);
          continue;
        }
        let entry = await reuse(before?.get(t.asset.target), t.asset, t.old, t.target);
        if (entry === undefined) {
          if (isPackaged(t.asset.source)) await copyFile(t.asset.source, t.target, constants.COPYFILE_FICLONE);
          else await copyRegularFile(t.asset.source, t.target, capFor(t.asset.kind));
          entry = await record(t.asset, t.target);
        }
        if (entry !== undefined) written.set(t.asset.target, entry);
      }
    };
    // Every copier has stopped before the staging folder is removed, so none recreates it.
    const copied = await Promise.allSettled(Array.from({ length: COPIES_IN_FLIGHT }, copier));
    const failed = copied.find((c) => c.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    await writeFile(join(staging, OUTPUT_MARKER), MARKER_TEXT);
    await writeFile(join(staging, 'index.html'), job.html);
    throwIfInterrupted(job.signal);
    if (hadPrevious) await rename(job.outDir, old);
    try {
      await rename(staging, job.outDir);
    } catch (error) {
      if (hadPrevious) await rename(old, job.outDir);
      throw error;
    }
    if (hadPrevious) await rm(old, { recursive: true, force: true });
    writtenTo.set(job.outDir, written);
  } catch (error) {
    if (staged) await rm(staging, { recursive: true, force: true, maxRetries: 3 });
    if (error instanceof DecksmithError) throw error;
    throw writeFailed(job.outDir, error);
  }
}

function writeFailed(outDir: string, error: unknown): OutputError {
  return new OutputError('write-failed', `cannot write ${outDir}: ${systemReason(error)}`, {
    cause: error,
    hint: 'Check that the output folder is writable and is not open in another program.',
  });
}
