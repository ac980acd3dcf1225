/**
 * Slidev's slide properties on the segments, and `src:` imports (@slidev/parser's `load()`): a
 * slide whose front matter has `src: ./other.md` is replaced by the slides of that file, with the
 * importing slide's other keys applied to each (they win). `src: /x.md` is relative to the deck's
 * own folder, anything else to the importing file's. The parser stays pure: the caller's
 * `readImport` (ParseOptions) reads the file under the same folder rule as images; a file it
 * refuses, a cycle, or an import without a reader leaves the slide as written, with a warning at
 * the `src:` line.
 */
import type { Token } from 'marked';
import type { Deck, Diagnostic, ParseOptions, Slide } from '../../types.js';
import type { RawFrontMatter } from '../config.js';
import type { Segment } from '../slides.js';
import { applySlidevProperties, unusedKeysWarning } from './slidev.js';
import { readProperties, type SlideProperties } from './slidev-split.js';

/** Headmatter keys that are the first slide's, not the deck's: read here, so not "unknown". */
const FIRST_SLIDE_KEYS = ['layout', 'class', 'background', 'image', 'layoutClass'];

/** Imports nest at most this deep (a cycle is caught before; this bounds a long chain of files). */
const MAX_DEPTH = 16;

export function attachSlidevProperties(
  segments: readonly Segment[],
  properties: ReadonlyMap<number, SlideProperties>,
  front: RawFrontMatter | undefined,
  file: string | undefined,
  diagnostics: Diagnostic[],
): void {
  segments.forEach((segment, i) => {
    const own = segment.separatorLine === undefined ? undefined : properties.get(segment.separatorLine);
    if (own !== undefined) segment.properties = own;
    else if (i === 0 && front !== undefined) {
      segment.properties = { line: front.line, data: front.data, keyLines: front.keyLines, file, headmatter: true };
      const used = FIRST_SLIDE_KEYS.map((k) => front.keyLines.get(k)).filter((l) => l !== undefined);
      const kept = diagnostics.filter((d) => !(d.code === 'unknown-key' && d.line !== undefined && used.includes(d.line)));
      diagnostics.splice(0, diagnostics.length, ...kept);
    } else blockFrontMatter(segment, file, diagnostics);
  });
}

/** Slidev's "block front matter": a ```yaml fence that opens a slide stands in for its front matter. */
function blockFrontMatter(segment: Segment, file: string | undefined, diagnostics: Diagnostic[]): void {
  const index = segment.tokens.findIndex((item) => item.token.type !== 'space');
  const item = segment.tokens[index];
  if (item === undefined || item.token.type !== 'code') return;
  const code = item.token as Token & { lang?: string; text?: string };
  if (!/^ya?ml$/i.test((code.lang ?? '').trim()) || !/^\s*```/.test(item.token.raw)) return;
  segment.properties = readProperties((code.text ?? '').split('\n'), item.line + 1, file, diagnostics);
  segment.tokens = segment.tokens.filter((_, i) => i !== index);
}

function warn(diagnostics: Diagnostic[], message: string, props: SlideProperties): void {
  diagnostics.push({
    severity: 'warning',
    code: 'import-refused',
    message,
    line: props.keyLines.get('src') ?? props.line,
    ...(props.file === undefined ? {} : { file: props.file }),
  });
}

/** `1,3-5` (1-based slides of the imported file) → the 0-based indices it picks; undefined for all. */
function pickRange(range: string | undefined, count: number): number[] | undefined {
  if (range === undefined || range.trim() === '') return undefined;
  const picked: number[] = [];
  for (const part of range.split(',')) {
    const [from, to] = part.split('-').map((n) => Number.parseInt(n.trim(), 10));
    if (from === undefined || Number.isNaN(from)) continue;
    const last = to === undefined ? from : Number.isNaN(to) ? count : to;
    for (let n = from; n <= Math.min(last, count); n++) if (n >= 1) picked.push(n - 1);
  }
  return picked;
}

/**
 * The slides a `src:` slide stands for, numbered after `previous`, or undefined when the import
 * is not followed (the slide is then built from its own Markdown).
 */
export function importSlides(
  props: SlideProperties,
  previous: readonly Slide[],
  diagnostics: Diagnostic[],
  options: ParseOptions,
  parse: (source: string, options: ParseOptions) => Deck,
): Slide[] | undefined {
  const src = String(props.data['src']);
  const [path = '', range] = src.split('#');
  if (options.readImport === undefined) {
    warn(diagnostics, `src: "${path}" is not imported here: imports are followed when a deck is built from a file`, props);
    return undefined;
  }
  const chain = options.importChain ?? [];
  const read = options.readImport(path.trim(), props.file ?? options.file);
  if ('refused' in read) {
    warn(diagnostics, `src: "${path}" ${read.refused}, so its slides are not imported; the slide is kept as written`, props);
    return undefined;
  }
  if (chain.includes(read.file) || chain.length >= MAX_DEPTH) {
    warn(
      diagnostics,
      `src: "${path}" ${chain.includes(read.file) ? 'imports a file that is already being imported (a cycle)' : `nests imports deeper than ${MAX_DEPTH} files`}, so it is not imported again; remove the import`,
      props,
    );
    return undefined;
  }
  const deck = parse(read.text, { ...options, file: read.file, dialect: 'slidev', importChain: [...chain, read.file] });
  diagnostics.push(...deck.diagnostics);
  const indices = pickRange(range, deck.slides.length);
  const chosen = indices === undefined ? deck.slides : indices.map((i) => deck.slides[i]).filter((s) => s !== undefined);
  const override = Object.fromEntries(Object.entries(props.data).filter(([key]) => key !== 'src'));
  unusedKeysWarning(props, diagnostics);
  const prev = previous[previous.length - 1];
  return chosen.map((slide, k) => {
    const copy: Slide = { ...slide, classes: [...slide.classes], attributes: { ...slide.attributes }, file: slide.file ?? read.file };
    if (Object.keys(override).length > 0) applySlidevProperties(copy, { ...props, data: override, override: true }, diagnostics);
    copy.index = previous.length + k;
    copy.h = (prev?.h ?? -1) + 1 + k;
    copy.v = 0;
    return copy;
  });
}
