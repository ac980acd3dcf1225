/**
 * Deckset: a paragraph that starts with `^ ` is a presenter note; the slide goes on after it. An
 * image on a line of its own is a background (marp-images.ts), shown behind the slide, not in it.
 */
import { isBackgroundParagraph } from './marp-images.js';
import type { DialectRules } from './types.js';

export const deckset: DialectRules = {
  notesParagraph: false,
  commentNotes: 'none',
  noteBlock: (token) => (token.type === 'paragraph' && /^\^[ \t]/.test(token.raw) ? 2 : undefined),
  hiddenBlock: (token) => isBackgroundParagraph(token, 'deckset'),
};
