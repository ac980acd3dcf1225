/**
 * The one Marked configuration both parse and render tokenize with, so a slide is split and
 * rendered from the same tokens. A fresh instance per call: no global marked state.
 */
import { Marked, type MarkedExtension, type Token, type Tokens } from 'marked';
import { unclosedCommentExtension } from './comments.js';
import { containerExtension } from './containers.js';
import { blockMath, inlineMath } from './math.js';

export function createMarked(...extra: MarkedExtension[]): Marked {
  return new Marked({ gfm: true }, { extensions: [blockMath, inlineMath, containerExtension, unclosedCommentExtension] }, ...extra);
}

/** Plain text of inline tokens: what a heading says, without its Markdown. */
export function plainText(tokens: readonly Token[] | undefined): string {
  if (tokens === undefined) return '';
  let out = '';
  for (const token of tokens) {
    const children = (token as Tokens.Generic).tokens;
    if (children !== undefined && children.length > 0) out += plainText(children);
    else if (token.type === 'br') out += ' ';
    else if (token.type === 'inlineMath') out += String((token as Tokens.Generic)['text'] ?? '');
    else if (token.type === 'html') continue;
    else if ('text' in token && typeof token.text === 'string') out += decodeEntities(token.text);
  }
  return out.replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ENTITIES[name] ?? '');
}
