/** The runtime files a built deck needs, resolved from the installed npm packages. */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RUNTIME } from '../render/index.js';
import type { AssetRef } from '../types.js';
import { markPackaged } from './packaged.js';

const require = createRequire(import.meta.url);

let cached: AssetRef[] | undefined;

export function resolveRuntime(): AssetRef[] {
  if (cached !== undefined) return cached;
  const reveal = dirname(require.resolve('reveal.js/reveal.css'));
  const katex = dirname(require.resolve('katex/dist/katex.min.css'));
  const highlight = dirname(require.resolve('highlight.js/styles/github.css'));
  const files: AssetRef[] = [
    { source: join(reveal, 'reset.css'), target: RUNTIME.resetCss, kind: 'style' },
    { source: join(reveal, 'reveal.css'), target: RUNTIME.revealCss, kind: 'style' },
    { source: join(reveal, 'reveal.js'), target: RUNTIME.revealJs, kind: 'script' },
    { source: join(reveal, 'plugin', 'notes.js'), target: RUNTIME.notesJs, kind: 'script' },
    { source: join(katex, 'katex.min.css'), target: RUNTIME.katexCss, kind: 'style' },
    // KaTeX's CSS lists woff2 first, which every browser we print with reads.
    ...readdirSync(join(katex, 'fonts'))
      .filter((f) => f.endsWith('.woff2'))
      .map((f) => ({ source: join(katex, 'fonts', f), target: `${RUNTIME.katexFonts}${f}`, kind: 'font' as const })),
    ...readdirSync(highlight)
      .filter((f) => f.endsWith('.min.css'))
      .map((f) => ({
        source: join(highlight, f),
        target: `${RUNTIME.highlightDir}${f.replace('.min.css', '.css')}`,
        kind: 'style' as const,
      })),
  ];
  for (const file of files) markPackaged(file.source);
  cached = files;
  return files;
}
