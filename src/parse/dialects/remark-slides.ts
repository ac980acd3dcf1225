/**
 * remark's slide model (gnab/remark `src/remark/parser.js`, `models/slideshow.js`):
 *
 * - `key: value` lines at the top of a slide are its properties, not text (`class`, `name`,
 *   `layout`, `template`, `count`, `exclude`, `background-image`, …; other keys stay text);
 * - a `--` line is an incremental step of the same slide: remark shows a new frame with the
 *   previous content and the new lines; decksmith shows the new lines as a fragment of the one
 *   slide, which is also how remark counts slides (frames are not slides);
 * - `layout: true` makes the slide a template that is not shown: each later slide shows the
 *   template's content before its own and takes the template's properties it does not set, until
 *   the next `layout: true` or a `layout: false`; `template: name` does the same with the slide
 *   named `name` for one slide;
 * - `exclude: true` leaves a slide out.
 */
import type { Token } from 'marked';
import type { Slide } from '../../types.js';
import type { LocatedToken, Segment } from '../slides.js';
import type { SlideProperties } from './slidev-split.js';
import type { DialectRules } from './types.js';

const PROPERTY = /^([-\w]+):(.*)$/;
/**
 * Properties remark reads. remark hides any `key:` line at a slide's top; decksmith takes only
 * these, so a slide that starts "Note: …" or "Warning: …" keeps its text.
 */
const KNOWN = new Set([
  'name',
  'class',
  'layout',
  'template',
  'count',
  'exclude',
  'background-image',
  'background-position',
  'background-size',
  'background-color',
  'seq',
]);

type Relex = (text: string, offset: number, line: number) => LocatedToken[];

/** Takes the property lines off the top of a segment (the rest of their paragraph is lexed again). */
function takeProperties(segment: Segment, relex: Relex, file: string | undefined): SlideProperties | undefined {
  const index = segment.tokens.findIndex((item) => item.token.type !== 'space');
  const item = segment.tokens[index];
  if (item === undefined || item.token.type !== 'paragraph') return undefined;
  const lines = item.token.raw.split('\n');
  const data: Record<string, unknown> = {};
  const keyLines = new Map<string, number>();
  let n = 0;
  for (; n < lines.length; n++) {
    const match = PROPERTY.exec(lines[n] ?? '');
    if (match === null || !KNOWN.has(match[1] ?? '')) break;
    const key = match[1] ?? '';
    data[key] = (match[2] ?? '').trim();
    keyLines.set(key, item.line + n);
  }
  if (n === 0) return undefined;
  const taken = lines.slice(0, n).join('\n').length + 1;
  const rest = item.token.raw.slice(taken);
  const replaced = rest.trim() === '' ? [] : relex(rest, item.offset + taken, item.line + n);
  segment.tokens = [...segment.tokens.slice(0, index), ...replaced, ...segment.tokens.slice(index + 1)];
  return { line: item.line, data, keyLines, file };
}

const isTrue = (value: unknown) => value === 'true' || value === true;
const isFalse = (value: unknown) => value === 'false' || value === false;

/** A segment's shown tokens and its notes (from the `???` on). */
function partition(tokens: readonly LocatedToken[], rules: DialectRules): { shown: LocatedToken[]; notes: LocatedToken[] } {
  const at = tokens.findIndex((item) => rules.notesOpener?.(item.token) !== undefined);
  return at < 0 ? { shown: [...tokens], notes: [] } : { shown: tokens.slice(0, at), notes: tokens.slice(at) };
}

/** `items` as one fragment (a `fragment` container renders as `<div class="fragment">`). */
function fragment(items: readonly LocatedToken[]): LocatedToken[] {
  const first = items.find((item) => item.token.type !== 'space');
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return [...items];
  const token = {
    type: 'container',
    name: 'fragment',
    info: '',
    raw: items.map((item) => item.token.raw).join(''),
    tokens: items.map((item) => item.token),
  } as Token & { line?: number; column?: number };
  const placed = first.token as Token & { line?: number; column?: number };
  if (placed.line !== undefined) token.line = placed.line;
  if (placed.column !== undefined) token.column = placed.column;
  return [{ token, line: first.line, endLine: last.endLine, offset: items[0]?.offset ?? first.offset }];
}

/**
 * remark's segments as decksmith's slides: properties taken off, increments merged into their
 * slide as fragments, templates applied and left out, excluded slides left out.
 */
export function remarkSegments(segments: readonly Segment[], rules: DialectRules, relex: Relex, file: string | undefined): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const previous = merged[merged.length - 1];
    if (segment.opener === 'increment' && previous !== undefined) {
      const before = partition(previous.tokens, rules);
      const added = partition(segment.tokens, rules);
      // One slide has one notes opener: a step's own `???` line goes once the slide's notes have begun.
      let addedNotes = added.notes;
      const [opener, ...rest] = added.notes;
      if (opener !== undefined && before.notes.length > 0) {
        const cut = rules.notesOpener?.(opener.token) ?? 0;
        const tail = opener.token.raw.slice(cut);
        addedNotes = [...(tail.trim() === '' ? [] : relex(tail, opener.offset + cut, opener.line)), ...rest];
      }
      previous.tokens = [...before.shown, ...fragment(added.shown), ...before.notes, ...addedNotes];
      previous.endLine = segment.endLine;
      previous.closedBySeparator = segment.closedBySeparator;
      continue;
    }
    segment.tokens = remarkColumns(segment.tokens, relex);
    const props = takeProperties(segment, relex, file);
    if (props !== undefined) segment.properties = props;
    merged.push(segment);
  }
  const named = new Map<string, Segment>();
  const out: Segment[] = [];
  let template: Segment | undefined;
  for (const segment of merged) {
    const data = segment.properties?.data ?? {};
    const name = typeof data['name'] === 'string' && data['name'] !== '' ? data['name'] : undefined;
    if (name !== undefined) named.set(name, segment);
    if (isTrue(data['layout'])) {
      template = segment;
      continue;
    }
    if (isFalse(data['layout'])) template = undefined;
    if (isTrue(data['exclude'])) continue;
    const base = typeof data['template'] === 'string' ? named.get(data['template']) : isFalse(data['layout']) ? undefined : template;
    if (base !== undefined && base !== segment) inherit(segment, base, rules);
    out.push(segment);
  }
  return out;
}

