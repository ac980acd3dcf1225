/**
 * Slidev: the comment that ends a slide is its presenter note; comments elsewhere stay hidden.
 * A slide's front matter (slidev-split.ts) sets its layout (mapped to ours), classes, background
 * and transition; `::right::`-style slot lines split a two-column layout into our compare columns.
 */
import type { Token } from 'marked';
import { LAYOUTS, type Diagnostic, type LayoutName, type Slide, type SlideToken } from '../../types.js';
import { closestTransition, isTransition } from './foreign-values.js';
import type { SlideProperties } from './slidev-split.js';
import type { DialectRules } from './types.js';

export const slidev: DialectRules = { notesParagraph: false, commentNotes: 'last' };

/** Slidev's built-in layouts (sli.dev/builtin/layouts) → ours, with a class that names the original. */
const LAYOUT_MAP: Record<string, LayoutName> = {
  cover: 'title',
  intro: 'title',
  center: 'section',
  section: 'section',
  fact: 'section',
  statement: 'section',
  quote: 'quote',
  end: 'closing',
  default: 'default',
  full: 'default',
  none: 'default',
  image: 'image',
  'image-left': 'compare',
  'image-right': 'compare',
  'two-cols': 'compare',
  'two-cols-header': 'compare',
  iframe: 'default',
  'iframe-left': 'default',
  'iframe-right': 'default',
};

/** Keys read here, or by the parser itself (`src`, `hide`, `disabled`). */
const KNOWN = new Set(['layout', 'class', 'background', 'image', 'transition', 'src', 'hide', 'disabled', 'layoutClass', 'title']);
/** Keys that only steer Slidev's own runtime or its table of contents: nothing on the slide is lost without them. */
const RUNTIME_ONLY = new Set(['clicks', 'level', 'hideInToc', 'routeAlias', 'preload', 'zoom', 'dragPos', 'name', 'clicksStart']);

/** A slot marker line (`::right::`): a paragraph of only that. */
const SLOT = /^::([\w-]+)::$/;

export function slotName(token: Token): string | undefined {
  if (token.type !== 'paragraph') return undefined;
  return SLOT.exec(token.raw.trim())?.[1];
}

/** Slidev's `hide: true` / `disabled: true`: the slide is not in the deck. */
export function isHidden(props: SlideProperties | undefined): boolean {
  return props !== undefined && (props.data['hide'] === true || props.data['disabled'] === true);
}

function warn(diagnostics: Diagnostic[], code: Diagnostic['code'], message: string, line: number, file: string | undefined): void {
  diagnostics.push({ severity: 'warning', code, message, line, ...(file === undefined ? {} : { file }) });
}

