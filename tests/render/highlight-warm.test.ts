/**
 * The CLI starts the highlight worker as it starts, for a deck with many code fences
 * (warmHighlighter); prehighlight then takes that worker instead of starting one. It must
 * highlight as a worker started on the spot does, and one not needed is stopped.
 */
import { describe, expect, it } from 'vitest';
import { createHighlighter, forgetHighlights, manyFences, prehighlight, warmHighlighter } from '../../src/render/highlight.js';

function fences(count: number, fence = '```'): string {
  return Array.from({ length: count }, (_, i) => `## ${i}\n\n${fence}js\nconst warm${i} = ${i} + "x";\n${fence}\n`).join('\n---\n\n');
}

describe('manyFences', () => {
  it('is true from as many fences as prehighlight needs for a worker', () => {
    expect(manyFences(fences(100))).toBe(true);
    expect(manyFences(fences(99))).toBe(false);
    expect(manyFences(fences(100, '~~~'))).toBe(true);
    // A deck that starts with a fence counts it.
    expect(manyFences(`\`\`\`\nx\n${fences(100).slice(0, -1)}`)).toBe(true);
    expect(manyFences('')).toBe(false);
  });
});

describe('warmHighlighter', () => {
  it('gives prehighlight a worker that highlights as one started on the spot', async () => {
    const markdown = fences(110);
    forgetHighlights();
    expect(await prehighlight(markdown)).toBe(110);
    const cold = Array.from({ length: 110 }, (_, i) => createHighlighter().highlight(`const warm${i} = ${i} + "x";`, 'js'));
    forgetHighlights();
    warmHighlighter();
    expect(await prehighlight(markdown)).toBe(110);
    const warm = Array.from({ length: 110 }, (_, i) => createHighlighter().highlight(`const warm${i} = ${i} + "x";`, 'js'));
    expect(warm).toEqual(cold);
    expect(warm.every((html) => html?.includes('hljs-keyword'))).toBe(true);
  });

  it('a warmed worker a small deck does not need is stopped, and the next large deck gets its own', async () => {
    forgetHighlights();
    warmHighlighter();
    expect(prehighlight('```js\nx\n```\n')).toBeUndefined();
    expect(await prehighlight(fences(105))).toBe(105);
  });
});
