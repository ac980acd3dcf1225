/**
 * Front-matter values that another tool accepts and decksmith does not (issue #12): in a deck
 * read in that tool's dialect they are never fatal. A value with a close equivalent of ours maps
 * to it (Slidev's `transition: slide-left` → `slide`); any other such value is left out so the
 * key takes its default. Either way one warning at the key's line says what was used. In
 * decksmith's own dialect nothing here applies: an invalid value stays an error.
 */
import type { DialectName } from '../../types.js';

export const TRANSITIONS = ['none', 'fade', 'slide', 'convex', 'concave', 'zoom'] as const;
export type TransitionName = (typeof TRANSITIONS)[number];

/**
 * Other tools' transition names → ours. Slidev's built-ins (sli.dev/guide/animations), Marp CLI's
 * bespoke transitions (marp-cli docs "bespoke transitions"), Deckset's names.
 */
const TRANSITION_MAP: Record<string, TransitionName> = {
  'fade-out': 'fade',
  'view-transition': 'fade',
  'slide-left': 'slide',
  'slide-right': 'slide',
  'slide-up': 'slide',
  'slide-down': 'slide',
  push: 'slide',
  pull: 'slide',
  swap: 'slide',
  swipe: 'slide',
  wipe: 'slide',
  wiper: 'slide',
  cover: 'slide',
  reveal: 'slide',
  overlap: 'slide',
  move: 'slide',
  cube: 'convex',
  cylinder: 'convex',
  coverflow: 'convex',
  flip: 'convex',
  rotate: 'convex',
  pivot: 'convex',
  fall: 'concave',
  drop: 'concave',
  implode: 'zoom',
  explode: 'zoom',
  'iris-in': 'zoom',
  'iris-out': 'zoom',
  'in-out': 'fade',
  dissolve: 'fade',
  glow: 'fade',
  melt: 'fade',
  star: 'zoom',
  diamond: 'zoom',
  swoosh: 'slide',
};

/**
 * Our transition for another tool's: Slidev's `forward | backward` pair takes its forward one,
 * Deckset's `fade(0.3)` drops the duration; a name nobody maps is `slide`, our default.
 */
export function closestTransition(value: string): TransitionName {
  const name = (value.split('|')[0] ?? '').trim().toLowerCase().replace(/\(.*$/, '').trim();
  if ((TRANSITIONS as readonly string[]).includes(name)) return name as TransitionName;
  return TRANSITION_MAP[name] ?? (name.startsWith('slide') ? 'slide' : name.includes('fade') ? 'fade' : 'slide');
}

export function isTransition(value: unknown): value is TransitionName {
  return typeof value === 'string' && (TRANSITIONS as readonly string[]).includes(value);
}

/** Keys no other tool has: a bad value there is the author's mistake in our terms, an error as always. */
const OURS_ONLY = new Set(['dialect', 'reveal', 'themeVars']);

/** What happened to one foreign value: the value used in its place (undefined: the default). */
export interface ForeignValue {
  key: string;
  written: string;
  used: string | undefined;
}

/**
 * In a foreign dialect, the value of `key` that failed validation: mapped to ours, or dropped.
 * Returns undefined for decksmith's own dialect (the caller then reports the error as before).
 */
export function foreignValue(dialect: DialectName | undefined, key: string, value: unknown): ForeignValue | undefined {
  if (dialect === undefined || dialect === 'decksmith' || OURS_ONLY.has(key)) return undefined;
  const written = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (key === 'transition' && typeof value === 'string') return { key, written, used: closestTransition(value) };
  return { key, written, used: undefined };
}
