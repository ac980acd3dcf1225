/**
 * What a person sees on each slide, measured in the browser: content that does not fit the
 * slide's content area (reaching into the padding or past the frame, or cut off by its own box),
 * and the WCAG contrast of every piece of text against what is painted behind it (background
 * colours and every colour stop of background gradients, alpha composited). `decksmith check`,
 * the theme gallery and the tests all measure with this one definition.
 *
 * `measureSlides` runs inside the page (puppeteer serialises it), so it is self-contained:
 * no imports, no closures over module scope. Whether content fits is not defined here: it is
 * `decksmithContentOverflow` in the built-in `templates/partials/fit.hbs`, the same text the deck
 * inlines for `<!-- fit -->`, sent to the page together with the measuring code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { builtinTemplatesDir } from '../build/paths.js';
import type { BuiltDeck, Diagnostic } from '../types.js';
import { allowOnlyDeckFiles } from './load.js';
import { TIMEOUTS } from './timeouts.js';

export interface TextContrast {
  /** The first 60 characters of the text. */
  text: string;
  /** CSS selector-ish path of the element, e.g. `h2` or `.ds-column > ul > li`. */
  where: string;
  fg: string;
  bg: string;
  /** The worst ratio over every background colour the text may sit on. */
  ratio: number;
  /** WCAG "large text": 24px and up, or 18.66px and up in bold. */
  large: boolean;
}

export interface SlideMeasurement {
  /** Elements that overflow the slide frame or are clipped by their own box. */
  overflow: string[];
  /** How far content reaches past the content area's bottom and right edge, in slide pixels (0 when it fits). */
  bottom: number;
  right: number;
  /** Every visible text and its contrast; empty when contrast was not asked for. */
  texts: TextContrast[];
}

/** WCAG 2.x minimum contrast: AA is 4.5 (3 for large text); AA-large is 3 for every size. */
export function requiredContrast(level: 'AA' | 'AA-large', large: boolean): number {
  return level === 'AA' && !large ? 4.5 : 3;
}

export interface MeasureSlidesArgs {
  /** Measure text contrast too. */
  contrast: boolean;
  /**
   * Reading-order indices of the slides to measure where they stand (reveal's print view lays
   * every slide out at once); null measures the current slide, with its footer and slide number.
   */
  indices: number[] | null;
}

/** What `decksmithContentOverflow` (templates/partials/fit.hbs) reports of a slide's frame. */
export interface ContentOverflow {
  /** How far content reaches past the content area's bottom / right edge, in slide pixels (0 when it does not). */
  bottom: number;
  right: number;
  /** 1 when the content fits (within 2px); else the zoom that makes it fit. */
  ratio: number;
  /** Elements reaching past any side of the content area. */
  offenders: Element[];
}

