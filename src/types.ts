/**
 * The data that passes between decksmith's stages:
 *
 *   read → parseDeck(source) → Deck → renderDeck(deck, context) → RenderedDeck → write → export
 *
 * Everything here is plain data (no classes, no functions) so a stage can be tested, cached or
 * printed (`decksmith inspect --json`) on its own.
 */
import type { Token } from 'marked';

import type { DeckConfig } from './parse/config.js';

/**
 * Diagnostics are warnings (errors are thrown, see errors.ts); `error` is the severity a deck that
 * failed gets in `--json` output (src/cli/io.ts errorFinding).
 */
export type Severity = 'error' | 'warning';

/**
 * Every diagnostic code, kebab-case, with the stage that emits it. A code is part of the
 * interface (`--json`, editors' problem matchers): add one here, never rename one.
 */
export const DIAGNOSTIC_CODES = {
  // parse: front matter
  'unknown-key': 'parse',
  'unknown-theme-var': 'parse',
  'reveal-code-refused': 'parse',
  'unclosed-front-matter': 'parse',
  'heading-in-front-matter': 'parse',
  // parse: slides and the mistakes it warns about
  'empty-deck': 'parse',
  'empty-slide': 'parse',
  'leading-separator': 'parse',
  'setext-separator': 'parse',
  'unclosed-fence': 'parse',
  'unclosed-comment': 'parse',
  'unclosed-container': 'parse',
  'stray-container-close': 'parse',
  'unknown-directive': 'parse',
  'unknown-layout': 'parse',
  'notes-marker': 'parse',
  'heading-in-notes': 'parse',
  'too-deeply-nested': 'parse',
  // parse: dialects (issue #12)
  'unsafe-separator': 'parse',
  'foreign-value': 'parse',
  'slide-properties': 'parse',
  'import-refused': 'parse',
  'vue-component': 'parse',
  // render: raw HTML, addresses and local files
  'html-removed': 'render',
  'unclosed-html': 'render',
  'unsafe-url': 'render',
  'unsafe-css': 'render',
  'unsafe-attribute': 'render',
  'file-outside-root': 'render',
  'compare-columns': 'render',
  'bad-background': 'render',
  // build
  'unknown-theme': 'build',
  'foreign-theme': 'build',
  'missing-image': 'build',
  'missing-file': 'build',
  'file-refused': 'build',
  'font-coverage': 'build',
  'output-name': 'build',
  'config-ignored': 'build',
  // figures (issue #13): a diagram or chart fence shown as code because its library is missing
  'figure-not-drawn': 'build',
  // check and export: measured in Chromium
  overflow: 'check',
  'asset-not-loaded': 'export',
  // figures: charts (issue #13)
  'chart-url-refused': 'figures',
  'chart-warning': 'figures',
  // export: PowerPoint (issue #14)
  'pptx-unsupported': 'export',
  // convert (issue #12 item 6): a source line with no equivalent in decksmith's dialect
  'not-converted': 'convert',
} as const;
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** A problem found in the input. Warnings live on the Deck; errors are thrown (see errors.ts). */
export interface Diagnostic {
  severity: Severity;
  /** Stable, kebab-case identifier from DIAGNOSTIC_CODES. */
  code: DiagnosticCode;
  /** One sentence saying what is wrong and what to do about it. */
  message: string;
  /** 1-based line in the file as written (front matter included). */
  line?: number;
  /** 1-based column on that line, when known. */
  column?: number;
  /** Path of the file the line refers to, when known. */
  file?: string;
}

