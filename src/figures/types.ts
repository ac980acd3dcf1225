export interface FigureFont {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  path: string /* absolute font file (woff2/woff/ttf) */;
}
export interface FigureTheme {
  name: string;
  background: string;
  foreground: string;
  muted: string;
  accent: string;
  surface: string;
  border: string; // resolved CSS colours, no var()
  palette: string[]; // series colours, accent first, each ≥ 3:1 against background
  fontFamily: string; // CSS font-family list for body text
  fonts: FigureFont[]; // the theme's bundled font files, for measuring text
  fontSize: number; // px of body text
  width: number;
  height: number; // px a figure may fill in the slide's content area
}
