/** Where decksmith's own files live, found from this module's location (works from src/ and dist/). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('decksmith: cannot find its package.json');
    dir = parent;
  }
  return dir;
}

let root: string | undefined;

/** The decksmith package folder (holds templates/ and themes/). */
export function packageRoot(): string {
  root ??= findPackageRoot();
  return root;
}

export const builtinTemplatesDir = (): string => join(packageRoot(), 'templates');
export const builtinThemesDir = (): string => join(packageRoot(), 'themes');
