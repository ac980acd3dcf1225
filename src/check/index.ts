/**
 * `decksmith check`: what only a browser can tell — does every slide fit its frame at the deck's
 * size, with the theme's real fonts? Overflow is measured, not guessed from word counts, with the
 * same measurement the theme gallery and PDF export use (src/browser/measure.ts).
 */
import type { BrowserSession } from '../browser/session.js';
import { deckPage, measureDeck, overflowDiagnostics as slideOverflowDiagnostics, type SlideOverflow } from '../browser/measure.js';
import type { BuiltDeck, Diagnostic } from '../types.js';

export type { SlideOverflow } from '../browser/measure.js';

/** Measures every slide of a built deck with its fragments shown; `<!-- fit -->` slides are measured after scaling. */
export async function measureOverflow(session: BrowserSession, built: BuiltDeck): Promise<SlideOverflow[]> {
  // Only the built deck's own files load while it is measured (measureDeck blocks the rest).
  const measured = await session.withPage((page) => measureDeck(page, deckPage(built), { contrast: false }));
  return measured.map((m, index) => ({ index, bottom: m.bottom, right: m.right, problems: m.overflow }));
}

/** Overflow as diagnostics pointing at each slide's first line. */
export async function checkDeck(session: BrowserSession, built: BuiltDeck): Promise<Diagnostic[]> {
  return overflowDiagnostics(built, await measureOverflow(session, built));
}

/** One `overflow` warning per slide that does not fit, at its first line. */
export function overflowDiagnostics(built: BuiltDeck, measures: readonly SlideOverflow[]): Diagnostic[] {
  const slides = built.deck.slides.map((s, i) => ({ title: s.title, line: s.lines[0], fit: built.rendered.slides[i]?.fit ?? 'none' }));
  return slideOverflowDiagnostics(built.file, slides, measures);
}
