/**
 * A slide's background images from the image keywords in its paragraphs (Marp `![bg]`, Deckset's
 * own-line images; the keywords are read by markdown/image-keywords.ts).
 */
import type { Token, Tokens } from 'marked';
import type { BackgroundImage, Slide } from '../../types.js';
import { positionOf } from '../../markdown/positions.js';
import { readImageKeywords, type ImageDialect } from '../../markdown/image-keywords.js';

/** The inline tokens of a paragraph that are not blank text or line breaks. */
function visibleInline(token: Token): Token[] {
  const inline = (token as Tokens.Paragraph).tokens ?? [];
  return inline.filter((t) => !((t.type === 'text' || t.type === 'br') && t.raw.trim() === ''));
}

/** Whether every image of a paragraph of images only is a background (so the paragraph shows nothing). */
export function isBackgroundParagraph(token: Token, dialect: ImageDialect): boolean {
  if (token.type !== 'paragraph') return false;
  const inline = visibleInline(token);
  if (inline.length === 0 || !inline.every((t) => t.type === 'image')) return false;
  return inline.every((t) => readImageKeywords((t as Tokens.Image).text, dialect, true).background);
}

/** Marp's `![bg](red)`: a colour in place of an image address. */
function isColour(href: string): boolean {
  return /^(#[0-9a-f]{3,8}|[a-z]+|(?:rgb|hsl)a?\([\d\s.,%/-]*\))$/i.test(href.trim()) && !/^(?:https?|data)$/i.test(href);
}

/** Every image inside `tokens` at any depth (list items, quotes, tables), in source order. */
function imagesWithin(tokens: readonly Token[], out: Tokens.Image[] = []): Tokens.Image[] {
  for (const token of tokens) {
    if (token.type === 'image') out.push(token as Tokens.Image);
    const children = token.type === 'list' ? (token as Tokens.List).items : (token as Tokens.Generic).tokens;
    if (Array.isArray(children)) imagesWithin(children as Token[], out);
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) imagesWithin(cell.tokens, out);
    }
  }
  return out;
}

/**
 * A slide's background images, its split and a colour from `![bg](colour)`. Marp takes a `bg`
 * image wherever it stands (Marpit reads every image of the slide); Deckset only an image that
 * stands alone in a top-level paragraph.
 */
export function slideBackgrounds(
  tokens: readonly Token[],
  dialect: ImageDialect,
): { images: BackgroundImage[]; split?: Slide['split']; colour?: string } {
  const images: BackgroundImage[] = [];
  let split: Slide['split'];
  let colour: string | undefined;
  const candidates: { image: Tokens.Image; alone: boolean; block: Token }[] = [];
  for (const token of tokens) {
    if (dialect === 'marp') {
      for (const image of imagesWithin([token])) candidates.push({ image, alone: false, block: token });
      continue;
    }
    if (token.type !== 'paragraph') continue;
    const inline = visibleInline(token);
    const alone = inline.length > 0 && inline.every((t) => t.type === 'image');
    for (const image of inline) if (image.type === 'image') candidates.push({ image: image as Tokens.Image, alone, block: token });
  }
  for (const { image, alone, block } of candidates) {
    const { href, text } = image;
    const keywords = readImageKeywords(text, dialect, alone);
    if (!keywords.background) continue;
    if (dialect === 'marp' && isColour(href)) {
      colour = href.trim();
      continue;
    }
    const at = positionOf(image) ?? positionOf(block);
    images.push({
      href,
      size: keywords.size,
      ...(keywords.filter === undefined ? {} : { filter: keywords.filter }),
      line: at?.line ?? 0,
      column: at?.column ?? 0,
    });
    if (split === undefined && keywords.side !== undefined) split = { side: keywords.side, size: keywords.splitSize ?? '50%' };
  }
  return { images, ...(split === undefined ? {} : { split }), ...(colour === undefined ? {} : { colour }) };
}

/** Sets a slide's background images and split from its tokens (Deckset; Marp does it in its own pass). */
export function applyBackgrounds(slide: Slide, tokens: readonly Token[], dialect: ImageDialect): void {
  const found = slideBackgrounds(tokens, dialect);
  if (found.images.length > 0) slide.backgroundImages = found.images;
  if (found.split !== undefined) slide.split = found.split;
  if (found.colour !== undefined && slide.background === undefined) slide.background = found.colour;
}
