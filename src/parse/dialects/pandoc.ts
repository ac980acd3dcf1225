/**
 * pandoc (`-t revealjs`, Text.Pandoc.Slides): a `%` title block or a YAML `title:` makes a title
 * slide; the slide level is `slide-level:` from the metadata, else the highest heading level
 * that is directly followed by content somewhere; headings at that level or above start a slide
 * (a rule right before such a heading does not add an empty one); `---` rules always split.
 * Notes are `::: notes` blocks only: a paragraph starting "Note:" is text in pandoc.
 */
import type { Tokens } from 'marked';
import type { DeckConfig, Slide, SlideToken, SplitLevel } from '../../types.js';
import type { LocatedToken, Segment } from '../slides.js';
import type { DialectRules } from './types.js';

export const pandoc: DialectRules = { notesParagraph: false, commentNotes: 'none' };

/** The slide level: `slide-level:` if it is 1–6, else the first heading level followed by content. */
export function slideLevel(located: readonly LocatedToken[], metadata: unknown): number | undefined {
  const given = typeof metadata === 'number' ? metadata : typeof metadata === 'string' ? Number.parseInt(metadata, 10) : Number.NaN;
  if (Number.isInteger(given) && given >= 1 && given <= 6) return given;
  let level: number | undefined;
  const blocks = located.filter((item) => item.token.type !== 'space');
  blocks.forEach((item, i) => {
    if (item.token.type !== 'heading') return;
    const next = blocks[i + 1]?.token;
    if (next === undefined || next.type === 'heading' || next.type === 'hr') return;
    const depth = (item.token as Tokens.Heading).depth;
    level = level === undefined ? depth : Math.min(level, depth);
  });
  return level;
}

/** The splitter's option for a slide level (splitSegments reads the digit). */
export function levelSplit(level: number | undefined): SplitLevel | undefined {
  return level === undefined ? undefined : (`h${level}` as SplitLevel);
}

export interface TitleBlock {
  title: string;
  author?: string;
  date?: string;
  /** Lines the block takes (the `%` lines, or the front matter). */
  lines: [number, number];
}

/**
 * A `%` title block at the top of the first segment (pandoc's: up to three `%` lines, title,
 * authors, date): taken off the segment, whose lines then start after it.
 */
export function takePercentBlock(segment: Segment | undefined): TitleBlock | undefined {
  if (segment === undefined) return undefined;
  const index = segment.tokens.findIndex((item) => item.token.type !== 'space');
  const item = segment.tokens[index];
  if (item === undefined || item.token.type !== 'paragraph' || item.line !== segment.startLine) return undefined;
  const lines = item.token.raw.replace(/\n+$/, '').split('\n');
  if (lines.length > 3 || !lines.every((l) => l.startsWith('%'))) return undefined;
  const [title = '', author, date] = lines.map((l) => l.replace(/^%[ \t]*/, '').trim());
  segment.tokens = segment.tokens.slice(index + 1);
  segment.startLine = item.endLine + 1;
  return {
    title,
    ...(author === undefined || author === '' ? {} : { author }),
    ...(date === undefined || date === '' ? {} : { date }),
    lines: [item.line, item.endLine],
  };
}

/**
 * The title slide pandoc makes: the title as a heading (lexed by the caller, placed at `line`),
 * the author and date from the config, shown by our title layout.
 */
export function titleSlide(block: TitleBlock, tokens: SlideToken[], markdown: string): Slide {
  return {
    index: 0,
    h: 0,
    v: 0,
    title: block.title,
    layout: 'title',
    layoutExplicit: true,
    lines: block.lines,
    markdown,
    markdownLine: block.lines[0],
    tokens,
    notes: '',
    notesTokens: [],
    classes: ['pandoc-title'],
    fit: false,
    attributes: {},
  };
}

/** The config's title, author and date, filled from a `%` block where the front matter has none. */
export function withTitleBlock(config: DeckConfig, block: TitleBlock): void {
  config.title ??= block.title;
  if (block.author !== undefined) config.author ??= block.author;
  if (block.date !== undefined) config.date ??= block.date;
}
