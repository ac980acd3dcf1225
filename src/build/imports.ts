/**
 * The file side of Slidev decks. `src:` imports (ParseOptions.readImport): an imported Markdown file
 * must be a regular UTF-8 file inside the root, after following symbolic links, exactly as an
 * image must; `src: /x.md` is relative to the deck's folder (Slidev's project root), anything
 * else to the importing file's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { AssetResolver, ParseOptions } from '../types.js';
import { inside, realOrNearest, realRoot } from './assets.js';
import { checkFile, SIZE_CAPS } from './files.js';
import { decodeSource } from './read.js';

export function slidevImports(deckFile: string, root: string): NonNullable<ParseOptions['readImport']> {
  const deckDir = dirname(resolve(deckFile));
  const realRootDir = realRoot(root);
  return (ref, from) => {
    if (/^[a-z][\w+.-]*:/i.test(ref)) return { refused: 'is a remote address; only files of the deck are imported' };
    const path = ref.startsWith('/') ? resolve(deckDir, `.${ref}`) : resolve(dirname(resolve(from ?? deckFile)), ref);
    let real: string;
    try {
      real = realOrNearest(path);
    } catch {
      return { refused: 'cannot be read' };
    }
    if (!inside(real, realRootDir)) return { refused: `is outside ${realRootDir} (pass --root to widen it)` };
    const refusal = checkFile(path, SIZE_CAPS.deck);
    if (refusal !== undefined) return { refused: refusal.reason === 'missing' ? 'does not exist' : `is ${refusal.detail}` };
    try {
      return { file: relative(process.cwd(), path) || path, text: decodeSource(readFileSync(path), path) };
    } catch (error) {
      return { refused: `cannot be read (${error instanceof Error ? error.message : 'error'})` };
    }
  };
}

/**
 * Slidev serves the project's `public/` folder at `/` and the project root after it (Vite), so
 * `/images/x.png` in a Slidev deck is `public/images/x.png` when that exists, else `images/x.png`
 * next to the deck. The reference then goes through the one file rule (`base`) like any other.
 */
export function slidevAssets(base: AssetResolver, deckFile: string): AssetResolver {
  const deckDir = dirname(resolve(deckFile));
  return (ref, file, prefix) => {
    if (!ref.startsWith('/') || ref.startsWith('//')) return base(ref, file, prefix);
    const inPublic = `public${ref}`;
    return base(existsSync(resolve(deckDir, inPublic.split(/[?#]/)[0] ?? inPublic)) ? `./${inPublic}` : `.${ref}`, deckFile, prefix);
  };
}
