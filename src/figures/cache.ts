/**
 * The disk cache of drawn diagrams: one `<sha256>.svg` per figure, in the user's cache folder,
 * never in the deck's folder. Entries are written whole (a temporary file renamed into place), so
 * two builds at once never read half a file; any failure to read or write is a miss, never an
 * error: the cache only saves time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$DECKSMITH_CACHE_DIR/figures` when set, else the platform's cache folder: `$XDG_CACHE_HOME`
 * (or ~/.cache) on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows, + decksmith/figures.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['DECKSMITH_CACHE_DIR'];
  if (own !== undefined && own !== '') return join(own, 'figures');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'decksmith', 'figures');
  if (process.platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'decksmith', 'figures');
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'decksmith', 'figures');
}

export async function readCached(dir: string, hash: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, `${hash}.svg`), 'utf8');
  } catch {
    return undefined;
  }
}

export async function writeCached(dir: string, hash: string, svg: string): Promise<void> {
  const file = join(dir, `${hash}.svg`);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, svg, 'utf8');
    await rename(temp, file);
  } catch {
    // A read-only or full disk: the next build draws the figure again.
  }
}
