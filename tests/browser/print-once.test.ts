/**
 * decksmith's print layout lays a deck with nothing to fit out once, as pages
 * (src/browser/print-layout.ts, `printOnce`): no slide is laid out as a slide first. Observed
 * with a ResizeObserver, which reports a slide's size after each layout that changes it. A deck with <!-- fit --> keeps reveal.js's order: fitted as slides, then paged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { loadPrintView } from '../../src/browser/load.js';
import { browserForFile } from '../browser-for-file.js';
import { tempDir } from '../helpers.js';

const SLIDES = Array.from(
  { length: 6 },
  (_, i) => `## Slide ${i + 1} with *emphasis*

- A point with **bold** and \`code\`

\`\`\`js
const slide = ${i + 1};
\`\`\``,
);

const { dir, cleanup } = tempDir('decksmith-print-once-');
const browser = browserForFile(cleanup);

/** Whether each slide was inside its .pdf-page the first time it was laid out. */
interface FirstLayout {
  inPage: boolean;
}

/** Runs before the deck's scripts: records each slide's first layout (a size other than 0×0). */
function recordFirstLayouts(): void {
  const seen: FirstLayout[] = [];
  Object.defineProperty(window, 'dsFirstLayouts', { value: seen });
  document.addEventListener('DOMContentLoaded', () => {
    const done = new WeakSet<Element>();
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const { width, height } = entry.contentRect;
        if (done.has(entry.target) || (width === 0 && height === 0)) continue;
        done.add(entry.target);
        seen.push({
          inPage: entry.target.parentElement?.classList.contains('pdf-page') === true,
        });
      }
    });
    for (const section of document.querySelectorAll('.reveal .slides section')) observer.observe(section);
  });
}

/** Builds a deck of `body` and opens its print view (decksmith's layout) in a new tab for `use`. */
async function inPrintView<T>(name: string, body: string, use: (page: Page) => Promise<T>, before?: () => void): Promise<T> {
  const source = join(dir, `${name}.md`);
  writeFileSync(source, `---\ntitle: ${name}\ntheme: paper\n---\n\n${body}\n`);
  const built = await buildDeck(source, { outDir: join(dir, name) });
  const session = browser();
  const slide = { width: built.rendered.width, height: built.rendered.height };
  return session.withPage(async (page: Page) => {
    if (before !== undefined) await page.evaluateOnNewDocument(before);
    await loadPrintView(session, page, built.htmlPath, { fragments: 'final', notes: 'none' }, slide, 30_000, { layout: 'decksmith' });
    return use(page);
  });
}

async function firstLayouts(name: string, body: string): Promise<FirstLayout[]> {
  return inPrintView(
    name,
    body,
    async (page) => {
      // One frame after the view is ready: every slide has been laid out by then.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return page.evaluate(() => (window as unknown as { dsFirstLayouts: FirstLayout[] }).dsFirstLayouts);
    },
    recordFirstLayouts,
  );
}

describe('print layout passes', () => {
  it('lays a deck with nothing to fit out once, as pages', { timeout: 60_000 }, async () => {
    const layouts = await firstLayouts('plain', SLIDES.join('\n\n---\n\n'));
    expect(layouts).toHaveLength(SLIDES.length);
    expect(layouts).toEqual(SLIDES.map(() => ({ inPage: true })));
  });

  it('lays a deck with <!-- fit --> out as slides first, so they are fitted as reveal.js fits them', { timeout: 60_000 }, async () => {
    const fitted = [`${SLIDES[0]}\n\n<!-- fit -->`, ...SLIDES.slice(1)];
    const layouts = await firstLayouts('fitted', fitted.join('\n\n---\n\n'));
    expect(layouts).toHaveLength(SLIDES.length);
    expect(layouts.every((layout) => !layout.inPage)).toBe(true);
  });
});

