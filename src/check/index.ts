/**
 * `decksmith check`: what only a browser can tell — does every slide fit its frame at the deck's
 * size, with the theme's real fonts? Overflow is measured, not guessed from word counts, with the
 * same measurement the theme gallery uses (src/browser/measure.ts).
 */
import { dirname } from 'node:path';
import type { BrowserSession } from '../browser/session.js';
import { allowOnlyDeckFiles } from '../browser/load.js';
import { measureDeck } from '../browser/measure.js';
import type { BuiltDeck, Diagnostic } from '../types.js';

export interface SlideOverflow {
  index: number;
  /** Pixels of content below / right of the slide's content area (slide pixels, before reveal.js scaling). */
  bottom: number;
  right: number;
  /** What does not fit, element by element ("ul > li reaches outside the slide's content area", …). */
  problems: string[];
}

/** Measures every slide of a built deck with its fragments shown; `<!-- fit -->` slides are measured after scaling. */
export async function measureOverflow(session: BrowserSession, built: BuiltDeck): Promise<SlideOverflow[]> {
  const measured = await session.withPage(async (page) => {
    // Only the built deck's own files load while it is measured (see allowOnlyDeckFiles).
    await allowOnlyDeckFiles(page, dirname(built.htmlPath));
    return measureDeck(page, built, { contrast: false });
  });
  return measured.map((m, index) => ({ index, bottom: m.bottom, right: m.right, problems: m.overflow }));
}

/** Overflow as diagnostics pointing at each slide's first line. */
export async function checkDeck(session: BrowserSession, built: BuiltDeck): Promise<Diagnostic[]> {
  return overflowDiagnostics(built, await measureOverflow(session, built));
}

/** One `overflow` warning per slide that does not fit, at its first line (`check`, `pdf` and `build --pdf` word them alike). */
export function overflowDiagnostics(built: BuiltDeck, measures: readonly SlideOverflow[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const m of measures) {
    if (m.problems.length === 0) continue;
    const slide = built.deck.slides[m.index];
    if (slide === undefined) continue;
    const size = [m.bottom > 0 ? `${m.bottom}px too tall` : '', m.right > 0 ? `${m.right}px too wide` : ''].filter(Boolean).join(' and ');
    diagnostics.push({
      severity: 'warning',
      code: 'overflow',
      message: `slide ${m.index + 1}${slide.title === '' ? '' : ` "${slide.title}"`} overflows its frame (${size === '' ? (m.problems[0] ?? '') : size}); shorten it, split it with ---, or add <!-- fit -->`,
      line: slide.lines[0],
      file: built.file,
    });
  }
  return diagnostics;
}
