/**
 * The one shutdown path (src/cli/shutdown.ts), against a stand-in for the process: the first
 * signal aborts the signal with an InterruptedError naming it, a second ends the process at once
 * with 128 + n, and disposing stops listening. The real-process side is in stop.test.ts and
 * signals.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InterruptedError, type StopSignal } from '../../src/errors.js';
import { endAsSignalled, listenForShutdown, stopped, type SignalSource } from '../../src/cli/shutdown.js';

class FakeProcess implements SignalSource {
  readonly listeners = new Map<StopSignal, Set<() => void>>();
  readonly exits: number[] = [];
  on(signal: StopSignal, listener: () => void): this {
    const set = this.listeners.get(signal) ?? new Set();
    set.add(listener);
    this.listeners.set(signal, set);
    return this;
  }
  removeListener(signal: StopSignal, listener: () => void): this {
    this.listeners.get(signal)?.delete(listener);
    return this;
  }
  exit(code: number): never {
    this.exits.push(code);
    return undefined as never;
  }
  send(signal: StopSignal): void {
    for (const listener of this.listeners.get(signal) ?? []) listener();
  }
  count(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

describe('listenForShutdown', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s aborts the signal with an InterruptedError that exits %i', async (name, code) => {
    const proc = new FakeProcess();
    using shutdown = listenForShutdown(proc);
    const waiting = stopped(shutdown.signal);
    expect(shutdown.signal.aborted).toBe(false);
    proc.send(name);
    await waiting;
    expect(shutdown.signal.reason).toBeInstanceOf(InterruptedError);
    expect((shutdown.signal.reason as InterruptedError).signal).toBe(name);
    expect((shutdown.signal.reason as InterruptedError).exitCode).toBe(code);
    expect((shutdown.signal.reason as InterruptedError).code).toBe('interrupted');
    expect(proc.exits).toEqual([]);
  });

  it("a second signal ends the process at once, with the second signal's code", () => {
    const proc = new FakeProcess();
    using shutdown = listenForShutdown(proc);
    proc.send('SIGINT');
    expect(proc.exits).toEqual([]);
    proc.send('SIGTERM');
    expect(proc.exits).toEqual([143]);
    expect((shutdown.signal.reason as InterruptedError).signal).toBe('SIGINT');
  });

  it('listens to SIGINT, SIGTERM and SIGHUP until disposed, then to nothing', () => {
    const proc = new FakeProcess();
    const shutdown = listenForShutdown(proc);
    expect([...proc.listeners.keys()].sort()).toEqual(['SIGHUP', 'SIGINT', 'SIGTERM']);
    expect(proc.count()).toBe(3);
    shutdown[Symbol.dispose]();
    expect(proc.count()).toBe(0);
    proc.send('SIGINT');
    expect(shutdown.signal.aborted).toBe(false);
  });

  it('after a signal-caused failure the process ends by that signal; after a clean stop it does not', () => {
    const proc = new FakeProcess();
    const shutdown = listenForShutdown(proc);
    const killed: string[] = [];
    endAsSignalled(shutdown, 1, (s) => void killed.push(s));
    expect(killed).toEqual([]);
    proc.send('SIGTERM');
    shutdown[Symbol.dispose]();
    endAsSignalled(shutdown, 0, (s) => void killed.push(s));
    expect(killed).toEqual([]);
    endAsSignalled(shutdown, 143, (s) => void killed.push(s));
    expect(killed).toEqual(['SIGTERM']);
  });
});
