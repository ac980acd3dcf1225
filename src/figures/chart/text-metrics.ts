/**
 * Text widths for Vega's layout, measured from the theme's own font files with fontkit. Vega
 * without a canvas estimates every glyph at 0.8 em, which is 40–75% off for the themes' fonts:
 * axis titles collide, labels are cut short or leave gaps. The browser draws the chart's text in
 * the same font files (the deck loads them), so widths measured here are the widths it shows.
 *
 * Vega keeps its measuring function in one shared object (`textMetrics.width`, the hook that
 * vl-convert also replaces); renderChart runs one chart at a time (index.ts), so the measurer
 * installed for a chart is the one its layout sees.
 */
import { readFileSync } from 'node:fs';
import type * as Fontkit from 'fontkit';
import type { FigureFont } from '../types.js';

type Font = Fontkit.Font;

/** fontkit, imported with the first chart (a third of a second of start-up that decks without charts skip). */
let fontkit: typeof Fontkit | undefined;

/** The fields of a Vega text item that decide how it is measured. */
export interface TextItem {
  font?: unknown;
  fontSize?: unknown;
  fontWeight?: unknown;
  fontStyle?: unknown;
  limit?: unknown;
}

/** A code point no font of the family draws, the browser takes from a fallback font: about this wide. */
const FALLBACK_EM = 0.6;

const loaded = new Map<string, Font | undefined>();

/** The font in `path`, or undefined when fontkit cannot read it (then that face is not used to measure). */
function openFont(path: string): Font | undefined {
  if (fontkit === undefined) throw new Error('FontMeasurer.create loads fontkit first');
  if (!loaded.has(path)) {
    let font: Font | undefined;
    try {
      const opened = fontkit.create(readFileSync(path));
      font = 'fonts' in opened ? opened.fonts[0] : opened;
    } catch {
      font = undefined;
    }
    loaded.set(path, font);
  }
  return loaded.get(path);
}

const WEIGHTS: Record<string, number> = { normal: 400, bold: 700, lighter: 300, bolder: 700 };

function weightOf(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value ?? 'normal').trim();
  return WEIGHTS[text] ?? (Number.parseInt(text, 10) || 400);
}

/** The family names of a CSS font-family list, unquoted, lower case. */
function families(list: string): string[] {
  return list
    .split(',')
    .map((name) =>
      name
        .trim()
        .replace(/^['"]|['"]$/g, '')
        .toLowerCase(),
    )
    .filter((name) => name !== '');
}

/** CSS font matching, simplified: the nearest weight, preferring heavier above 500 and lighter below 400. */
function weightDistance(want: number, have: number): number {
  if (have === want) return 0;
  const heavierFirst = want >= 500;
  const wrongWay = heavierFirst ? have < want : have > want;
  return Math.abs(have - want) + (wrongWay ? 1000 : 0);
}

export class FontMeasurer {
  private readonly cache = new Map<string, number>();

  /** A measurer for `fonts` (fontkit is imported on the first call). */
  static async create(fonts: readonly FigureFont[], estimate: (item: TextItem, text: string) => number): Promise<FontMeasurer> {
    fontkit ??= await import('fontkit');
    return new FontMeasurer(fonts, estimate);
  }

  private constructor(
    private readonly fonts: readonly FigureFont[],
    /** Vega's own estimate, for text in a family the theme has no file for. */
    private readonly estimate: (item: TextItem, text: string) => number,
  ) {}

  /** Vega's `textMetrics.width` contract: the width of `text` as `item` shows it (cut at `item.limit`). */
  width(item: TextItem, text: unknown): number {
    const value = text === null || text === undefined ? '' : String(text).trim();
    const size = item.fontSize === undefined || item.fontSize === null ? 11 : Number(item.fontSize) || 0;
    if (size <= 0 || value === '') return 0;
    const faces = this.faces(String(item.font ?? ''), weightOf(item.fontWeight), item.fontStyle === 'italic' ? 'italic' : 'normal');
    const width = faces.length === 0 ? this.estimate(item, value) : this.measure(faces, value, size);
    // Vega cuts text longer than `limit` with an ellipsis; the cut text is at most `limit` wide.
    // Clamping (rather than cutting here) keeps Vega's own search for the cut point exact.
    const limit = Number(item.limit);
    return limit > 0 ? Math.min(width, limit) : width;
  }

  /** The files of the first family in `list` the theme has, nearest in weight and style, in the theme's order. */
  private faces(list: string, weight: number, style: 'normal' | 'italic'): { path: string; font: Font }[] {
    for (const family of families(list)) {
      const candidates = this.fonts.filter((f) => f.family.toLowerCase() === family);
      if (candidates.length === 0) continue;
      const styled = candidates.some((f) => f.style === style) ? candidates.filter((f) => f.style === style) : candidates;
      const best = Math.min(...styled.map((f) => weightDistance(weight, f.weight)));
      const chosen = styled.filter((f) => weightDistance(weight, f.weight) === best);
      const faces = chosen.flatMap((f) => {
        const font = openFont(f.path);
        return font === undefined ? [] : [{ path: f.path, font }];
      });
      if (faces.length > 0) return faces;
    }
    return [];
  }

  /** Advance width of `text` at `size` px: each run of code points laid out (with kerning) in the first face that draws them. */
  private measure(faces: { path: string; font: Font }[], text: string, size: number): number {
    const key = `${faces.map((f) => f.path).join('|')}\u0000${size}\u0000${text}`;
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    let width = 0;
    let run = '';
    let runFace: Font | undefined;
    const flush = () => {
      if (run === '') return;
      width +=
        runFace === undefined ? [...run].length * FALLBACK_EM * size : (runFace.layout(run).advanceWidth / runFace.unitsPerEm) * size;
      run = '';
    };
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      const face = faces.find((f) => f.font.hasGlyphForCodePoint(code))?.font;
      if (face !== runFace) {
        flush();
        runFace = face;
      }
      run += char;
    }
    flush();
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(key, width);
    return width;
  }
}
