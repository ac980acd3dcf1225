/**
 * Per-slide directive comments:
 *   <!-- layout: compare -->  <!-- class: lead dark -->  <!-- background: #123 -->  <!-- fit -->
 *   <!-- footer: other text -->  <!-- footer: --> or <!-- nofooter --> (no footer on this slide)
 * several may share one comment, one per line; and reveal.js attribute comments
 *   <!-- .slide: data-background-color="#123" class="lead" -->
 * A comment that is neither stays an ordinary (invisible) HTML comment.
 */
import { closest, distance } from 'fastest-levenshtein';
import { LAYOUTS, type Attributes, type LayoutName } from '../types.js';

export const DIRECTIVE_KEYS = ['layout', 'class', 'background', 'transition', 'fit', 'footer', 'nofooter'] as const;

export interface Directives {
  layout?: string;
  classes: string[];
  background?: string;
  transition?: string;
  fit: boolean;
  /** This slide's footer text in place of the deck's; '' hides the footer on this slide. */
  footer?: string;
  attributes: Attributes;
}

export type CommentReading =
  | { kind: 'directives'; values: Partial<Omit<Directives, 'attributes' | 'classes'>> & { classes?: string[]; attributes?: Attributes } }
  | { kind: 'comment'; suspicious?: { key: string; suggestion: string } };

const COMMENT = /^<!--([\s\S]*?)-->\s*$/;
/** HTML attribute names we accept from `.slide:` / `.element:`; event handlers are refused. */
const SAFE_ATTRIBUTE = /^(?!on)[a-zA-Z_:][-a-zA-Z0-9_:.]*$/i;

/** Reads one top-level HTML token. */
export function readComment(raw: string): CommentReading {
  const body = COMMENT.exec(raw.trim())?.[1]?.trim();
  if (body === undefined) return { kind: 'comment' };
  const slide = /^\.slide:\s*([\s\S]*)$/.exec(body);
  if (slide !== undefined && slide !== null) {
    const attributes = parseAttributes(slide[1] ?? '');
    const classes = (attributes['class'] ?? '').split(/\s+/).filter(Boolean);
    delete attributes['class'];
    return { kind: 'directives', values: { attributes, classes } };
  }
  const values: Partial<Directives> = {};
  for (const line of body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    if (line === 'fit') {
      values.fit = true;
      continue;
    }
    if (line === 'nofooter') {
      values.footer = '';
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (pair === null) return { kind: 'comment' };
    const key = (pair[1] ?? '').toLowerCase();
    const value = (pair[2] ?? '').trim();
    switch (key) {
      case 'layout':
        values.layout = value;
        break;
      case 'class':
        values.classes = [...(values.classes ?? []), ...value.split(/\s+/).filter(Boolean)];
        break;
      case 'background':
        values.background = value;
        break;
      case 'transition':
        values.transition = value;
        break;
      case 'fit':
        values.fit = value !== 'false';
        break;
      case 'footer':
        values.footer = value;
        break;
      default: {
        const suggestion = closest(key, [...DIRECTIVE_KEYS]);
        return distance(key, suggestion) <= 2 ? { kind: 'comment', suspicious: { key, suggestion } } : { kind: 'comment' };
      }
    }
  }
  return Object.keys(values).length === 0 ? { kind: 'comment' } : { kind: 'directives', values };
}

/** `a="1" b='2' c=3 d` → { a: '1', b: '2', c: '3', d: '' }; unsafe names are dropped. */
export function parseAttributes(text: string): Attributes {
  const out: Attributes = {};
  const pattern = /([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g;
  for (const match of text.matchAll(pattern)) {
    const name = match[1] ?? '';
    if (!SAFE_ATTRIBUTE.test(name)) continue;
    out[name] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return out;
}

export function isLayout(name: string): name is LayoutName {
  return (LAYOUTS as readonly string[]).includes(name);
}
