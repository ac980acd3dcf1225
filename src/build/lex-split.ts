/**
 * The second part of a large deck lexed on a worker thread while the main thread lexes the first
 * (src/markdown/split.ts says where the cut is and when it is safe). On two cores this takes a
 * third of the main thread's work off the critical path of a build; the tokens' copy back costs
 * the main thread about a fifth of what lexing them would.
 *
 * parseDeck is synchronous, so the tokens are taken synchronously: the worker posts them on a
 * MessagePort and flags a shared word; the main thread waits on that word (Atomics.wait) and
 * reads the port with receiveMessageOnPort. If the worker has not begun when they are asked for
 * (still starting, on a busy machine), the main thread takes the work back and lexes it itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { chooseCut, lineOf, type LexedTail, type TailSource } from '../markdown/split.js';

/** What the worker is sent (lex-worker.ts). */
export interface TailRequest {
  text: string;
  line: number;
  /** One Int32: TAIL_WAITING, then TAIL_BEGUN and TAIL_DONE (worker), or TAIL_TAKEN_BACK (main). */
  state: SharedArrayBuffer;
  port: MessagePort;
}
export const TAIL_WAITING = 0;
export const TAIL_BEGUN = 1;
export const TAIL_DONE = 2;
export const TAIL_TAKEN_BACK = 3;

/** How long the main thread waits for a worker that has begun (it then lexes the part itself). */
const WAIT_MS = 10_000;

/**
 * The worker's program: lex-worker.js beside this module (dist/build/ for the library, dist/cli/
 * beside the bundle, where scripts/bundle.mjs writes it). Missing when run from the TypeScript
 * sources: decks are then lexed whole.
 */
const WORKER_FILE = fileURLToPath(new URL('./lex-worker.js', import.meta.url));

/** The tail lexAhead started, for the source it was cut from. */
let ahead: { source: string; tail: TailSource } | undefined;

/**
 * Starts lexing the second part of `source` now, for the build that parses it next (the CLI calls
 * this as it starts, with the deck it is about to build, so the worker starts while the CLI loads).
 */
export function lexAhead(source: string): void {
  if (ahead?.source === source) return;
  ahead?.tail.cancel();
  const tail = startTail(source);
  ahead = tail === undefined ? undefined : { source, tail };
}

/** The second part of `source` being lexed on a worker, for parseDeck; undefined for a deck lexed whole. */
export function tailOf(source: string): TailSource | undefined {
  const started = ahead;
  ahead = undefined;
  if (started?.source === source) return started.tail;
  started?.tail.cancel();
  return startTail(source);
}

function startTail(source: string): TailSource | undefined {
  const at = chooseCut(source);
  if (at === undefined || !existsSync(WORKER_FILE)) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(WORKER_FILE);
  } catch {
    return undefined;
  }
  // It never keeps the process alive, and a worker that fails only leaves the work to this thread.
  worker.unref();
  worker.on('error', () => undefined);
  const text = source.slice(at);
  const line = lineOf(source, at);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const request: TailRequest = { text, line, state: flag.buffer as SharedArrayBuffer, port: port2 };
  worker.postMessage(request, [port2]);
  let over = false;
  const end = () => {
    over = true;
    port1.close();
    void worker.terminate();
  };
  return {
    text,
    line,
    take(): LexedTail | undefined {
      if (over) return undefined;
      if (Atomics.compareExchange(flag, 0, TAIL_WAITING, TAIL_TAKEN_BACK) === TAIL_WAITING) {
        end();
        return undefined;
      }
      const deadline = performance.now() + WAIT_MS;
      let received = receiveMessageOnPort(port1);
      while (received === undefined) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        // Until the worker flags TAIL_DONE; then a millisecond at a time until its message is there.
        const now = Atomics.load(flag, 0);
        Atomics.wait(flag, 0, now, now === TAIL_DONE ? Math.min(left, 1) : left);
        received = receiveMessageOnPort(port1);
      }
      end();
      return (received?.message as LexedTail | null | undefined) ?? undefined;
    },
    cancel() {
      if (over) return;
      Atomics.compareExchange(flag, 0, TAIL_WAITING, TAIL_TAKEN_BACK);
      end();
    },
  };
}
