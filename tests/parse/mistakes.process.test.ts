/**
 * Mistakes with comments, seen where the reader sees them: a real build, the deck in Chromium.
 * (The in-process checks of the same rules are in mistakes.test.ts.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForFile } from '../browser-for-file.js';
import { cli, tempDir } from '../helpers.js';

describe('comments in Chromium', () => {
  const { dir, cleanup } = tempDir('decksmith-comments-');
  const browser = browserForFile(cleanup);

  it('shows no comment text and loses no slide', async () => {
    const deck = join(dir, 'deck.md');
    writeFileSync(
      deck,
      '# One\n\n<!-- walk /proc/self/fd/<N> -->\n\nKept <!-- a > b --> words\n\n<!-- forgot to close\n\nAfter\n\n---\n\n# Two\n\nLast words\n',
    );
    const built = await cli(['build', deck, '--out', join(dir, 'out')]);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/deck\.md:7:1: warning: .*never closed/);
    const texts = await browser().withPage(async (page) => {
      await page.goto(`file://${join(dir, 'out', 'deck', 'index.html')}`, { waitUntil: 'load' });
      return page.$$eval('.reveal .slides > section', (sections) => sections.map((s) => (s.textContent ?? '').replace(/\s+/g, ' ').trim()));
    });
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Kept words');
    expect(texts[0]).toContain('After');
    expect(texts[0]).not.toMatch(/walk|a > b|forgot/);
    expect(texts[1]).toContain('Last words');
  }, 60_000);
});
