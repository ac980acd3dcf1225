/** Deckset: a paragraph that starts with `^ ` is a presenter note; the slide goes on after it. */
import type { DialectRules } from './types.js';

export const deckset: DialectRules = {
  notesParagraph: false,
  commentNotes: 'none',
  noteBlock: (token) => (token.type === 'paragraph' && /^\^[ \t]/.test(token.raw) ? 2 : undefined),
};
