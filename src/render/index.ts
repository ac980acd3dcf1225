/**
 * renderDeck(deck, context) → RenderedDeck. Pure: templates, theme and runtime files arrive
 * already resolved in the context; the result says which files to copy, and the write stage
 * copies them. A fresh Handlebars environment and Marked instance per call.
 *
 * Author content reaches templates only as values (never as template source), so `{{…}}`
 * written in Markdown is shown as written.
 */
import type Handlebars from 'handlebars';
import handlebarsRuntime from 'handlebars/runtime.js';
import { createRequire } from 'node:module';
import { TemplateError } from '../errors.js';
import { explainingOverflow } from '../markdown/explain.js';
import type { AssetRef, Deck, Diagnostic, RenderContext, RenderedDeck, RenderedSlide, Slide, TemplateSet } from '../types.js';
import { resolve } from 'node:path';
import { lexicalAssets } from './assets.js';
import { createRenderer, renderTokens, renderWhole, splitColumns, type RenderSink } from './markdown.js';
import { checkedAttributes, cssReferences, fileReference } from './references.js';
import { backgroundLayer } from './backgrounds.js';
import { escapeHtml } from './urls.js';

/** Output-relative paths of the runtime files; src/build/runtime.ts supplies their sources. */
export const RUNTIME = {
  resetCss: 'assets/reveal/reset.css',
  revealCss: 'assets/reveal/reveal.css',
  revealJs: 'assets/reveal/reveal.js',
  notesJs: 'assets/reveal/plugin/notes.js',
  katexCss: 'assets/katex/katex.min.css',
  katexFonts: 'assets/katex/fonts/',
  highlightDir: 'assets/highlight/',
} as const;

export const SLIDE_PIXELS = { '16:9': [1280, 720], '4:3': [1024, 768] } as const;

type HB = typeof Handlebars;
/** The runtime half of Handlebars (its declaration file types it as an empty module). */
const HandlebarsRuntime = handlebarsRuntime as unknown as Pick<HB, 'create' | 'VERSION'>;

let fullHandlebars: HB | undefined;

/**
 * Handlebars with its compiler, loaded only when a template has to be compiled (an override from
 * --templates, a build without dist/templates.cjs) or a template error has to be placed: the
 * precompiled built-in templates need only the runtime, and the compiler is a third of the
 * package's code.
 */
function compiler(): HB {
  fullHandlebars ??= createRequire(import.meta.url)('handlebars') as HB;
  return fullHandlebars;
}

/** Whether every template of the set has a precompiled spec this Handlebars can run. */
function allPrecompiled(templates: TemplateSet): boolean {
  const ahead = templates.precompiled;
  if (ahead === undefined || ahead.handlebars !== HandlebarsRuntime.VERSION) return false;
  const texts = [templates.deck, ...Object.values(templates.layouts), ...Object.values(templates.partials)];
  return texts.every((text) => Object.hasOwn(ahead.specs, text));
}
type TemplateSpecification = Parameters<HB['template']>[0];

/**
 * Where a template error comes from: template `name` itself, or else the first partial that does
 * not parse (Handlebars compiles partials lazily, and its parse errors name no template), with
 * the file it was read from (TemplateSet.files) and the line the parse error gives.
 */
