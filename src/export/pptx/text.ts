/**
 * The slide model's marked tokens as PowerPoint text runs: the words come from the tokens (never
 * from the page), the look (font, size, colour) from what Chromium computed for the block.
 */
import { decodeHTML } from 'entities';
import type { Token, Tokens } from 'marked';
import type { TextProps } from './pptxgen.js';
import type { TextStyle } from '../../browser/layout.js';

export type Run = TextProps;
export type RunOptions = NonNullable<Run['options']>;

/** CSS px → points (PowerPoint sizes text in points; 96 px = 72 pt). */
export const PT_PER_PX = 0.75;

/** `rgb(r, g, b)` / `rgba(r, g, b, a)` → `RRGGBB` and an opacity; undefined for transparent or unparsable. */
export function cssColor(css: string): { hex: string; alpha: number } | undefined {
  const match = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)/.exec(css);
  if (match === null) return undefined;
  const channel = (v: string | undefined): string =>
    Math.max(0, Math.min(255, Math.round(Number(v ?? 0))))
      .toString(16)
      .padStart(2, '0')
      .toUpperCase();
  const rawAlpha = match[4];
  const alpha = rawAlpha === undefined ? 1 : rawAlpha.endsWith('%') ? Number(rawAlpha.slice(0, -1)) / 100 : Number(rawAlpha);
  if (alpha === 0) return undefined;
  return { hex: `${channel(match[1])}${channel(match[2])}${channel(match[3])}`, alpha };
}

/** `css` painted over `under` (both computed colours): what a translucent fill looks like, as one opaque colour. */
export function blendColor(css: string, under: string): string | undefined {
  const top = cssColor(css);
  if (top === undefined) return undefined;
  const bottom = cssColor(under) ?? { hex: 'FFFFFF', alpha: 1 };
  if (top.alpha >= 1) return top.hex;
  const channel = (hex: string, i: number): number => Number.parseInt(hex.slice(i, i + 2), 16);
  return [0, 2, 4]
    .map((i) => Math.round(channel(top.hex, i) * top.alpha + channel(bottom.hex, i) * (1 - top.alpha)))
    .map((v) => v.toString(16).padStart(2, '0').toUpperCase())
    .join('');
}

