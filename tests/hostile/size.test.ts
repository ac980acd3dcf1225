/**
 * Hostile inputs, class "bounded work": decks built to make the parser or renderer take quadratic
 * time, deep recursion or unbounded memory. Each must finish within the harness's timeout with
 * the V8 heap capped (NODE_OPTIONS=--max-old-space-size=1024), or stop with a file:line error.
 * The text at both ends of the deck must survive either way (or the stop must say where).
 * Growth-ratio tests belong with the parser fixes; these cases only prove the CLI stays bounded.
 */
import { afterAll, describe, it } from 'vitest';
import { build, expectEnded, expectNoLeak, expectNoTextLost, RUN_TIMEOUT_MS, workspaces } from './harness.js';

const spaces = workspaces('size');
afterAll(() => spaces.cleanup());

const HEAP_CAP = { NODE_OPTIONS: '--max-old-space-size=1024' };

const around = (middle: string): string => `# MARKER-TITLE\n\nMARKER-BEFORE\n\n---\n\n${middle}\n\n---\n\n## Last\n\nMARKER-AFTER\n`;

const CASES: Record<string, () => string> = {
  '2,000 nested list levels': () => around(Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')),
  '2,000 nested blockquotes': () => around(`${'>'.repeat(2000)} deep quote`),
  '2,000 nested blockquotes, one level deeper per line': () =>
    around(Array.from({ length: 2000 }, (_, i) => `${'>'.repeat(i + 1)} level ${i}`).join('\n')),
  '5,000 nested blockquotes': () => around(`${'> '.repeat(5000)}deeper quote`),
  '100,000 paragraphs': () => around(Array.from({ length: 100_000 }, (_, i) => `Paragraph ${i}.`).join('\n\n')),
  '20,000 unclosed ::: openers': () => around(Array.from({ length: 20_000 }, (_, i) => `::: column\nopen ${i}`).join('\n\n')),
  '20,000 unclosed $$ openers': () => around(Array.from({ length: 20_000 }, (_, i) => `$$\nx_${i}`).join('\n\n')),
  'a line of 5 million characters': () => around(`${'word '.repeat(1_000_000)}end`),
  'a line of 2 million emphasis markers': () => around('*_'.repeat(1_000_000)),
  '10,000 nested raw <div>s': () => around(`${'<div>'.repeat(10_000)}deep${'</div>'.repeat(10_000)}`),
  '10,000 nested [links': () => around(`${'['.repeat(10_000)}x${'](u)'.repeat(10_000)}`),
  'deep YAML (10,000 nested flow sequences)': () => `---\ntitle: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n---\n\n${around('text')}`,
  'deep YAML (5,000 nested block mappings)': () =>
    `---\nthemeVars:\n${Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} x\n---\n\n${around('text')}`,
  'YAML alias bomb': () =>
    `---\nkeywords: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n\n${around('text')}`,
  '50,000 slides': () => around(Array.from({ length: 50_000 }, (_, i) => `## S${i}`).join('\n\n---\n\n')),
};

describe('hostile sizes end in bounded time and memory', () => {
  it.each(Object.keys(CASES))(
    '%s',
    async (name) => {
      const ws = spaces.make(name);
      ws.deck((CASES[name] as () => string)());
      const r = await build(ws, [], undefined, HEAP_CAP);
      expectEnded(r);
      await expectNoLeak(ws, r);
      expectNoTextLost(ws, r, ['MARKER-TITLE', 'MARKER-BEFORE', 'MARKER-AFTER']);
      // The bound is the command's CPU time (expectEnded); the wall-time guard is looser, for a loaded machine.
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
