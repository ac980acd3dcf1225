/**
 * Files that come with decksmith, not with the deck: its own themes, reveal.js, KaTeX,
 * highlight.js styles and @fontsource fonts, resolved from installed packages. No author names
 * them, so writing the output may copy them with one fs.copyFile (a reflink where the file system
 * can, else an in-kernel copy) instead of the bounded read-and-write every author file gets
 * (src/build/files.ts), which costs eight file system calls a file for a hundred-odd files.
 * Copied, never hard-linked: each output file keeps one name, so editing it changes no package.
 */
import { sep } from 'node:path';
import { builtinThemesDir } from './paths.js';

const packaged = new Set<string>();

/** Records `file` (absolute, as resolved from an installed package) as one of decksmith's own. */
export function markPackaged(file: string): void {
  packaged.add(file);
}

/** Whether `file` (absolute) was marked, or is inside decksmith's own themes folder. */
export function isPackaged(file: string): boolean {
  return packaged.has(file) || file.startsWith(builtinThemesDir() + sep);
}
