/**
 * The talks in content/ are the first thing a user sees: every slide must fit its frame in a real
 * browser, and each talk must show the dialect off (compare layout, table, fragments, notes).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../src/build.js';
import { BrowserSession } from '../src/export/browser.js';
import type { BuiltDeck } from '../src/types.js';
import { tempDir } from './helpers.js';

const contentDir = join(import.meta.dirname, '..', 'content');
const talks = readdirSync(contentDir).filter((f) => f.endsWith('.md')).sort();

interface SlideMeasure {
  index: number;
  overflowY: number;
  overflowX: number;
  outside: string[];
}

describe('content talks', () => {
  const tmp = tempDir();
  const built = new Map<string, BuiltDeck>();
  let session: BrowserSession;

  beforeAll(async () => {
    for (const talk of talks) built.set(talk, await buildDeck(join(contentDir, talk), { outDir: tmp.dir }));
    session = await BrowserSession.launch();
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
    const measures = await session.withPage(async (page) => {
      await page.setViewport({ width: deck.rendered.width, height: deck.rendered.height });
      await page.goto(pathToFileURL(deck.htmlPath).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      await page.evaluate(() => document.fonts.ready);
      return page.evaluate(() => {
        type R = { slide(h: number, v: number, f?: number): void; getSlides(): HTMLElement[]; getIndices(s: HTMLElement): { h: number; v: number } };
        const reveal = (window as unknown as { Reveal: R }).Reveal;
        return reveal.getSlides().map((section, index) => {
          const { h, v } = reveal.getIndices(section);
          reveal.slide(h, v, 999);
          const frame = section.querySelector<HTMLElement>('.ds-frame');
          if (frame === null) return { index, overflowY: -1, overflowX: -1, outside: ['no frame'] };
          const box = frame.getBoundingClientRect();
          const outside = [...frame.querySelectorAll<HTMLElement>('*')]
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && (r.bottom > box.bottom + 1 || r.right > box.right + 1);
            })
            .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').slice(0, 40)}`);
          return { index, overflowY: frame.scrollHeight - frame.clientHeight, overflowX: frame.scrollWidth - frame.clientWidth, outside };
        });
      }) as Promise<SlideMeasure[]>;
    });
    expect(measures).toHaveLength(deck.deck.slides.length);
    const bad = measures.filter((m) => m.overflowY > 0 || m.overflowX > 0 || m.outside.length > 0);
    expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
  });
});
