/**
 * renderDeck(deck, context) → RenderedDeck. Pure: templates, theme and runtime files arrive
 * already resolved in the context; the result says which files to copy, and the write stage
 * copies them. A fresh Handlebars environment and Marked instance per call.
 *
 * Author content reaches templates only as values (never as template source), so `{{…}}`
 * written in Markdown is shown as written.
 */
import Handlebars from 'handlebars';
import { TemplateError } from '../errors.js';
import { explainingOverflow } from '../markdown/explain.js';
import type { AssetRef, Deck, Diagnostic, RenderContext, RenderedDeck, RenderedSlide, Slide, TemplateSet } from '../types.js';
import { resolve } from 'node:path';
import { lexicalAssets } from './assets.js';
import { createRenderer, hasMath, renderTokens, renderWhole, splitColumns, type RenderSink } from './markdown.js';
import { checkedAttributes, cssReferences, fileReference } from './references.js';
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
      Handlebars.parse(source);
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

function compile(hb: HB, source: string, name: string, templates: TemplateSet): Handlebars.TemplateDelegate {
  try {
    // Compiling eagerly surfaces syntax errors here, with the template's name.
    const template = hb.compile(source, { strict: false, preventIndent: true });
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

export function renderDeck(deck: Deck, context: RenderContext): RenderedDeck {
  const hb = Handlebars.create();
  for (const [name, source] of Object.entries(context.templates.partials)) {
    hb.registerPartial(name, source);
  }
  const layouts = new Map<string, Handlebars.TemplateDelegate>();
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
    figures: context.figures,
  };
  const marked = createRenderer(sink);
  const [width, height] = SLIDE_PIXELS[deck.config.size];
  const meta = deckMeta(deck);

  const slides: RenderedSlide[] = [];
  const slideData = deck.slides.map((slide) => {
    const tokens = slide.tokens;
    if (hasMath(marked, tokens) || hasMath(marked, slide.notesTokens)) sink.usesMath = true;
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
    slides.push({ index: slide.index, h: slide.h, v: slide.v, title: slide.title, layout: slide.layout, html, notesHtml });
    const footer = slide.footer ?? deck.config.footer ?? '';
    return { ...slideSummary(slide), footer, html, notesHtml, attributes: sectionAttributes(slide, sink) };
  });

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
  const deckTemplate = compile(hb, context.templates.deck, 'deck', context.templates);
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
function sectionAttributes(slide: Slide, sink: RenderSink): { name: string; value: string }[] {
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
  if (slide.fit) attributes['data-ds-fit'] = '';
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