export const LAYOUTS = ['title', 'section', 'default', 'compare', 'quote', 'image', 'closing'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

export const SPLIT_LEVELS = ['h1', 'h2', 'h3'] as const;
export type SplitLevel = (typeof SPLIT_LEVELS)[number];

export const SLIDE_SIZES = ['16:9', '4:3'] as const;
export type SlideSize = (typeof SLIDE_SIZES)[number];

/** Validated front matter: the output type of the zod schema in src/parse/config.ts, which documents every field and its default. */
/** Validated front matter: the zod schema's output type (src/parse/config.ts documents each field). */
export type { DeckConfig };

/** A `<!-- .slide: … -->` / `<!-- .element: … -->` attribute list, in source order. */
export type Attributes = Record<string, string>;

/**
 * A block token of marked's (or of decksmith's dialect, src/markdown/) with its source position.
 * Every token inside it (list items, table cells, inline tokens) carries `line` and `column` too
 * (read them with positionOf in src/markdown/positions.ts). Render reads tokens, never changes them.
 */
export type SlideToken = Token & {
  /** 1-based line of the token's first character, in the file as written. */
  line: number;
  /** 1-based column of that character. */
  column: number;
};

export interface Slide {
  /** Position in reading order, 0-based. */
  index: number;
  /** reveal.js horizontal index. */
  h: number;
  /** reveal.js vertical index; 0 for a top-level slide. */
  v: number;
  /** Text of the slide's first heading, '' when it has none. */
  title: string;
  layout: LayoutName;
  /** True when the author chose the layout with a directive, false when decksmith inferred it. */
  layoutExplicit: boolean;
  /** 1-based inclusive source line range, counted in the file as written. */
  lines: [number, number];
  /** The slide's Markdown without directive comments and speaker notes. */
  markdown: string;
  /** 1-based line of the first line of `markdown`. */
  markdownLine: number;
  /** What render shows: the slide's block tokens, without directive comments and speaker notes. */
  tokens: SlideToken[];
  /** Speaker notes as Markdown ('' when none). */
  notes: string;
  /** The block tokens of `notes`, positioned where each piece of the notes was written. */
  notesTokens: SlideToken[];
  classes: string[];
  background?: string;
  /** `<!-- fit -->`: scale the content down to fit the frame. */
  fit: boolean;
  /** `<!-- footer: text -->` replaces the deck's footer on this slide; '' (`<!-- nofooter -->`) hides it. */
  footer?: string;
  /** Attributes from `<!-- .slide: … -->`, applied to the slide's <section>. */
  attributes: Attributes;
  /** Marp's `header` directive: text shown at the top of this slide. */
  header?: string;
  /** Marp's header and footer as the inline Markdown they are (render shows these when set; `header`/`footer` stay their plain text). */
  headerTokens?: SlideToken[];
  footerTokens?: SlideToken[];
  /** Images the slide shows as its background (Marp `![bg]`, Deckset's own-line images), in source order. */
  backgroundImages?: BackgroundImage[];
  /** A split background (Marp `bg left:40%`, Deckset `![left]`): the images take `size` on `side`, the content the rest. */
  split?: { side: 'left' | 'right'; size: string };
  /** The file the slide was written in when it is not the deck's own (a Slidev `src:` import); its lines and positions count in that file. */
  file?: string;
}

/** One background image of a slide, from an image's alt-text keywords. */
export interface BackgroundImage {
  /** The address as written. */
  href: string;
  /** CSS background-size: cover, contain, auto, a percentage, or a width and height. */
  size: string;
  /** A CSS filter value (Marp's `sepia`, `blur:4px` keywords), when the image has one. */
  filter?: string;
  /** Where the image was written. */
  line: number;
  column: number;
}

/** CSS the author wrote in the deck (Marp's `style:` front matter and `<style>` blocks). */
export interface AuthorStyle {
  css: string;
  /** Line the CSS starts on. */
  line: number;
  /** `<style scoped>`: only for the slide with this index. */
  slide?: number;
}

export interface Deck {
  /** Path of the source file, when it came from one. */
  file?: string;
  config: DeckConfig;
  /** The line of each front-matter key in the file, for messages about its value. */
  configLines?: Record<string, number>;
  /** config.title, else the first slide's title, else ''. */
  title: string;
  slides: Slide[];
  diagnostics: Diagnostic[];
  /** The dialect the deck was read in (decksmith's own unless a marker or an override says otherwise). */
  dialect: DialectChoice;
  /** The author's own CSS written in the deck (Marp), sanitised like `css:` files when rendered. */
  styles?: AuthorStyle[];
}

/**
 * How a deck is built, the same for every command and for buildDeck and serveDeck; the flags are
 * declared once, by addDeckOptions in src/cli/options.ts. An absent or undefined field takes the
 * default.
 */
export interface DeckOptions {
  /** Theme name or path (a theme folder or .css file); overrides the front matter. */
  theme?: string | undefined;
  /** Folder of template overrides (`deck.hbs`, `layouts/`, `partials/`). */
  templates?: string | undefined;
  /**
   * The folder the deck's own files (images, `css:` stylesheets) must come from. A file outside
   * it, or reached through a symbolic link that leads outside it, is left out with a warning, so
   * building someone else's deck cannot copy, say, `../../.npmrc` into a published site.
   * @defaultValue the deck's folder
   */
  root?: string | undefined;
  /** Keep raw HTML in the Markdown as written instead of filtering it (see RenderContext.rawHtml). */
  html?: boolean | undefined;
  /** Read every deck in this dialect instead of the one its front matter names or its markers suggest. */
  dialect?: DialectName | undefined;
  /** Shrink every overflowing slide to fit (`--fit`), as front matter `fit: true` does. */
  fit?: boolean | undefined;
}

export interface ParseOptions {
  /** Used in diagnostics and error messages. */
  file?: string;
  /** The dialect to read the deck in, overriding the front matter's `dialect:` and detection (`--dialect`). */
  dialect?: DialectName | undefined;
  /**
   * Names of tool configuration files found beside the deck or in a folder above it, up to its
   * root (`reveal-md.json`, `reveal.json`): evidence for detection the text alone cannot give.
   */
  toolFiles?: readonly string[] | undefined;
  /**
   * Reads a file a Slidev slide imports with `src:` (`ref` as written, `from` the importing file),
   * under the same folder rule as images; without it imports are not followed (with a warning).
   */
  readImport?: ((ref: string, from: string | undefined) => { file: string; text: string } | { refused: string }) | undefined;
  /** The files being imported, outermost first (the deck's own first): a file already here is a cycle. */
  importChain?: readonly string[] | undefined;
}

/** The tools whose Markdown decksmith reads (issue #12); `decksmith` is the default. */
export const DIALECTS = ['decksmith', 'marp', 'reveal-md', 'slidev', 'remark', 'deckset', 'pandoc'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** Which dialect a deck was read in, and why. */
export interface DialectChoice {
  name: DialectName;
  /** How it was chosen: the `--dialect` option, the front matter's `dialect:` key, or the deck's own markers. */
  from: 'option' | 'front-matter' | 'detected' | 'default';
  /** The marker that decided it: its 1-based line (0 for a file beside the deck) and what it is. */
  evidence?: { line: number; what: string };
}

/** A file the rendered deck refers to; the write stage copies it next to index.html. */
export interface AssetRef {
  /** Where it comes from: absolute, or relative to the deck's folder for author images. */
  source: string;
  /** Where it goes, relative to the output folder (forward slashes). */
  target: string;
  kind: 'image' | 'style' | 'script' | 'font' | 'other';
  /** Source line that referred to it (author images only). */
  line?: number;
  /** The file's content when decksmith produced it (e.g. a stylesheet with remote imports removed); written instead of copying `source`. */
  content?: string;
}

/** Handlebars sources by name; `layouts/<name>` and `partials/<name>` plus `deck`. */
export interface TemplateSet {
  deck: string;
  layouts: Record<string, string>;
  partials: Record<string, string>;
  /**
   * The file each template was read from, by `deck`, `layouts/<name>`, `partials/<name>` (an
   * override from --templates or the built-in file), so a template error names it. Set by
   * loadTemplates; a set made by hand may leave it out, and errors then name the template only.
   */
  files?: Record<string, string>;
  /** The built-in templates compiled ahead of time; set by loadTemplates when the build wrote them. */
  precompiled?: PrecompiledTemplates;
}

/**
 * Handlebars template specifications written by `npm run build` (scripts/bundle.mjs), keyed by
 * the exact template text they were compiled from, so a template whose text differs (an override,
 * an edit since the build) is compiled as usual. `handlebars`: the version that compiled them;
 * render uses them only with that same version.
 */
export interface PrecompiledTemplates {
  handlebars: string;
  specs: Readonly<Record<string, object>>;
}

export interface ResolvedTheme {
  name: string;
  /** Stylesheets, in order, as output-relative hrefs paired with their source files. */
  styles: AssetRef[];
  /** Extra assets the styles need (fonts, images). */
  assets: AssetRef[];
  highlightStyle: string;
}

/** Everything renderDeck needs that is not in the Deck; resolving it is the caller's job. */
export interface RenderContext {
  templates: TemplateSet;
  theme: ResolvedTheme;
  /** Runtime files (reveal.js, plugins, KaTeX CSS, highlight CSS), already resolved. */
  runtime: AssetRef[];
  /** decksmith version, written into a <meta name="generator">. */
  version: string;
  /**
   * Pass raw HTML in the Markdown through as written (the `--html` flag). Otherwise it keeps only
   * formatting, structure, tables and media; scripts, event handlers and frames are removed with
   * a warning. @defaultValue false
   */
  rawHtml?: boolean;
  /**
   * Decides for every local file the deck refers to whether it may reach the output, and where.
   * The build passes the file-system rule (src/build/assets.ts: inside `--root` after following
   * symbolic links); render itself stays pure.
   * @defaultValue a check of the path as written against the deck's folder (lexicalAssets)
   */
  resolveAsset?: AssetResolver;
  /**
   * Shrink every slide that overflows (`--fit`), whatever the front matter's `fit:` says.
   * @defaultValue the front matter's `fit:`
   */
  fit?: boolean;
  /**
   * Drawn figures (```mermaid, ```chart, ```vega-lite fences, issue #13) by figureKey(lang,
   * source): inline SVG the build got from its FigureRenderer. A figure fence with no entry here
   * is shown as the code it is, so its source is never lost. @defaultValue none
   */
  figures?: Readonly<Record<string, string>> | undefined;
}

/** Fenced-code languages drawn as figures at build time (issue #13). */
export const FIGURE_LANGS = ['mermaid', 'chart', 'vega-lite'] as const;
export type FigureLang = (typeof FIGURE_LANGS)[number];

/** One figure fence of a deck, as the build found it in the slides' tokens. */
export interface FigureFence {
  lang: FigureLang;
  /** The fence's content as written. */
  source: string;
  /** 1-based deck line of the fence's first content line (a library's "line 1"). */
  line: number;
  /** RenderContext.figures key: figureKey(lang, source). */
  key: string;
}

/** What a FigureRenderer draws: one deck's figure fences, with what theming and data rules need. */
export interface FigureJob {
  deck: Deck;
  /** The deck file as given (messages name it). */
  file: string;
  /** Absolute folder of the deck; chart data files resolve against it. */
  deckDir: string;
  /** Real path of the folder rule's root (--root): data files must be inside it. */
  root: string;
  theme: ResolvedTheme;
  /** Distinct by key, in deck order. */
  fences: FigureFence[];
  signal?: AbortSignal | undefined;
  /**
   * Called (at most once) when the job has to wait: a diagram in no cache is drawn in Chromium,
   * or another deck's diagrams are being drawn first. The caller may start other work meanwhile.
   */
  onWaiting?: (() => void) | undefined;
}

/**
 * Draws figure fences to SVG (src/figures/ implements it: Mermaid in Chromium, charts in Node,
 * cached on disk). buildDeck awaits it before render, so render stays pure.
 * @throws FigureError for a fence that cannot be drawn (syntax, data), naming file and line.
 */
export interface FigureRenderer {
  render(job: FigureJob): Promise<DrawnFigures>;
}

/** What a FigureRenderer drew for one deck. */
export interface DrawnFigures {
  /** SVG by FigureFence.key. */
  figures: Record<string, string>;
  diagnostics: Diagnostic[];
  /** Absolute paths of the files the figures read (a chart's data files), for watchers. */
  inputs?: string[];
}

/** Where a local file the deck refers to goes, or why it is left out. */
export type LocalAsset =
  /** `copyFrom` is relative to the deck's folder (the build resolves and copies it); `href` is its address in the output. */
  { copyFrom: string; href: string } | { refused: true; reason: string };

/**
 * The rule for local files: `ref` as written in `deckFile`, `prefix` the output folder accepted
 * files go to (`media`, `css`).
 */
export type AssetResolver = (ref: string, deckFile: string, prefix: string) => LocalAsset;

export interface RenderedSlide {
  index: number;
  h: number;
  v: number;
  title: string;
  layout: LayoutName;
  html: string;
  notesHtml: string;
  /** How the deck shrinks the slide when it overflows: `<!-- fit -->`, a deck-wide fit (`fit: true`, `--fit`), or not at all. */
  fit: 'slide' | 'deck' | 'none';
}

export interface RenderedDeck {
  /** The complete index.html. */
  html: string;
  slides: RenderedSlide[];
  /** Files index.html refers to, relative to the output folder. */
  assets: AssetRef[];
  /** Diagnostics found while rendering (missing layout data, unknown languages, …). */
  diagnostics: Diagnostic[];
  /** Slide size in CSS pixels. */
  width: number;
  height: number;
}

/** A deck written to disk by the build stage (src/build/index.ts). */
export interface BuiltDeck {
  /** Output name: the source file's base name without `.md`. */
  name: string;
  /** Absolute path of the source Markdown. */
  file: string;
  /** Absolute path of output/<name>/. */
  outDir: string;
  /** Absolute path of output/<name>/index.html. */
  htmlPath: string;
  deck: Deck;
  rendered: RenderedDeck;
  /**
   * Absolute paths of what this build read on the author's side, for watchers: the deck, its
   * images and `css:` files (also missing ones), and its theme's files. A folder (a theme folder)
   * stands for every file directly in it. Decksmith's runtime (reveal.js, plugins) is not listed.
   * Set by buildDeck; absent on a BuiltDeck made by hand.
   */
  inputs?: string[];
  /**
   * The files of the output folder besides index.html, sources absolute (or `content` for
   * generated ones), each already checked against the file rules. Set by buildDeck.
   */
  files?: AssetRef[];
}

export const PDF_SIZES = ['16:9', '4:3', 'a4', 'letter'] as const;
export type PdfSize = (typeof PDF_SIZES)[number];
export const HANDOUT_COUNTS = [1, 2, 3, 4, 6] as const;
export type HandoutCount = (typeof HANDOUT_COUNTS)[number];

/** Options of `decksmith pdf` and `decksmith build --pdf`. Defaults are in src/export. */
export interface PdfOptions {
  /** Output file; default `<outDir>/../<name>.pdf` (or `<name>-handout.pdf` for handouts). */
  out?: string;
  /** none: slides only; page: a notes page after each slide; below: notes under each slide. */
  notes: 'none' | 'page' | 'below';
  /** final: one page per slide with every fragment shown; steps: one page per fragment step. */
  fragments: 'final' | 'steps';
  /** Page size; default the deck's own slide size. */
  size?: PdfSize;
  /** 1-based slide numbers, e.g. `1-5,8`; default every slide. */
  range?: string;
  /** Write a handout with this many slides per page instead of the slide PDF. */
  handout?: HandoutCount;
  /** Give up after this long, naming what was still loading. */
  timeoutMs: number;
}
