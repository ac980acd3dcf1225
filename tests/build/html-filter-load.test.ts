/**
 * buildDeck starts loading the author HTML filter (loadHtmlFilter, src/render/sanitize.ts) before
 * it parses and awaits it before render. If that load fails, the build must fail with the load's
 * error, not leave a rejection nobody handles while it waits on the highlight worker (Node ends a
 * process on one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers.js';

// A package that fails as it loads (a broken install): reading its export throws.
vi.mock('xss', () => ({
  get FilterXSS(): never {
    throw new Error('xss is not installed');
  },
}));

const { buildDeck } = await import('../../src/build/index.js');

describe('the author HTML filter', () => {
  const tmp = tempDir('decksmith-html-filter-');
  afterAll(() => tmp.cleanup());

  it('failing to load fails the build with its error, handled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', record);
    try {
      // Raw HTML, and code blocks enough for the highlight worker, which the build then waits on.
      const blocks = Array.from({ length: 150 }, (_, i) => `\`\`\`js\nconst slide = ${i};\n\`\`\``).join('\n\n');
      const file = join(tmp.dir, 'deck.md');
      writeFileSync(file, `# Raw <b>HTML</b>\n\n${blocks}\n`);
      await expect(buildDeck(file, { outDir: join(tmp.dir, 'out') })).rejects.toThrow('xss is not installed');
      // A tick for Node to report a rejection that was unhandled at the end of the last one.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
