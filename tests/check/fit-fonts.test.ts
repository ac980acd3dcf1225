/**
 * `<!-- fit -->` measures a slide in the fonts it is shown and printed in. The theme's web fonts
 * load asynchronously; a zoom computed while the fallback font was still in use is wrong once
 * the real font arrives (and differs from run to run with how fast the fonts load).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HTTPRequest } from 'puppeteer-core';
import { expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-fit-fonts-');
const browser = browserForFile(cleanup);

const longList = Array.from({ length: 14 }, (_, i) => `- point ${i + 1}: a line long enough to wrap once the theme's own font is in use`);

/** The zoom `<!-- fit -->` gave each fit slide, with font files answered after `delayMs`. */
async function fitZooms(htmlPath: string, width: number, height: number, delayMs: number): Promise<string[]> {
  return browser().withPage(async (page) => {
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      if (/\.(woff2?|ttf|otf)$/i.test(new URL(request.url()).pathname)) setTimeout(() => void request.continue(), delayMs);
      else void request.continue();
    });
    const url = pathToFileURL(htmlPath);
    url.search = 'transition=none';
    await page.goto(url.href);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { timeout: 30_000 });
    return page.$$eval('section[data-ds-fit] > .ds-frame', (frames) => frames.map((f) => (f as HTMLElement).style.zoom));
  });
}

it('fits a slide by the theme font, however slowly the font loads', async () => {
  const deck = join(dir, 'fonts.md');
  // The fit slides are the second and third: hidden when the deck opens on the first.
  writeFileSync(
    deck,
    [
      '---',
      'title: Fonts',
      'theme: paper',
      '---',
      '',
      '# Opening',
      '',
      '---',
      '',
      '<!-- fit -->',
      '## Long',
      '',
      ...longList,
      '',
      '---',
      '',
      '<!-- fit -->',
      '## Longer',
      '',
      ...longList,
      ...longList.slice(0, 4),
      '',
    ].join('\n'),
  );
  const built = await buildDeck(deck, { outDir: join(dir, 'out') });
  const { width, height } = built.rendered;
  const quick = await fitZooms(built.htmlPath, width, height, 0);
  const slow = await fitZooms(built.htmlPath, width, height, 700);
  expect(quick).toHaveLength(2);
  for (const zoom of quick) expect(Number(zoom)).toBeLessThan(1);
  expect(slow).toEqual(quick);
}, 60_000);