/** The measuring code; `fits` is the page's `decksmithContentOverflow`. Self-contained, as measureSlides. */
function measureSlidesWith(args: MeasureSlidesArgs, fits: (frame: HTMLElement) => ContentOverflow): SlideMeasurement[] {
  const contrast = args.contrast;
  type RGBA = [number, number, number, number];
  const parse = (value: string): RGBA | undefined => {
    // color-mix() and other modern colours compute to `color(srgb r g b / a)` with 0–1 channels.
    const srgb = /color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+%?))?\s*\)/.exec(value);
    if (srgb !== null) {
      const a = srgb[4] === undefined ? 1 : srgb[4].endsWith('%') ? Number(srgb[4].slice(0, -1)) / 100 : Number(srgb[4]);
      return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, a];
    }
    const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)/.exec(value);
    if (m === null) return undefined;
    const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
    return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
  };
  const over = (top: RGBA, bottom: RGBA): RGBA => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: 0 | 1 | 2) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = (c: RGBA): number => {
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  };
  const ratio = (a: RGBA, b: RGBA): number => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  const css = (c: RGBA) =>
    `rgb(${c
      .slice(0, 3)
      .map((v) => Math.round(v))
      .join(', ')})`;
  const describe = (el: Element): string => {
    const parts: string[] = [];
    for (
      let node: Element | null = el;
      node !== null && !node.classList.contains('ds-frame') && parts.length < 3;
      node = node.parentElement
    ) {
      const cls = [...node.classList].find((c) => c.startsWith('ds-'));
      parts.unshift(cls === undefined ? node.tagName.toLowerCase() : `.${cls}`);
    }
    return parts.join(' > ');
  };

  /** Every colour that may be painted behind `el`: its own and its ancestors' backgrounds. */
  const backgrounds = (el: Element): RGBA[] => {
    const layers: { color: RGBA; stops: RGBA[] }[] = [];
    for (let node: Element | null = el; node !== null; node = node.parentElement) {
      const style = getComputedStyle(node);
      const color = parse(style.backgroundColor) ?? [0, 0, 0, 0];
      const stops: RGBA[] = [];
      if (style.backgroundImage.includes('gradient')) {
        for (const m of style.backgroundImage.matchAll(/rgba?\([^)]*\)|color\(srgb[^)]*\)/g)) {
          const stop = parse(m[0]);
          if (stop !== undefined) stops.push(stop);
        }
      }
      layers.push({ color, stops });
      if (color[3] >= 1 || stops.some((s) => s[3] >= 1)) break;
      // reveal.js paints `data-background-color` on a separate layer behind the slide.
      const authored = node instanceof HTMLElement && node.tagName === 'SECTION' ? node.dataset['backgroundColor'] : undefined;
      if (authored !== undefined) {
        const probe = document.createElement('span');
        probe.style.color = authored;
        document.body.append(probe);
        const painted = parse(getComputedStyle(probe).color);
        probe.remove();
        if (painted !== undefined) {
          layers.push({ color: painted, stops: [] });
          break;
        }
      }
    }
    let below: RGBA[] = [[255, 255, 255, 1]];
    for (const layer of layers.reverse()) {
      below = below.map((b) => over(layer.color, b));
      if (layer.stops.length > 0) below = layer.stops.flatMap((s) => below.map((b) => over(s, b)));
      if (below.length > 24) below = below.slice(0, 24);
    }
    return below;
  };

  /** Measures one slide: `present` is its <section>; `withChrome` also measures the footer and slide number shown over it. */
  const measureOne = (present: HTMLElement, withChrome: boolean): SlideMeasurement => {
    const frame = present.querySelector<HTMLElement>(':scope > .ds-frame');
    // Templates of one's own may drop the frame: then there is no content area to measure.
    if (frame === null) return { overflow: withChrome ? ['no current slide with a .ds-frame'] : [], bottom: 0, right: 0, texts: [] };

    const overflow: string[] = [];
    const reach = fits(frame);
    // The frame's own scrollable overflow (margins included) counts in `reach` too: named first.
    const tallBy = frame.scrollHeight - frame.clientHeight;
    const wideBy = frame.scrollWidth - frame.clientWidth;
    if (reach.ratio < 1 && tallBy > 1) overflow.push(`slide content is ${tallBy}px taller than the slide`);
    if (reach.ratio < 1 && wideBy > 1) overflow.push(`slide content is ${wideBy}px wider than the slide`);
    for (const el of reach.offenders) overflow.push(`${describe(el)} reaches outside the slide's content area`);
    // Not overflow but the same complaint: a box with overflow other than visible cuts its content off.
    const katex = frame.querySelector('.katex') !== null;
    for (const el of frame.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.position === 'absolute' || style.position === 'fixed') continue;
      if (katex && el.closest('.katex') !== null && !el.classList.contains('katex')) continue;
      const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
        overflow.push(
          `${describe(el)} cuts off its content (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`,
        );
      }
    }
    const bottom = reach.bottom;
    const right = reach.right;

    const texts: TextContrast[] = [];
    const measures = { overflow, bottom: Math.round(Math.max(0, bottom)), right: Math.round(Math.max(0, right)), texts };
    if (!contrast) return measures;
    const visit = (root: Element, backdrop: (el: Element) => RGBA[]) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        const el = node.parentElement;
        if (text === '' || el === null) continue;
        if (el.closest('.notes, script, style, .katex-mathml') !== null) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
        let opacity = 1;
        for (let n: Element | null = el; n !== null; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
        if (opacity < 0.05) continue;
        const fg = parse(style.color);
        if (fg === undefined) continue;
        const ink: RGBA = [fg[0], fg[1], fg[2], fg[3] * opacity];
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        let worst = Infinity;
        let worstBg: RGBA = [255, 255, 255, 1];
        for (const bg of backdrop(el)) {
          const r = ratio(over(ink, bg), bg);
          if (r < worst) {
            worst = r;
            worstBg = bg;
          }
        }
        texts.push({
          text: text.slice(0, 60),
          where: describe(el),
          fg: css(ink),
          bg: css(worstBg),
          ratio: Math.round(worst * 100) / 100,
          large,
        });
      }
    };
    visit(frame, backgrounds);
    // The footer and slide number sit on top of the current slide's frame.
    if (withChrome)
      for (const chrome of [...present.querySelectorAll(':scope > .ds-footer'), ...document.querySelectorAll('.reveal > .slide-number')]) {
        if (getComputedStyle(chrome).display !== 'none')
          visit(chrome, (el) => (el === chrome || chrome.contains(el) ? backgrounds(frame) : backgrounds(el)));
      }
    return measures;
  };

  if (args.indices !== null) {
    return args.indices.map((i) => {
      const section = document.querySelector<HTMLElement>(`.reveal .slides section[data-ds-index="${i}"]`);
      return section === null ? { overflow: [], bottom: 0, right: 0, texts: [] } : measureOne(section, false);
    });
  }
  const present = document.querySelector<HTMLElement>('.reveal .slides section.present:not(.stack)');
  return [
    present === null ? { overflow: ['no current slide with a .ds-frame'], bottom: 0, right: 0, texts: [] } : measureOne(present, true),
  ];
}

