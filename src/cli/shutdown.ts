/**
 * The one shutdown path. The executable turns SIGINT, SIGTERM and SIGHUP into an aborted
 * AbortSignal (its reason an InterruptedError naming the signal) and hands that signal to the
 * command through `CliIO.signal`. Every long-running command awaits it and closes what it opened
 * in its own `finally` (server, watchers, browser, temp folders, half-written outputs); the
 * layers below take a `signal` option and stop with the InterruptedError when it aborts.
 *
 * Exit codes: a command that runs until stopped (`serve`, `build --watch`) returns 0; any other
 * command that fails because of the signal returns 128 + the signal's number (see `run` in
 * index.ts), and once everything is closed the executable re-raises the signal (endAsSignalled),
 * so a shell or CI runner sees the process ended by it, as the default handler would have. A
 * second signal while the first is being handled ends the process at once, for a cleanup that
 * hangs.
 */
import { InterruptedError, STOP_SIGNALS, type StopSignal } from '../errors.js';

export interface Shutdown extends Disposable {
  /** Aborted by the first signal, with an InterruptedError as its reason. */
  readonly signal: AbortSignal;
}

/** The process a Shutdown listens to (a stand-in in tests). */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  removeListener(signal: StopSignal, listener: () => void): unknown;
  exit(code: number): never;
}

/** Listens for the stop signals until disposed; while it listens, they no longer kill the process. */
export function listenForShutdown(source: SignalSource = process): Shutdown {
  const controller = new AbortController();
  const listeners = STOP_SIGNALS.map((name) => {
    const listener = (): void => {
      const reason = new InterruptedError(name);
      if (controller.signal.aborted) source.exit(reason.exitCode);
      controller.abort(reason);
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    [Symbol.dispose]: () => {
      for (const [name, listener] of listeners) source.removeListener(name, listener);
    },
  };
}

/**
 * Called last, after disposing the Shutdown: if the signal made the command fail (its exit code is
 * the signal's 128 + n), ends the process by that signal, now that nothing listens for it.
 */
export function endAsSignalled(
  shutdown: Shutdown,
  exitCode: number | string | undefined,
  kill: (signal: StopSignal) => void = (signal) => process.kill(process.pid, signal),
): void {
  const reason: unknown = shutdown.signal.reason;
  if (reason instanceof InterruptedError && exitCode === reason.exitCode) kill(reason.signal);
}

/** Resolves when `signal` aborts (at once if it has); for commands that run until stopped. */
export function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
