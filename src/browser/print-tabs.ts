/**
 * How many print tabs a caller will want once Chromium is up, told while it starts: each is
 * opened at once, so Chromium starts its renderer while it boots and the decks build.
 */
export class PrintTabs {
  private wanted: number;
  private listener: (() => void) | undefined;

  constructor(count = 1) {
    this.wanted = count;
  }

  /** Wants `count` in all (never fewer than before). */
  want(count: number): void {
    if (count <= this.wanted) return;
    this.wanted = count;
    this.listener?.();
  }

  get count(): number {
    return this.wanted;
  }

  /** Calls `listener` now and whenever more are wanted; `undefined` stops that. */
  listen(listener: (() => void) | undefined): void {
    this.listener = listener;
    listener?.();
  }
}
