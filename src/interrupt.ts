/**
 * Ctrl-C, SIGTERM and SIGHUP skip `finally` blocks, so whatever must not outlive the process
 * (a Chromium, its profile, half-written files, temp folders) registers a cleanup here. While any
 * cleanup is registered, the first signal runs them all (async ones get up to 3 s), then the
 * `last` ones — synchronously, so work still in flight cannot recreate what they delete — and
 * re-raises the signal so the process ends as it would have (exit 128 + n). A second signal during
 * cleanup ends the process at once. A command that runs until stopped takes the first signal
 * itself instead (onStopRequest) and exits 0.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const CLEANUP_LIMIT_MS = 3000;

export type Cleanup = (signal: NodeJS.Signals) => void | Promise<void>;

const cleanups = new Set<Cleanup>();
/** See onStopRequest. */
let stopRequest: ((signal: NodeJS.Signals) => void) | undefined;
const lastCleanups = new Set<() => void>();
const listeners = new Map<NodeJS.Signals, () => void>();

/** Set once a signal arrived: the process is ending, and nothing may catch the re-raised signal. */
let ending = false;

function install(): void {
  if (listeners.size > 0 || ending) return;
  for (const signal of SIGNALS) {
    const listener = (): void => void interrupted(signal);
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
}

function uninstall(): void {
  for (const [signal, listener] of listeners) process.removeListener(signal, listener);
  listeners.clear();
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  if (stopRequest !== undefined) {
    const stop = stopRequest;
    stopRequest = undefined;
    stop(signal);
    return;
  }
  ending = true;
  uninstall();
  const running = [...cleanups].map(async (cleanup) => cleanup(signal));
  cleanups.clear();
  await Promise.race([Promise.allSettled(running), new Promise((resolve) => setTimeout(resolve, CLEANUP_LIMIT_MS).unref())]);
  for (const cleanup of lastCleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is ending.
    }
  }
  lastCleanups.clear();
  process.kill(process.pid, signal);
}

/** Runs `cleanup` if the process is interrupted; call the returned function once it is no longer needed. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  install();
  return () => {
    cleanups.delete(cleanup);
    if (idle()) uninstall();
  };
}

/** Like onInterrupt, for a synchronous cleanup that runs after every other one (deleting temp folders). */
export function onInterruptLast(cleanup: () => void): () => void {
  lastCleanups.add(cleanup);
  install();
  return () => {
    lastCleanups.delete(cleanup);
    if (idle()) uninstall();
  };
}

/**
 * For a command that runs until it is told to stop (`serve`, `build --watch`): while `stop` is
 * registered, the first signal calls it instead of running the cleanups and re-raising, so the
 * command closes what it opened (its temp folders' cleanups go with them) and exits 0. A second
 * signal takes the usual path: cleanups, then the re-raised signal. Call the returned function
 * once stopped.
 */
export function onStopRequest(stop: (signal: NodeJS.Signals) => void): () => void {
  stopRequest = stop;
  install();
  return () => {
    if (stopRequest === stop) stopRequest = undefined;
    if (idle()) uninstall();
  };
}

function idle(): boolean {
  return cleanups.size === 0 && lastCleanups.size === 0 && stopRequest === undefined;
}