/** Whole-document restyles (Chromium's `Document::updateStyle` with most elements styled) while `page.pdf` prints. */
async function restylesWhilePrinting(name: string, body: string): Promise<{ restyles: number; elements: number; pseudoElements: number }> {
  return inPrintView(name, body, async (page) => {
    const elements = await page.evaluate(() => document.querySelectorAll('*').length);
    await page.tracing.start({ categories: ['blink', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const trace = JSON.parse(Buffer.from((await page.tracing.stop()) ?? new Uint8Array()).toString('utf8')) as {
      traceEvents: Array<{ name: string; args?: { counters?: { elementsStyled?: number; pseudoElementsStyled?: number } } }>;
    };
    const whole = trace.traceEvents.filter(
      (event) => event.name === 'Document::updateStyle' && (event.args?.counters?.elementsStyled ?? 0) > elements / 2,
    );
    const pseudoElements = Math.max(0, ...whole.map((event) => event.args?.counters?.pseudoElementsStyled ?? 0));
    return { restyles: whole.length, elements, pseudoElements };
  });
}

// Chromium restyles the whole document when printing starts and when it ends; a media change
// on top (stylesheets with @media rules, as reveal.css has) cost two more passes over every
// element of the deck. The print view is switched to print media while its pages are hidden.
describe('print media', () => {
  for (const [name, body] of [
    ['deck with nothing to fit', SLIDES.join('\n\n---\n\n')],
    ['fitted deck', [`${SLIDES[0]}\n\n<!-- fit -->`, ...SLIDES.slice(1)].join('\n\n---\n\n')],
  ] as const) {
    it(`page.pdf restyles a ${name} only to enter and leave printing`, { timeout: 60_000 }, async () => {
      const { restyles, elements } = await restylesWhilePrinting(name.replace(/ /g, '-'), body);
      expect(elements).toBeGreaterThan(100);
      expect(restyles).toBeGreaterThanOrEqual(1);
      expect(restyles).toBeLessThanOrEqual(2);
    });
  }

  // base.css colours selected text in the browser; a ::selection rule in force makes Chromium
  // style a selection for every element in every pass (it did: as many as the elements).
  it('styles no selection in the print view, and the deck in the browser keeps its selection colour', { timeout: 60_000 }, async () => {
    const { pseudoElements, elements } = await restylesWhilePrinting('selection', SLIDES.join('\n\n---\n\n'));
    expect(pseudoElements).toBeLessThan(elements / 10);
    const source = join(dir, 'selection.md');
    const built = await buildDeck(source, { outDir: join(dir, 'selection-live') });
    const colours = await browser().withPage(async (page: Page) => {
      await page.goto(`file://${built.htmlPath}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      return page.evaluate(() => {
        const item = document.querySelector('.reveal .slides section li') as Element;
        const accent = getComputedStyle(document.querySelector('.reveal') as Element)
          .getPropertyValue('--ds-accent')
          .trim();
        const probe = document.createElement('span');
        probe.style.backgroundColor = accent;
        document.body.append(probe);
        const expected = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return { selection: getComputedStyle(item, '::selection').backgroundColor, expected };
      });
    });
    expect(colours.selection).toBe(colours.expected);
  });
});

// The furniture's colour (themes/base.css, --ds-chrome) is set only on slides that differ, not on
// every slide, so Chromium can share styles between slides; in the browser it still follows the
// slide it sits on, and the slide number the current slide.
describe('furniture colour in the browser', () => {
  it('a section slide colours its own footer and, while shown, the slide number; others keep the theme colour', {
    timeout: 60_000,
  }, async () => {
    const source = join(dir, 'chrome.md');
    writeFileSync(
      source,
      '---\ntitle: chrome\ntheme: paper\nfooter: FOOT\nslideNumber: true\n---\n\n<!-- layout: section -->\n# Part one\n\n---\n\n## Ordinary\n\nText.\n',
    );
    const built = await buildDeck(source, { outDir: join(dir, 'chrome') });
    const colours = await browser().withPage(async (page: Page) => {
      await page.setViewport({ width: built.rendered.width, height: built.rendered.height });
      await page.goto(`file://${built.htmlPath}?transition=none`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation' });
      const read = (): Promise<{ number: string; footers: string[]; section: string; chrome: string }> =>
        page.evaluate(async () => {
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          const colour = (value: string): string => {
            const probe = document.createElement('span');
            probe.style.color = value;
            document.body.append(probe);
            const computed = getComputedStyle(probe).color;
            probe.remove();
            return computed;
          };
          const root = getComputedStyle(document.documentElement);
          return {
            number: getComputedStyle(document.querySelector('.reveal > .slide-number') as Element).color,
            footers: [...document.querySelectorAll('.reveal .slides section .ds-footer')].map((f) => getComputedStyle(f).color),
            section: colour(root.getPropertyValue('--ds-section-fg').trim()),
            chrome: colour(
              getComputedStyle(document.querySelector('.reveal .ds-footer') as Element)
                .getPropertyValue('--ds-chrome-fg')
                .trim(),
            ),
          };
        });
      const first = await read();
      await page.evaluate(() => (window as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(1));
      const second = await read();
      return { first, second };
    });
    const { first, second } = colours;
    expect(first.section).not.toBe(first.chrome);
    expect(first.footers).toEqual([first.section, first.chrome]);
    expect(first.number).toBe(first.section);
    expect(second.footers).toEqual([first.section, first.chrome]);
    expect(second.number).toBe(first.chrome);
  });
});
