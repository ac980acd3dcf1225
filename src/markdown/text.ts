/** Text helpers both parse and render need; linear on any input. */

/**
 * `text` without its final newlines. A regex such as /\n+$/ retries at every newline of a run
 * that is not at the end, which is quadratic in the run's length (a hostile deck has long ones).
 */
export function trimNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Offsets where each line of `text` starts (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the last entry of ascending `starts` that is at most `offset` (0 when none is). */
export function lineIndex(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The lines of `text` as `text.split('\n')` gives them, up to the first line after the first one
 * that `last` accepts (that one included); all of them when it accepts none. A deck has thousands
 * of lines and its front matter a few: reading that need not split the whole deck.
 */
export function linesThrough(text: string, last: (line: string) => boolean): string[] {
  const lines: string[] = [];
  let from = 0;
  for (;;) {
    const end = text.indexOf('\n', from);
    const line = end < 0 ? text.slice(from) : text.slice(from, end);
    lines.push(line);
    if (end < 0 || (lines.length > 1 && last(line))) return lines;
    from = end + 1;
  }
}
