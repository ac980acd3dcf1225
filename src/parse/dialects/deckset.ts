/**
 * Deckset: a paragraph that starts with `^ ` is a presenter note; the slide goes on after it. An
 * image on a line of its own is a background (marp-images.ts), shown behind the slide, not in it.
 * The `key: value` lines at the very top of the file are the deck's settings, not slide text.
 */
import type { Token } from 'marked';
import { positionOf } from '../../markdown/positions.js';
import type { DeckConfig, Slide, SlideToken } from '../../types.js';
import type { Segment } from '../slides.js';
import { plainInline } from './marp-directives.js';
import { applyBackgrounds, isBackgroundParagraph } from './marp-images.js';
import type { DialectRules } from './types.js';

/** Deckset's deck-wide settings (its documentation's list, and those the corpus decks use). */
const SETTINGS = new Set([
  'autoscale',
  'build-lists',
  'slidenumbers',
  'slidecount',
  'footer',
  'theme',
  'slide-transition',
  'slide-dividers',
  'fit-header',
  'presenter-notes',
  'code-language',
  'text',
  'header',
  'background-color',
  'list',
  'quote',
  'table',
]);

/** The settings of the paragraph on the file's first line, or undefined when it holds anything else. */
export function decksetSettings(token: Token): Map<string, string> | undefined {
  if (token.type !== 'paragraph' || positionOf(token)?.line !== 1) return undefined;
  const settings = new Map<string, string>();
  for (const line of token.raw.split('\n')) {
    if (line.trim() === '') continue;
    const pair = /^([a-z][\w-]*)[ \t]*:[ \t]*(.*)$/i.exec(line);
    if (pair === null || !SETTINGS.has((pair[1] ?? '').toLowerCase())) return undefined;
    settings.set((pair[1] ?? '').toLowerCase(), (pair[2] ?? '').trim());
  }
  return settings.size === 0 ? undefined : settings;
}

export const deckset: DialectRules = {
  notesParagraph: false,
  commentNotes: 'none',
  noteBlock: (token) => (token.type === 'paragraph' && /^\^[ \t]/.test(token.raw) ? 2 : undefined),
  hiddenBlock: (token) => isBackgroundParagraph(token, 'deckset') || decksetSettings(token) !== undefined,
};

/** Applies a Deckset deck's settings and each slide's background images and `[fit]` titles. */
export function applyDeckset(slides: Slide[], segments: readonly Segment[], config: DeckConfig): void {
  const first = segments[0]?.tokens.find((t) => t.token.type !== 'space');
  const settings = first === undefined ? undefined : decksetSettings(first.token);
  const footer = settings?.get('footer');
  if (footer !== undefined && footer !== '' && config.footer === undefined) config.footer = plainInline(footer);
  if (settings?.get('slidenumbers') === 'true') config.slideNumber = true;
  const buildLists = settings?.get('build-lists') === 'true';
  slides.forEach((slide, i) => {
    if (buildLists) slide.tokens = slide.tokens.map(buildList);
    applyBackgrounds(
      slide,
      (segments[i]?.tokens ?? []).map((t) => t.token),
      'deckset',
    );
    slide.title = slide.title.replace(/^\[fit\]\s*/i, '');
  });
}

/** `build-lists: true`: each list of a slide shows its items one by one (our fragments block). */
function buildList(token: SlideToken): SlideToken {
  if (token.type !== 'list') return token;
  return {
    type: 'container',
    name: 'fragments',
    info: '',
    raw: token.raw,
    tokens: [token],
    line: token.line,
    column: token.column,
  } as SlideToken;
}
