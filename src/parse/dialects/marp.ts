/** Marp (Marpit + Marp Core): every HTML comment that is not a directive is a presenter note. */
import { isMarpHidden, MARP_FRONT_MATTER_KEYS } from './marp-directives.js';
import type { DialectRules } from './types.js';

/** Marpit's global and local directives (`_` makes a local one a spot directive) and Marp Core's. */
const DIRECTIVES = new Set([
  ...MARP_FRONT_MATTER_KEYS,
  // decksmith's own, which a Marp deck read here may also use.
  'layout',
  'background',
  'transition',
]);

/**
 * A comment is a directive when each of its lines is `key: value` (or a YAML list item under
 * one) with a directive key, or it is Marp Core's `fit`.
 */
export function isMarpDirective(body: string): boolean {
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return false;
  if (lines.length === 1 && lines[0] === 'fit') return true;
  let sawKey = false;
  for (const line of lines) {
    if (sawKey && line.startsWith('- ')) continue;
    const key = /^(_?[A-Za-z][\w-]*)\s*:/.exec(line)?.[1];
    if (key === undefined || !DIRECTIVES.has(key.replace(/^_/, ''))) return false;
    sawKey = true;
  }
  return sawKey;
}

export const marp: DialectRules = {
  notesParagraph: false,
  commentNotes: 'all',
  isDirectiveComment: isMarpDirective,
  hiddenBlock: isMarpHidden,
  noLayoutInference: true,
  noVerticalSlides: true,
};
