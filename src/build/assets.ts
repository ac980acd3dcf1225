/**
 * The one rule for every local file a deck reaches, whatever the syntax: the reference is resolved
 * against the deck's folder, checked against the root (`--root`, default the deck's folder) after
 * following symbolic links, and then either copied into the output under a rewritten address or
 * left out with a reason. Nothing else decides whether a file of the author's may reach an
 * output. A file that does not exist yet is accepted when its nearest existing folder is inside
 * the root (the build reports it as missing); what kind of file it is (a named pipe, a device, a
 * folder, too large) is said by the copy step that would read it (files.ts).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { acceptedAsset, inside, referencedPath } from '../render/assets.js';
import type { AssetResolver } from '../types.js';

export { inside };

/** The file-system rule for files under `root` (a folder; its symbolic links are resolved here). */
export function fileSystemAssets(root: string): AssetResolver {
  const realRootDir = realRoot(root);
  return (ref, deckFile, prefix) => {
    const path = referencedPath(ref, deckFile);
    let real: string;
    try {
      real = realOrNearest(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { refused: true, reason: code === 'ELOOP' ? 'is a symbolic link loop' : `cannot be read (${code ?? 'error'})` };
    }
    if (!inside(real, realRootDir)) {
      const via = real !== path && inside(path, realRootDir) ? ' (through a symbolic link)' : '';
      return { refused: true, reason: `is outside ${realRootDir}${via}` };
    }
    return acceptedAsset(path, deckFile, prefix);
  };
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
export function realOrNearest(path: string): string {
  let head = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...rest.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(head);
      if (parent === head) return path;
      rest.push(basename(head));
      head = parent;
    }
  }
}

/** The real path of a folder, or the folder itself when it does not exist. */
export function realRoot(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}
