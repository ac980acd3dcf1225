/**
 * pptxgenjs's types, and its constructor loaded on first use. The package ships CommonJS-style
 * declarations for an ES module whose default export is the class: under NodeNext TypeScript
 * sees the class one `default` deeper than Node (and esbuild) load it.
 */
import type Pptx from 'pptxgenjs';

export type Presentation = InstanceType<typeof Pptx.default>;
export type PptxSlide = Pptx.default.Slide;
export type TextProps = Pptx.default.TextProps;
export type TableRow = Pptx.default.TableRow;

export async function loadPptxGen(): Promise<typeof Pptx.default> {
  const module = await import('pptxgenjs');
  const exported = module.default as unknown as { default?: typeof Pptx.default };
  return exported.default ?? (module.default as unknown as typeof Pptx.default);
}
