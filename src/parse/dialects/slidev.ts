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

const OPEN_CLICK = /^<(v-clicks?)(?:\s[^>]*)?>$/i;
/** Slidev's click attributes on an HTML start tag (`v-click`, `v-click="2"`, `v-after`, `v-click.hide`). */
const CLICK_ATTRIBUTE = /\s(?:v-click(?:\.hide)?|v-after)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?(?=[\s/>]|$)/i;
/** Built-in Slidev elements read here; any other capitalised or hyphenated tag is a Vue component. */
const READ_HERE = new Set(['v-click', 'v-clicks', 'v-after']);

/** `<tag … v-click …>` → the same tag with class "fragment" (added to its class list if it has one). */
export function clickAsFragment(html: string): string {
  return html.replace(/<([A-Za-z][\w-]*)(\s[^<>]*?)?(\/?)>/g, (tag, name: string, attrs: string | undefined, slash: string) => {
    if (attrs === undefined || !CLICK_ATTRIBUTE.test(attrs)) return tag;
    let rest = attrs.replace(CLICK_ATTRIBUTE, '');
    if (/\sclass\s*=\s*"/i.test(rest)) rest = rest.replace(/(\sclass\s*=\s*")/i, '$1fragment ');
    else if (/\sclass\s*=\s*'/i.test(rest)) rest = rest.replace(/(\sclass\s*=\s*')/i, '$1fragment ');
    else rest = ` class="fragment"${rest}`;
    return `<${name}${rest}${slash}>`;
  });
}

/** A Vue component's tag: capitalised or hyphenated, and not one of the elements read here. */
function isComponent(tag: string): boolean {
  return (/[A-Z]/.test(tag) || tag.includes('-')) && !READ_HERE.has(tag.toLowerCase());
}

/**
 * A Vue component with a click attribute (`<Block v-click>` … `</Block>`) → a `<div class="fragment">`
 * (a `<span>` inline) around its content, so the content still appears on its click: the
 * component itself is dropped later, and its click with it. Its other attributes are Vue props and
 * UnoCSS classes, which mean nothing here, so they go. `open` holds, across the slide's HTML
 * tokens in order, what each component left open became (its start and end tags may be tokens
 * apart, with Markdown between).
 */
export function componentClicks(html: string, block: boolean, open: { tag: string; as: string | undefined }[]): string {
  return html.replace(
    /<(\/?)([A-Za-z][\w-]*)(\s[^<>]*?)?(\/?)>/g,
    (whole, end: string, tag: string, attrs: string | undefined, self: string) => {
      if (!isComponent(tag)) return whole;
      if (end === '/') {
        const at = open.map((o) => o.tag).lastIndexOf(tag);
        if (at < 0) return whole;
        const [closed] = open.splice(at);
        return closed?.as === undefined ? whole : `</${closed.as}>`;
      }
      const clicked = attrs !== undefined && CLICK_ATTRIBUTE.test(attrs);
      if (self === '/') return whole;
      const as = clicked ? (block ? 'div' : 'span') : undefined;
      open.push({ tag, as });
      return as === undefined ? whole : `<${as} class="fragment">`;
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

/**
 * Slidev's step-by-step reveals as ours: a `<v-click>` … `</v-click>` pair of HTML blocks around
 * Markdown becomes one fragment, `<v-clicks>` … `</v-clicks>` a fragments block (list items one
 * by one), a `v-click`/`v-after` attribute the class "fragment". Vue components and `<script>`
 * blocks cannot come over: one warning per kind per slide, at the first, and their text stays.
 */
export function slidevClicks(slide: Slide, diagnostics: Diagnostic[], file: string | undefined): void {
  const out: SlideToken[] = [];
  const tokens = joinSplitTags(slide.tokens);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as SlideToken;
    const open = token.type === 'html' ? OPEN_CLICK.exec(token.raw.trim()) : null;
    if (open !== null) {
      const name = (open[1] ?? '').toLowerCase();
      const close = tokens.findIndex((t, j) => j > i && t.type === 'html' && t.raw.trim().toLowerCase() === `</${name}>`);
      if (close > i) {
        const inner = tokens.slice(i + 1, close);
        out.push({
          type: 'container',
          name: name === 'v-clicks' ? 'fragments' : 'fragment',
          info: '',
          raw: tokens
            .slice(i, close + 1)
            .map((t) => t.raw)
            .join(''),
          tokens: inner,
          line: token.line,
          column: token.column,
        } as SlideToken);
        i = close;
        continue;
      }
    }
    out.push(token);
  }
  slide.tokens = out;
  const seen = new Set<string>();
  const components: { tag: string; as: string | undefined }[] = [];
  walk(slide.tokens, (token) => {
    if (token.type !== 'html') return;
    // The raw stays as written (positions read it); render writes the text.
    if (typeof token.text === 'string') token.text = componentClicks(token.text, token.block === true, components);
    if (typeof token.text === 'string' && CLICK_ATTRIBUTE.test(token.text)) token.text = clickAsFragment(token.text);
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
