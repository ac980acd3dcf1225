/**
 * Which fences are figures (issue #13): ```mermaid, ```chart and ```vega-lite, at any depth of a
 * slide (inside a list, a quote or a `:::` container too). The build hands every one of them to
 * its FigureRenderer before rendering, and render looks the drawn SVG up by figureKey. Pure.
 */
import type { Token, Tokens } from 'marked';
import { someToken } from '../markdown/lexer.js';
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
    someToken(slide.tokens as Token[], (token) => {
      if (token.type !== 'code') return false;
      const code = token as Tokens.Code;
      // An indented block has no info string; only a fence can name a figure.
      if (code.codeBlockStyle === 'indented') return false;
      const lang = figureLang(code.lang);
      if (lang === undefined) return false;
      const key = figureKey(lang, code.text);
      if (found.has(key)) return false;
      // The fence's opening line is the token's; its content starts on the next line.
      const line = (positionOf(token)?.line ?? slide.markdownLine) + 1;
      found.set(key, { lang, source: code.text, line, key });
      return false;
    });
  }
  return [...found.values()];
}
