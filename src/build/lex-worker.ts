/**
 * The program of the lexing worker (lex-split.ts): lexes the second part of one deck and posts
 * its tokens. Run from its own file (scripts/bundle.mjs bundles it beside the CLI).
 */
import { parentPort } from 'node:worker_threads';
import { lexTail, type LexedTail } from '../markdown/split.js';
import { TAIL_BEGUN, TAIL_DONE, TAIL_WAITING, type TailRequest } from './lex-split.js';

parentPort?.once('message', ({ text, line, state, port }: TailRequest) => {
  const flag = new Int32Array(state);
  // The main thread may have taken the work back (it had nothing else left to do).
  if (Atomics.compareExchange(flag, 0, TAIL_WAITING, TAIL_BEGUN) !== TAIL_WAITING) return;
  let lexed: LexedTail | null = null;
  try {
    lexed = lexTail(text, line);
  } catch {
    // Nesting too deep for this thread's stack, say: the main thread lexes it and explains.
  }
  port.postMessage(lexed);
  Atomics.store(flag, 0, TAIL_DONE);
  Atomics.notify(flag, 0);
});
