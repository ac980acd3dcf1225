/**
 * A FigureTheme as a Vega-Lite config: the theme's font and sizes, its palette for series, and text
 * colours that each reach 4.5:1 against the theme's background. The chart's own background is
 * transparent, so the slide (and its gradient, where a theme has one) shows through; contrast is
 * reckoned against the theme's background colour, which is what lies under a figure.
 */
import type { Config } from 'vega-lite';
import type { FigureTheme } from '../types.js';
import { contrast, readable } from './colour.js';

/** Text sizes relative to the theme's body text: a slide is seen from across a room. */
export const SCALE = { label: 0.56, axisTitle: 0.6, title: 0.75 } as const;

export interface ChartStyle {
  config: Config;
  /** Colour of ordinary chart text (titles, text marks): readable against the background. */
  text: string;
  /** Colour of axis and legend labels: the theme's muted colour when that is readable. */
  label: string;
}

/** 700 when the theme ships a bold file, else 600 (the weight its headings use); never one the browser would fake. */
function titleWeight(theme: FigureTheme): 600 | 700 {
  return theme.fonts.some((f) => f.weight === 700) && !theme.fonts.some((f) => f.weight === 600) ? 700 : 600;
}

export function chartStyle(theme: FigureTheme): ChartStyle {
  const bg = theme.background;
  const text = readable([theme.foreground], bg);
  const label = readable([theme.muted, theme.foreground], bg);
  // Lines that carry meaning (axis lines, ticks) need 3:1 (WCAG 1.4.11); grid lines are decoration.
  const rule = readable([theme.muted, theme.foreground], bg, 3);
  const palette = theme.palette.length > 0 ? theme.palette : [theme.accent];
  const size = (factor: number) => Math.round(theme.fontSize * factor);
  const font = theme.fontFamily;
  const weight = titleWeight(theme);
  const limit = Math.round(theme.width * 0.3);
  const labels = { labelColor: label, labelFont: font, labelFontSize: size(SCALE.label), labelFontWeight: 400 } as const;
  const titles = { titleColor: text, titleFont: font, titleFontSize: size(SCALE.axisTitle), titleFontWeight: weight } as const;
  const config: Config = {
    background: 'transparent',
    // The figure is one image to a screen reader (role="img" and its name, svg.ts); Vega's
    // per-mark descriptions would only repeat the data, links and image addresses included.
    aria: false,
    font,
    padding: 4,
    view: { stroke: null },
    mark: { color: palette[0] ?? text },
    arc: { stroke: bg, strokeWidth: 2 },
    line: { strokeWidth: 3 },
    point: { size: size(5), filled: true, opacity: 1 },
    text: { color: text, font, fontSize: size(SCALE.label) },
    range: { category: palette },
    axis: {
      ...labels,
      ...titles,
      domainColor: rule,
      tickColor: rule,
      gridColor: contrast(theme.border, bg) > 1.05 ? theme.border : rule,
      gridOpacity: 0.6,
      labelPadding: 6,
      titlePadding: 10,
      labelLimit: limit,
      // Vega stops making room for labels at 200 px and sets the axis title over longer ones.
      maxExtent: limit + 20,
    },
    // Upright labels under a column; the chart fence turns bars whose labels do not fit sideways (short.ts).
    axisX: { labelAngle: 0 },
    // Vega's default is a tick every 40 px (a date every other day on a wide slide); a slide
    // read from across a room wants a few.
    axisTemporal: { tickCount: 6 },
    axisQuantitative: { tickCount: 6 },
    legend: { ...labels, ...titles, symbolSize: size(6), orient: 'right' },
    header: { ...labels, ...titles },
    title: {
      color: text,
      subtitleColor: label,
      font,
      subtitleFont: font,
      fontSize: size(SCALE.title),
      subtitleFontSize: size(SCALE.label),
      fontWeight: weight,
      anchor: 'start',
      offset: 12,
    },
  };
  return { config, text, label };
}
