/**
 * Marp's directives, read as Marpit does: global ones (`theme`, `size`, `headingDivider`, `style`)
 * hold for the whole deck wherever they are written, the last one winning; local ones (`class`,
 * `paginate`, `header`, `footer`, `backgroundColor`, `backgroundImage`, `color`…) hold from the
 * slide they are written on to the end, front matter counting as before the first slide; a spot
 * directive (`_class`) holds on its own slide only. Values are read loosely, as Marp Core's
 * looseYAML does: `backgroundColor: #fff` is the colour, not a YAML comment.
 */
import type { Token } from 'marked';
import type { AuthorStyle, DeckConfig, Diagnostic, Slide, SlideToken } from '../../types.js';
import { lexDocument } from '../../markdown/lexer.js';
import { locate, textPlace } from '../../markdown/positions.js';
import { countNewlines } from '../../markdown/text.js';
import type { LocatedToken, Segment } from '../slides.js';
import { isBackgroundParagraph, slideBackgrounds } from './marp-images.js';

const GLOBAL = new Set([
  'theme',
  'style',
  'headingDivider',
  'lang',
  'size',
  'math',
  'title',
  'author',
  'description',
  'image',
  'keywords',
  'url',
  'marp',
]);
/** Directives a slide can set for itself (and, with `_`, for itself only). */
export const MARP_LOCAL_DIRECTIVES: ReadonlySet<string> = new Set([
  'paginate',
  'header',
  'footer',
  'class',
  'backgroundColor',
  'backgroundImage',
  'backgroundPosition',
  'backgroundRepeat',
  'backgroundSize',
  'color',
]);

/** Every front-matter key Marp reads, so none of them is an "unknown key" in a Marp deck. */
export const MARP_FRONT_MATTER_KEYS: ReadonlySet<string> = new Set([...GLOBAL, ...MARP_LOCAL_DIRECTIVES]);

export interface MarpDirective {
  key: string;
  value: string;
  /** `_key`: this slide only. */
  spot: boolean;
  line: number;
}