/** The built-in fit partial, read once: the deck inlines this text, the measurement evaluates it. */
let fitSource: string | undefined;
export function contentOverflowSource(): string {
  fitSource ??= readFileSync(join(builtinTemplatesDir(), 'partials', 'fit.hbs'), 'utf8');
  return fitSource;
}

/**
 * Measures slides in the page (`page.evaluate(measureSlides, args)`): puppeteer sends a
 * function's source text, and this one's is the fit partial's `decksmithContentOverflow`
 * followed by the measuring code, so both run there as one self-contained script.
 */
export const measureSlides: (args: MeasureSlidesArgs) => SlideMeasurement[] = (args) =>
  measureSlidesWith(args, () => {
    throw new Error('measureSlides runs inside the page');
  });
// Puppeteer serialises with toString(): give it the page's script.
Object.defineProperty(measureSlides, 'toString', {
  value: () =>
    `function (args) {\n${contentOverflowSource()}\nreturn (${measureSlidesWith.toString()})(args, decksmithContentOverflow);\n}`,
});

export interface SlideOverflow {
  /** Reading-order index of the slide. */
  index: number;
  /** Pixels of content below / right of the slide's content area (slide pixels, before reveal.js scaling). */
  bottom: number;
  right: number;
  /** What does not fit, element by element ("ul > li reaches outside the slide's content area", …). */
  problems: string[];
}

/** What an overflow warning names of a slide. */
export interface OverflowSlide {
  title: string;
  /** 1-based first line of the slide in `file`. */
  line: number;
  /** How the deck shrinks it (RenderedSlide.fit): a deck-wide fit stops at half size. @defaultValue 'none' */
  fit?: 'slide' | 'deck' | 'none';
}

/**
 * One `overflow` warning per slide that does not fit, at its first line: `check`, `pdf` and
 * `build --pdf` word them alike, because they all come from here.
 */
