/**
 * FigureThemes for the chart tests, with the colours of four built-in themes (two light, one
 * dark, one high-contrast) and their bundled body-font files. Built by hand here so the chart tests
 * stand apart from how the build derives a FigureTheme from a theme's CSS (src/figures/theme.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FigureFont, FigureTheme } from '../../src/figures/types.js';

const require = createRequire(import.meta.url);

/** The latin and latin-ext files of a @fontsource family at the given weights. */
function fontsource(pkg: string, family: string, weights: number[]): FigureFont[] {
  const dir = join(dirname(require.resolve(`@fontsource/${pkg}/package.json`)), 'files');
  return ['latin', 'latin-ext'].flatMap((subset) =>
    weights
      .map((weight) => ({ family, weight, style: 'normal' as const, path: join(dir, `${pkg}-${subset}-${weight}-normal.woff2`) }))
      .filter((font) => existsSync(font.path)),
  );
}

const SIZE = { width: 1124, height: 470 };
const EXTRA = ['#c2410c', '#7c3aed', '#0e7490'];

export const THEMES = {
  paper: {
    name: 'paper',
    background: '#ffffff',
    foreground: '#1f2328',
    muted: '#59636e',
    accent: '#1d4ed8',
    surface: '#f3f5f8',
    border: '#dde3ea',
    palette: ['#1d4ed8', '#0f766e', ...EXTRA],
    fontFamily: '"Inter", system-ui, sans-serif',
    fonts: fontsource('inter', 'Inter', [400, 600, 700]),
    fontSize: 32,
    ...SIZE,
  },
  midnight: {
    name: 'midnight',
    background: '#0b1120',
    foreground: '#dfe6ef',
    muted: '#94a3b8',
    accent: '#38bdf8',
    surface: '#131c2e',
    border: '#26324a',
    palette: ['#38bdf8', '#fbbf24', '#f87171', '#a78bfa', '#34d399'],
    fontFamily: '"Inter", system-ui, sans-serif',
    fonts: fontsource('inter', 'Inter', [400, 600, 700]),
    fontSize: 32,
    ...SIZE,
  },
  contrast: {
    name: 'contrast',
    background: '#ffffff',
    foreground: '#000000',
    muted: '#3b3b3b',
    accent: '#0039a6',
    surface: '#f2f2f2',
    border: '#1a1a1a',
    palette: ['#0039a6', '#8a2c00', ...EXTRA],
    fontFamily: '"Atkinson Hyperlegible Next", "Atkinson Hyperlegible", Verdana, sans-serif',
    fonts: fontsource('atkinson-hyperlegible-next', 'Atkinson Hyperlegible Next', [400, 700]),
    fontSize: 34,
    ...SIZE,
  },
  editorial: {
    name: 'editorial',
    background: '#faf6ef',
    foreground: '#2a211c',
    // Lighter than the theme's muted colour: the chart must still find a readable label colour.
    muted: '#a39584',
    accent: '#a23b24',
    surface: '#f1e8da',
    border: '#dccdb8',
    palette: ['#a23b24', '#2f5d50', ...EXTRA],
    fontFamily: '"Source Sans 3", "Helvetica Neue", Arial, sans-serif',
    fonts: fontsource('source-sans-3', 'Source Sans 3', [400, 600, 700]),
    fontSize: 32,
    ...SIZE,
  },
} satisfies Record<string, FigureTheme>;

export type ThemeName = keyof typeof THEMES;
