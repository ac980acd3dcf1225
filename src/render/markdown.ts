/**
 * Markdown → HTML for one slide, with a fresh Marked instance per deck: code highlighted at build
 * time (highlight.js), math typeset at build time (KaTeX), `:::` containers, fragments,
 * reveal.js `.element` comments, and author images rewritten to files copied next to the deck.
 */
import { Renderer, type Marked, type Token, type Tokens } from 'marked';
import { markedHighlight } from 'marked-highlight';
import { isContainer, type ContainerToken } from '../markdown/containers.js';
import { parseAttributes } from '../markdown/directives.js';
import { createMarked } from '../markdown/lexer.js';
import { isMath } from '../markdown/math.js';
import { createHighlighter } from './highlight.js';
import { filterAuthorHtml } from './sanitize.js';
import type { AssetRef, AssetResolver, Attributes, Diagnostic } from '../types.js';
import { beforeLastEndTag, closeAbove, OPTIONAL_END, trackRawHtml, type RawStack } from './balance.js';
import { isLocalPath } from './assets.js';
import { checkedAttribute, checkedAttributes, fileReference } from './references.js';
import { escapeHtml, isSafeUrl } from './urls.js';

/** What rendering a slide collects besides HTML. */
export interface RenderSink {
  assets: AssetRef[];
  diagnostics: Diagnostic[];
  usesMath: boolean;
  /** Where the Markdown being rendered starts, for diagnostics. */
  markdown: string;
  firstLine: number;
  file: string | undefined;
  /** Pass the author's raw HTML through as written (`--html`) instead of filtering it. */
  rawHtml: boolean;
  /** The deck file as given; local references resolve against its folder. */
  deckFile: string;
  /** The rule for local files (RenderContext.resolveAsset). */
  resolveAsset: AssetResolver;
  /** Raw HTML elements opened and not yet closed (src/render/balance.ts). */
  raw: RawStack;
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
    const { html: closing, closed } = closeAbove(sink.raw, floor);
    for (const element of closed) {
      if (OPTIONAL_END.has(element.tag)) continue;
      const message = `raw <${element.tag}> is never closed; it is closed at the end of the ${where === 'slide' ? 'slide' : 'enclosing block'} so it cannot swallow what follows. Add </${element.tag}>`;
      if (sink.diagnostics.some((d) => d.code === 'unclosed-html' && d.line === element.line && d.message === message)) continue;
      sink.diagnostics.push({
        severity: 'warning',
        code: 'unclosed-html',
        message,
        ...(element.line === undefined ? {} : { line: element.line }),
        ...(sink.file === undefined ? {} : { file: sink.file }),
      });
    }
    return where === 'slide' ? html + closing : beforeLastEndTag(html, closing);
  } finally {
    sink.raw.floor = saved;
  }
}

