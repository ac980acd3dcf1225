/**
 * Which fences are figures (issue #13): ```mermaid, ```chart and ```vega-lite, at any depth of a
 * slide (inside a list, a quote or a `:::` container too). The build hands every one of them to
 * its FigureRenderer before rendering, and render looks the drawn SVG up by figureKey. Pure.
 */
import type { Token, Tokens } from 'marked';
import { positionOf } from '../markdown/positions.js';
import { FIGURE_LANGS, type Deck, type FigureFence, type FigureLang } from '../types.js';

/** The figure language of a fence's info string (its first word), if it names one. */
export function figureLang(info: string | undefined): FigureLang | undefined {
  const lang = /^\S*/.exec(info ?? '')?.[0] ?? '';
  return (FIGURE_LANGS as readonly string[]).includes(lang) ? (lang as FigureLang) : undefined;
}

/** The key RenderContext.figures holds a figure's SVG under. */
export function figureKey(lang: FigureLang, source: string): string {
  return `${lang}\n${source}`;
}

/** Every figure fence on the deck's slides, once per distinct (lang, source), in reading order. */
export function figureFences(deck: Pick<Deck, 'slides'>): FigureFence[] {
  const found = new Map<string, FigureFence>();
  for (const slide of deck.slides) {
    blockTokens(slide.tokens as Token[], (token) => {
      if (token.type !== 'code') return;
      const code = token as Tokens.Code;
      // An indented block has no info string; only a fence can name a figure.
      if (code.codeBlockStyle === 'indented') return;
      const lang = figureLang(code.lang);
      if (lang === undefined) return;
      const key = figureKey(lang, code.text);
      if (found.has(key)) return;
      // The fence's opening line is the token's; its content starts on the next line.
      const line = (positionOf(token)?.line ?? slide.markdownLine) + 1;
      found.set(key, { lang, source: code.text, line, key });
    });
  }
  return [...found.values()];
}

/**
 * Token types whose children are inline tokens only (marked lexes their text inline), where no
 * fence can be: the walk for fences skips them, most of a deck's tokens.
 */
const INLINE_ONLY = new Set(['paragraph', 'heading', 'text', 'table']);

/** Calls `visit` on every block-level token, at any depth (lists, quotes, containers), in order. */
function blockTokens(tokens: readonly Token[], visit: (token: Token) => void): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    visit(token);
    if (INLINE_ONLY.has(token.type)) continue;
    if (token.type === 'list') {
      const items = (token as Tokens.List).items;
      for (let j = 0; j < items.length; j++) blockTokens((items[j] as Tokens.ListItem).tokens, visit);
      continue;
    }
    const children = (token as Tokens.Generic).tokens;
    if (children !== undefined && children !== null) blockTokens(children, visit);
  }
}
