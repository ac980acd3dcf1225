/**
 * bin/decksmith.js runs the process with its own V8 flags and leaves them, with V8's own values,
 * under Symbol.for('decksmith.v8-flags'). A highlight worker must boot under V8's values (Node's
 * code cache for its own modules is taken only then) and the process must get its flags back.
 *
 * Which flags are in force is read with V8 code caches: a cache made under some flags is
 * accepted only under the same flags. Two made here, one under each set, tell them apart.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetHighlights, prehighlight, warmHighlighter } from '../../src/render/highlight.js';

const SWAP = Symbol.for('decksmith.v8-flags');
// Two values of a flag that changes only how soon V8 optimizes: harmless to the other tests.
const DEFAULTS = '--interrupt-budget=200000';
const FLAGS = '--interrupt-budget=300000';

let probes = 0;
/** A code cache made under the flags in force now. */
function probe(): Buffer {
  return new vm.Script(`'probe ${String(probes++).padStart(8, '0')}'`).createCachedData();
}
/** Whether the flags in force now are those `cache` was made under (another source of the same length, so V8 checks the cache rather than reusing a compiled script). */
function madeUnderCurrentFlags(cache: Buffer): boolean {
  return !new vm.Script(`'other ${String(probes++).padStart(8, '0')}'`, { cachedData: cache }).cachedDataRejected;
}

function deck(run: string): string {
  return Array.from({ length: 120 }, (_, i) => `## ${i}\n\n\`\`\`js\nconst slide = ${i}; // ${run}\n\`\`\`\n`).join('\n---\n\n');
}

/**
 * The process under FLAGS, with the swap published as bin/decksmith.js leaves it, and no worker
 * started yet; with a code cache made under each set of flags.
 */
function asTheExecutableLeavesThem(flags = FLAGS, defaults = DEFAULTS): { underDefaults: Buffer; underFlags: Buffer } {
  v8.setFlagsFromString(defaults);
  const underDefaults = probe();
  v8.setFlagsFromString(flags);
  const underFlags = probe();
  (globalThis as Record<symbol, unknown>)[SWAP] = { flags, defaults };
  forgetHighlights();
  return { underDefaults, underFlags };
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[SWAP];
});

describe('the highlight worker and the process V8 flags', () => {
  it('boots under V8 own values and sets the process flags back', async () => {
    const { underDefaults, underFlags } = asTheExecutableLeavesThem();
    const filled = prehighlight(deck(`flags-${Date.now()}`));
    // The worker was started under V8's values: it has not run a line yet (Node takes tens of
    // milliseconds to boot one), so they are still in force.
    expect(madeUnderCurrentFlags(underDefaults)).toBe(true);
    expect(await filled).toBe(120);
    // It has highlighted, so it has run its first line, which set the process's flags back.
    expect(madeUnderCurrentFlags(underFlags)).toBe(true);
  });

  it('does the same for the worker started ahead (warmHighlighter)', async () => {
    const { underDefaults, underFlags } = asTheExecutableLeavesThem();
    warmHighlighter();
    expect(madeUnderCurrentFlags(underDefaults)).toBe(true);
    expect(await prehighlight(deck(`warm-${Date.now()}`))).toBe(120);
    expect(madeUnderCurrentFlags(underFlags)).toBe(true);
  });

  it('leaves the flags alone when the process left none to swap (the library)', async () => {
    v8.setFlagsFromString(FLAGS);
    const underFlags = probe();
    forgetHighlights();
    const filled = prehighlight(deck(`library-${Date.now()}`));
    expect(madeUnderCurrentFlags(underFlags)).toBe(true);
    expect(await filled).toBe(120);
    expect(madeUnderCurrentFlags(underFlags)).toBe(true);
  });

  it('swaps the regexp peephole flag with the budget, as the executable sets both', async () => {
    // The executable's pair: the worker must boot under both of V8's values, not only the budget's.
    const { underDefaults, underFlags } = asTheExecutableLeavesThem(
      '--interrupt-budget=300000 --no-regexp-peephole-optimization',
      '--interrupt-budget=200000 --regexp-peephole-optimization',
    );
    const filled = prehighlight(deck(`peephole-${Date.now()}`));
    expect(madeUnderCurrentFlags(underDefaults)).toBe(true);
    expect(await filled).toBe(120);
    expect(madeUnderCurrentFlags(underFlags)).toBe(true);
    // Last in this file: the worker's exit sets these flags again some time later. (The peephole
    // pass changes how a regexp's bytecode is written, never what it matches.)
  });
});
