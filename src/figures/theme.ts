/**
 * The FigureTheme of a deck, in Node: the `--ds-*` custom properties of the theme's stylesheets
 * (themes/base.css, reveal-bridge.css, the theme's own CSS, in the order the deck loads them)
 * plus the deck's `themeVars`, with every var() and color-mix() resolved to a plain colour,
 * since Mermaid and Vega take colours, not CSS. Fonts are the @font-face files of the theme's
 * bundled @fontsource stylesheets. Pure apart from reading the stylesheets.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Deck, ResolvedTheme } from '../types.js';
import type { FigureFont, FigureTheme } from './types.js';

/** Slide size in CSS pixels (render's SLIDE_PIXELS; restated so the theme needs no renderer). */
const SLIDE = { '16:9': [1280, 720], '4:3': [1024, 768] } as const;

/** `:root` custom properties of `css`, in order (later ones win). */
export function rootProperties(css: string): [string, string][] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: [string, string][] = [];
  for (const rule of text.matchAll(/(?:^|[};])\s*([^{};@]+)\{([^{}]*)\}/g)) {
    const selectors = (rule[1] ?? '').split(',').map((s) => s.trim());
    if (!selectors.includes(':root')) continue;
    for (const decl of (rule[2] ?? '').matchAll(/(--[\w-]+)\s*:\s*([^;]*)/g)) {
      const name = decl[1];
      const value = decl[2]?.trim();
      if (name !== undefined && value !== undefined && value !== '') out.push([name, value]);
    }
  }
  return out;
}

/** The argument list of a function call starting at `open` (the index of its `(`), split on top-level commas. */
function callArgs(text: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return { args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return { args, end: text.length };
}

/** Replaces every var(--x, fallback) in `value`; a cycle or an unknown name takes the fallback, else ''. */
export function substitute(value: string, vars: ReadonlyMap<string, string>, seen: ReadonlySet<string> = new Set()): string {
  let out = '';
  let at = 0;
  for (;;) {
    const i = value.indexOf('var(', at);
    if (i < 0) return out + value.slice(at);
    out += value.slice(at, i);
    const { args, end } = callArgs(value, i + 3);
    const name = args[0] ?? '';
    const own = vars.get(name);
    if (own !== undefined && !seen.has(name)) out += substitute(own, vars, new Set([...seen, name]));
    else if (args.length > 1) out += substitute(args.slice(1).join(', '), vars, seen);
    at = end;
  }
}

type RGB = [number, number, number, number];

const NAMED: Record<string, string> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  purple: '#800080',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  navy: '#000080',
  teal: '#008080',
  maroon: '#800000',
  olive: '#808000',
  lime: '#00ff00',
  aqua: '#00ffff',
  cyan: '#00ffff',
  fuchsia: '#ff00ff',
  magenta: '#ff00ff',
  crimson: '#dc143c',
  tomato: '#ff6347',
  gold: '#ffd700',
  indigo: '#4b0082',
  coral: '#ff7f50',
  darkgray: '#a9a9a9',
  lightgray: '#d3d3d3',
  whitesmoke: '#f5f5f5',
  transparent: '#00000000',
};