export function overflowDiagnostics(file: string, slides: readonly OverflowSlide[], measures: readonly SlideOverflow[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const m of measures) {
    if (m.problems.length === 0) continue;
    const slide = slides[m.index];
    if (slide === undefined) continue;
    const size = [m.bottom > 0 ? `${m.bottom}px too tall` : '', m.right > 0 ? `${m.right}px too wide` : ''].filter(Boolean).join(' and ');
    const advice =
      slide.fit === 'deck'
        ? ' even at half size (fit); shorten it or split it with ---'
        : '; shorten it, split it with ---, or add <!-- fit -->';
    diagnostics.push({
      severity: 'warning',
      code: 'overflow',
      message: `slide ${m.index + 1}${slide.title === '' ? '' : ` "${slide.title}"`} overflows its frame (${size === '' ? (m.problems[0] ?? '') : size})${advice}`,
      line: slide.line,
      file,
    });
  }
  return diagnostics;
}

/** What measuring needs of a built deck: its page, its size and how many slides it has. */
export interface DeckPage {
  htmlPath: string;
  /** Slide size in CSS px. */
  width: number;
  height: number;
  slides: number;
}

export function deckPage(built: BuiltDeck): DeckPage {
  return { htmlPath: built.htmlPath, width: built.rendered.width, height: built.rendered.height, slides: built.deck.slides.length };
}

/**
 * Opens a built deck at its own size, only its own files allowed to load (a theme from a path is
 * someone else's CSS; see allowOnlyDeckFiles), and waits for reveal.js, web fonts and images; no
 * fixed sleeps.
 */
async function openDeck(page: Page, deck: DeckPage): Promise<void> {
  await allowOnlyDeckFiles(page, dirname(deck.htmlPath));
  const url = pathToFileURL(deck.htmlPath);
  // reveal.js reads config from the query: no margin makes the slide exactly fill the viewport.
  url.search = 'margin=0&transition=none&backgroundTransition=none';
  await page.setViewport({ width: deck.width, height: deck.height, deviceScaleFactor: 1 });
  await page.goto(url.href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', {
    polling: 'mutation',
    timeout: TIMEOUTS.openDeckMs,
  });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => (img.complete ? undefined : img.decode().catch(() => undefined))));
  });
}

declare const Reveal: {
  slide(h: number, v?: number, f?: number): void;
  getIndices(slide?: HTMLElement): { h: number; v?: number };
};

/** Shows slide `index` (reading order) with its fragments in their final state, and waits two frames for layout and paint. */
/**
 * Shows the slide with reading-order index `index`, every fragment in; false when the deck has no
 * such slide on screen (reveal.js removes hidden slides, `data-visibility="hidden"`), and nothing
 * moves.
 */
async function showSlide(page: Page, index: number): Promise<boolean> {
  return page.evaluate(async (i) => {
    const section = document.querySelector(`section[data-ds-index="${i}"]`);
    if (section === null) return false;
    const indices = Reveal.getIndices(section as HTMLElement);
    Reveal.slide(indices.h, indices.v ?? 0, Number.MAX_SAFE_INTEGER);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return true;
  }, index);
}

export interface MeasureDeckOptions {
  /** Measure text contrast too. @defaultValue true */
  contrast?: boolean;
  /** Where to save a PNG of each slide, if anywhere. */
  screenshot?: (index: number) => string;
}

/** Opens a built deck and measures (and optionally screenshots) every slide, in reading order. */
export async function measureDeck(page: Page, deck: DeckPage, options: MeasureDeckOptions = {}): Promise<SlideMeasurement[]> {
  await openDeck(page, deck);
  const out: SlideMeasurement[] = [];
  for (let i = 0; i < deck.slides; i++) {
    // A hidden slide is not shown, so nothing of it can overflow: an empty measurement keeps the
    // others at their indices (it used to be the first slide's, measured again under its number).
    if (!(await showSlide(page, i))) {
      out.push({ overflow: [], bottom: 0, right: 0, texts: [] });
      continue;
    }
    const [measured] = await page.evaluate(measureSlides, { contrast: options.contrast ?? true, indices: null });
    if (measured !== undefined) out.push(measured);
    const file = options.screenshot?.(i);
    if (file !== undefined) await page.screenshot({ path: file as `${string}.png`, type: 'png' });
  }
  return out;
}
