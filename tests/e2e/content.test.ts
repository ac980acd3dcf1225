/**
 * The talks in content/ are the first thing a user sees: every slide must fit its frame in a real
 * browser, and each talk must show the dialect off (compare layout, table, fragments, notes).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { measureOverflow } from '../../src/check/index.js';
import { BrowserSession } from '../../src/browser/session.js';
import type { BuiltDeck } from '../../src/types.js';
import { tempDir } from '../helpers.js';
import { createFigureRenderer } from '../../src/figures/index.js';

const contentDir = join(import.meta.dirname, '..', '..', 'content');
const talks = readdirSync(contentDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('content talks', () => {
  const tmp = tempDir();
  const built = new Map<string, BuiltDeck>();
  let session: BrowserSession;

  beforeAll(async () => {
    session = await BrowserSession.launch();
    // The talks' diagrams are drawn in the same browser (issue #13).
    const figures = createFigureRenderer({ session: async () => session, cacheDir: join(tmp.dir, 'cache') });
    try {
      for (const talk of talks) built.set(talk, await buildDeck(join(contentDir, talk), { outDir: tmp.dir, figures }));
    } finally {
      await figures.close();
    }
  });
  afterAll(async () => {
    await session?.close();
    tmp.cleanup();
  });

  it('there are three talks, each with its own theme', () => {
    expect(talks).toEqual(['intelligent-systems-team.md', 'ml-engineer-vs-data-scientist.md', 'roles-handbook.md']);
    const themes = talks.map((t) => built.get(t)?.deck.config.theme);
    expect(new Set(themes).size).toBe(3);
  });

  it.each(talks)('%s builds without warnings and shows the dialect off', (talk) => {
    const deck = built.get(talk);
    expect(deck).toBeDefined();
    if (deck === undefined) return;
    expect([...deck.deck.diagnostics, ...deck.rendered.diagnostics]).toEqual([]);
    const layouts = deck.deck.slides.map((s) => s.layout);
    expect(layouts[0]).toBe('title');
    expect(layouts.at(-1)).toBe('closing');
    expect(layouts).toContain('compare');
    expect(deck.deck.slides.some((s) => /agenda|in this handbook/i.test(s.title))).toBe(true);
    const html = deck.rendered.html;
    expect(html).toContain('<table>');
    expect(html).toMatch(/class="[^"]*fragment/);
    for (const slide of deck.deck.slides) {
      if (slide.layout === 'title' || slide.layout === 'section' || slide.layout === 'closing') continue;
      expect(slide.notes, `slide ${slide.index + 1} "${slide.title}" has no notes`).not.toBe('');
    }
    for (const slide of deck.rendered.slides) {
      const bullets = slide.html.match(/<li[\s>]/g)?.length ?? 0;
      expect(bullets, `slide ${slide.index + 1} "${slide.title}" has ${bullets} bullets`).toBeLessThanOrEqual(6);
    }
  });

  it.each(talks)('every slide of %s fits its frame at the deck size', async (talk) => {
    const deck = built.get(talk);
    if (deck === undefined) throw new Error('not built');
    const measures = await measureOverflow(session, deck);
    expect(measures).toHaveLength(deck.deck.slides.length);
    const bad = measures.filter((m) => m.problems.length > 0);
    expect(bad, JSON.stringify(bad)).toEqual([]);
  });
});
