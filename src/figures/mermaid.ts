/**
 * ```mermaid fences → inline SVG, drawn by Mermaid's own browser bundle in a page of decksmith's
 * Chromium (Mermaid measures text with the browser's layout, so it needs one). The page loads
 * nothing from anywhere: the bundle and the theme's font files are handed to it as text and data,
 * and every request it would make is aborted.
 *
 * What comes back is our SVG, not the author's HTML, so render inlines it unfiltered; the labels
 * in it come from the deck, hence the rules here: plain SVG text labels (`htmlLabels: false`, no
 * foreignObject), Mermaid's `strict` security level, and then a pass over the DOM that removes
 * scripts, foreign objects, event handlers, non-local links and outside url()s, whatever Mermaid
 * produced. Ids are prefixed with the figure's own id, so two diagrams on one page never share a
 * marker or a style.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Protocol } from 'puppeteer-core';
import type { BrowserSession } from '../browser/session.js';
import { FigureError } from '../errors.js';
import type { FigureFence } from '../types.js';
import type { FigureTheme } from './types.js';
import { luminance } from './theme.js';

/** The Mermaid package found, with what the page loads. */
export interface MermaidLibrary {
  version: string;
  /** Path of dist/mermaid.min.js. */
  bundle: string;
}

/**
 * Finds the `mermaid` package: next to the deck (or a folder above it), in the working folder, or
 * next to decksmith itself (a global decksmith finds a global mermaid). Not a dependency of
 * decksmith's (it adds about 150 MB to an install), so a deck that uses it says how to get it.
 */
export function findMermaid(from: readonly string[]): MermaidLibrary | undefined {
  const places = [...from, process.cwd(), dirname(fileURLToPath(import.meta.url))];
  for (const place of places) {
    try {
      const pkg = createRequire(join(place, 'noop.js')).resolve('mermaid/package.json');
      const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version;
      if (typeof version !== 'string' || !version.startsWith('11.')) continue;
      return { version, bundle: join(dirname(pkg), 'dist', 'mermaid.min.js') };
    } catch {
      // Not installed there.
    }
  }
  return undefined;
}

export const MERMAID_INSTALL = 'npm install --save-dev mermaid@11';

/** Mermaid's theme variables for `theme` (its `base` theme, the one meant to be customised). */
export function mermaidConfig(theme: FigureTheme, id: string): Record<string, unknown> {
  const t = theme;
  const fontSize = `${Math.round(t.fontSize * 0.8)}px`;
  const palette = Object.fromEntries(
    t.palette.flatMap((c, i) => [
      [`pie${i + 1}`, c],
      [`git${i}`, c],
      [`cScale${i}`, c],
    ]),
  );
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    htmlLabels: false,
    deterministicIds: true,
    deterministicIDSeed: id,
    fontFamily: t.fontFamily,
    // Sequence diagrams take their text size from here, over their own actor/message/note sizes.
    fontSize: Math.round(t.fontSize * 0.8),
    theme: 'base',
    flowchart: { htmlLabels: false, useMaxWidth: false },
    sequence: {
      useMaxWidth: false,
      actorFontSize: fontSize,
      messageFontSize: fontSize,
      noteFontSize: fontSize,
      actorFontFamily: t.fontFamily,
      messageFontFamily: t.fontFamily,
      noteFontFamily: t.fontFamily,
    },
    class: { htmlLabels: false, useMaxWidth: false },
    state: { useMaxWidth: false },
    er: { useMaxWidth: false },
    journey: { useMaxWidth: false },
    gantt: { useMaxWidth: false },
    pie: { useMaxWidth: false },
    mindmap: { useMaxWidth: false },
    timeline: { useMaxWidth: false },
    themeVariables: {
      darkMode: luminance(t.background) < luminance(t.foreground),
      background: t.background,
      fontFamily: t.fontFamily,
      fontSize,
      primaryColor: t.surface,
      primaryTextColor: t.foreground,
      primaryBorderColor: t.accent,
      secondaryColor: t.surface,
      secondaryTextColor: t.foreground,
      secondaryBorderColor: t.border,
      tertiaryColor: t.background,
      tertiaryTextColor: t.foreground,
      tertiaryBorderColor: t.border,
      mainBkg: t.surface,
      nodeBorder: t.accent,
      nodeTextColor: t.foreground,
      textColor: t.foreground,
      titleColor: t.foreground,
      lineColor: t.muted,
      clusterBkg: t.background,
      clusterBorder: t.border,
      edgeLabelBackground: t.background,
      noteBkgColor: t.surface,
      noteTextColor: t.foreground,
      noteBorderColor: t.border,
      actorBkg: t.surface,
      actorBorder: t.accent,
      actorTextColor: t.foreground,
      actorLineColor: t.muted,
      signalColor: t.foreground,
      signalTextColor: t.foreground,
      labelBoxBkgColor: t.surface,
      labelBoxBorderColor: t.border,
      labelTextColor: t.foreground,
      loopTextColor: t.foreground,
      activationBkgColor: t.surface,
      activationBorderColor: t.accent,
      sequenceNumberColor: t.background,
      pieTitleTextColor: t.foreground,
      pieSectionTextColor: t.background,
      pieLegendTextColor: t.foreground,
      pieStrokeColor: t.background,
      pieOuterStrokeColor: t.border,
      ...palette,
    },
  };
}

