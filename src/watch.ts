/**
 * Watching decks for `serve` and `build --watch`: the folders the decks (and their images and
 * stylesheets) live in, ignoring build output, node_modules and .git. Changes are debounced
 * (editors save in bursts, or by rename) and the rebuilds run one after another, never at once.
 */
import { relative, resolve } from 'node:path';
import { watch } from 'chokidar';

export interface ChangeWatcher {
  /** Resolves when no rebuild is pending or running. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Absolute folders never to watch (build output). */
  ignore: readonly string[];
  /** Quiet time after a change before `onChange` runs. */
  debounceMs: number;
  /** Gets what a rebuild threw; later changes still rebuild. @defaultValue ignore */
  onError?: (error: unknown) => void;
}

export async function watchFolders(folders: readonly string[], options: WatchOptions, onChange: () => Promise<void>): Promise<ChangeWatcher> {
  const ignored = (path: string): boolean => {
    const absolute = resolve(path);
    if (options.ignore.some((dir) => absolute === dir || !relative(dir, absolute).startsWith('..'))) return true;
    return folders.every((folder) => /(^|[/\\])(node_modules|\.git|output)([/\\]|$)/.test(relative(folder, absolute)));
  };
  // awaitWriteFinish: chokidar otherwise drops a change that comes within 50 ms of the previous
  // one for the same file (a save right after a rebuild read it, or a format-on-save rewrite),
  // and the preview would keep the older content. Waiting for the file to settle also never
  // rebuilds from a half-written file.
  const watcher = watch([...folders], { ignoreInitial: true, ignored, depth: 3, awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // A rebuild that throws must not end the chain: the next save rebuilds again.
      running = running.then(onChange).catch((error: unknown) => options.onError?.(error));
    }, options.debounceMs);
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    settled: async () => {
      await new Promise((r) => setTimeout(r, options.debounceMs + 20));
      await running;
    },
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await running.catch(() => undefined);
    },
  };
}
