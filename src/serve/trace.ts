/**
 * DECKSMITH_TRACE=1: `serve` prints when each step of a save happened on stderr, in the format
 * of src/browser/trace.ts plus the wall-clock time (`(at <epoch ms>)`), which another process
 * can line up with its own clock: bench/serve.mjs --trace cuts each save into steps with it.
 * Off, it costs one check per step.
 */
const on = process.env['DECKSMITH_TRACE'] !== undefined && process.env['DECKSMITH_TRACE'] !== '';

export function trace(step: string): void {
  if (!on) return;
  const at = (performance.timeOrigin + performance.now()).toFixed(2);
  process.stderr.write(`decksmith trace: ${performance.now().toFixed(0).padStart(5)} ms  serve: ${step} (at ${at})\n`);
}
