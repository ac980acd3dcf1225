/** Argument parsers of the png command, kept apart so the CLI loads them without the exporter. */
import { InvalidArgumentError } from 'commander';

/** `--scale`: device pixels per CSS pixel, 0.25 to 4 (a 16:9 slide at 4 is 5120×2880). */
export function parseScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.25 || n > 4) throw new InvalidArgumentError('expected a number from 0.25 to 4');
  return n;
}
