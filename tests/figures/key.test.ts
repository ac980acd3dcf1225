/**
 * A diagram's cache key (which is also its SVG id) names what the drawing depends on. It must not
 * depend on where decksmith is installed: the same deck built from another clone or install
 * gave other bytes in index.html, because the key held the theme fonts' absolute paths.
 */
import { describe, expect, it } from 'vitest';
import { mermaidKey } from '../../src/figures/index.js';
import type { FigureTheme } from '../../src/figures/types.js';

const theme = (dir: string, file = 'inter-400.woff2'): FigureTheme => ({
  name: 'paper',
  background: '#fff',
  foreground: '#111',
  muted: '#555',
  accent: '#0a6cff',
  surface: '#f4f4f4',
  border: '#ccc',
  palette: ['#0a6cff'],
  fontFamily: 'Inter, sans-serif',
  fonts: [{ family: 'Inter', weight: 400, style: 'normal', path: `${dir}/themes/fonts/${file}` }],
  fontSize: 28,
  width: 1120,
  height: 480,
});
const fence = { lang: 'mermaid' as const, source: 'flowchart LR\n  A --> B' };

describe('diagram key', () => {
  it('is the same wherever the package is installed', () => {
    expect(mermaidKey('11.4.0', fence, theme('/home/a/project/node_modules/decksmith'))).toBe(
      mermaidKey('11.4.0', fence, theme('/tmp/clone/decksmith')),
    );
  });

  it('changes with the font file, the source, the theme and the Mermaid version', () => {
    const base = mermaidKey('11.4.0', fence, theme('/x'));
    expect(mermaidKey('11.4.0', fence, theme('/x', 'inter-700.woff2'))).not.toBe(base);
    expect(mermaidKey('11.4.0', { ...fence, source: 'flowchart LR\n  A --> C' }, theme('/x'))).not.toBe(base);
    expect(mermaidKey('11.4.0', fence, { ...theme('/x'), accent: '#e8710a' })).not.toBe(base);
    expect(mermaidKey('11.5.0', fence, theme('/x'))).not.toBe(base);
  });
});
