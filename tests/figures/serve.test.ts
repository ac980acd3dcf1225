/**
 * `serve` with diagrams: the page has the inline SVG, a Mermaid syntax error is the build error
 * the overlay shows (file and line inside the fence), and a save that brings a diagram back draws
 * nothing again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecksmithError } from '../../src/errors.js';
import { createFigureRenderer } from '../../src/figures/index.js';
import { serveDeck } from '../../src/serve/index.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-serve-figures-');
const browser = browserForFile(cleanup);

const deck = (edge: string) => `---
title: Live
---

## Flow

\`\`\`mermaid
flowchart LR
  A[Train] --> B[Serve]
  ${edge}
\`\`\`
`;

describe('serve with a diagram', () => {
  it('serves the SVG, shows a syntax error at its line, and redraws nothing when the diagram comes back', async () => {
    const file = join(dir, 'deck.md');
    writeFileSync(file, deck('B --> C[Watch]'));
    const figures = createFigureRenderer({ cacheDir: false, session: async () => browser() });
    const builds: { error?: DecksmithError }[] = [];
    const waiters: (() => void)[] = [];
    const nextBuild = () => new Promise<void>((done) => waiters.push(done));
    const server = await serveDeck(file, {
      port: 0,
      debounceMs: 30,
      figures,
      onBuild: ({ error }) => {
        builds.push(error === undefined ? {} : { error });
        waiters.shift()?.();
      },
    });
    try {
      const page = async () => (await fetch(server.url)).text();
      expect(await page()).toContain('<figure class="ds-figure ds-figure-mermaid">');
      expect(figures.drawn).toBe(1);

      const failed = nextBuild();
      writeFileSync(file, deck('B ==> ((C'));
      await failed;
      const error = builds.at(-1)?.error;
      expect(error?.code).toBe('figure-syntax');
      expect(error?.format()).toContain(`${file}:10: Mermaid cannot draw this diagram: Parse error on line 3`);
      // The last good build stays on screen under the overlay.
      expect(await page()).toContain('<figure class="ds-figure ds-figure-mermaid">');

      const fixed = nextBuild();
      writeFileSync(file, deck('B --> C[Watch]'));
      await fixed;
      expect(builds.at(-1)?.error).toBeUndefined();
      expect(figures.drawn).toBe(1);
      expect(await page()).toContain('Watch');
    } finally {
      await server.close();
      await figures.close();
    }
  });
});