/** The base slide's shown content comes first; its properties fill in what the slide does not set. */
function inherit(segment: Segment, base: Segment, rules: DialectRules): void {
  segment.inherited = [...(base.inherited ?? []), ...partition(base.tokens, rules).shown];
  const own = segment.properties;
  const from = base.properties?.data ?? {};
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(from)) if (!['name', 'layout', 'template', 'exclude'].includes(key)) data[key] = value;
  Object.assign(data, own?.data ?? {});
  segment.properties = {
    line: own?.line ?? segment.startLine,
    data,
    keyLines: own?.keyLines ?? new Map(),
    file: own?.file ?? base.properties?.file,
  };
}

/** A remark slide's properties on the built slide: classes, its name as the section id, a background image. */
export function applyRemarkProperties(slide: Slide, props: SlideProperties): void {
  const { data } = props;
  if (typeof data['class'] === 'string') slide.classes = [...new Set([...slide.classes, ...data['class'].split(/[\s,]+/).filter(Boolean)])];
  if (typeof data['name'] === 'string' && /^[A-Za-z][\w-]*$/.test(data['name'])) slide.attributes['id'] = data['name'];
  if (isFalse(data['count'])) slide.attributes['data-remark-count'] = 'false';
  const image =
    typeof data['background-image'] === 'string' ? /url\(\s*['"]?([^'")]+)['"]?\s*\)/.exec(data['background-image'])?.[1] : undefined;
  if (image !== undefined) slide.background = image;
}

const COLUMN_OPEN = /^\.(left|right)-column\[\s*$/;
const COLUMN_CLOSE = /^\]\s*$/;

/**
 * remark's `.left-column[` … `]` and `.right-column[` … `]` written on lines of their own, as
 * our compare layout's columns: the marker lines are cut out of the paragraphs around them (kept
 * as wordless tokens at their place) and what lies between becomes a `column` container. A slide
 * whose markers do not pair up is left as it was.
 */
export function remarkColumns(tokens: readonly LocatedToken[], relex: Relex): LocatedToken[] {
  if (!tokens.some((item) => item.token.type === 'paragraph' && item.token.raw.split('\n').some((l) => COLUMN_OPEN.test(l))))
    return [...tokens];
  // Every paragraph cut so that each marker line is a token of its own.
  const cut: LocatedToken[] = [];
  for (const item of tokens) {
    const lines = item.token.raw.split('\n');
    if (item.token.type !== 'paragraph' || !lines.some((l) => COLUMN_OPEN.test(l) || COLUMN_CLOSE.test(l))) {
      cut.push(item);
      continue;
    }
    let offset = item.offset;
    let from = 0;
    const flush = (to: number) => {
      if (to <= from) return;
      const text = `${lines.slice(from, to).join('\n')}\n`;
      cut.push(...relex(text, offset, item.line + from));
      offset += text.length;
    };
    lines.forEach((line, i) => {
      if (!COLUMN_OPEN.test(line) && !COLUMN_CLOSE.test(line)) return;
      flush(i);
      const raw = i === lines.length - 1 ? line : `${line}\n`;
      cut.push({ token: { type: 'space', raw, marker: line.trim() } as Token, line: item.line + i, endLine: item.line + i, offset });
      offset += raw.length;
      from = i + 1;
    });
    const rest = lines.slice(from).join('\n');
    if (rest !== '') cut.push(...relex(rest, offset, item.line + from));
  }
  const marker = (item: LocatedToken) => (item.token as Token & { marker?: string }).marker;
  const out: LocatedToken[] = [];
  for (let i = 0; i < cut.length; i++) {
    const item = cut[i] as LocatedToken;
    const open = marker(item);
    if (open === undefined || !COLUMN_OPEN.test(open)) {
      out.push(item);
      continue;
    }
    const close = cut.findIndex((other, j) => j > i && marker(other) !== undefined && COLUMN_CLOSE.test(marker(other) ?? ''));
    if (close < 0) return [...tokens];
    const inner = cut.slice(i + 1, close);
    const container = {
      type: 'container',
      name: 'column',
      info: open.startsWith('.left') ? 'left' : 'right',
      raw: cut
        .slice(i, close + 1)
        .map((x) => x.token.raw)
        .join(''),
      tokens: inner.map((x) => x.token),
      line: item.line,
      column: 1,
    } as Token & { line: number; column: number };
    out.push({ token: container, line: item.line, endLine: cut[close]?.endLine ?? item.line, offset: item.offset });
    i = close;
  }
  return out;
}
