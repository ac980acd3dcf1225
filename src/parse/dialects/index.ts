/** Each dialect's rules (see types.ts); decksmith's own are reveal.js's notes and nothing else. */
import type { DialectName } from '../../types.js';
import { deckset } from './deckset.js';
import { marp } from './marp.js';
import { remark } from './remark.js';
import { slidev } from './slidev.js';
import { pandoc } from './pandoc.js';
import type { DialectRules } from './types.js';

export type { DialectRules } from './types.js';

const decksmith: DialectRules = { notesParagraph: true, commentNotes: 'none' };

const RULES: Record<DialectName, DialectRules> = {
  decksmith,
  'reveal-md': decksmith,
  pandoc,
  marp,
  slidev,
  remark,
  deckset,
};

export function rulesFor(dialect: DialectName): DialectRules {
  return RULES[dialect];
}
