/**
 * Parse and render work grows linearly with the deck. Pure, but seconds of CPU at 8× sizes, so it
 * runs in the `browser` project (its own process: process.cpuUsage() must see this test's work
 * alone, which a worker thread beside other tests would not).
 */
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const build = (source: string) => {
  const deck = parseDeck(source, { file: 'deck.md' });
  return { deck, rendered: renderDeck(deck, context) };
};

/** Least CPU time (not wall time: other processes share the machine) of `runs` calls, in ms. */
function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * CPU time of parse + render at n and at 8n. Linear work gives a ratio near 8; work that rereads
 * the rest of the deck at every block gives near 64. The bound leaves room for GC and JIT noise.
 */
function growth(make: (n: number) => string, n: number): number {
  const small = make(n);
  const large = make(8 * n);
  build(small);
  const smallMs = bestOf(5, () => build(small));
  const largeMs = bestOf(2, () => build(large));
  return largeMs / smallMs;
}

describe('work grows linearly with the deck', () => {
  it('for many paragraphs (the $$ and ::: start() once rescanned the rest of the deck at each)', () => {
    const deck = (n: number) => `# Many\n\n${Array.from({ length: n }, (_, i) => `Paragraph ${i} says something.`).join('\n\n')}\n`;
    expect(build(deck(10)).rendered.slides[0]?.html).toContain('Paragraph 9 says');
    expect(growth(deck, 1500)).toBeLessThan(32);
  });

  it('for many unclosed ::: openers (each once scanned to the end of the deck)', () => {
    const deck = (n: number) => `# Open\n\n${Array.from({ length: n }, (_, i) => `::: box${i}`).join('\n\n')}\n`;
    expect(build(deck(3)).rendered.slides[0]?.html).toContain('::: box2');
    expect(growth(deck, 1500)).toBeLessThan(32);
  });

  it('for many unclosed comments', () => {
    const deck = (n: number) => `# Open\n\n${Array.from({ length: n }, (_, i) => `<!-- hidden ${i}\n\nshown ${i}`).join('\n\n')}\n`;
    expect(build(deck(3)).rendered.slides[0]?.html).toContain('shown 2');
    expect(growth(deck, 1500)).toBeLessThan(32);
  });

  it('for lists nested thousands of levels deep', () => {
    const deck = (n: number) => `# Deep\n\n${'- '.repeat(n)}bottom\n`;
    expect(growth(deck, 500)).toBeLessThan(32);
  });

  it('for blockquotes nested thousands of levels deep', () => {
    const deck = (n: number) => `# Deep\n\n${'> '.repeat(n)}bottom\n`;
    expect(growth(deck, 500)).toBeLessThan(32);
  });
});
