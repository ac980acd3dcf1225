/**
 * Watching what a deck uses, for `serve` and `build --watch`: exactly the files it read (the
 * deck, its images, `css:` files, theme, templates), never the rest of its folder, so a log
 * written next to the deck (`decksmith serve deck.md > serve.log`) does not rebuild in a loop.
 *
 * Each file is watched through its folder (one `fs.watch` per folder, events filtered by name):
 * a watch on the file itself dies when an editor saves by writing a new file and renaming it over
 * the old one, or when the file is deleted and created again; a folder watch sees both. A path
 * whose folder does not exist yet is watched through its nearest existing ancestor. Changes are
 * debounced (editors save in bursts) and the rebuilds run one after another, never at once.
 *
 * Why Node's fs.watch and not chokidar (tried on chokidar 4.0.3, folder by folder): chokidar
 * re-watches a deleted file only when it is the only path watched; `unwatch(folder)` ignores that
 * folder for good; widening its `ignored` filter reports already-present files as "added"; and it
 * starts watching only after its asynchronous `ready`, so a save in that window was lost (four
 * watcher tests failed) unless every file was fingerprinted around the start. What is left of it
 * once those are worked around is a folder watch with a name filter, which is what this file is.
 */
import { watch, type FSWatcher } from 'node:fs';
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { trace } from './trace.js';

/**
 * A file (existing or not), a folder (every entry directly in it), or the entries of a folder
 * whose names match (the `.md` files of a folder input).
 */
export type WatchPath = string | { folder: string; names: RegExp };

export interface ChangeWatcher {
  /** Replaces the watched set. */
  update(paths: Iterable<WatchPath>): void;
  /** Resolves when no rebuild is pending or running. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Quiet time after a change before `onChange` runs. */
  debounceMs: number;
  /**
   * A shorter quiet time that is enough when every changed path is a file with content: a save
   * is one burst of events well within it, and waiting the full `debounceMs` after it is the
   * slowest step of a small deck's edit loop. An empty or missing file still waits `debounceMs`.
   * @defaultValue debounceMs
   */
  quickMs?: number;
  /**
   * Gets each batch as soon as it is ready, before it waits for the `onChange` still running;
   * `onChange` later gets the same array. @defaultValue none
   */
  onBatch?: (changed: string[]) => void;
  /** Gets what a rebuild threw; later changes still rebuild. @defaultValue ignore */
  onError?: (error: unknown) => void;
}

/** Every entry of the folder counts. */
const ALL = /^/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function hasContent(path: string): boolean {
  try {
    const info = statSync(path);
    return info.isFile() && info.size > 0;
  } catch {
    return false;
  }
}

/** The names in a folder that count. */
interface Wanted {
  names: Set<string>;
  patterns: RegExp[];
}

function plan(paths: Iterable<WatchPath>): Map<string, Wanted> {
  const folders = new Map<string, Wanted>();
  const want = (dir: string, name: string | RegExp): void => {
    const wanted = folders.get(dir) ?? { names: new Set<string>(), patterns: [] };
    if (typeof name === 'string') wanted.names.add(name);
    else wanted.patterns.push(name);
    folders.set(dir, wanted);
  };
  for (const given of paths) {
    if (typeof given !== 'string') {
      if (isDirectory(given.folder)) want(resolve(given.folder), given.names);
      else want(dirname(resolve(given.folder)), basename(given.folder));
      continue;
    }
    const path = resolve(given);
    if (isDirectory(path)) {
      want(path, ALL);
      continue;
    }
    // The nearest existing folder, watched for the first missing component below it.
    let child = path;
    let dir = dirname(path);
    while (!isDirectory(dir) && dirname(dir) !== dir) {
      child = dir;
      dir = dirname(dir);
    }
    want(dir, basename(child));
  }
  return folders;
}

/**
 * Calls `onChange` with the paths that changed (a folder's path when the platform does not say
 * which entry) once they have been quiet for `debounceMs` (or `quickMs`).
 */
export function watchFiles(
  paths: Iterable<WatchPath>,
  options: WatchOptions,
  onChange: (changed: string[]) => Promise<void>,
): ChangeWatcher {
  let wanted = new Map<string, Wanted>();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let idle: (() => void)[] = [];
  let changed = new Set<string>();

  const schedule = (path: string): void => {
    if (closed) return;
    trace('event');
    changed.add(path);
    clearTimeout(timer);
    const quick = options.quickMs;
    if (quick === undefined || quick >= options.debounceMs) {
      timer = setTimeout(fire, options.debounceMs);
      return;
    }
    timer = setTimeout(() => {
      // An empty or missing file may be a save half done (truncated, not written yet): wait the
      // full quiet time for the rest of it.
      if ([...changed].every(hasContent)) fire();
      else timer = setTimeout(fire, options.debounceMs - quick);
    }, quick);
  };
  const fire = (): void => {
    timer = undefined;
    const batch = [...changed];
    changed = new Set();
    options.onBatch?.(batch);
    // A rebuild that throws must not end the chain: the next save rebuilds again.
    running = running.then(() => onChange(batch)).catch((error: unknown) => options.onError?.(error));
    void running.then(() => {
      if (timer !== undefined) return;
      for (const done of idle) done();
      idle = [];
    });
  };

  const update = (next: Iterable<WatchPath>): void => {
    if (closed) return;
    wanted = plan(next);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted.keys()) {
      if (watchers.has(dir)) continue;
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, (_event, name) => {
          const here = wanted.get(dir);
          if (here === undefined) return;
          // No name (some platforms): it may be ours.
          const entry = name === null ? undefined : basename(name);
          if (entry === undefined) schedule(dir);
          else if (here.names.has(entry) || here.patterns.some((p) => p.test(entry))) schedule(join(dir, entry));
        });
      } catch {
        // Gone or unreadable since it was planned: the next update tries again.
        continue;
      }
      // The folder itself was removed: stop; the next rebuild (a save of another file) re-plans.
      watcher.on('error', () => {
        watcher.close();
        if (watchers.get(dir) === watcher) watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    }
  };

  update(paths);
  return {
    update,
    settled: () => (timer === undefined ? running : new Promise<void>((done) => idle.push(done))),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      for (const done of idle) done();
      idle = [];
      await running.catch(() => undefined);
    },
  };
}
