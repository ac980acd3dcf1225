/**
 * WCAG 2 contrast for the chart's text colours. FigureTheme hands over resolved colours (hex,
 * `rgb()`); the chart picks, for each kind of text, the first of its preferred colours that reaches
 * 4.5:1 against the theme's background, and black or white when none does.
 */

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` as 0–255 channels; undefined for anything else. */
export function parseColour(text: string): [number, number, number] | undefined {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(value)?.[1];
  if (hex !== undefined) {
    const full = hex.length <= 4 ? [...hex.slice(0, 3)].map((c) => c + c).join('') : hex.slice(0, 6);
    if (full.length !== 6) return undefined;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(value);
  if (rgb === null) return undefined;
  return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast ratio of two colours (1–21); 1 when either cannot be read. */
export function contrast(a: string, b: string): number {
  const x = parseColour(a);
  const y = parseColour(b);
  if (x === undefined || y === undefined) return 1;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The first of `preferred` with at least `ratio` against `background`, else black or white, whichever contrasts more. */
export function readable(preferred: readonly string[], background: string, ratio = 4.5): string {
  const found = preferred.find((colour) => contrast(colour, background) >= ratio);
  if (found !== undefined) return found;
  return contrast('#000000', background) >= contrast('#ffffff', background) ? '#000000' : '#ffffff';
}