/** What the page returns for one diagram. */
type Drawn = { svg: string; texts: string[] } | { error: string };

/**
 * A page with Mermaid loaded; draws diagrams one at a time. The renderer closes it after each deck,
 * or hands it to the next deck in line after `forgetFonts`.
 */
export class MermaidPage {
  private readonly fontsLoaded = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly page: Page,
    readonly library: MermaidLibrary,
  ) {}

  static async open(session: BrowserSession, library: MermaidLibrary): Promise<MermaidPage> {
    session.assertAlive();
    const page = await session.race(session.browser.newPage());
    try {
      // Only data: URLs load. Paused and answered on a DevTools session of the page's own, not
      // through Puppeteer's request interception, which needs the Network events that the
      // sessions decksmith launches leave off (BrowserSessionOptions.networkEvents).
      const client = await session.race(page.createCDPSession());
      client.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
        const sent = event.request.url.startsWith('data:')
          ? client.send('Fetch.continueRequest', { requestId: event.requestId })
          : client.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' });
        sent.catch(() => undefined);
      });
      await session.race(client.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }));
      await session.race(page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>'));
      await session.race(page.addScriptTag({ content: readFileSync(library.bundle, 'utf8') }));
      return new MermaidPage(page, library);
    } catch (error) {
      await page.close().catch(() => undefined);
      throw error;
    }
  }

  /** Loads the theme's body font faces into the page (once each), so Mermaid measures with them. */
  private async loadFonts(theme: FigureTheme): Promise<void> {
    const wanted = new Map<string, FigureTheme['fonts'][number]>();
    for (const font of theme.fonts) {
      const key = `${font.family}|${font.weight}|${font.style}`;
      // The first face per weight and style is the one that draws Latin (figureTheme orders them).
      if (!wanted.has(key)) wanted.set(key, font);
    }
    const faces = [...wanted.values()]
      .filter((f) => !this.fontsLoaded.has(f.path))
      .map((f) => {
        this.fontsLoaded.add(f.path);
        const type = f.path.endsWith('.woff2') ? 'font/woff2' : f.path.endsWith('.woff') ? 'font/woff' : 'font/ttf';
        return {
          family: f.family,
          weight: String(f.weight),
          style: f.style,
          url: `data:${type};base64,${readFileSync(f.path).toString('base64')}`,
        };
      });
    if (faces.length === 0) return;
    await this.page.evaluate(async (list) => {
      for (const f of list) {
        const face = new FontFace(f.family, `url(${f.url})`, { weight: f.weight, style: f.style });
        document.fonts.add(face);
        await face.load();
      }
    }, faces);
  }

  /**
   * The SVG of one diagram, sized to fit `theme.width` × `theme.height` (never scaled up).
   * @throws FigureError `figure-syntax` at the line inside the fence Mermaid names.
   */
  draw(fence: FigureFence, theme: FigureTheme, id: string, file: string): Promise<string> {
    const run = this.queue.then(() => this.drawNow(fence, theme, id, file));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async drawNow(fence: FigureFence, theme: FigureTheme, id: string, file: string): Promise<string> {
    await this.loadFonts(theme);
    const drawn: Drawn = await this.page.evaluate(drawInPage, {
      id,
      source: fence.source,
      config: mermaidConfig(theme, id),
      family: theme.fontFamily,
      size: Math.round(theme.fontSize * 0.8),
      box: [theme.width, theme.height] as [number, number],
    });
    if ('error' in drawn) {
      const inside = Number(/\bline (\d+)/i.exec(drawn.error)?.[1] ?? '1');
      const lines = fence.source.split('\n').length;
      throw new FigureError('figure-syntax', `Mermaid cannot draw this diagram: ${drawn.error.trim()}`, {
        file,
        line: fence.line + Math.min(Math.max(inside, 1), lines) - 1,
        hint: 'Fix the diagram (https://mermaid.js.org/intro/syntax-reference.html), or write ```text instead of ```mermaid to show it as code.',
      });
    }
    return drawn.svg;
  }

  /** Removes the font faces loaded so far: the next deck measures its text as on a fresh page. */
  async forgetFonts(): Promise<void> {
    const run = this.queue.then(() => this.page.evaluate(() => document.fonts.clear()));
    this.queue = run.catch(() => undefined);
    this.fontsLoaded.clear();
    await run;
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }
}

