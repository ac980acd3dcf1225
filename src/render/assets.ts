/**
 * The pure half of the rule for local files a deck reaches (a Markdown image, a `background:` or
 * `.slide:` directive, a raw `<img>`, a `style="…url()"`, `themeVars`, reveal's
 * `parallaxBackgroundImage`, a `css:` entry): what counts as a local path, where an accepted file
 * goes in the output, and a check of the path as written. The check that follows symbolic links
 * needs the file system and lives in src/build/assets.ts; the build hands it to renderDeck.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { AssetResolver, LocalAsset } from '../types.js';
import { decodePath } from './urls.js';

/** A URL with a scheme (`https:`, `data:`, `file:`), an in-page anchor, or protocol-relative: not a local path. */
export function isLocalPath(ref: string): boolean {
  const value = ref.trim();
  return value !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('#') && !value.startsWith('//');
}

/** The absolute path a local reference written in `deckFile` names, as written (no links followed). */
export function referencedPath(ref: string, deckFile: string): string {
  return resolve(dirname(resolve(deckFile)), decodePath(ref.trim()));
}

/** `path` (absolute, accepted) as a file the build copies from the deck's folder to `prefix/…`. */
export function acceptedAsset(path: string, deckFile: string, prefix: string): LocalAsset {
  const rel = relative(dirname(resolve(deckFile)), path);
  return { copyFrom: rel, href: `${prefix}/${outputPath(rel)}` };
}

export function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The rule without the file system: a path as written must lie inside `root` (default: the deck's
 * folder). For renderDeck called on its own; a build uses the file-system rule, which also
 * follows symbolic links.
 */
export function lexicalAssets(root?: string): AssetResolver {
  return (ref, deckFile, prefix) => {
    const path = referencedPath(ref, deckFile);
    const base = root ?? dirname(resolve(deckFile));
    return inside(path, base) ? acceptedAsset(path, deckFile, prefix) : { refused: true, reason: `is outside ${base}` };
  };
}

/** A path relative to the deck as an output path: `..` renamed so nothing lands outside the output. */
function outputPath(rel: string): string {
  return rel
    .split(sep)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_up' : s.replace(/[^\w.@() -]/g, '_')))
    .join('/');
}
