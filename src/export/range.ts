import { UsageError } from '../errors.js';

/** A `--range` part: 1-based, inclusive; `to` undefined means "to the last slide". */
export interface RangeSpan {
  from: number;
  to: number | undefined;
}

function badRange(range: string, message: string, count?: number): UsageError {
  const numbers = count === undefined ? 'slide numbers from 1' : `slide numbers from 1 to ${count}`;
  return new UsageError('bad-range', `--range ${JSON.stringify(range)}: ${message}`, {
    hint: `Use ${numbers}, e.g. --range 1-5,8 or --range 3-.`,
  });
}

/**
 * Checks the syntax of a `--range` such as `1-5,8`, `3-` or `-4` without knowing the deck, so the
 * CLI can reject it before building; with the deck's `count`, the message names it.
 *
 * @throws UsageError `bad-range` for malformed parts, 0, or parts that run backwards.
 */
export function parseRangeSpans(range: string, count?: number): RangeSpan[] {
  return range.split(',').map((raw) => {
    const part = raw.trim();
    const match = /^(\d*)\s*(-)?\s*(\d*)$/.exec(part);
    if (part === '' || match === null || (match[1] === '' && match[3] === '')) {
      throw badRange(range, `"${part}" is not a slide number or a range.`, count);
    }
    const [, first = '', dash, last = ''] = match;
    const from = first === '' ? 1 : Number(first);
    const to = dash === undefined ? from : last === '' ? undefined : Number(last);
    if (from < 1) throw badRange(range, 'slide numbers start at 1.', count);
    if (to !== undefined && from > to) throw badRange(range, `"${part}" runs backwards.`, count);
    return { from, to };
  });
}

/**
 * Resolves a `--range` against a deck of `count` slides: the 0-based slide indices in ascending
 * order, without repeats.
 *
 * @throws UsageError `bad-range` for malformed parts or slide numbers above `count`.
 */
export function parseRange(range: string, count: number): number[] {
  const picked = new Set<number>();
  for (const { from, to } of parseRangeSpans(range, count)) {
    const last = to ?? count;
    if (last > count || from > count) {
      throw badRange(
        range,
        `the deck has ${count} slide${count === 1 ? '' : 's'}, so ${to === undefined ? from : `${from}-${to}`} is out of range.`,
        count,
      );
    }
    for (let n = from; n <= last; n++) picked.add(n - 1);
  }
  return [...picked].sort((a, b) => a - b);
}
