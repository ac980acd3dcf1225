/**
 * `decksmith check`: what only a browser can tell — does every slide fit its frame at the deck's
 * size, with the theme's real fonts? Overflow is measured, not guessed from word counts.
 */
import { pathToFileURL } from 'node:url';
import type { BrowserSession } from '../export/browser.js';
import type { BuiltDeck, Diagnostic } from '../types.js';

export interface SlideOverflow {
  index: number;
  /** Pixels of content below / right of the frame (slide pixels, before reveal.js scaling). */
  bottom: number;
  right: number;
}

/** Measures every slide of a built deck; `<!-- fit -->` slides are measured after scaling. */
export async function measureOverflow(session: BrowserSession, built: BuiltDeck): Promise<SlideOverflow[]> {
  return session.withPage(async (page) => {
    await page.setViewport({ width: built.rendered.width, height: built.rendered.height });
    await page.goto(pathToFileURL(built.htmlPath).href);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { timeout: 60_000 });
    await page.evaluate(() => document.fonts.ready);
    return page.evaluate(() => {
      interface RevealApi {
        slide(h: number, v: number, f?: number): void;
        getSlides(): HTMLElement[];
        getIndices(s: HTMLElement): { h: number; v: number };
        getScale(): number;
      }
      const reveal = (window as unknown as { Reveal: RevealApi }).Reveal;
      return reveal.getSlides().map((section, index) => {
        const { h, v } = reveal.getIndices(section);
        reveal.slide(h, v, Number.MAX_SAFE_INTEGER);
        const scale = reveal.getScale() || 1;
        const frame = section.querySelector<HTMLElement>('.ds-frame') ?? section;
        const box = frame.getBoundingClientRect();
        let bottom = 0;
        let right = 0;
        for (const el of frame.querySelectorAll<HTMLElement>('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue;
          bottom = Math.max(bottom, (r.bottom - box.bottom) / scale);
          right = Math.max(right, (r.right - box.right) / scale);
        }
        return { index, bottom: Math.round(bottom), right: Math.round(right) };
      });
    });
  });
}

/** Overflow as diagnostics pointing at each slide's first line. */
export async function checkDeck(session: BrowserSession, built: BuiltDeck): Promise<Diagnostic[]> {
  const measures = await measureOverflow(session, built);
  const diagnostics: Diagnostic[] = [];
  for (const m of measures) {
    if (m.bottom <= 1 && m.right <= 1) continue;
    const slide = built.deck.slides[m.index];
    if (slide === undefined) continue;
    const where = [m.bottom > 1 ? `${m.bottom}px too tall` : '', m.right > 1 ? `${m.right}px too wide` : ''].filter(Boolean).join(' and ');
    diagnostics.push({
      severity: 'warning',
      code: 'overflow',
      message: `slide ${m.index + 1}${slide.title === '' ? '' : ` "${slide.title}"`} overflows its frame (${where}); shorten it, split it with ---, or add <!-- fit -->`,
      line: slide.lines[0],
      file: built.file,
    });
  }
  return diagnostics;
}