/** Options every run of a block shares: its font, size and colour as laid out. */
export function baseRunOptions(style: TextStyle, font: string): RunOptions {
  const color = cssColor(style.color);
  return {
    fontFace: font,
    fontSize: round(style.size * PT_PER_PX),
    ...(color === undefined ? {} : { color: color.hex }),
    ...(style.bold ? { bold: true } : {}),
    ...(style.italic ? { italic: true } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** What inline formatting the runs being collected carry. */
export interface InlineContext {
  base: RunOptions;
  /** Font for code spans. */
  mono: string;
  /** CSS `text-transform` of the block. */
  transform?: string;
  /** Inline math and raw inline HTML, which PowerPoint text cannot show as the page does, are reported here. */
  onUnsupported: (what: string, token: Token) => void;
}

/** The model's words as CSS `text-transform` shows them. */
export function transformText(text: string, transform: string | undefined): string {
  if (transform === 'uppercase') return text.toUpperCase();
  if (transform === 'lowercase') return text.toLowerCase();
  if (transform === 'capitalize')
    return text.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  return text;
}

/** Inline tokens → runs (no paragraph break at the end). */
export function inlineRuns(tokens: readonly Token[] | undefined, context: InlineContext, extra: RunOptions = {}): Run[] {
  const runs: Run[] = [];
  const push = (text: string, options: RunOptions): void => {
    if (text === '') return;
    runs.push({ text: transformText(text, context.transform), options: { ...context.base, ...options } });
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
      case 'escape': {
        const t = token as Tokens.Text;
        if (t.tokens !== undefined && t.tokens.length > 0) runs.push(...inlineRuns(t.tokens, context, extra));
        else push(decodeHTML(t.text), extra);
        break;
      }
      case 'strong':
        runs.push(...inlineRuns((token as Tokens.Strong).tokens, context, { ...extra, bold: true }));
        break;
      case 'em':
        runs.push(...inlineRuns((token as Tokens.Em).tokens, context, { ...extra, italic: true }));
        break;
      case 'del':
        runs.push(...inlineRuns((token as Tokens.Del).tokens, context, { ...extra, strike: 'sngStrike' }));
        break;
      case 'codespan':
        push((token as Tokens.Codespan).text, { ...extra, fontFace: context.mono });
        break;
      case 'br':
        runs.push({ text: '', options: { ...context.base, ...extra, softBreakBefore: true } });
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const href = link.href;
        const safe = /^(https?:|mailto:)/i.test(href);
        runs.push(...inlineRuns(link.tokens, context, safe ? { ...extra, hyperlink: { url: href } } : extra));
        break;
      }
      case 'image':
        // Placed as a picture where Chromium drew it (see the slide's images).
        break;
      case 'inlineMath': {
        const text = (token as Tokens.Generic)['text'];
        context.onUnsupported(`inline math $${String(text)}$ is written as its TeX source in italics`, token);
        push(String(text), { ...extra, italic: true });
        break;
      }
      case 'html': {
        const raw = (token as Tokens.HTML).text;
        if (/^<!--[\s\S]*-->$/.test(raw.trim())) break;
        // Inline tags (<b>, <span>, …) lose their formatting; their text stays in the next text token.
        if (!/^<\/?[a-z][\w-]*[^>]*>$/i.test(raw.trim())) push(decodeHTML(raw.replace(/<[^>]*>/g, '')), extra);
        else context.onUnsupported(`inline HTML ${raw.trim().slice(0, 40)} is left as plain text`, token);
        break;
      }
      default: {
        const generic = token as Tokens.Generic;
        if (Array.isArray(generic.tokens)) runs.push(...inlineRuns(generic.tokens as Token[], context, extra));
        else if (typeof generic.text === 'string') push(decodeHTML(generic.text), extra);
      }
    }
  }
  return runs;
}

/** Ends a paragraph: PowerPoint starts the next one after a run with `breakLine`. */
export function paragraph(runs: Run[], options: RunOptions): Run[] {
  const out: Run[] = runs.length === 0 ? [{ text: '', options: {} }] : runs;
  return out.map((run, i) => ({
    text: run.text ?? '',
    options: { ...run.options, ...options, ...(i === out.length - 1 ? { breakLine: true } : {}) },
  }));
}

/** Plain text of a token tree, for speaker notes. */
export function plainText(tokens: readonly Token[] | undefined): string {
  let text = '';
  for (const token of tokens ?? []) {
    const generic = token as Tokens.Generic;
    if (token.type === 'br') text += '\n';
    else if (token.type === 'codespan' || token.type === 'code') text += String(generic.text ?? '');
    else if (token.type === 'html') text += decodeHTML(String(generic.text ?? '').replace(/<[^>]*>/g, ''));
    else if (Array.isArray(generic.tokens) && generic.tokens.length > 0) text += plainText(generic.tokens as Token[]);
    else if (typeof generic.text === 'string') text += decodeHTML(generic.text);
  }
  return text;
}

/** Speaker notes as PowerPoint notes text: a line per paragraph, `• ` before list items. */
export function notesText(tokens: readonly Token[]): string {
  const lines: string[] = [];
  const walk = (list: readonly Token[], depth: number): void => {
    for (const token of list) {
      if (token.type === 'space') continue;
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) {
          const [first, ...rest] = item.tokens;
          lines.push(`${'  '.repeat(depth)}• ${first === undefined ? '' : plainText([first]).trim()}`);
          walk(rest, depth + 1);
        }
      } else if (token.type === 'container' || token.type === 'blockquote') {
        walk(((token as Tokens.Generic).tokens ?? []) as Token[], depth);
      } else {
        const text = plainText([token]).trim();
        if (text !== '') lines.push(text);
      }
    }
  };
  walk(tokens, 0);
  return lines.join('\n');
}
