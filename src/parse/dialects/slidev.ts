/** Slidev: the comment that ends a slide is its presenter note; comments elsewhere stay hidden. */
import type { DialectRules } from './types.js';

export const slidev: DialectRules = { notesParagraph: false, commentNotes: 'last' };