/** Runs in the page: draws, then makes the SVG safe, self-contained and sized. */
async function drawInPage(input: {
  id: string;
  source: string;
  config: Record<string, unknown>;
  family: string;
  size: number;
  box: [number, number];
}): Promise<Drawn> {
  interface MermaidApi {
    initialize(config: Record<string, unknown>): void;
    parse(text: string): Promise<unknown>;
    render(id: string, text: string): Promise<{ svg: string }>;
  }
  const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
  await document.fonts.load(`${input.size}px ${input.family}`).catch(() => undefined);
  await document.fonts.ready;
  mermaid.initialize(input.config);
  let svgText: string;
  try {
    await mermaid.parse(input.source);
    svgText = (await mermaid.render(input.id, input.source)).svg;
  } catch (error) {
    // Mermaid leaves its error graphic in the body; nothing of it is kept.
    for (const stray of document.querySelectorAll(`[id^="d${input.id}"], #${CSS.escape(input.id)}`)) stray.remove();
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const holder = document.createElement('div');
  holder.innerHTML = svgText;
  const svg = holder.querySelector('svg');
  if (svg === null) return { error: 'Mermaid produced no SVG' };
  for (const bad of svg.querySelectorAll('script, foreignObject, foreignobject, iframe, object, embed, image')) bad.remove();
  // url() that leaves the SVG (a fetch when shown) becomes none; url(#marker) stays.
  const localUrls = (css: string): string => css.replace(/@import[^;]*;?/gi, '').replace(/url\(\s*(?!['"]?#)[^)]*\)/gi, 'none');
  // Ids: prefixed with the figure's id, and every reference to them with it.
  const prefix = `${input.id}-`;
  const renamed = new Map<string, string>();
  for (const el of svg.querySelectorAll('[id]')) {
    const old = el.id;
    if (old.startsWith(prefix)) continue;
    const next = `${prefix}${old}`;
    renamed.set(old, next);
    el.id = next;
  }
  const rewrite = (value: string): string =>
    value.replace(/url\(\s*(['"]?)#([^'")]+)\1\s*\)/g, (whole, _q: string, name: string) => {
      const next = renamed.get(name);
      return next === undefined ? whole : `url(#${next})`;
    });
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if (name === 'href' || name === 'xlink:href' || name === 'src') {
        const target = value.trim();
        if (target.startsWith('#')) {
          const next = renamed.get(target.slice(1));
          if (next !== undefined) el.setAttribute(attr.name, `#${next}`);
        } else if (!/^https?:\/\//i.test(target)) el.removeAttribute(attr.name);
      } else if (name === 'aria-labelledby' || name === 'aria-describedby') {
        el.setAttribute(
          attr.name,
          value
            .split(/\s+/)
            .map((v) => renamed.get(v) ?? v)
            .join(' '),
        );
      } else if (name === 'style') el.setAttribute('style', localUrls(rewrite(value)));
      else if (value.includes('url(')) el.setAttribute(attr.name, localUrls(rewrite(value)));
    }
  }
  // The diagram's stylesheet references nothing at all: Mermaid's only url() there is a gradient
  // for its "neo" look, which decksmith does not use (markers are referenced by attributes).
  for (const style of svg.querySelectorAll('style'))
    style.textContent = (style.textContent ?? '').replace(/@import[^;]*;?/gi, '').replace(/url\([^)]*\)/gi, 'none');
  // Size: the natural size, scaled down to the content area.
  const view = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const [w, h] = [view[2] ?? 0, view[3] ?? 0];
  const scale = w > 0 && h > 0 ? Math.min(1, input.box[0] / w, input.box[1] / h) : 1;
  svg.removeAttribute('style');
  svg.setAttribute('width', String(Math.round(w * scale)));
  svg.setAttribute('height', String(Math.round(h * scale)));
  svg.setAttribute('style', 'display:block;margin:0 auto;max-width:100%;height:auto');
  // An accessible name: the author's accTitle, else the diagram's own words.
  const texts = [...svg.querySelectorAll('text')].map((t) => (t.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  let title = svg.querySelector(':scope > title');
  const kind = svg.getAttribute('aria-roledescription') ?? 'diagram';
  if (title === null) {
    title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    const words = [...new Set(texts)];
    title.textContent = `${kind.replace(/-v\d+$/, '')}: ${words.slice(0, 12).join(', ')}${words.length > 12 ? ', …' : ''}`;
    svg.insertBefore(title, svg.firstChild);
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', (title.textContent ?? '').trim());
  return { svg: svg.outerHTML, texts };
}

/** A last check in Node of what the page returned (or the cache held): nothing in it may run or fetch. */
export function looksSafe(svg: string): boolean {
  if (!svg.startsWith('<svg')) return false;
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  const attribute = /([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
  for (const [, name = '', attributes = ''] of svg.matchAll(tag)) {
    if (/^(script|foreignobject|iframe|object|embed)$/i.test(name)) return false;
    for (const [, attr = '', quoted = ''] of attributes.matchAll(attribute)) {
      const value = quoted.replace(/^["']|["']$/g, '').trim();
      if (/^on/i.test(attr)) return false;
      if (/^(xlink:)?href$|^src$/i.test(attr) && !/^(#|https?:\/\/)/i.test(value)) return false;
    }
  }
  return true;
}
