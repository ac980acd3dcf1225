/** remark: a line that is exactly `???` starts the presenter notes, which run to the slide's end. */
import type { DialectRules } from './types.js';

export const remark: DialectRules = {
  notesParagraph: false,
  commentNotes: 'none',
  notesOpener: (token) => (token.type === 'paragraph' && /^\?\?\?(?:\n|$)/.test(token.raw) ? 3 : undefined),
};
