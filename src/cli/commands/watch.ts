/**
 * `decksmith build --watch`: build, then rebuild whenever a deck, an image or a stylesheet next to
 * it changes, until Ctrl-C. A failed rebuild prints its error and keeps the last good output
 * (writes are atomic); the next save tries again.
 */
import { dirname, resolve } from 'node:path';
import { expandInputs } from '../../build.js';
import { isDecksmithError } from '../../errors.js';
import { watchFolders } from '../../watch.js';
import type { CliIO } from '../io.js';
import { buildCommand, type BuildFlags } from './build.js';

/** Milliseconds of quiet after a change before rebuilding (editors save in bursts). */
const DEBOUNCE_MS = 100;

export async function watchBuilds(io: CliIO, inputs: string[], flags: BuildFlags, signal: AbortSignal): Promise<number> {
  const once = async (): Promise<void> => {
    try {
      const code = await buildCommand(io, inputs, { ...flags, watch: false });
      io.stderr(code === 0 ? `decksmith: built; watching for changes (Ctrl-C to stop)\n` : `decksmith: build failed; watching for changes\n`);
    } catch (error) {
      if (!isDecksmithError(error)) throw error;
      io.stderr(`decksmith: ${error.format()}\n  (the last good output is kept; save again to retry)\n`);
    }
  };
  await once();
  const folders = [...new Set(expandInputs(inputs).map((file) => dirname(resolve(file))))];
  const onError = (error: unknown): void => {
    io.stderr(`decksmith: rebuilding failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n  (save again to retry)\n`);
  };
  const watcher = await watchFolders(folders, { ignore: [resolve(flags.out ?? 'output')], debounceMs: DEBOUNCE_MS, onError }, once);
  await new Promise<void>((stop) => {
    if (signal.aborted) stop();
    else signal.addEventListener('abort', () => stop(), { once: true });
  });
  await watcher.close();
  return 0;
}

/** Runs until SIGINT or SIGTERM, then stops watching and exits 0. */
export async function watchCommand(io: CliIO, inputs: string[], flags: BuildFlags): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await watchBuilds(io, inputs, flags, controller.signal);
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
