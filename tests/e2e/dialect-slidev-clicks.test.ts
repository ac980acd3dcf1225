/**
 * Slidev's numbered and hiding clicks in real headless Chromium: the built deck steps through
 * its fragments in Slidev's click order (v-click="3" last although written first, v-after with
 * the click before it, a question hidden by v-click-hide as its answer shows), and the PDF with
 * `--fragments steps` has one page per step in that order; with `--fragments final` the hidden
 * question is gone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { pageTexts } from '../export/read-pdf.js';
import { cli, tempDir } from '../helpers.js';

const DECK = `---
theme: default
---

# Clicks

<div v-click="3">THIRDCLICK</div>
<div v-click>FIRSTCLICK</div>
<div v-after>WITHFIRST</div>
<div v-click-hide="2">QUESTION</div>
<div class="answer" v-click="2">ANSWER</div>

---

# The end
`;

const MARKERS = ['QUESTION', 'FIRSTCLICK', 'WITHFIRST', 'ANSWER', 'THIRDCLICK'];
/** What Slidev shows at clicks 0 to 3. */
const STEPS = [
  ['QUESTION'],
  ['QUESTION', 'FIRSTCLICK', 'WITHFIRST'],
  ['FIRSTCLICK', 'WITHFIRST', 'ANSWER'],
  ['FIRSTCLICK', 'WITHFIRST', 'ANSWER', 'THIRDCLICK'],
];

describe('Slidev numbered and hiding clicks', () => {
  const tmp = tempDir();
  const deckFile = join(tmp.dir, 'clicks.md');
  let session: BrowserSession;

  beforeAll(async () => {
    writeFileSync(deckFile, DECK);
    const built = await cli(['build', deckFile, '--out', join(tmp.dir, 'out')]);
    expect(built.code).toBe(0);
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    tmp.cleanup();
  });

  it('the built deck shows each click, one key press at a time, in Slidev order', async () => {
    await session.withPage(async (page) => {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(pathToFileURL(join(tmp.dir, 'out', 'clicks', 'index.html')).href);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      // No fade: the computed style is the step's as soon as reveal.js has set its classes.
      await page.addStyleTag({ content: '.reveal .slides section .fragment { transition: none !important; }' });
      const shown = () =>
        page.evaluate(
          (markers) =>
            markers.filter((text) => {
              const element = [...document.querySelectorAll('section.present div')].find((d) => d.textContent?.trim() === text);
              if (element === undefined) return false;
              const style = getComputedStyle(element);
              return style.visibility !== 'hidden' && style.opacity !== '0';
            }),
          MARKERS,
        );
      const indices = () =>
        page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number; f?: number } } }).Reveal.getIndices());
      for (const [step, expected] of STEPS.entries()) {
        if (step > 0) await page.keyboard.press('ArrowRight');
        expect(await indices()).toMatchObject({ h: 0 });
        expect(await shown(), `click ${step}`).toEqual(expected);
      }
      await page.keyboard.press('ArrowRight');
      expect((await indices()).h).toBe(1);
    });
  });

  it('the PDF with --fragments steps has a page per click in that order; the final state has the question gone', async () => {
    const steps = join(tmp.dir, 'steps.pdf');
    const final = join(tmp.dir, 'final.pdf');
    expect((await cli(['pdf', deckFile, '--fragments', 'steps', '--out', steps])).code).toBe(0);
    expect((await cli(['pdf', deckFile, '--out', final])).code).toBe(0);
    const onPage = (text: string) => MARKERS.filter((marker) => text.includes(marker));
    const pages = await pageTexts(steps);
    expect(pages).toHaveLength(STEPS.length + 1);
    expect(pages.slice(0, STEPS.length).map(onPage)).toEqual(STEPS);
    expect(pages[STEPS.length]).toContain('The end');
    const finalPages = await pageTexts(final);
    expect(finalPages).toHaveLength(2);
    expect(onPage(finalPages[0] ?? '')).toEqual(STEPS[STEPS.length - 1]);
  });
});