function errorSource(templates: TemplateSet, name: string, error: unknown): { name: string; file?: string; line?: number } {
  const lineOf = (e: unknown): number | undefined => {
    const line = /^Parse error on line (\d+):/.exec(e instanceof Error ? e.message : '')?.[1];
    return line === undefined ? undefined : Number(line);
  };
  const at = (which: string, line: number | undefined) => ({
    name: which,
    ...(templates.files?.[which] === undefined ? {} : { file: templates.files[which] }),
    ...(line === undefined ? {} : { line }),
  });
  if (lineOf(error) === undefined) return at(name, undefined);
  const own = name === 'deck' ? templates.deck : templates.layouts[name.replace(/^layouts\//, '')];
  const candidates: [string, string | undefined][] = [
    [name, own],
    ...Object.entries(templates.partials).map(([p, source]): [string, string] => [`partials/${p}`, source]),
  ];
  for (const [which, source] of candidates) {
    if (source === undefined) continue;
    try {
      compiler().parse(source);
    } catch (parseError) {
      return at(which, lineOf(parseError));
    }
  }
  return at(name, lineOf(error));
}

/** `template "layouts/x"` and, when known, the file it was read from. */
function templateLabel(where: { name: string; file?: string }): string {
  return `template "${where.name}"${where.file === undefined ? '' : ` (${where.file})`}`;
}

/**
 * The options every template is compiled with. scripts/bundle.mjs precompiles the built-in
 * templates with these same options, so a precompiled template renders byte for byte as a
 * compiled one.
 */
export const TEMPLATE_OPTIONS = { strict: false, preventIndent: true } as const;

function compile(hb: HB, source: string, name: string, templates: TemplateSet): Handlebars.TemplateDelegate {
  const ahead = templates.precompiled;
  if (ahead !== undefined && ahead.handlebars === HandlebarsRuntime.VERSION && Object.hasOwn(ahead.specs, source)) {
    return hb.template(ahead.specs[source] as TemplateSpecification);
  }
  try {
    // Compiling eagerly surfaces syntax errors here, with the template's name.
    const template = hb.compile(source, TEMPLATE_OPTIONS);
    return template;
  } catch (error) {
    const where = errorSource(templates, name, error);
    throw new TemplateError('template-syntax', `${templateLabel(where)} does not compile: ${(error as Error).message}`, {
      cause: error,
      file: where.file,
      line: where.line,
      hint: 'Fix the Handlebars syntax in that template file.',
    });
  }
}

function run(template: Handlebars.TemplateDelegate, data: object, name: string, templates: TemplateSet): string {
  try {
    return template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (error) {
    const message = (error as Error).message;
    const partial = /The partial (\S+) could not be found/.exec(message)?.[1];
    const where = errorSource(templates, name, error);
    if (partial === undefined && where.line !== undefined) {
      // A syntax error, found only now: Handlebars compiles on first use.
      throw new TemplateError('template-syntax', `${templateLabel(where)} does not compile: ${message}`, {
        cause: error,
        file: where.file,
        line: where.line,
        hint: 'Fix the Handlebars syntax in that template file.',
      });
    }
    throw new TemplateError(
      partial === undefined ? 'template-failed' : 'missing-partial',
      partial === undefined
        ? `${templateLabel(where)} failed: ${message}`
        : `${templateLabel(where)} uses partial "${partial}", which does not exist`,
      { cause: error, file: where.file, hint: partial === undefined ? undefined : `Add partials/${partial}.hbs to your templates folder.` },
    );
  }
}

function isImageValue(value: string): boolean {
  return /\.(png|jpe?g|gif|svg|webp|avif)(\?.*)?$/i.test(value) || /^url\(/i.test(value);
}

/** A template set compiled once: its Handlebars instance (partials compile there on first use), layouts and deck template. */
interface Compiled {
  hb: HB;
  layouts: Map<string, Handlebars.TemplateDelegate>;
  deck?: Handlebars.TemplateDelegate;
}

/**
 * Compiled template sets by their text: a rebuild (serve, watch, a folder of decks) compiles
 * nothing it compiled before. Compiled templates hold no state of a render; bounded, as a
 * long-running serve may see many edited template sets.
 */
const compiledSets = new Map<string, Compiled>();
const COMPILED_SETS = 8;

function compiledSet(templates: TemplateSet): Compiled {
  const key = JSON.stringify([templates.deck, templates.partials, templates.layouts, templates.precompiled?.handlebars]);
  let compiled = compiledSets.get(key);
  if (compiled === undefined) {
    // The runtime alone runs precompiled templates; a set with any other needs the compiler.
    const hb = allPrecompiled(templates) ? HandlebarsRuntime.create() : compiler().create();
    // Compiled here, not registered as text: Handlebars compiles a text partial again for every
    // template call that uses it (once per slide), as each call gets its own copy of the partials.
    for (const [name, source] of Object.entries(templates.partials)) {
      hb.registerPartial(name, compile(hb, source, `partials/${name}`, templates));
    }
    compiled = { hb, layouts: new Map() };
    if (compiledSets.size >= COMPILED_SETS) compiledSets.delete(compiledSets.keys().next().value ?? '');
    compiledSets.set(key, compiled);
  }
  return compiled;
}

/**
 * `cache`: slides rendered by earlier calls (serve keeps one per deck), reused for every slide
 * that renders from the same input; see SlideCache.
 */
export function renderDeck(deck: Deck, context: RenderContext, cache?: SlideCache): RenderedDeck {
  const compiled = compiledSet(context.templates);
  const { hb, layouts } = compiled;
  const layoutTemplate = (name: string) => {
    let template = layouts.get(name);
    if (template === undefined) {
      const source = context.templates.layouts[name];
      if (source === undefined) {
        throw new TemplateError('missing-layout', `layout "${name}" has no template`, {
          hint: `Add layouts/${name}.hbs to your templates folder.`,
        });
      }
      template = compile(hb, source, `layouts/${name}`, context.templates);
      layouts.set(name, template);
    }
    return template;
  };

  const file = deck.file;
  const fitAll = context.fit ?? deck.config.fit;
  const deckFile = resolve(file ?? 'deck.md');
  const sink: RenderSink = {
    assets: [],
    diagnostics: [],
    usesMath: false,
    file,
    rawHtml: context.rawHtml === true,
    deckFile,
    resolveAsset: context.resolveAsset ?? lexicalAssets(),
    raw: { open: [], floor: 0 },
    dialect: deck.dialect.name,
    figures: context.figures,
  };
  const marked = createRenderer(sink);
  const [width, height] = SLIDE_PIXELS[deck.config.size];
  const meta = deckMeta(deck);

  const slides: RenderedSlide[] = [];
  const renderSlide = (slide: Slide) => {
    const tokens = slide.tokens;
    const layoutData: Record<string, unknown> = { slide: slideSummary(slide), deck: meta };
    if (slide.layout === 'compare') {
      const split = splitColumns(tokens);
      layoutData['header'] = renderTokens(marked, split.header);
      layoutData['columns'] = split.columns.map((column) => renderTokens(marked, column));
      layoutData['footer'] = renderTokens(marked, split.footer);
      if (split.columns.length < 2) {
        sink.diagnostics.push(
          diagnostic(
            file,
            slide.lines[0],
            'compare-columns',
            'a compare slide needs two or more columns: use "### " headings or "::: column" blocks',
          ),
        );
      }
    }
    const body = explainingOverflow(() => renderTokens(marked, tokens), slide.markdown, file, slide.markdownLine);
    layoutData['body'] = body;
    layoutData['showSubtitle'] = tokens.filter((t) => t.type !== 'space').length <= 1;
    const notesHtml = slide.notes === '' ? '' : renderWhole(marked, slide.notesTokens);
    const html = run(layoutTemplate(slide.layout), layoutData, `layouts/${slide.layout}`, context.templates);
    const fit = slide.fit ? 'slide' : fitAll ? 'deck' : 'none';
    slides.push({ index: slide.index, h: slide.h, v: slide.v, title: slide.title, layout: slide.layout, html, notesHtml, fit });
    const footer = slide.footer ?? deck.config.footer ?? '';
    const summary = slideSummary(slide);
    const layer = backgroundLayer(slide, sink);
    const attributes = sectionAttributes(slide, sink, fitAll);
    if (layer === undefined && deck.dialect.name !== 'marp') return { ...summary, footer, html, notesHtml, attributes };
    // Marp and Deckset slides: a background layer, a split, Marp's header and theme classes.
    const classes = [summary.classes, ...marpClasses(deck), ...(layer?.classes ?? [])].join(' ');
    if (layer !== undefined && layer.style !== '') {
      const style = attributes.find((a) => a.name === 'style');
      if (style === undefined) attributes.push({ name: 'style', value: layer.style });
      else style.value = `${style.value} ${layer.style}`;
    }
    const header = slide.header;
    // Marp's header and footer are inline Markdown: shown as rendered when the slide has their tokens.
    const headerHtml = slide.headerTokens === undefined ? undefined : inlineHtml(marked, slide.headerTokens);
    const footerHtml = slide.footerTokens === undefined ? undefined : inlineHtml(marked, slide.footerTokens);
    return { ...summary, classes, footer, header, headerHtml, footerHtml, backgrounds: layer?.html, html, notesHtml, attributes };
  };
  const slideData = reusing(cache, { deck, context, meta, fitAll }, sink, slides, renderSlide);

  const styles: AssetRef[] = [];
  const runtime = context.runtime.filter((a) => sink.usesMath || !a.target.startsWith('assets/katex/'));
  const byTarget = (target: string) => runtime.find((a) => a.target === target);
  for (const target of [RUNTIME.resetCss, RUNTIME.revealCss]) {
    const asset = byTarget(target);
    if (asset !== undefined) styles.push(asset);
  }
  styles.push(...context.theme.styles);
  const highlight = byTarget(`${RUNTIME.highlightDir}${deck.config.highlightStyle ?? context.theme.highlightStyle}.css`);
  if (highlight !== undefined) styles.push(highlight);
  if (sink.usesMath) {
    const katex = byTarget(RUNTIME.katexCss);
    if (katex !== undefined) styles.push(katex);
  }
  const cssLine = deck.configLines?.['css'];
  // The author's stylesheets go through the file rule like every other local file.
  const cssScope = { ...sink, assets: [] as AssetRef[] };
  for (const href of deck.config.css) fileReference(cssScope, href, { what: 'file', kind: 'style', line: cssLine, prefix: 'css' });
  const userCss: AssetRef[] = dedupe(cssScope.assets);
  const authorStyle = authorStyles(deck, sink);
  if (authorStyle !== undefined) userCss.push(authorStyle);
  const themeVarsLine = deck.configLines?.['themeVars'];
  const themeVars = Object.fromEntries(
    Object.entries(deck.config.themeVars).map(([name, value]) => [
      name,
      /url\(/i.test(value) ? cssReferences(sink, value, `themeVars "${name}" url()`, themeVarsLine) : value,
    ]),
  );
  const reveal: Record<string, unknown> = { ...deck.config.reveal };
  const parallax = reveal['parallaxBackgroundImage'];
  if (typeof parallax === 'string' && parallax.trim() !== '') {
    const href = fileReference(sink, parallax.replace(/^url\(\s*['"]?|['"]?\s*\)$/g, ''), {
      what: 'reveal parallaxBackgroundImage',
      kind: 'image',
      line: deck.configLines?.['reveal'],
    });
    if (href === undefined) delete reveal['parallaxBackgroundImage'];
    else reveal['parallaxBackgroundImage'] = href;
  }

  const stacks: { vertical: boolean; slides: typeof slideData }[] = [];
  for (const slide of slideData) {
    const last = stacks[stacks.length - 1];
    if (slide.v > 0 && last !== undefined) {
      last.slides.push(slide);
      last.vertical = true;
    } else stacks.push({ vertical: false, slides: [slide] });
  }

  const revealConfig = {
    hash: true,
    width,
    height,
    margin: 0.04,
    center: false,
    transition: deck.config.transition,
    slideNumber: deck.config.slideNumber ? 'c/t' : false,
    pdfMaxPagesPerSlide: 1,
    ...reveal,
  };
  const deckTemplate = compiled.deck ?? compile(hb, context.templates.deck, 'deck', context.templates);
  compiled.deck = deckTemplate;
  const html = run(
    deckTemplate,
    {
      deck: meta,
      version: context.version,
      styles: [...styles, ...userCss].map((s) => s.target),
      themeName: context.theme.name,
      themeVars: themeVarsCss(themeVars),
      stacks,
      scripts: { reveal: RUNTIME.revealJs, notes: RUNTIME.notesJs },
      revealConfig: scriptJson(revealConfig),
      width,
      height,
      fitHeadings: slides.some((slide) => slide.html.includes('class="ds-fit-heading"')),
    },
    'deck',
    context.templates,
  );

  const assets: AssetRef[] = [
    ...runtime.filter((a) => !a.target.startsWith(RUNTIME.highlightDir) || a === highlight),
    ...context.theme.styles,
    ...context.theme.assets,
    ...userCss,
    ...dedupe(sink.assets),
  ];
  return { html, slides, assets, diagnostics: uniqueDiagnostics(sink.diagnostics), width, height };
}

/**
 * Slides rendered before, for a caller that renders one deck again and again (`serve` after each
 * save): a slide is rendered again only when something it renders from differs (its tokens,
 * notes, attributes, position; the deck's metadata, templates, figures, options). A slide renders
 * from nothing else (no neighbour): what it adds to the deck (files, warnings, math) is stored
 * with it and added again on reuse, so the result is the same as without a cache. Holds the
 * slides of the last call only. The calls that share one must resolve files the same way
 * (RenderContext.resolveAsset, which a cache cannot compare): one deck and root, as serve has.
 */
export class SlideCache {
  /** Indices of the slides the last call rendered (the others it reused). */
  rendered: number[] = [];
  /** By the slide's JSON: its tokens, notes, attributes, position. */
  entries = new Map<string, CachedSlide>();
  /** What the entries were rendered with besides their slide (the deck's settings, templates, figures). */
  shared = '';
}

interface CachedSlide {
  data: unknown;
  rendered: RenderedSlide;
  assets: AssetRef[];
  diagnostics: Diagnostic[];
  usesMath: boolean;
}

/** Renders each slide with `render`, or takes it from `cache`; without one, renders them all. */
function reusing<T>(
  cache: SlideCache | undefined,
  inputs: { deck: Deck; context: RenderContext; meta: object; fitAll: boolean },
  sink: RenderSink,
  slides: RenderedSlide[],
  render: (slide: Slide) => T,
): T[] {
  const { deck, context } = inputs;
  if (cache === undefined) return deck.slides.map(render);
  // Everything but the slide that a slide's HTML, files and warnings depend on.
  const shared = JSON.stringify([
    deck.file,
    deck.dialect.name,
    deck.config,
    inputs.meta,
    inputs.fitAll,
    context.rawHtml === true,
    context.templates,
    context.figures ?? null,
  ]);
  // Slides rendered with other settings are of no use.
  if (cache.shared !== shared) cache.entries.clear();
  cache.shared = shared;
  const next = new Map<string, CachedSlide>();
  cache.rendered = [];
  const out = deck.slides.map((slide) => {
    const key = JSON.stringify(slide);
    const hit = cache.entries.get(key);
    if (hit !== undefined) {
      next.set(key, hit);
      slides.push(hit.rendered);
      sink.assets.push(...hit.assets);
      sink.diagnostics.push(...hit.diagnostics);
      if (hit.usesMath) sink.usesMath = true;
      // The entry was stored by this function from the same `render`.
      return hit.data as T;
    }
    const before = { assets: sink.assets.length, diagnostics: sink.diagnostics.length, usesMath: sink.usesMath };
    sink.usesMath = false;
    const data = render(slide);
    const rendered = slides[slides.length - 1];
    const usesMath = sink.usesMath;
    sink.usesMath = before.usesMath || usesMath;
    cache.rendered.push(slide.index);
    if (rendered !== undefined) {
      next.set(key, {
        data,
        rendered,
        assets: sink.assets.slice(before.assets),
        diagnostics: sink.diagnostics.slice(before.diagnostics),
        usesMath,
      });
    }
    return data;
  });
  cache.entries = next;
  return out;
}

/**
 * A Marp slide's classes for themes/base.css: `ds-marp`, and the Marp theme it was written for
 * (`ds-marp-default` when it names none), whose placement the rules follow.
 */
function marpClasses(deck: Deck): string[] {
  if (deck.dialect.name !== 'marp') return [];
  const theme = (deck.config.theme ?? 'default').toLowerCase();
  return ['ds-marp', ...(['default', 'gaia', 'uncover'].includes(theme) ? [`ds-marp-${theme}`] : [])];
}

/**
 * The CSS the author wrote in the deck (Marp's `style:` and `<style>` blocks) as one stylesheet,
 * with the same rules as a `css:` file: no `@import`, every url() through the file rule. A
 * `<style scoped>` holds for its own slide only.
 */
function authorStyles(deck: Deck, sink: RenderSink): AssetRef | undefined {
  if (deck.styles === undefined || deck.styles.length === 0) return undefined;
  const parts = deck.styles.map((style) => {
    const css = cssReferences(sink, style.css, 'style url()', style.line);
    return style.slide === undefined ? css : `@scope (section[data-ds-index="${style.slide}"]) {\n${css}\n}`;
  });
  const content = `${parts.join('\n').replace(/<\/style/gi, '<\\/style')}\n`;
  return { source: sink.deckFile, target: 'css/ds-deck-style.css', kind: 'style', content };
}

/** The compare layout renders a slide's tokens twice (columns, body): one warning each. */
function uniqueDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}\u0000${d.line ?? ''}\u0000${d.column ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupe(assets: readonly AssetRef[]): AssetRef[] {
  const seen = new Map<string, AssetRef>();
  for (const asset of assets) if (!seen.has(asset.target)) seen.set(asset.target, asset);
  return [...seen.values()];
}

function deckMeta(deck: Deck) {
  const c = deck.config;
  return {
    title: deck.title,
    subtitle: c.subtitle,
    author: c.author,
    date: c.date,
    description: c.description,
    keywords: c.keywords.join(', '),
    lang: c.lang,
    footer: c.footer,
    slideCount: deck.slides.length,
  };
}

function slideSummary(slide: Slide) {
  return {
    index: slide.index,
    number: slide.index + 1,
    h: slide.h,
    v: slide.v,
    title: slide.title,
    layout: slide.layout,
    classes: ['ds-slide', `ds-layout-${slide.layout}`, ...slide.classes].join(' '),
    fit: slide.fit,
  };
}

/** Attributes of the slide's <section>, as name/value pairs for the template to escape. */
function sectionAttributes(slide: Slide, sink: RenderSink, fitAll: boolean): { name: string; value: string }[] {
  const attributes: Record<string, string> = checkedAttributes(sink, slide.attributes, slide.lines[0]);
  if (slide.background !== undefined) {
    const value = slide.background.trim();
    if (isImageValue(value)) {
      const href = fileReference(sink, value.replace(/^url\(\s*['"]?|['"]?\s*\)$/g, ''), {
        what: 'background image',
        kind: 'image',
        line: slide.lines[0],
      });
      if (href !== undefined) attributes['data-background-image'] = href;
    } else if (/^[#\w(),.%\s-]+$/.test(value)) {
      attributes['data-background-color'] = value;
    } else {
      sink.diagnostics.push(
        diagnostic(sink.file, slide.lines[0], 'bad-background', `background "${value}" is neither a colour nor an image path`),
      );
    }
  }
  // `<!-- fit -->` zooms as far as it takes; a deck-wide fit (`fit: true`, `--fit`) shrinks code
  // first and stops at a readable floor (templates/partials/scripts.hbs).
  if (slide.fit) attributes['data-ds-fit'] = '';
  else if (fitAll) attributes['data-ds-fit'] = 'auto';
  return Object.entries(attributes).map(([name, value]) => ({ name, value }));
}

function diagnostic(file: string | undefined, line: number, code: Diagnostic['code'], message: string): Diagnostic {
  return { severity: 'warning', code, message, line, ...(file === undefined ? {} : { file }) };
}

/** `--ds-accent: #0a84ff;` lines; values were validated in src/parse/config.ts. */
function themeVarsCss(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => `--ds-${name}: ${value};`)
    .join(' ');
}

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export { escapeHtml };

/** One paragraph's tokens as the inline HTML inside it (a header or footer line has no <p>). */
function inlineHtml(marked: ReturnType<typeof createRenderer>, tokens: Slide['tokens']): string {
  return renderTokens(marked, tokens)
    .trim()
    .replace(/^<p>([\s\S]*)<\/p>$/, '$1');
}