/** A CSS colour (hex, rgb(), hsl(), a common name, color-mix in srgb) as RGBA 0–255, alpha 0–1. */
export function parseColour(text: string): RGB | undefined {
  const value = text.trim().toLowerCase();
  const named = NAMED[value];
  if (named !== undefined) return parseColour(named);
  const hex = /^#([0-9a-f]{3,8})$/.exec(value)?.[1];
  if (hex !== undefined) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    if (full.length !== 6 && full.length !== 8) return undefined;
    const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), full.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^(rgba?|hsla?|color-mix)\(/.exec(value);
  if (fn === null) return undefined;
  const { args: commaArgs } = callArgs(value, fn[0].length - 1);
  if (fn[1] === 'color-mix') return colourMix(commaArgs);
  const parts = commaArgs.length > 1 ? commaArgs : (commaArgs[0] ?? '').split(/[\s/]+/).filter((p) => p !== '');
  const num = (p: string | undefined, scale: number) => {
    if (p === undefined) return undefined;
    const n = parseFloat(p);
    if (Number.isNaN(n)) return undefined;
    return p.endsWith('%') ? (n / 100) * scale : n;
  };
  const alpha = num(parts[3], 1) ?? 1;
  if (fn[1]?.startsWith('rgb') === true) {
    const [r, g, b] = [num(parts[0], 255), num(parts[1], 255), num(parts[2], 255)];
    if (r === undefined || g === undefined || b === undefined) return undefined;
    return [r, g, b, alpha];
  }
  const [h, s, l] = [parseFloat(parts[0] ?? ''), num(parts[1], 1), num(parts[2], 1)];
  if (Number.isNaN(h) || s === undefined || l === undefined) return undefined;
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return [f(0), f(8), f(4), alpha];
}

/** `color-mix(in srgb, A p%, B q%)`, the only interpolation space decksmith's themes use. */
function colourMix(args: string[]): RGB | undefined {
  if (!/^in\s+srgb$/.test(args[0] ?? '')) return undefined;
  const part = (text: string | undefined) => {
    const m = /^(.*?)(?:\s+([\d.]+)%)?$/.exec((text ?? '').trim());
    return { colour: parseColour(m?.[1] ?? ''), share: m?.[2] === undefined ? undefined : parseFloat(m[2]) / 100 };
  };
  const a = part(args[1]);
  const b = part(args[2]);
  if (a.colour === undefined || b.colour === undefined) return undefined;
  const p = a.share ?? (b.share === undefined ? 0.5 : 1 - b.share);
  return [0, 1, 2, 3].map((i) => (a.colour?.[i] ?? 0) * p + (b.colour?.[i] ?? 0) * (1 - p)) as RGB;
}

