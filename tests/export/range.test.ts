import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseRange, parseRangeSpans } from '../../src/export/index.js';

describe('parseRange', () => {
  it('reads 1-based lists and ranges, open ends included', () => {
    expect(parseRange('1-5,8', 10)).toEqual([0, 1, 2, 3, 4, 7]);
    expect(parseRange('8, 3-', 10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parseRange('-2', 10)).toEqual([0, 1]);
  });

  it.each(['0', '11', '5-3', 'a', '1,,2', '-', '12-'])('rejects %j as bad usage (exit 2)', (range) => {
    const error = (() => {
      try {
        return parseRange(range, 10);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toContain('--range');
  });
});

describe('messages', () => {
  it("name the deck's slide count once it is known, for every kind of mistake", () => {
    for (const range of ['20-30', '3-1', '0', 'x']) {
      expect(() => parseRange(range, 12), range).toThrow(expect.objectContaining({ hint: expect.stringContaining('from 1 to 12') }));
    }
    expect(() => parseRange('20-30', 12)).toThrow('the deck has 12 slides, so 20-30 is out of range');
  });
});

describe('parseRangeSpans', () => {
  it('checks syntax without a slide count, open ends included', () => {
    expect(parseRangeSpans('1-5,8,10-')).toEqual([
      { from: 1, to: 5 },
      { from: 8, to: 8 },
      { from: 10, to: undefined },
    ]);
    expect(() => parseRangeSpans('3-1')).toThrow(UsageError);
  });
});
