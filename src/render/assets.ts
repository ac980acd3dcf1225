/**
 * The one rule for every local file a deck reaches, whatever the syntax (a Markdown image, a
 * `background:` or `.slide:` directive, a raw `<img>`, a `style="…url()"`, `themeVars`, reveal's
 * `parallaxBackgroundImage`, a `css:` entry): the reference is resolved against the deck's folder,
 * checked against the root (`--root`, default the deck's folder) after following symbolic links,
 * and then either copied into the output under a rewritten address or left out with a reason.
 * Nothing else decides whether a file of the author's may reach an output.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { decodePath } from './urls.js';

export type LocalAsset =
  /** `copyFrom` is relative to the deck's folder (the build resolves and copies it); `href` is its address in the output. */
  | { copyFrom: string; href: string }
  | { refused: true; reason: string };

/** A URL with a scheme (`https:`, `data:`, `file:`), an in-page anchor, or protocol-relative: not a local path. */
export function isLocalPath(ref: string): boolean {
  const value = ref.trim();
  return value !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('#') && !value.startsWith('//');
}

/**
 * Resolves a local reference (relative to the deck, or absolute) written in `deckFile`.
 * `root` must be a real path (symbolic links resolved). A file that does not exist yet is accepted
 * when its nearest existing folder is inside the root: the build reports it as missing. What kind
 * of file it is (a named pipe, a device, a folder, too large) is the build's copy step to say
 * (write/files.ts), since that is where it would be read.
 * @param prefix where accepted files go in the output, `media` or `css`
 */
export function resolveLocalAsset(ref: string, deckFile: string, root: string, prefix = 'media'): LocalAsset {
  const deckDir = dirname(resolve(deckFile));
  const path = resolve(deckDir, decodePath(ref.trim()));
  let real: string;
  try {
    real = realOrNearest(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { refused: true, reason: code === 'ELOOP' ? 'is a symbolic link loop' : `cannot be read (${code ?? 'error'})` };
  }
  if (!inside(real, root)) {
    const via = real !== path && inside(path, root) ? ' (through a symbolic link)' : '';
    return { refused: true, reason: `is outside ${root}${via}` };
  }
  const rel = relative(deckDir, path);
  return { copyFrom: rel, href: `${prefix}/${outputPath(rel)}` };
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

export function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A path relative to the deck as an output path: `..` renamed so nothing lands outside the output. */
function outputPath(rel: string): string {
  return rel
    .split(sep)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_up' : s.replace(/[^\w.@() -]/g, '_')))
    .join('/');
}

/** The real path of a folder, or the folder itself when it does not exist. */
export function realRoot(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}
