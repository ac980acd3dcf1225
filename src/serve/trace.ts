/**
 * DECKSMITH_TRACE=1: `serve` writes when each step of a save happened to stderr, as
 * `decksmith-trace <epoch ms> <step>` lines (bench/serve.mjs --trace reads them to show where the
 * time goes). Off, it costs one check per step.
 */
const on = process.env['DECKSMITH_TRACE'] !== undefined && process.env['DECKSMITH_TRACE'] !== '';

export function trace(step: string): void {
  if (on) process.stderr.write(`decksmith-trace ${(performance.timeOrigin + performance.now()).toFixed(2)} ${step}\n`);
}
