/**
 * What the command line's bundle (dist/cli/decksmith.cjs, written by scripts/bundle.mjs; npm test
 * builds it first) carries. Every start reads the whole file and compiles it from its code cache,
 * so code that no command runs costs every command time: this guards what crept in before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bundle = readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'decksmith.cjs'), 'latin1');

/** The package files esbuild put in the bundle (it heads each with a `// path` comment). */
function bundled(prefix: string): string[] {
  return [...bundle.matchAll(/^\/\/ (node_modules\/\S+)$/gm)].map((m) => m[1] ?? '').filter((path) => path.startsWith(prefix));
}

describe('the command line bundle', () => {
  it('carries the author HTML filter', () => {
    // buildDeck loads it by import() (loadHtmlFilter), which the bundler follows; required at run
    // time instead, Node found, read and compiled xss, cssfilter and a second copy of entities
    // from node_modules on the first raw HTML tag of a build (~19 ms).
    expect(bundled('node_modules/xss/')).toContain('node_modules/xss/lib/index.js');
    expect(bundled('node_modules/cssfilter/')).toContain('node_modules/cssfilter/lib/index.js');
    expect(bundled('node_modules/entities/dist/commonjs/')).toEqual([]);
  });

  it('holds zod in English only', () => {
    // zod's `z` object (`import { z } from 'zod'`) reaches every locale; importing the module's
    // namespace lets the bundler keep only what is used. The other ~40 locales were 393 KB of the
    // bundle's 2.8 MB, and their module code ran at every start.
    const locales = bundled('node_modules/zod/v4/locales/').filter((path) => !path.endsWith('/index.js'));
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });
});