/** Directive attributes after the URL rules (src/render/references.ts). */
function directiveAttributes(sink: RenderSink, attributes: Attributes, line: number | undefined): Attributes {
  return checkedAttributes(sink, attributes, line);
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

/** Moves an inline `<!-- .element: … -->` onto the block element that contains it. */
function hoistElementComment(sink: RenderSink, html: string): string {
  const match = ELEMENT_COMMENT.exec(html);
  if (match === null) return html;
  const nested = html.search(/<(ul|ol)[\s>]/);
  if (nested >= 0 && nested < match.index) return html;
  const attributes = directiveAttributes(sink, parseAttributes(match[1] ?? ''), lineOf(sink, match[0]));
  const without = html.replace(match[0], '').replace(/\s+(<\/(li|p|h[1-6])>)/, '$1');
  // A paragraph holding only an image: the attributes belong to the image (as in reveal.js).
  const onlyImage = /^<p>\s*(<img[^>]*>)\s*<\/p>\s*$/.exec(without);
  if (onlyImage?.[1] !== undefined) return `<p>${addAttributes(onlyImage[1], attributes)}</p>\n`;
  return addAttributes(without, attributes);
}

function lineOf(sink: RenderSink, needle: string): number | undefined {
  const index = sink.markdown.indexOf(needle);
  if (index < 0) return undefined;
  return sink.firstLine + (sink.markdown.slice(0, index).match(/\n/g)?.length ?? 0);
}

export function createRenderer(sink: RenderSink): Marked {
  const base = new Renderer();
  const highlighter = createHighlighter();
  const marked = createMarked(
    markedHighlight({
      emptyLangClass: 'hljs',
      langPrefix: 'hljs language-',
      highlight(code, lang) {
        return highlighter.highlight(code, lang) ?? escapeHtml(code);
      },
    }),
  );
  marked.use({
    renderer: {
      html(token) {
        const line = lineOf(sink, token.raw);
        let html = token.text;
        if (!sink.rawHtml) {
          const filtered = filterAuthorHtml(token.text, (_tag, name, value) => checkedAttribute(sink, name, value, line));
          if (filtered.removed.length > 0) warnHtmlRemoved(sink, filtered.removed, token.raw);
          html = filtered.html;
        }
        const tracked = trackRawHtml(html, sink.raw, line);
        if (tracked.stray.length > 0) warnHtmlRemoved(sink, tracked.stray.map((t) => `${t} that closes nothing opened here`), token.raw);
        return tracked.html;
      },
      listitem(item) {
        return hoistElementComment(sink, rawScope(sink, () => base.listitem.call(this, item)));
      },
      paragraph(token) {
        return hoistElementComment(sink, rawScope(sink, () => base.paragraph.call(this, token)));
      },
      heading(token) {
        return hoistElementComment(sink, rawScope(sink, () => base.heading.call(this, token)));
      },
      blockquote(token) {
        return rawScope(sink, () => base.blockquote.call(this, token));
      },
      tablecell(token) {
        return rawScope(sink, () => base.tablecell.call(this, token));
      },
      image(token) {
        const { href, text, title } = token;
        const alt = escapeHtml(text);
        const titleAttr = title === null || title === undefined ? '' : ` title="${escapeHtml(title)}"`;
        if (isLocalPath(href)) {
          const target = fileReference(sink, href, { what: 'image', kind: 'image', line: lineOf(sink, token.raw) });
          if (target === undefined) return `<span class="ds-missing-image">${alt}</span>`;
          return `<img src="${escapeHtml(target)}" alt="${alt}"${titleAttr}>`;
        }
        if (!isSafeUrl(href)) {
          warn(sink, 'unsafe-url', `image address "${href}" is not allowed (only relative paths, http(s) and data:image); the image is left out`, token.raw);
          return `<span class="ds-missing-image">${alt}</span>`;
        }
        return `<img src="${escapeHtml(href)}" alt="${alt}"${titleAttr}>`;
      },
      link(token) {
        const inner = this.parser.parseInline(token.tokens);
        if (!isSafeUrl(token.href)) {
          warn(sink, 'unsafe-url', `link address "${token.href}" is not allowed; the link text is kept without the link`, token.raw);
          return inner;
        }
        const titleAttr = token.title === null || token.title === undefined ? '' : ` title="${escapeHtml(token.title)}"`;
        return `<a href="${escapeHtml(token.href)}"${titleAttr}>${inner}</a>`;
      },
    },
    extensions: [
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
    walkTokens(token) {
      if (isMath(token)) sink.usesMath = true;
    },
  });
  sinks.set(marked, sink);
  return marked;
}

function fragment(html: string, token: Token): string {
  if (token.type === 'space') return html;
  if (token.type === 'list') return html.replace(/<li(?=[\s>])/g, '<li class="fragment"');
  return addAttributes(html, { class: 'fragment' });
}

function warn(sink: RenderSink, code: Diagnostic['code'], message: string, raw: string): void {
  const line = lineOf(sink, raw);
  sink.diagnostics.push({
    severity: 'warning',
    code,
    message,
    ...(line === undefined ? {} : { line }),
    ...(sink.file === undefined ? {} : { file: sink.file }),
  });
}

/** One warning per source line, however many inline tags on it lost something. */
function warnHtmlRemoved(sink: RenderSink, removed: readonly string[], raw: string): void {
  const line = lineOf(sink, raw);
  const last = sink.diagnostics[sink.diagnostics.length - 1];
  const pending = last?.code === 'html-removed' && last.line === line ? htmlRemovedParts.get(last) : undefined;
  const parts = [...new Set([...(pending ?? []), ...removed])];
  const message = `removed ${parts.join(', ')} from the raw HTML (decksmith keeps the HTML for formatting, media and tables); run with --html to keep raw HTML as written`;
  if (last !== undefined && pending !== undefined) {
    last.message = message;
    htmlRemovedParts.set(last, parts);
    return;
  }
  warn(sink, 'html-removed', message, raw);
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
          const attributes = sink === undefined ? parsed : directiveAttributes(sink, parsed, lineOf(sink, token.raw));
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

/** A slide's notes (or any Markdown rendered whole), with its raw HTML kept inside it. */
export function renderWhole(marked: Marked, markdown: string): string {
  const sink = sinks.get(marked);
  const render = (): string => marked.parse(markdown, { async: false });
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
