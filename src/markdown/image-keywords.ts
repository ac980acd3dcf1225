/**
 * Image keywords written in the alt text: Marp's (`![bg left:40% contain]`, `![w:200]`) and
 * Deckset's (`![left, fit]`, `![inline]`; an image on a line of its own is a background). Parse
 * reads them to give a slide its background images (parse/dialects/marp-images.ts); render reads
 * them to size inline images and to leave the keywords out of the alt text. A keyword is never
 * shown as text.
 */
export type ImageDialect = 'marp' | 'deckset';

export interface ImageKeywords {
  /** The image is a background of the slide, not shown where it stands. */
  background: boolean;
  /** For a background: CSS background-size. */
  size: string;
  /** For a background: a split background on this side, taking `splitSize` of the slide. */
  side?: 'left' | 'right';
  splitSize?: string;
  /** For an inline image: CSS width and height. */
  width?: string;
  height?: string;
  /** Marp's image filters as a CSS `filter` value (`sepia(1) blur(10px)`), for inline and background images. */
  filter?: string;
  /** The alt text without the keywords. */
  alt: string;
}

const LENGTH = /^\d+(?:\.\d+)?(?:px|%|em|rem|cm|mm|in|pt|vw|vh)?$/;
const PERCENT = /^\d+(?:\.\d+)?%$/;
/** Marp's image filters, with or without a value (`blur`, `blur:10px`). */
const MARP_FILTERS = /^(?:blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|saturate|sepia)(?::.*)?$/;
/** Each filter's value when the keyword has none (Marp's defaults). */
const FILTER_DEFAULTS: Record<string, string> = {
  blur: '10px',
  brightness: '1.5',
  contrast: '2',
  'drop-shadow': '0 5px 10px rgba(0,0,0,.4)',
  grayscale: '1',
  'hue-rotate': '180deg',
  invert: '1',
  opacity: '.5',
  saturate: '2',
  sepia: '1',
};
/** A filter value as CSS may take it: numbers, units, colours; no `url()`, quotes, `;` or braces. */
const FILTER_VALUE =
  /^(?:[-+]?[\d.]+[a-z%]*|#[\da-f]{3,8}|[a-z]+|(?:rgba?|hsla?)\([\d.,%\s]+\))(?:\s+(?:[-+]?[\d.]+[a-z%]*|#[\da-f]{3,8}|[a-z]+|(?:rgba?|hsla?)\([\d.,%\s]+\)))*$/i;

/**
 * One filter keyword as a CSS filter function, or undefined when its value is not one CSS would
 * read safely (the keyword is then dropped). Marp writes spaces inside a value as commas
 * (`drop-shadow:0,5px,10px,rgba(0,0,0,.4)`): those outside parentheses become spaces.
 */
function cssFilter(word: string): string | undefined {
  const colon = word.indexOf(':');
  const name = colon < 0 ? word : word.slice(0, colon);
  let value = colon < 0 ? (FILTER_DEFAULTS[name] ?? '') : word.slice(colon + 1);
  let depth = 0;
  value = [...value].map((c) => (c === '(' ? (depth++, c) : c === ')' ? (depth--, c) : c === ',' && depth === 0 ? ' ' : c)).join('');
  if (value.trim() === '' || /url/i.test(value) || !FILTER_VALUE.test(value.trim())) return undefined;
  return `${name}(${value.trim()})`;
}

/** A CSS length as Marp writes it: a bare number is pixels. */
function cssLength(value: string): string | undefined {
  if (!LENGTH.test(value)) return undefined;
  return /^\d+(?:\.\d+)?$/.test(value) ? `${value}px` : value;
}

function readMarp(alt: string): ImageKeywords {
  const words = alt.split(/\s+/).filter(Boolean);
  const background = words.includes('bg');
  const rest: string[] = [];
  let size: string | undefined;
  let width: string | undefined;
  let height: string | undefined;
  let side: 'left' | 'right' | undefined;
  let splitSize: string | undefined;
  const filters: string[] = [];
  for (const word of words) {
    const pair = /^(w|h|width|height):(.+)$/.exec(word);
    const split = /^(left|right)(?::(\d+(?:\.\d+)?%))?$/.exec(word);
    if (word === 'bg' || word === 'vertical') continue;
    if (pair !== null && cssLength(pair[2] ?? '') !== undefined) {
      if (pair[1]?.startsWith('w') === true) width = cssLength(pair[2] ?? '');
      else height = cssLength(pair[2] ?? '');
    } else if (background && (word === 'contain' || word === 'fit')) size = 'contain';
    else if (background && (word === 'cover' || word === 'auto')) size = word;
    else if (background && PERCENT.test(word)) size = word;
    else if (background && split !== null) {
      side = split[1] as 'left' | 'right';
      splitSize = split[2] ?? '50%';
    } else if (MARP_FILTERS.test(word)) {
      const filter = cssFilter(word);
      if (filter !== undefined) filters.push(filter);
    } else rest.push(word);
  }
  if (background && size === undefined && (width !== undefined || height !== undefined)) size = `${width ?? 'auto'} ${height ?? 'auto'}`;
  return {
    background,
    size: size ?? 'cover',
    ...(side === undefined ? {} : { side, splitSize: splitSize ?? '50%' }),
    ...(background || width === undefined ? {} : { width }),
    ...(background || height === undefined ? {} : { height }),
    ...(filters.length === 0 ? {} : { filter: filters.join(' ') }),
    alt: rest.join(' '),
  };
}

const DECKSET_WORDS = new Set(['inline', 'fit', 'fill', 'left', 'right', 'original', 'filtered', 'background']);

function readDeckset(alt: string, alone: boolean): ImageKeywords {
  const words = alt
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
  const has = (word: string) => words.some((w) => w.toLowerCase() === word);
  const percent = words.find((w) => PERCENT.test(w));
  const background = alone && !has('inline');
  const side = has('left') ? 'left' : has('right') ? 'right' : undefined;
  const rest = words.filter((w) => !DECKSET_WORDS.has(w.toLowerCase()) && !PERCENT.test(w) && !/^corner-radius\(/i.test(w));
  return {
    background,
    size: has('fit') ? 'contain' : (percent ?? 'cover'),
    ...(background && side !== undefined ? { side, splitSize: '50%' } : {}),
    ...(!background && percent !== undefined ? { width: percent } : {}),
    alt: rest.join(' '),
  };
}

/** `alone`: the image is the only thing in its paragraph besides other images (Deckset's background rule). */
export function readImageKeywords(alt: string, dialect: ImageDialect, alone: boolean): ImageKeywords {
  return dialect === 'marp' ? readMarp(alt) : readDeckset(alt, alone);
}
