/**
 * Typesetting the math tokens of src/markdown/math.ts with KaTeX, at build time. KaTeX (~270 kB)
 * is loaded on the first formula, so decks without math do not pay for it.
 */
import { createRequire } from 'node:module';
import type { RendererExtension } from 'marked';
import type { MathToken } from '../markdown/math.js';

const require = createRequire(import.meta.url);
type Katex = { renderToString(tex: string, options: Record<string, unknown>): string };
let katex: Katex | undefined;

export function typeset(tex: string, displayMode: boolean): string {
  katex ??= require('katex') as Katex;
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: 'htmlAndMathml' });
}

export const mathRenderers: RendererExtension[] = [
  {
    name: 'inlineMath',
    renderer(token) {
      return typeset((token as MathToken).text, false);
    },
  },
  {
    name: 'blockMath',
    renderer(token) {
      return `${typeset((token as MathToken).text, true)}\n`;
    },
  },
];
