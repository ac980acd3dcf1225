/**
 * `$inline$` and `$$display$$` math as marked tokenizers. Tokenizing is part of parsing (a `---`
 * inside display math must not split a slide); typesetting with KaTeX is render's (src/render/math.ts).
 *
 * Inline rule (as in pandoc): the opening `$` has a non-space right after it, the closing `$` a
 * non-space right before it and no digit right after it, so "from $5 to $10" stays text.
 */
import type { TokenizerExtension, Tokens } from 'marked';
import { frameAt, startInParagraph } from './bounded-lexer.js';

export interface MathToken extends Tokens.Generic {
  type: 'inlineMath' | 'blockMath';
  raw: string;
  text: string;
}

const INLINE = /^\$(?!\s)((?:\\.|[^\\$\n])*?[^\\\s$])\$(?!\d)/;
const BLOCK = /^\$\$[ \t]*\n([\s\S]+?)\n[ \t]*\$\$[ \t]*(?:\n|$)/;
const DOLLAR = 36;

export const inlineMath: TokenizerExtension = {
  name: 'inlineMath',
  level: 'inline',
  start(src: string) {
    // marked asks at every inline token with the rest of the paragraph: remember the next `$`
    // of the paragraph instead of searching the rest again each time.
    const frame = frameAt(this.lexer, src, 'inline');
    if (frame === undefined) {
      const index = src.indexOf('$');
      return index < 0 ? undefined : index;
    }
    const offset = frame.text.length - src.length;
    let next = frame.nextDollar;
    if (next === undefined || (next >= 0 && next < offset)) {
      next = frame.text.indexOf('$', offset);
      frame.nextDollar = next;
    }
    return next < 0 ? undefined : next - offset;
  },
  tokenizer(src: string) {
    // Asked at every inline token: most start with no `$` (the rule's first character).
    if (src.charCodeAt(0) !== DOLLAR) return undefined;
    const match = INLINE.exec(src);
    if (match?.[1] === undefined) return undefined;
    const token: MathToken = { type: 'inlineMath', raw: match[0], text: match[1] };
    return token;
  },
};

export const blockMath: TokenizerExtension = {
  name: 'blockMath',
  level: 'block',
  start(src: string) {
    return startInParagraph(this.lexer, src, (line) => line.startsWith('$$'), '$$');
  },
  tokenizer(src: string) {
    if (src.charCodeAt(0) !== DOLLAR) return undefined;
    const match = BLOCK.exec(src);
    if (match?.[1] === undefined) return undefined;
    const token: MathToken = { type: 'blockMath', raw: match[0], text: match[1].trim() };
    return token;
  },
};

export function isMath(token: { type: string }): token is MathToken {
  return token.type === 'inlineMath' || token.type === 'blockMath';
}
