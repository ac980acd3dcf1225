/**
 * Step timings for finding where an export spends its time: with `DECKSMITH_TRACE=1` in the
 * environment, each call prints the milliseconds since the process started and a label on stderr.
 * Off (and free) otherwise.
 */
export function trace(label: string): void {
  if (process.env['DECKSMITH_TRACE'] === undefined || process.env['DECKSMITH_TRACE'] === '') return;
  process.stderr.write(`decksmith trace: ${performance.now().toFixed(0).padStart(5)} ms  ${label}\n`);
}
