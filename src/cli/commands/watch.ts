/**
 * `decksmith build --watch`: build, then rebuild whenever a file a deck uses changes (the deck,
 * its images, `css:` files, theme and templates, or a deck added to a folder input), until
 * Ctrl-C. Nothing else in the decks' folders is watched, so the output or a log written next to
 * them never triggers a rebuild. A failed rebuild prints its error and keeps the last good output
 * (writes are atomic); the next save tries again.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expandInputs } from '../../build/index.js';
import { isDecksmithError } from '../../errors.js';
import type { BuiltDeck } from '../../types.js';
import { watchFiles, type WatchPath } from '../../serve/watch.js';
import type { CliIO } from '../io.js';
import { stopped } from '../shutdown.js';
import { buildCommand, type BuildFlags } from './build.js';

/** Milliseconds of quiet after a change before rebuilding (editors save in bursts). */
const DEBOUNCE_MS = 100;

export interface WatchHooks {
  /** Debounce in milliseconds. @defaultValue 100 */
  debounceMs?: number;
  /** Called after each build (or failed build): what changed (absent the first time), what is watched now. */
  onBuild?: (result: { changed?: string[]; watched: WatchPath[] }) => void;
}

/**
 * Builds, then rebuilds on each change until `signal` aborts; then stops the build in progress (its
 * browser, if it prints, goes with it), stops watching and returns 0.
 */
export async function watchBuilds(
  io: CliIO,
  inputs: string[],
  flags: BuildFlags,
  signal: AbortSignal,
  hooks: WatchHooks = {},
): Promise<number> {
  const buildIO: CliIO = { ...io, signal };
  // Per deck, what its last good build used; a deck that fails keeps its previous set.
  const used = new Map<string, string[]>();
  // The file a build error names (a broken theme.json): fixing it must rebuild too.
  let errorFile: string | undefined;
  const templates = flags.templates === undefined ? [] : ['', 'layouts', 'partials'].map((sub) => resolve(flags.templates ?? '', sub));
  const watched = (): WatchPath[] => {
    const paths: WatchPath[] = [...templates];
    // A folder input: the decks in it, also ones added later, and nothing else.
    for (const input of inputs) paths.push(isDirectory(input) ? { folder: resolve(input), names: /\.md$/i } : resolve(input));
    let decks: string[] = [];
    try {
      decks = expandInputs(inputs);
    } catch {
      // An input that went away: it is still watched, so its coming back rebuilds.
    }
    for (const deck of decks) paths.push(...(used.get(resolve(deck)) ?? []));
    if (errorFile !== undefined) paths.push(errorFile);
    return paths;
  };
  let watcher: ReturnType<typeof watchFiles> | undefined;
  const onBuilt = (deck: BuiltDeck): void => void used.set(deck.file, deck.inputs ?? [deck.file]);
  const once = async (changed?: string[]): Promise<void> => {
    errorFile = undefined;
    if (signal.aborted) return;
    try {
      const code = await buildCommand(buildIO, inputs, { ...flags, watch: false, onBuilt });
      // A build the signal stopped is no failure: watching is over.
      if (signal.aborted) return;
      io.stderr(
        code === 0 ? `decksmith: built; watching for changes (Ctrl-C to stop)\n` : `decksmith: build failed; watching for changes\n`,
      );
    } catch (error) {
      if (signal.aborted) return;
      if (!isDecksmithError(error)) throw error;
      io.stderr(`decksmith: ${error.format()}\n  (the last good output is kept; save again to retry)\n`);
      if (error.file !== undefined) errorFile = resolve(error.file);
    }
    const paths = watched();
    watcher?.update(paths);
    hooks.onBuild?.({ ...(changed === undefined ? {} : { changed }), watched: paths });
  };
  const onError = (error: unknown): void => {
    io.stderr(
      `decksmith: rebuilding failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n  (save again to retry)\n`,
    );
  };
  // Watching starts before the first build, so a save during it is not missed; builds run one
  // after another.
  let queue: Promise<void> = Promise.resolve();
  const serial = (changed?: string[]): Promise<void> => (queue = queue.catch(() => undefined).then(() => once(changed)));
  watcher = watchFiles(watched(), { debounceMs: hooks.debounceMs ?? DEBOUNCE_MS, onError }, serial);
  try {
    await serial();
    await stopped(signal);
  } finally {
    await watcher.close();
    // A rebuild the watcher started just before the signal: its browser and staging folder go first.
    await queue.catch(() => undefined);
  }
  return 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `build --watch`: runs until SIGINT or SIGTERM (`io.signal`), then stops watching and exits 0. */
export async function watchCommand(io: CliIO, inputs: string[], flags: BuildFlags): Promise<number> {
  return watchBuilds(io, inputs, flags, io.signal ?? new AbortController().signal);
}
