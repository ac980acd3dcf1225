/**
 * A slide's tokens (from parse, with their positions) → HTML, with a fresh Marked instance per
 * deck used only as a renderer: code highlighted at build time (highlight.js), math typeset at
 * build time (KaTeX), `:::` containers, fragments, reveal.js `.element` comments, and author
 * images rewritten to files copied next to the deck. Nothing here lexes, and nothing changes a
 * token: the same Deck renders to the same HTML however often it is rendered.
 */
import { Renderer, type Marked, type RendererExtension, type Token, type Tokens } from 'marked';
import { isContainer, type ContainerToken } from '../markdown/containers.js';
import { parseAttributes } from '../markdown/directives.js';
import { createMarked } from '../markdown/lexer.js';
import { positionOf, type Position } from '../markdown/positions.js';
import { createHighlighter } from './highlight.js';
import { mathRenderers } from './math.js';
import { filterAuthorHtml } from './sanitize.js';
import type { AssetRef, AssetResolver, Attributes, Diagnostic, DialectName } from '../types.js';
import { readImageKeywords } from '../markdown/image-keywords.js';
import { beforeLastEndTag, closeAbove, OPTIONAL_END, trackRawHtml, type RawStack } from './balance.js';
import { isLocalPath } from './assets.js';
import { checkedAttribute, checkedAttributes, fileReference } from './references.js';
import { escapeHtml, isSafeUrl } from './urls.js';
import { figureKey, figureLang } from './figures.js';

/** What rendering a slide collects besides HTML. */
export interface RenderSink {
  assets: AssetRef[];
  diagnostics: Diagnostic[];
  usesMath: boolean;
  file: string | undefined;
  /** Pass the author's raw HTML through as written (`--html`) instead of filtering it. */
  rawHtml: boolean;
  /** The deck file as given; local references resolve against its folder. */
  deckFile: string;
  /** The rule for local files (RenderContext.resolveAsset). */
  resolveAsset: AssetResolver;
  /** Raw HTML elements opened and not yet closed (src/render/balance.ts). */
  raw: RawStack;
  /** The dialect the deck was read in: Marp and Deckset read keywords in images' alt text. */
  dialect?: DialectName;
  /** Drawn figures by figureKey (RenderContext.figures). */
  figures?: Readonly<Record<string, string>> | undefined;
}

const sinks = new WeakMap<Marked, RenderSink>();

/**
 * Runs `render` as one block: raw HTML opened inside it is closed at its end (innermost first),
 * with a warning for elements whose end tag is not optional.
 */
export function rawScope(sink: RenderSink, render: () => string, where: 'block' | 'slide' = 'block'): string {
  const floor = sink.raw.open.length;
  const saved = sink.raw.floor;
  sink.raw.floor = floor;
  try {
    const html = render();
    // Nothing left open (nearly every block): nothing to close or warn about.
    if (sink.raw.open.length <= floor) return html;
    const { html: closing, closed } = closeAbove(sink.raw, floor);
    for (const element of closed) {
      if (OPTIONAL_END.has(element.tag)) continue;
      const message = `raw <${element.tag}> is never closed; it is closed at the end of the ${where === 'slide' ? 'slide' : 'enclosing block'} so it cannot swallow what follows. Add </${element.tag}>`;
      if (
        sink.diagnostics.some(
          (d) => d.code === 'unclosed-html' && d.line === element.line && d.column === element.column && d.message === message,
        )
      )
        continue;
      sink.diagnostics.push({
        severity: 'warning',
        code: 'unclosed-html',
        message,
        ...(element.line === undefined ? {} : { line: element.line }),
        ...(element.column === undefined ? {} : { column: element.column }),
        ...(sink.file === undefined ? {} : { file: sink.file }),
      });
    }
    return where === 'slide' ? html + closing : beforeLastEndTag(html, closing);
  } finally {
    sink.raw.floor = saved;
  }
}

/** Directive attributes after the URL rules (src/render/references.ts). */
function directiveAttributes(sink: RenderSink, attributes: Attributes, at: Position | undefined): Attributes {
  return checkedAttributes(sink, attributes, at);
}

const ELEMENT_COMMENT = /<!--\s*\.element:\s*([\s\S]*?)-->/;

