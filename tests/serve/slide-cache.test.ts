/**
 * serve re-renders only the slides a save changed (SlideCache, passed through buildDeck): the
 * slides it reuses bring back what they add to the deck (files, warnings, math), so a build with
 * the cache is the build without it, byte for byte.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { SlideCache } from '../../src/render/index.js';
import { tempDir } from '../helpers.js';

const slides = (second: string, extra: string[] = []) => [
  ...extra,
  '# Title slide\n\n![a picture](img/pic.png)',
  `## Second\n\n${second}\n\nNote: say ${second}`,
  '## Math\n\n$$\nx^2 + y^2\n$$',
  '## Raw\n\nText <script>alert(1)</script> here',
  '## Fragments\n\n- one <!-- .element: class="fragment" -->\n- two <!-- .element: class="fragment" -->',
];
const deck = (list: string[]) => `---\ntitle: Cached\nfooter: the footer\n---\n\n${list.join('\n\n---\n\n')}\n`;

describe('SlideCache', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  mkdirSync(join(tmp.dir, 'img'));
  writeFileSync(join(tmp.dir, 'img', 'pic.png'), 'picture');
  const file = join(tmp.dir, 'talk.md');

  /** The build with the cache, and the same deck built without one. */
  async function both(text: string, cache: SlideCache) {
    writeFileSync(file, text);
    const cached = await buildDeck(file, { inMemory: true, slideCache: cache });
    const plain = await buildDeck(file, { inMemory: true });
    return { cached, plain };
  }
  const same = (a: Awaited<ReturnType<typeof buildDeck>>, b: Awaited<ReturnType<typeof buildDeck>>) => {
    expect(a.rendered.html).toBe(b.rendered.html);
    expect(a.rendered.slides).toEqual(b.rendered.slides);
    expect(a.rendered.assets).toEqual(b.rendered.assets);
    expect(a.rendered.diagnostics).toEqual(b.rendered.diagnostics);
    expect(a.files).toEqual(b.files);
  };

  it('renders every slide once, then only the slides whose source changed, with the same result as a full render', async () => {
    const cache = new SlideCache();
    const first = await both(deck(slides('first')), cache);
    expect(cache.rendered).toEqual([0, 1, 2, 3, 4]);
    same(first.cached, first.plain);
    // What the reused slides add: the picture, KaTeX, the removed-script warning.
    expect(first.plain.files?.some((f) => f.target.endsWith('pic.png'))).toBe(true);
    expect(first.plain.files?.some((f) => f.target.startsWith('assets/katex/'))).toBe(true);
    expect(first.plain.rendered.diagnostics.length).toBeGreaterThan(0);

    const again = await both(deck(slides('first')), cache);
    expect(cache.rendered).toEqual([]);
    same(again.cached, again.plain);

    const edited = await both(deck(slides('second version')), cache);
    expect(cache.rendered).toEqual([1]);
    same(edited.cached, edited.plain);
    expect(edited.cached.rendered.html).toContain('second version');
  });

  it('renders again what a change elsewhere moves or restyles: positions, the deck settings', async () => {
    const cache = new SlideCache();
    await both(deck(slides('one')), cache);
    // A slide added at the start: every slide moves (index, line numbers in warnings).
    const moved = await both(deck(slides('one', ['# New first slide'])), cache);
    expect(cache.rendered).toEqual([0, 1, 2, 3, 4, 5]);
    same(moved.cached, moved.plain);
    // The footer is the deck's: every slide shows it.
    const footer = await both(deck(slides('one', ['# New first slide'])).replace('the footer', 'another footer'), cache);
    expect(cache.rendered).toEqual([0, 1, 2, 3, 4, 5]);
    same(footer.cached, footer.plain);
  });
});