/** A value as Marp Core's looseYAML reads it: quoted text unquoted, anything else as written. */
export function looseValue(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return String(JSON.parse(value));
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

/**
 * The directives of a comment body whose every line is a Marp directive (`key: value`, or a `- item`
 * under one), with their lines (`line` is the body's first line); undefined for any other comment.
 */
export function readMarpComment(body: string, line: number): MarpDirective[] | undefined {
  const out: MarpDirective[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').trim();
    if (text === '') continue;
    const last = out[out.length - 1];
    if (last !== undefined && text.startsWith('- ')) {
      last.value = [last.value, looseValue(text.slice(2))].filter(Boolean).join(' ');
      continue;
    }
    const pair = /^(_?)([A-Za-z][\w-]*)\s*:(.*)$/.exec(text);
    if (pair === null) return undefined;
    const key = pair[2] ?? '';
    const spot = pair[1] === '_';
    if (!(MARP_LOCAL_DIRECTIVES.has(key) || (!spot && GLOBAL.has(key)))) return undefined;
    out.push({ key, value: looseValue(pair[3] ?? ''), spot, line: line + i });
  }
  return out.length === 0 ? undefined : out;
}

const CLOSED_COMMENT = /^\s*<!--([\s\S]*?)-->\s*$/;
const STYLE_BLOCK = /^\s*<style(\s[^>]*)?>([\s\S]*?)<\/style>\s*$/i;

/** A top-level HTML token that is a comment holding only Marp directives: their list. */
function commentDirectives(item: LocatedToken): MarpDirective[] | undefined {
  if (item.token.type !== 'html') return undefined;
  const match = CLOSED_COMMENT.exec(item.token.raw);
  if (match === null) return undefined;
  const before = item.token.raw.slice(0, item.token.raw.indexOf('<!--'));
  return readMarpComment(match[1] ?? '', item.line + countNewlines(before));
}

/** Blocks a Marp slide does not show where they stand: directive comments, `<style>` blocks, `![bg]` paragraphs. */
export function isMarpHidden(token: Token): boolean {
  if (token.type === 'html') {
    if (STYLE_BLOCK.test(token.raw)) return true;
    const match = CLOSED_COMMENT.exec(token.raw);
    return match !== null && readMarpComment(match[1] ?? '', 1) !== undefined;
  }
  return isBackgroundParagraph(token, 'marp');
}

/** Blocks that do not make a slide non-empty for `headingDivider`: directive comments and `<style>`. */
export function isMarpInvisible(token: Token): boolean {
  return token.type === 'html' && isMarpHidden(token);
}

/** Heading depths from a `headingDivider` value: `2` is 1 and 2, `[1, 3]` is 1 and 3, `false` none. */
function dividerDepths(value: string): Set<number> {
  const numbers = (value.match(/\d+/g) ?? []).map(Number).filter((n) => n >= 1 && n <= 6);
  if (/^\s*\d+\s*$/.test(value)) return new Set(Array.from({ length: numbers[0] ?? 0 }, (_, i) => i + 1));
  return new Set(numbers);
}

type FrontKeys = ReadonlyMap<string, { line: number; value: string }>;

/** The heading depths that start a slide: the last `headingDivider` written, in a comment or else the front matter. */
export function marpDividers(front: FrontKeys, located: readonly LocatedToken[]): Set<number> | undefined {
  let value = front.get('headingDivider')?.value;
  for (const item of located) {
    for (const directive of commentDirectives(item) ?? [])
      if (directive.key === 'headingDivider' && !directive.spot) value = directive.value;
  }
  if (value === undefined) return undefined;
  const depths = dividerDepths(value);
  return depths.size === 0 ? undefined : depths;
}

export interface MarpInput {
  slides: Slide[];
  /** The segment of each slide, in the same order. */
  segments: readonly Segment[];
  /** The front matter's keys and their values as written (loose). */
  front: FrontKeys;
  /** The parsed front matter, for a multi-line `style:`. */
  frontData: Record<string, unknown>;
  config: DeckConfig;
  configLines: Record<string, number>;
  diagnostics: Diagnostic[];
  file: string | undefined;
}

const CSS_VALUE = /^[^;{}<>\\\n]+$/;
const GRADIENT = /^(?:repeating-)?(?:linear|radial|conic)-gradient\(/i;

/**
 * Applies the directives, `<style>` blocks and background images of a Marp deck to its slides and
 * config; returns the author's CSS.
 */
export function applyMarp(input: MarpInput): AuthorStyle[] {
  const { slides, segments, front, config, configLines } = input;
  const styles: AuthorStyle[] = [];
  const carried = new Map<string, string>();
  /** The line each carried or spot value was written on. */
  const carriedLines = new Map<string, number>();
  for (const [key, { value, line }] of front) {
    if (!MARP_LOCAL_DIRECTIVES.has(key)) continue;
    carriedLines.set(key, line);
    // A YAML list (`class:` over several lines) is read by the YAML parser; a scalar loosely.
    const parsed = input.frontData[key];
    carried.set(key, Array.isArray(parsed) ? parsed.map(String).join(' ') : looseValue(value));
  }
  const frontStyle = input.frontData['style'];
  if (typeof frontStyle === 'string' && frontStyle.trim() !== '') {
    styles.push({ css: frontStyle, line: (front.get('style')?.line ?? 1) + 1 });
  }
  const setGlobal = (directive: MarpDirective) => {
    if (directive.key === 'theme' && directive.value !== '') {
      config.theme = directive.value;
      configLines['theme'] = directive.line;
    } else if (directive.key === 'size' && (directive.value === '16:9' || directive.value === '4:3')) {
      config.size = directive.value;
    }
  };

  let page = 0;
  const pages: (number | undefined)[] = [];
  slides.forEach((slide, i) => {
    const segment = segments[i];
    const spot = new Map<string, string>();
    const spotLines = new Map<string, number>();
    for (const item of [...(segment?.inherited ?? []), ...(segment?.tokens ?? [])]) {
      const style = item.token.type === 'html' ? STYLE_BLOCK.exec(item.token.raw) : null;
      if (style !== null) {
        const scoped = /\sscoped\b/i.test(style[1] ?? '');
        styles.push({ css: style[2] ?? '', line: item.line, ...(scoped ? { slide: slide.index } : {}) });
        continue;
      }
      for (const directive of commentDirectives(item) ?? []) {
        if (GLOBAL.has(directive.key) && !directive.spot) setGlobal(directive);
        else if (directive.spot) {
          spot.set(directive.key, directive.value);
          spotLines.set(directive.key, directive.line);
        } else {
          carried.set(directive.key, directive.value);
          carriedLines.set(directive.key, directive.line);
        }
      }
    }
    const value = (key: string): string | undefined => spot.get(key) ?? carried.get(key);

    const classes = (value('class') ?? '').split(/\s+/).filter((c) => c !== '' && c !== '-' && /^[\w-]+$/.test(c));
    slide.classes = [...new Set([...classes, ...slide.classes])];
    const lineOf = (key: string): number => spotLines.get(key) ?? carriedLines.get(key) ?? 1;
    const header = plainInline(value('header') ?? '');
    if (header !== '') {
      slide.header = header;
      slide.headerTokens = inlineTokens(value('header') ?? '', lineOf('header'));
    }
    if (slide.footer === undefined) {
      slide.footer = plainInline(value('footer') ?? '');
      if (slide.footer !== '') slide.footerTokens = inlineTokens(value('footer') ?? '', lineOf('footer'));
    }

    const found = slideBackgrounds(
      (segment?.tokens ?? []).map((t) => t.token),
      'marp',
    );
    if (found.images.length > 0) slide.backgroundImages = found.images;
    if (found.split !== undefined) slide.split = found.split;
    const colour = found.colour ?? value('backgroundColor');
    const image = value('backgroundImage');
    if (slide.background === undefined) {
      if (image !== undefined && /^url\(/i.test(image.trim())) {
        slide.background = image.trim();
        if (colour !== undefined && CSS_VALUE.test(colour)) slide.attributes['data-background-color'] = colour;
      } else if (colour !== undefined && colour !== '') slide.background = colour;
      // A CSS gradient is an image in CSS and in Marp; reveal.js draws it as a background gradient.
      if (image !== undefined && GRADIENT.test(image.trim()) && CSS_VALUE.test(image.trim()))
        slide.attributes['data-background-gradient'] = image.trim();
    }
    const attribute = (key: string, name: string) => {
      const v = value(key);
      if (v !== undefined && v !== '' && CSS_VALUE.test(v)) slide.attributes[name] = v;
    };
    attribute('backgroundPosition', 'data-background-position');
    attribute('backgroundSize', 'data-background-size');
    attribute('backgroundRepeat', 'data-background-repeat');
    const color = value('color');
    if (color !== undefined && color !== '' && CSS_VALUE.test(color)) {
      slide.attributes['style'] = `color: ${color}; --ds-fg: ${color}; --ds-heading: ${color};`;
    }

    // Marpit's paginate: true shows the page number, false hides it; skip hides it and does not
    // count the slide; hold shows it without counting the slide.
    const paginate = value('paginate') ?? 'false';
    if (paginate !== 'skip' && paginate !== 'hold') page++;
    if (paginate === 'hold' && page === 0) page = 1;
    pages.push(paginate === 'true' || paginate === 'hold' ? page : undefined);
  });
  slides.forEach((slide, i) => {
    const shown = pages[i];
    if (shown === undefined) return;
    slide.attributes['data-marpit-pagination'] = String(shown);
    slide.attributes['data-marpit-pagination-total'] = String(page);
  });
  return styles;
}

/**
 * A header or footer value as Marp shows it: inline Markdown (emphasis, links, images), lexed here
 * as one paragraph at the directive's line (render never lexes). `plainInline` stays its text.
 */
function inlineTokens(markdown: string, line: number): SlideToken[] {
  const text = markdown.trim().replace(/\n+/g, ' ');
  const { tokens } = lexDocument(`${text}\n`);
  locate(tokens, `${text}\n`, textPlace(`${text}\n`, line));
  return tokens as SlideToken[];
}

/** Inline Markdown as the text it shows (links and images by their text, no emphasis marks): headers and footers are plain text. */
export function plainInline(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2')
    .trim();
}

/** The unknown-key warnings a Marp deck's own front-matter keys would raise are not warnings there. */
export function withoutMarpKeyWarnings(diagnostics: Diagnostic[], keyLines: ReadonlyMap<string, number> | undefined): Diagnostic[] {
  const lines = new Set([...MARP_FRONT_MATTER_KEYS].map((key) => keyLines?.get(key)).filter((l) => l !== undefined));
  return diagnostics.filter((d) => !(d.code === 'unknown-key' && d.line !== undefined && lines.has(d.line)));
}