/** Adds attributes to the first opening tag of `html`, merging `class`. */
export function addAttributes(html: string, attributes: Record<string, string>): string {
  return html.replace(/^(\s*<[a-zA-Z][\w-]*)([^>]*?)(\/?>)/, (_, open: string, existing: string, close: string) => {
    let attrs = existing;
    for (const [name, value] of Object.entries(attributes)) {
      const current = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
      if (name === 'class' && current !== null) {
        attrs = attrs.replace(current[0], ` class="${escapeHtml(`${current[1] ?? ''} ${value}`.trim())}"`);
      } else if (current === null) {
        attrs += ` ${name}="${escapeHtml(value)}"`;
      }
    }
    return `${open}${attrs}${close}`;
  });
}

/**
 * The first inline `.element` comment inside `token`, in document order: the one whose text
 * hoistElementComment finds first in the token's HTML.
 */
function firstElementComment(token: Token): Token | undefined {
  if (token.type === 'html' && ELEMENT_COMMENT.test(token.raw)) return token;
  const children: readonly Token[] = token.type === 'list' ? (token as Tokens.List).items : ((token as Tokens.Generic).tokens ?? []);
  for (const child of children) {
    const found = firstElementComment(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Moves an inline `<!-- .element: … -->` onto the block element that contains it. */
function hoistElementComment(sink: RenderSink, html: string, token: Token): string {
  const match = ELEMENT_COMMENT.exec(html);
  if (match === null) return html;
  const nested = html.search(/<(ul|ol)[\s>]/);
  if (nested >= 0 && nested < match.index) return html;
  const comment = firstElementComment(token);
  const attributes = directiveAttributes(
    sink,
    parseAttributes(match[1] ?? ''),
    comment === undefined ? positionOf(token) : positionOf(comment),
  );
  const without = html.replace(match[0], '').replace(/\s+(<\/(li|p|h[1-6])>)/, '$1');
  // A paragraph holding only an image: the attributes belong to the image (as in reveal.js).
  const onlyImage = /^<p>\s*(<img[^>]*>)\s*<\/p>\s*$/.exec(without);
  if (onlyImage?.[1] !== undefined) return `<p>${addAttributes(onlyImage[1], attributes)}</p>\n`;
  return addAttributes(without, attributes);
}

/** `&`, `<`, `>`, `"` and `'` as references, leaving `&` that starts a reference alone. */
function escapeAttribute(text: string): string {
  const references: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return text.replace(/[<>"']|&(?!(?:#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, (c) => references[c] ?? c);
}

/**
 * Marp Core's step lists: a list written with `*` markers, or an ordered list with `)` after its
 * numbers, shows its items one at a time.
 */
function isStepList(token: Tokens.List): boolean {
  const first = /^[ \t]*(\*|\d{1,9}\))[ \t]/.exec(token.raw);
  return first !== null;
}

/** `# <!--fit--> Title` (Marp) and `# [fit] Title` (Deckset): a heading fitted to the slide's width. */
function fitHeading(sink: RenderSink, token: Tokens.Heading): boolean {
  if (sink.dialect === 'marp') return (token.tokens ?? []).some((t) => t.type === 'html' && /^<!--\s*fit\s*-->$/.test(t.raw.trim()));
  if (sink.dialect === 'deckset') return /^#{1,6}[ \t]+\[fit\]/i.test(token.raw);
  return false;
}

export function createRenderer(sink: RenderSink): Marked {
  const base = new Renderer();
  const stepLists: boolean[] = [];
  const highlighter = createHighlighter();
  const marked = createMarked();
  marked.use({
    renderer: {
      code(token) {
        // Highlighted here, not in a walkTokens pass: that would write the HTML into the Deck's
        // token. The class names and the trailing newline are those marked-highlight wrote.
        const lang = /^\S*/.exec(token.lang ?? '')?.[0] ?? '';
        const figure = token.codeBlockStyle === 'indented' ? undefined : figureLang(lang);
        const svg = figure === undefined ? undefined : sink.figures?.[figureKey(figure, token.text)];
        // Our own SVG, not the author's HTML: the figure stage escaped its labels. One element, so
        // a fragment class or an `.element` comment applies to the figure as a whole.
        if (svg !== undefined) return `<figure class="ds-figure ds-figure-${figure}">${svg}</figure>\n`;
        const html = (highlighter.highlight(token.text, lang) ?? escapeHtml(token.text)).replace(/\n$/, '');
        return `<pre><code class="${lang === '' ? 'hljs' : `hljs language-${escapeAttribute(lang)}`}">${html}\n</code></pre>`;
      },
      html(token) {
        const at = positionOf(token);
        let html = token.text;
        if (!sink.rawHtml) {
          const filtered = filterAuthorHtml(token.text, (_tag, name, value) => checkedAttribute(sink, name, value, at));
          if (filtered.removed.length > 0) warnHtmlRemoved(sink, filtered.removed, token);
          html = filtered.html;
        }
        const tracked = trackRawHtml(html, sink.raw, at);
        if (tracked.stray.length > 0)
          warnHtmlRemoved(
            sink,
            tracked.stray.map((t) => `${t} that closes nothing opened here`),
            token,
          );
        return tracked.html;
      },
      list(token) {
        stepLists.push(sink.dialect === 'marp' && isStepList(token));
        try {
          return base.list.call(this, token);
        } finally {
          stepLists.pop();
        }
      },
      listitem(item) {
        const html = hoistElementComment(
          sink,
          rawScope(sink, () => base.listitem.call(this, item)),
          item,
        );
        return stepLists[stepLists.length - 1] === true ? addAttributes(html, { class: 'fragment' }) : html;
      },
      paragraph(token) {
        return hoistElementComment(
          sink,
          rawScope(sink, () => base.paragraph.call(this, token)),
          token,
        );
      },
      heading(token) {
        const html = hoistElementComment(
          sink,
          rawScope(sink, () => base.heading.call(this, token)),
          token,
        );
        if (!fitHeading(sink, token)) return html;
        // Deckset's `[fit]` is a keyword, never text.
        const shown = sink.dialect === 'deckset' ? html.replace(/^(\s*<h[1-6][^>]*>)\s*\[fit\]\s*/i, '$1') : html;
        return addAttributes(shown, { class: 'ds-fit-heading' });
      },
      blockquote(token) {
        return rawScope(sink, () => base.blockquote.call(this, token));
      },
      tablecell(token) {
        return rawScope(sink, () => base.tablecell.call(this, token));
      },
      image(token) {
        const { href, title } = token;
        let { text } = token;
        let sizeAttr = '';
        if (sink.dialect === 'marp' || sink.dialect === 'deckset') {
          const keywords = readImageKeywords(text, sink.dialect, false);
          // A background is drawn behind the slide (./backgrounds.ts), not where it is written.
          if (keywords.background) return '';
          text = keywords.alt;
          const style = [
            keywords.width === undefined ? '' : `width: ${keywords.width};`,
            keywords.height === undefined ? '' : `height: ${keywords.height};`,
            keywords.filter === undefined ? '' : `filter: ${keywords.filter};`,
          ]
            .filter(Boolean)
            .join(' ');
          if (style.trim() !== '') sizeAttr = ` style="${escapeHtml(style.trim())}"`;
        }
        const alt = escapeHtml(text);
        const titleAttr = (title === null || title === undefined ? '' : ` title="${escapeHtml(title)}"`) + sizeAttr;
        if (isLocalPath(href)) {
          const target = fileReference(sink, href, { what: 'image', kind: 'image', line: positionOf(token) });
          if (target === undefined) return `<span class="ds-missing-image">${alt}</span>`;
          return `<img src="${escapeHtml(target)}" alt="${alt}"${titleAttr}>`;
        }
        if (!isSafeUrl(href)) {
          warn(
            sink,
            'unsafe-url',
            `image address "${href}" is not allowed (only relative paths, http(s) and data:image); the image is left out`,
            token,
          );
          return `<span class="ds-missing-image">${alt}</span>`;
        }
        return `<img src="${escapeHtml(href)}" alt="${alt}"${titleAttr}>`;
      },
      link(token) {
        const inner = this.parser.parseInline(token.tokens);
        if (!isSafeUrl(token.href)) {
          warn(sink, 'unsafe-url', `link address "${token.href}" is not allowed; the link text is kept without the link`, token);
          return inner;
        }
        const titleAttr = token.title === null || token.title === undefined ? '' : ` title="${escapeHtml(token.title)}"`;
        return `<a href="${escapeHtml(token.href)}"${titleAttr}>${inner}</a>`;
      },
    },
    extensions: [
      // A formula rendered is what makes the deck ship KaTeX's stylesheet: said as it is typeset,
      // rather than found by walking every slide's tokens first.
      ...mathRenderers.map(
        (math): RendererExtension => ({
          name: math.name,
          renderer(token) {
            sink.usesMath = true;
            return math.renderer.call(this, token);
          },
        }),
      ),
      {
        name: 'container',
        renderer(token) {
          const container = token as ContainerToken;
          if (container.name === 'fragments' || container.name === 'incremental') {
            return container.tokens.map((child) => fragment(this.parser.parse([child]), child)).join('');
          }
          return `<div class="${container.name}">${rawScope(sink, () => this.parser.parse(container.tokens))}</div>\n`;
        },
      },
    ],
  });
  sinks.set(marked, sink);
  return marked;
}

function fragment(html: string, token: Token): string {
  if (token.type === 'space') return html;
  if (token.type === 'list') return html.replace(/<li(?=[\s>])/g, '<li class="fragment"');
  return addAttributes(html, { class: 'fragment' });
}

/** A warning at the position of the token that caused it. */
function warn(sink: RenderSink, code: Diagnostic['code'], message: string, token: Token): void {
  const at = positionOf(token);
  sink.diagnostics.push({
    severity: 'warning',
    code,
    message,
    ...(at === undefined ? {} : { line: at.line, column: at.column }),
    ...(sink.file === undefined ? {} : { file: sink.file }),
  });
}

/** One warning per source line (at its first tag), however many inline tags on it lost something. */
function warnHtmlRemoved(sink: RenderSink, removed: readonly string[], token: Token): void {
  const line = positionOf(token)?.line;
  const last = sink.diagnostics[sink.diagnostics.length - 1];
  const pending = last?.code === 'html-removed' && last.line === line ? htmlRemovedParts.get(last) : undefined;
  const parts = [...new Set([...(pending ?? []), ...removed])];
  const message = `removed ${parts.join(', ')} from the raw HTML (decksmith keeps the HTML for formatting, media and tables); run with --html to keep raw HTML as written`;
  if (last !== undefined && pending !== undefined) {
    last.message = message;
    htmlRemovedParts.set(last, parts);
    return;
  }
  warn(sink, 'html-removed', message, token);
  const added = sink.diagnostics[sink.diagnostics.length - 1];
  if (added !== undefined) htmlRemovedParts.set(added, parts);
}
const htmlRemovedParts = new WeakMap<Diagnostic, string[]>();

/** Renders a list of top-level tokens one at a time so `.element` comments can attach to the block before them. */
export function renderTokens(marked: Marked, tokens: readonly Token[]): string {
  const sink = sinks.get(marked);
  const render = (): string => {
    const parts: string[] = [];
    for (const token of tokens) {
      if (token.type === 'html' && ELEMENT_COMMENT.test(token.raw) && /^\s*<!--[\s\S]*-->\s*$/.test(token.raw)) {
        const previous = findLastBlock(parts);
        if (previous >= 0) {
          const parsed = parseAttributes(ELEMENT_COMMENT.exec(token.raw)?.[1] ?? '');
          const attributes = sink === undefined ? parsed : directiveAttributes(sink, parsed, positionOf(token));
          parts[previous] = addAttributes(parts[previous] ?? '', attributes);
          continue;
        }
      }
      parts.push(marked.parser([token] as Token[]));
    }
    return parts.join('');
  };
  return sink === undefined ? render() : rawScope(sink, render, 'slide');
}

/** A slide's notes (or any tokens rendered whole), with its raw HTML kept inside it. */
export function renderWhole(marked: Marked, tokens: readonly Token[]): string {
  const sink = sinks.get(marked);
  const render = (): string => marked.parser(tokens as Token[]);
  return sink === undefined ? render() : rawScope(sink, render, 'slide');
}

function findLastBlock(parts: readonly string[]): number {
  for (let i = parts.length - 1; i >= 0; i--) if ((parts[i] ?? '').trim() !== '') return i;
  return -1;
}

/** The slide's tokens, split into what sits above, in and below a compare layout's columns. */
export interface ColumnSplit {
  header: Token[];
  columns: Token[][];
  footer: Token[];
}

export function splitColumns(tokens: readonly Token[]): ColumnSplit {
  const isColumn = (t: Token) => isContainer(t) && (t.name === 'column' || t.name === 'col');
  if (tokens.some(isColumn)) {
    const header: Token[] = [];
    const columns: Token[][] = [];
    const footer: Token[] = [];
    for (const token of tokens) {
      if (isColumn(token)) columns.push((token as ContainerToken).tokens as Token[]);
      else (columns.length === 0 ? header : footer).push(token);
    }
    return { header, columns, footer };
  }
  const header: Token[] = [];
  const columns: Token[][] = [];
  for (const token of tokens) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 3) columns.push([token]);
    else (columns[columns.length - 1] ?? header).push(token);
  }
  return { header, columns, footer: [] };
}
