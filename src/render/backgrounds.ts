/**
 * Background images from image keywords (Marp `![bg]`, Deckset's own-line images): a layer behind
 * the slide's frame, one cell per image side by side, on the whole slide or, for a split
 * background (`bg left:40%`), on one side while the content takes the other. Every address goes
 * through the file rule like any other image.
 */
import type { Slide } from '../types.js';
import { fileReference, type ReferenceScope } from './references.js';
import { escapeHtml } from './urls.js';

export interface SlideBackgroundLayer {
  /** The layer's HTML, placed in the slide's <section> before its frame. */
  html: string;
  /** Classes for the <section>. */
  classes: string[];
  /** A style for the <section> (the split's width), or ''. */
  style: string;
}

const LENGTH = '(?:auto|\\d+(?:\\.\\d+)?(?:px|%|em|rem|cm|mm|in|pt|vw|vh)?)';
/** A background-size as the keywords give it: cover, contain, or one or two lengths. */
const SIZE = new RegExp(`^(?:cover|contain|${LENGTH}(?: ${LENGTH})?)$`);

/** The layer for a slide with background images, or undefined when it has none. */
export function backgroundLayer(slide: Slide, scope: ReferenceScope): SlideBackgroundLayer | undefined {
  const images = slide.backgroundImages ?? [];
  if (images.length === 0) return undefined;
  const cells: string[] = [];
  for (const image of images) {
    const href = fileReference(scope, image.href, {
      what: 'background image',
      kind: 'image',
      line: { line: image.line, column: image.column },
    });
    if (href === undefined) continue;
    const url = href.replace(/["\\\n\r]/g, (c) => encodeURIComponent(c));
    const size = SIZE.test(image.size) ? image.size : 'cover';
    const filter = image.filter === undefined ? '' : ` filter: ${image.filter};`;
    cells.push(
      `<div class="ds-bg-image" style="${escapeHtml(`background-image: url("${url}"); background-size: ${size};${filter}`)}"></div>`,
    );
  }
  const split = slide.split;
  const classes = split === undefined ? [] : ['ds-split', `ds-split-${split.side}`];
  const style = split === undefined || !/^\d+(?:\.\d+)?%$/.test(split.size) ? '' : `--split-size: ${split.size};`;
  return { html: cells.length === 0 ? '' : `<div class="ds-bg" aria-hidden="true">${cells.join('')}</div>\n`, classes, style };
}