function words(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(words);
  return typeof value === 'string' || typeof value === 'number' ? String(value).split(/\s+/).filter(Boolean) : [];
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A column of our compare layout holding `tokens`; placed where its first token is. */
function column(tokens: readonly SlideToken[], at: { line: number; column: number }): SlideToken {
  const first = tokens[0];
  return {
    type: 'container',
    name: 'column',
    info: '',
    raw: tokens.map((t) => t.raw).join(''),
    tokens: [...tokens],
    line: first?.line ?? at.line,
    column: first?.column ?? at.column,
  } as SlideToken;
}

/** The slide's tokens by slot: text before the first marker is `default`. */
function slots(tokens: readonly SlideToken[]): Map<string, SlideToken[]> {
  const out = new Map<string, SlideToken[]>([['default', []]]);
  let current = out.get('default') ?? [];
  for (const token of tokens) {
    const name = slotName(token);
    if (name === undefined) {
      current.push(token);
      continue;
    }
    current = out.get(name) ?? [];
    out.set(name, current);
  }
  return out;
}

const visible = (tokens: readonly SlideToken[]) => tokens.filter((t) => t.type !== 'space');

/**
 * Applies a slide's Slidev properties to the slide built from its Markdown. `override` marks the
 * keys an importing slide passes to each slide of a `src:` file (they win, as in Slidev).
 */
export function applySlidevProperties(slide: Slide, props: SlideProperties, diagnostics: Diagnostic[]): void {
  const { data, keyLines, file } = props;
  const lineOf = (key: string) => keyLines.get(key) ?? props.line;
  const layoutName = typeof data['layout'] === 'string' ? data['layout'] : undefined;
  if (layoutName !== undefined) {
    const ours = LAYOUT_MAP[layoutName] ?? ((LAYOUTS as readonly string[]).includes(layoutName) ? (layoutName as LayoutName) : undefined);
    if (ours === undefined) {
      warn(
        diagnostics,
        'unknown-layout',
        `Slidev layout "${layoutName}" comes from a theme or the deck's own layouts/ folder, which decksmith does not have; the layout is inferred instead. Use one of Slidev's built-in layouts (center, cover, two-cols, …) to choose`,
        lineOf('layout'),
        file,
      );
    } else {
      slide.layout = ours;
      slide.layoutExplicit = true;
      slide.classes.push(`slidev-${layoutName}`);
      layoutSlots(slide, layoutName, props);
    }
  }
  // Slot markers of other layouts (a theme's `::content::`) are markup, never text.
  slide.tokens = slide.tokens.filter((t) => slotName(t) === undefined);
  slide.classes.push(...words(data['class']), ...words(data['layoutClass']));
  slide.classes = [...new Set(slide.classes)];
  const background = data['background'] ?? (layoutName === 'image' || layoutName === 'cover' ? data['image'] : undefined);
  if (typeof background === 'string' && background.trim() !== '') slide.background = background.trim();
  if (slide.title === '' && typeof data['title'] === 'string') slide.title = data['title'];
  titleOnlySlide(slide, props);
  const transition = data['transition'];
  // The headmatter's transition is the deck's (front matter `transition`), validated there.
  if (typeof transition === 'string' && props.headmatter !== true) {
    const used = closestTransition(transition);
    if (!isTransition(transition)) {
      warn(
        diagnostics,
        'foreign-value',
        `Slidev's transition "${transition}" is not one of decksmith's; "${used}" is used instead. Write none, fade, slide, convex, concave or zoom to choose`,
        lineOf('transition'),
        file,
      );
    }
    slide.attributes['data-transition'] = used;
  }
  if (props.headmatter !== true && props.override !== true) unusedKeysWarning(props, diagnostics);
}

/**
 * A slide that is only front matter (`title: Section Plane` + `layout: section`, drawn by the
 * theme's layout from its `title`) shows that title as its heading, so it is not an empty page.
 * Nothing of the heading is written in the Markdown: its raw is empty.
 */
function titleOnlySlide(slide: Slide, props: SlideProperties): void {
  const title = props.data['title'];
  if (typeof title !== 'string' || title.trim() === '' || visible(slide.tokens).length > 0) return;
  const text = title.trim();
  const line = props.keyLines.get('title') ?? props.line;
  const inline = { type: 'text', raw: '', text, escaped: false, line, column: 1 };
  slide.tokens.push({ type: 'heading', raw: '', depth: 1, text, tokens: [inline], line, column: 1 } as SlideToken);
}

/** One warning for the keys of a slide's front matter that decksmith has nothing for. */
export function unusedKeysWarning(props: SlideProperties, diagnostics: Diagnostic[]): void {
  const { data, keyLines, file } = props;
  const lineOf = (key: string) => keyLines.get(key) ?? props.line;
  const ignored = Object.keys(data).filter((k) => !KNOWN.has(k) && !RUNTIME_ONLY.has(k));
  if (ignored.length > 0) {
    warn(
      diagnostics,
      'unknown-key',
      `Slidev slide option${ignored.length > 1 ? 's' : ''} ${ignored.map((k) => `"${k}"`).join(', ')} ${ignored.length > 1 ? 'have' : 'has'} no decksmith equivalent and ${ignored.length > 1 ? 'are' : 'is'} ignored; the slide's text is kept`,
      lineOf(ignored[0] ?? ''),
      file,
    );
  }
}

/** two-cols (+ `::right::`), two-cols-header and image-left/right as our compare columns. */
function layoutSlots(slide: Slide, layout: string, props: SlideProperties): void {
  const at = { line: props.line, column: 1 };
  if (layout === 'two-cols' || layout === 'two-cols-header') {
    const bySlot = slots(slide.tokens);
    const header = layout === 'two-cols-header' ? (bySlot.get('default') ?? []) : [];
    const left =
      layout === 'two-cols-header' ? (bySlot.get('left') ?? []) : [...(bySlot.get('default') ?? []), ...(bySlot.get('left') ?? [])];
    const right = bySlot.get('right') ?? [];
    const rest = [...bySlot].filter(([name]) => !['default', 'left', 'right'].includes(name)).flatMap(([, tokens]) => tokens);
    slide.tokens = [...header, column(left, at), column([...right, ...rest], at)];
    if (visible(right).length === 0 && visible(left).length === 0) slide.tokens = [...header, ...left];
    return;
  }
  if (layout === 'image-left' || layout === 'image-right') {
    const image = props.data['image'];
    const content = slide.tokens.filter((t) => slotName(t) === undefined);
    if (typeof image !== 'string' || image.trim() === '') {
      slide.tokens = [column(content, at), column([], at)];
      return;
    }
    const line = props.keyLines.get('image') ?? props.line;
    const html = `<img src="${escapeAttribute(image.trim())}" alt="">\n`;
    // Nothing of this element is written in the Markdown (the image: key made it): its raw is empty.
    const picture = { type: 'html', block: true, pre: false, raw: '', text: html, line, column: 1 } as SlideToken;
    const columns = [column(content, at), column([picture], { line, column: 1 })];
    slide.tokens = layout === 'image-left' ? columns.reverse() : columns;
  }
}

const OPEN_CLICK = /^<(v-clicks?|v-after)(\s[^>]*)?>$/i;
/**
 * One of Slidev's click directives on an HTML start tag: `v-click`, `v-click="3"`, `v-click.hide`,
 * `v-click-hide="2"`, `v-after`; the modifiers (`.hide`, `.fade`) and the value captured.
 */
const CLICK_ATTRIBUTE = /\s(v-click-hide|v-click|v-after)((?:\.[\w-]+)*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?(?=[\s/>]|$)/i;
/** Built-in Slidev elements read here; any other capitalised or hyphenated tag is a Vue component. */
const READ_HERE = new Set(['v-click', 'v-clicks', 'v-after']);

/**
 * The click at which an element shows (or, hiding, disappears), as Slidev reads it
 * (sli.dev/guide/animations#positioning): relative to the slide's click counter (`'+1'`, the
 * default; `'+0'`, which is `v-after`; `'-1'`), or absolute (`3`: at click 3, the counter left
 * as it is). null: no click at all (`v-click="false"`), the element is always shown.
 */
type At = { relative: boolean; value: number } | null;
/** One element that Slidev shows (or hides) on a click. */
interface ClickSite {
  at: At;
  hide: boolean;
}
/** What a click element becomes: its classes, and its reveal.js step on a slide that numbers its fragments. */
interface FragmentMark {
  classes: string;
  index?: number;
}

const NEXT: At = { relative: true, value: 1 };
const SAME: At = { relative: true, value: 0 };
/** `[a, b]`: shown from click a until b; decksmith shows it from a (reveal.js has no hiding again). */
const RANGE = /^\[\s*([^,\]]*?)\s*,[^\]]*\]$/;
const unquote = (text: string): string => text.replace(/^(['"`])([\s\S]*)\1$/, '$2');

/** A position written as text (`at="+2"`, or the string in `v-click="'-1'"`): a sign makes it relative. */
function atOfText(text: string): At {
  const value = text.trim();
  const range = RANGE.exec(value);
  if (range !== null) return atOfText(unquote(range[1] ?? ''));
  if (/^[+-]\d+$/.test(value)) return { relative: true, value: Number(value) };
  if (/^\d+$/.test(value)) return { relative: false, value: Number(value) };
  return NEXT;
}

/** A directive's value, a JavaScript expression: `3` and `+3` are absolute, `'+1'` relative, `[2, 4]` a range. */
function atOfExpression(expression: string): At {
  const value = expression.trim();
  if (value === 'false') return null;
  if (/^(['"`])[\s\S]*\1$/.test(value)) return atOfText(unquote(value));
  const range = RANGE.exec(value);
  if (range !== null) return atOfExpression(range[1] ?? '');
  if (/^[+-]?\d+$/.test(value)) return { relative: false, value: Number(value) };
  // No value, `true`, or an expression only Vue can evaluate: the next click.
  return NEXT;
}

/** The click site of a start tag's directive, or undefined when it has none. */
function directiveSite(attrs: string): ClickSite | undefined {
  const match = CLICK_ATTRIBUTE.exec(attrs);
  if (match === null) return undefined;
  const name = (match[1] ?? '').toLowerCase();
  const modifiers = (match[2] ?? '').toLowerCase().split('.');
  const value = match[3] === undefined ? undefined : unquote(match[3]);
  const hide = name === 'v-click-hide' || modifiers.includes('hide');
  // v-after is `'+0'`. Slidev before 0.48 also read a click number on it (`v-after="7"`); later
  // versions ignore one, so a number there was written for the older rule, which is kept.
  const at = value === undefined ? (name === 'v-after' ? SAME : NEXT) : atOfExpression(value);
  return { at, hide };
}

/** A component prop: `at="2"` (text) or `:at="2"` (an expression); undefined when absent. */
function prop(attrs: string, name: string): { value: string; bound: boolean } | undefined {
  const match = new RegExp(`\\s(:|v-bind:)?${name}(?:\\s*=\\s*("[^"]*"|'[^']*'|[^\\s>]+))?(?=[\\s/>]|$)`, 'i').exec(attrs);
  if (match === null) return undefined;
  return { value: match[2] === undefined ? '' : unquote(match[2]), bound: match[1] !== undefined };
}

/** `<v-click at="2" hide>`, `<v-after>`, `<v-clicks at="3">` (its first item): where the component's click is. */
function componentSite(name: string, attrs: string): ClickSite {
  const hidden = prop(attrs, 'hide');
  const hide = hidden !== undefined && hidden.value !== 'false';
  if (name === 'v-after') return { at: SAME, hide };
  const at = prop(attrs, 'at');
  if (at === undefined || at.value === '') return { at: NEXT, hide };
  return { at: at.bound ? atOfExpression(at.value) : atOfText(at.value), hide };
}

/** Slidev's click counter over one slide: a relative position moves it, an absolute one does not. */
class ClickCounter {
  private offset = 0;
  /** Each click element's click, in document order (undefined: none, always shown). */
  readonly placed: (number | undefined)[] = [];

  constructor(readonly indexed: boolean) {}

  place(site: ClickSite): FragmentMark | undefined {
    const { at } = site;
    let click: number | undefined;
    if (at?.relative === true) {
      this.offset += at.value;
      click = this.offset;
    } else if (at !== null) click = at.value;
    this.placed.push(click);
    const classes = site.hide ? 'fragment fade-out' : 'fragment';
    if (!this.indexed) return { classes };
    // Click 0 or before: shown from the start, so not a fragment (reveal.js's first step is click 1).
    return click === undefined || click < 1 ? undefined : { classes, index: click - 1 };
  }
}

const indexAttribute = (mark: FragmentMark): string => (mark.index === undefined ? '' : ` data-fragment-index="${mark.index}"`);

/** A Vue component's tag: capitalised or hyphenated, and not one of the elements read here. */
function isComponent(tag: string): boolean {
  return (/[A-Z]/.test(tag) || tag.includes('-')) && !READ_HERE.has(tag.toLowerCase());
}

/**
 * Click directives in one HTML token, in document order. A tag with one (`<div v-click>`) gets the
 * class "fragment" (added to its class list if it has one; "fragment fade-out" when it hides).
 * A Vue component with one (`<Block v-click>` … `</Block>`) becomes a `<div class="fragment">`
 * (a `<span>` inline) around its content, so the content still appears on its click: the
 * component itself is dropped later, and its click with it. Its other attributes are Vue props
 * and UnoCSS classes, which mean nothing here, so they go. `open` holds, across the slide's HTML
 * tokens in order, what each component left open became (its start and end tags may be tokens
 * apart, with Markdown between). `counter` numbers the clicks.
 */
function rewriteClicks(html: string, block: boolean, open: { tag: string; as: string | undefined }[], counter: ClickCounter): string {
  return html.replace(
    /<(\/?)([A-Za-z][\w-]*)(\s[^<>]*?)?(\/?)>/g,
    (whole, end: string, tag: string, attrs: string | undefined, self: string) => {
      // `<v-click>` inside a larger HTML block (`<v-click at="2">` and a `<div>` on the next
      // line): a div around what it holds, as the blocks of its own are, on a numbered slide.
      const name = tag.toLowerCase();
      if (counter.indexed && self === '' && (name === 'v-click' || name === 'v-after')) {
        if (end === '/') {
          const at = open.map((o) => o.tag).lastIndexOf(name);
          if (at < 0) return whole;
          open.splice(at);
          return '</div>';
        }
        const mark = counter.place(componentSite(name, attrs ?? ''));
        open.push({ tag: name, as: 'div' });
        return mark === undefined ? '<div>' : `<div class="${mark.classes}"${indexAttribute(mark)}>`;
      }
      if (isComponent(tag)) {
        if (end === '/') {
          const at = open.map((o) => o.tag).lastIndexOf(tag);
          if (at < 0) return whole;
          const [closed] = open.splice(at);
          return closed?.as === undefined ? whole : `</${closed.as}>`;
        }
        const site = attrs === undefined ? undefined : directiveSite(attrs);
        // A self-closing component shows nothing here, but its click still counts.
        const mark = site === undefined ? undefined : counter.place(site);
        if (self === '/') return whole;
        const as = mark === undefined ? undefined : block ? 'div' : 'span';
        open.push({ tag, as });
        return as === undefined || mark === undefined ? whole : `<${as} class="${mark.classes}"${indexAttribute(mark)}>`;
      }
      if (end === '/' || attrs === undefined) return whole;
      const site = directiveSite(attrs);
      if (site === undefined) return whole;
      const mark = counter.place(site);
      let rest = attrs.replace(CLICK_ATTRIBUTE, '');
      if (mark === undefined) return `<${tag}${rest}${self}>`;
      const index = indexAttribute(mark);
      if (/\sclass\s*=\s*"/i.test(rest)) rest = `${rest.replace(/(\sclass\s*=\s*")/i, `$1${mark.classes} `).trimEnd()}${index}`;
      else if (/\sclass\s*=\s*'/i.test(rest)) rest = `${rest.replace(/(\sclass\s*=\s*')/i, `$1${mark.classes} `).trimEnd()}${index}`;
      else rest = ` class="${mark.classes}"${index}${rest}`;
      return `<${tag}${rest}${self}>`;
    },
  );
}

/** A paragraph that is only a component's start tag left open (`<Block` and attribute lines, no `>`). */
const OPEN_TAG = /^ {0,3}<([A-Za-z][\w-]*)(?:\s+(?:[^\s"'<>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?))*\s*$/;

/**
 * A Vue component's start tag written over several lines with its `>` on a line of its own
 * (`<Block\n  class="…"\n>`) is one tag to Slidev; CommonMark reads its lines as a paragraph and
 * the lone `>` as an empty blockquote, so the attributes would show as slide text. The two tokens
 * become one HTML block at the tag's line: its raw is the two raws as written, its text the tag.
 */
function joinSplitTags(tokens: readonly SlideToken[]): SlideToken[] {
  const out: SlideToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as SlideToken;
    const next = tokens[i + 1];
    const name = token.type === 'paragraph' ? OPEN_TAG.exec(token.raw)?.[1] : undefined;
    if (name !== undefined && (/[A-Z]/.test(name) || name.includes('-')) && next?.type === 'blockquote' && next.raw.trim() === '>') {
      const tag = `${token.raw.trim().replace(/\s+/g, ' ')}>`;
      out.push({
        type: 'html',
        block: true,
        pre: false,
        raw: token.raw + next.raw,
        text: `${tag}\n`,
        line: token.line,
        column: token.column,
      } as SlideToken);
      i++;
      continue;
    }
    out.push(token);
  }
  return out;
}

type Walkable = SlideToken & { tokens?: SlideToken[]; items?: { tokens?: SlideToken[] }[]; text?: string };

function walk(tokens: readonly SlideToken[], visit: (token: Walkable) => void): void {
  for (const token of tokens as Walkable[]) {
    visit(token);
    if (Array.isArray(token.tokens)) walk(token.tokens, visit);
    if (Array.isArray(token.items)) for (const item of token.items) walk((item.tokens ?? []) as SlideToken[], visit);
  }
}

/** A `<v-click>`, `<v-after>` or `<v-clicks>` HTML block and its end tag, at the slide's top level. */
interface ClickRegion {
  name: string;
  attrs: string;
  open: number;
  close: number;
}

function clickRegions(tokens: readonly SlideToken[]): ClickRegion[] {
  const regions: ClickRegion[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as SlideToken;
    const open = token.type === 'html' ? OPEN_CLICK.exec(token.raw.trim()) : null;
    if (open === null) continue;
    const name = (open[1] ?? '').toLowerCase();
    const close = tokens.findIndex((t, j) => j > i && t.type === 'html' && t.raw.trim().toLowerCase() === `</${name}>`);
    if (close <= i) continue;
    regions.push({ name, attrs: open[2] ?? '', open: i, close });
    i = close;
  }
  return regions;
}

/** The regions as our containers: `<v-clicks>` a fragments block (list items one by one), the others one fragment. */
function asContainers(tokens: readonly SlideToken[], regions: readonly ClickRegion[]): SlideToken[] {
  const out: SlideToken[] = [];
  let next = 0;
  for (const region of regions) {
    out.push(...tokens.slice(next, region.open));
    const token = tokens[region.open] as SlideToken;
    out.push({
      type: 'container',
      name: region.name === 'v-clicks' ? 'fragments' : 'fragment',
      info: '',
      raw: tokens
        .slice(region.open, region.close + 1)
        .map((t) => t.raw)
        .join(''),
      tokens: tokens.slice(region.open + 1, region.close),
      line: token.line,
      column: token.column,
    } as SlideToken);
    next = region.close + 1;
  }
  out.push(...tokens.slice(next));
  return out;
}

type Item = { tokens?: SlideToken[] };
type ListState = { site: ClickSite; every: number; count: number };

/**
 * The clicks of a slide that numbers them: each element gets reveal.js's `data-fragment-index`
 * (Slidev's click less one), so reveal.js steps through them in Slidev's order. The regions stay
 * where they were written, as HTML: `<v-click>` … `</v-click>` becomes `<div class="fragment" …>`
 * … `</div>` around the Markdown, and each top-level item of a `<v-clicks>` list gets its index
 * from a `.element` comment (our way to set a list item's attributes), placed at the end of the
 * item's first line. The HTML tokens keep their raw (positions read it); their text changes.
 */
function numberedClicks(tokens: SlideToken[], regions: readonly ClickRegion[], counter: ClickCounter): SlideToken[] {
  const out = [...tokens];
  const opens = new Map<SlideToken, ClickRegion>();
  const closes = new Map<SlideToken, ClickRegion>();
  const lists = new Map<SlideToken, ListState>();
  for (const region of regions) {
    const close = { ...(out[region.close] as SlideToken), text: '' } as SlideToken;
    const open = { ...(out[region.open] as SlideToken), text: '' } as SlideToken;
    out[region.open] = open;
    out[region.close] = close;
    opens.set(open, region);
    closes.set(close, region);
    if (region.name !== 'v-clicks') continue;
    const every = Math.max(1, Number.parseInt(prop(region.attrs, 'every')?.value ?? '1', 10) || 1);
    const state: ListState = { site: componentSite('v-clicks', region.attrs), every, count: 0 };
    // Its lists step item by item; a paragraph written straight inside it is one step.
    for (const token of out.slice(region.open + 1, region.close))
      if (token.type === 'list' || token.type === 'paragraph') lists.set(token, state);
  }
  // What is open, shared with the tags inside HTML blocks: a `</v-click>` there (`</v-click>` and
  // the next `<v-click at="6">` on consecutive lines are one block) closes the region's div.
  const components: { tag: string; as: string | undefined }[] = [];
  const visit = (list: readonly SlideToken[]): void => {
    for (const token of list as Walkable[]) {
      const open = opens.get(token);
      const close = closes.get(token);
      if (open !== undefined) {
        if (open.name !== 'v-clicks') {
          const mark = counter.place(componentSite(open.name, open.attrs));
          token.text = mark === undefined ? '<div>\n' : `<div class="${mark.classes}"${indexAttribute(mark)}>\n`;
          components.push({ tag: open.name, as: 'div' });
        }
      } else if (close !== undefined) {
        const at = components.map((o) => o.tag).lastIndexOf(close.name);
        if (close.name !== 'v-clicks' && at >= 0) {
          components.splice(at);
          token.text = '</div>\n';
        }
      } else if (token.type === 'html' && typeof token.text === 'string') {
        token.text = rewriteClicks(token.text, token.block === true, components, counter);
      }
      const state = lists.get(token);
      if (state !== undefined && token.type === 'paragraph') stepItem({ tokens: [token] }, state, counter);
      if (Array.isArray(token.tokens)) visit(token.tokens);
      for (const item of token.items ?? []) {
        if (state !== undefined) stepItem(item, state, counter);
        visit(item.tokens ?? []);
      }
    }
  };
  visit(out);
  return out;
}

/** One item of a `<v-clicks>` list: its click (`every` items share one), as a `.element` comment on its first line. */
function stepItem(item: Item, state: ListState, counter: ClickCounter): void {
  const k = state.count++;
  const at: At =
    state.site.at !== null && !state.site.at.relative
      ? { relative: false, value: state.site.at.value + Math.floor(k / state.every) }
      : k === 0
        ? state.site.at
        : k % state.every === 0
          ? NEXT
          : SAME;
  const mark = counter.place({ at, hide: state.site.hide });
  const first = item.tokens?.find((t) => t.type === 'text' || t.type === 'paragraph') as Walkable | undefined;
  if (mark === undefined || first === undefined || !Array.isArray(first.tokens)) return;
  const line = first.raw.split('\n')[0] ?? '';
  // Nothing of it is written in the Markdown: its raw is empty, its place the end of the item's first line.
  first.tokens.push({
    type: 'html',
    block: false,
    inLink: false,
    inRawBlock: false,
    raw: '',
    text: ` <!-- .element: class="${mark.classes}"${indexAttribute(mark)} -->`,
    line: first.line,
    column: first.column + line.length,
  } as SlideToken);
}

/**
 * Slidev's step-by-step reveals as ours. Where Slidev's clicks come in document order (each the
 * next click), as plain fragments: a `<v-click>` … `</v-click>` pair of HTML blocks around
 * Markdown becomes one fragment, `<v-clicks>` … `</v-clicks>` a fragments block (list items one
 * by one), a `v-click` attribute the class "fragment" ("fragment fade-out" for `v-click.hide` and
 * `v-click-hide`: shown, then hidden on its click). A slide with a numbered click (`v-click="3"`,
 * `at="2"`), a `v-after` or a `<v-click hide>` numbers every fragment (see numberedClicks).
 * Vue components and `<script>` blocks cannot come over: one warning per kind per slide, at the
 * first, and their text stays.
 */
export function slidevClicks(slide: Slide, diagnostics: Diagnostic[], file: string | undefined): void {
  const tokens = joinSplitTags(slide.tokens);
  const regions = clickRegions(tokens);
  // Slidev's clicks worked out on a copy (only where a click is written): do they come one by
  // one in document order?
  const dry = new ClickCounter(true);
  if (tokens.some((t) => /v-(?:click|after)/i.test(t.raw))) numberedClicks(structuredClone(tokens), regions, dry);
  const hiddenRegion = regions.some((r) => componentSite(r.name, r.attrs).hide);
  const numbered = hiddenRegion || dry.placed.some((click, k) => click !== k + 1);
  if (numbered) slide.tokens = numberedClicks(tokens, regions, new ClickCounter(true));
  else {
    slide.tokens = asContainers(tokens, regions);
    const counter = new ClickCounter(false);
    const components: { tag: string; as: string | undefined }[] = [];
    walk(slide.tokens, (token) => {
      if (token.type === 'html' && typeof token.text === 'string')
        token.text = rewriteClicks(token.text, token.block === true, components, counter);
    });
  }
  const seen = new Set<string>();
  walk(slide.tokens, (token) => {
    if (token.type !== 'html') return;
    // The raw stays as written (positions read it); render writes the text.
    if (typeof token.text === 'string') token.text = figureRows(token.text);
    for (const match of token.raw.matchAll(/<([A-Za-z][\w-]*)(?=[\s/>])/g)) {
      const tag = match[1] ?? '';
      const kind = /^script$/i.test(tag) ? 'script' : isComponent(tag) ? 'component' : undefined;
      if (kind === undefined || seen.has(kind)) continue;
      seen.add(kind);
      const at = token.line === undefined ? {} : { line: token.line + (token.raw.slice(0, match.index).match(/\n/g)?.length ?? 0) };
      diagnostics.push({
        severity: 'warning',
        code: 'vue-component',
        message:
          kind === 'script'
            ? '<script> in a Slidev slide runs Vue code, which decksmith never runs; the slide is built without it. Move what it computes into the Markdown'
            : `<${tag}> is a Vue component (Slidev, its theme or the deck's components/ folder), which decksmith cannot draw; only the text inside it is kept. Replace it with Markdown or HTML to keep what it shows`,
        ...at,
        ...(file === undefined ? {} : { file }),
      });
    }
  });
}

/** Two or more `<figure>` elements one after another (only whitespace between). */
const FIGURE_RUN = /<figure\b[^>]*>[\s\S]*?<\/figure>(?:\s*<figure\b[^>]*>[\s\S]*?<\/figure>)+/gi;

/**
 * Figures written one after another sit side by side in a Slidev deck: the slide's or the theme's
 * CSS (UnoCSS grids, `:deep()` rules decksmith cannot run) lays them out. Stacked instead, a row
 * of tall diagrams runs far past the slide's bottom and takes what follows with it. So a run of
 * figures becomes one row, each image at most 12em high; a tag that has its own style keeps it.
 */
export function figureRows(html: string): string {
  return html.replace(FIGURE_RUN, (run) => {
    const styled = run
      .replace(/<figure\b(?![^>]*\sstyle\s*=)([^>]*)>/gi, '<figure style="flex: 1 1 0; min-width: 0; margin: 0; text-align: center"$1>')
      .replace(/<img\b(?![^>]*\sstyle\s*=)([^>]*)>/gi, '<img style="max-height: 12em; width: auto; max-width: 100%"$1>');
    return `<div class="slidev-figures" style="display: flex; gap: 1em; align-items: flex-end; justify-content: center">${styled}</div>`;
  });
}