export function toHex([r, g, b]: RGB): string {
  const h = (n: number) =>
    Math.round(Math.max(0, Math.min(255, n)))
      .toString(16)
      .padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** `colour` over `under`, opaque. */
function over(colour: RGB, under: RGB): RGB {
  const a = colour[3];
  return [0, 1, 2].map((i) => (colour[i] ?? 0) * a + (under[i] ?? 0) * (1 - a)).concat(1) as RGB;
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const rgb = parseColour(hex) ?? [0, 0, 0, 1];
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

/** WCAG 2 contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** `colour` moved towards black (on a light background) or white (on a dark one) until it has `ratio` against `background`. */
export function withContrast(colour: string, background: string, ratio: number): string {
  const target: RGB = luminance(background) > 0.18 ? [0, 0, 0, 1] : [255, 255, 255, 1];
  const start = parseColour(colour) ?? target;
  for (let t = 0; t <= 1.0001; t += 0.05) {
    const mixed = toHex([0, 1, 2].map((i) => (start[i] ?? 0) * (1 - t) + (target[i] ?? 0) * t).concat(1) as RGB);
    if (contrast(mixed, background) >= ratio) return mixed;
  }
  return toHex(target);
}

/** Series colours after the theme's two accents: distinct hues, each adjusted to 3:1 against the background. */
const EXTRA_SERIES = ['#e4572e', '#7c3aed', '#d97706', '#0891b2', '#db2777', '#65a30d'];

function px(value: string | undefined, em: number, fallback: number): number {
  const m = /^([\d.]+)(px|em|rem)?$/.exec((value ?? '').trim());
  if (m === null) return fallback;
  const n = parseFloat(m[1] ?? '');
  return m[2] === 'em' || m[2] === 'rem' ? n * em : n;
}

/** The @font-face rules of a stylesheet as FigureFonts (the first url() of each src, resolved against the file). */
export function fontFaces(css: string, cssFile: string): (FigureFont & { latin: boolean })[] {
  const out: (FigureFont & { latin: boolean })[] = [];
  for (const face of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const body = face[1] ?? '';
    const get = (name: string) => new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*([^;]+)`, 'i').exec(body)?.[1]?.trim();
    const family = get('font-family')?.replace(/^['"]|['"]$/g, '');
    const url = /url\(\s*['"]?([^'")]+)['"]?\s*\)/.exec(get('src') ?? '')?.[1];
    if (family === undefined || url === undefined || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
    const range = get('unicode-range');
    out.push({
      family,
      weight: parseInt(get('font-weight') ?? '400', 10) || 400,
      style: /italic|oblique/i.test(get('font-style') ?? '') ? 'italic' : 'normal',
      path: resolve(dirname(cssFile), url),
      // Whether the face draws basic Latin (U+0041), the one to measure ordinary labels with.
      latin: range === undefined || /U\+0000-00FF/i.test(range),
    });
  }
  return out;
}

/**
 * The FigureTheme of `theme` for `deck` (its `themeVars` override the theme's variables, as in
 * the built deck, and its `size` gives the content area).
 */
export function figureTheme(theme: ResolvedTheme, deck: Pick<Deck, 'config'>): FigureTheme {
  const vars = new Map<string, string>();
  const fonts: (FigureFont & { latin: boolean })[] = [];
  for (const style of theme.styles) {
    let css: string;
    try {
      css = style.content ?? readFileSync(style.source, 'utf8');
    } catch {
      continue;
    }
    for (const [name, value] of rootProperties(css)) vars.set(name, value);
    fonts.push(...fontFaces(css, style.source));
  }
  for (const [name, value] of Object.entries(deck.config.themeVars)) vars.set(`--ds-${name}`, value);
  const raw = (name: string) => substitute(vars.get(`--ds-${name}`) ?? '', vars).trim();
  const white: RGB = [255, 255, 255, 1];
  const bgRgb = parseColour(raw('bg')) ?? white;
  const bg = over(bgRgb, white);
  const background = toHex(bg);
  const colour = (name: string, fallback: string) => {
    const parsed = parseColour(raw(name));
    return parsed === undefined ? fallback : toHex(over(parsed, bg));
  };
  const dark = luminance(background) <= 0.18;
  const foreground = colour('fg', dark ? '#ffffff' : '#000000');
  const muted = colour('muted', foreground);
  const accent = colour('accent', foreground);
  const accent2 = colour('accent-2', accent);
  const surface = colour('surface', background);
  const border = colour('border', muted);
  const palette: string[] = [];
  for (const c of [accent, accent2, ...EXTRA_SERIES]) {
    const adjusted = withContrast(c, background, 3);
    if (!palette.includes(adjusted)) palette.push(adjusted);
  }
  const fontSize = px(raw('size-body'), 16, 30);
  const [slideW, slideH] = SLIDE[deck.config.size];
  const padX = px(raw('pad-x'), fontSize, 72);
  const pad = px(raw('pad'), fontSize, 56);
  const h2 = px(raw('size-h2'), fontSize, fontSize * 1.55);
  const headingLine = parseFloat(raw('heading-line-height')) || 1.12;
  // A default slide: a heading (its line plus its 0.55em margin) above the figure, and room for
  // what themes draw around a heading (paper's bar above it, midnight's rule below) and for the
  // line an inline SVG sits on. Measured: without the 48px a full-height chart overflowed paper by 41px.
  const heading = h2 * headingLine + h2 * 0.55 + 48;
  const family = raw('font-body') || 'sans-serif';
  const first =
    family
      .split(',')[0]
      ?.trim()
      .replace(/^['"]|['"]$/g, '') ?? '';
  const ordered = [...fonts.filter((f) => f.latin), ...fonts.filter((f) => !f.latin)];
  return {
    name: theme.name,
    background,
    foreground,
    muted: withContrast(muted, background, 4.5),
    accent,
    surface,
    border,
    palette,
    fontFamily: family,
    fonts: ordered.filter((f) => f.family === first).map(({ family: f, weight, style, path }) => ({ family: f, weight, style, path })),
    fontSize,
    width: Math.round(slideW - 2 * padX),
    height: Math.round(slideH - 2 * pad - heading),
  };
}
