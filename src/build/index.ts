/**
 * buildDeck: read → parse → render → write for one Markdown file. The only orchestration layer;
 * the CLI and the library API both call it.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { FigureError, InputError, TemplateError, throwIfInterrupted } from '../errors.js';
import { parseDeck } from '../parse/index.js';
import { readSource } from './read.js';
import { renderDeck, type SlideCache } from '../render/index.js';
import { cssReferences } from '../render/references.js';
import { loadTemplates } from './templates.js';
import { fontCoverage, uncovered, withShownFonts } from './fonts.js';
import { closestTheme, DEFAULT_THEME, foreignTheme, isThemeName, resolveTheme } from './theme.js';
import type { AssetRef, BuiltDeck, Deck, DeckOptions, Diagnostic, FigureRenderer, ResolvedTheme, TemplateSet } from '../types.js';
import { figureFences } from '../render/figures.js';
import { prehighlight } from '../render/highlight.js';
import { loadHtmlFilter } from '../render/sanitize.js';
import { checkFile, capFor, readRegularFile, RefusedFile, SIZE_CAPS } from './files.js';
import { OUTPUT_MARKER, writeDeck } from './write.js';
import { printableName, safeOutputName } from './names.js';
import { resolveRuntime } from './runtime.js';
import { fileSystemAssets } from './assets.js';
import { slidevAssets, slidevImports } from './imports.js';
import { decksmithVersion } from './version.js';

export interface BuildOptions extends DeckOptions {
  /** Output root; the deck goes to `<outDir>/<name>/`. @defaultValue "output" */
  outDir?: string;
  /**
   * Where under `outDir` the deck goes, `/`-separated, each part a safe name (safeOutputName).
   * @defaultValue the path expandInputs planned for it, else the file's base name without `.md`
   */
  outName?: string;
  /** Stops the build (InterruptedError) before it writes, or while it copies; the previous output stays. */
  signal?: AbortSignal | undefined;
  /**
   * Write nothing: the BuiltDeck's `files` say what the output folder would hold (serve answers
   * requests from them, so a rebuild costs no copying). @defaultValue false
   */
  inMemory?: boolean;
  /**
   * Draws the deck's ```mermaid, ```chart and ```vega-lite fences (createFigureRenderer in
   * src/figures/). A deck that has such fences and is built without one fails with
   * `figure-no-renderer`; a deck without them never calls it.
   */
  figures?: FigureRenderer | undefined;
  /** Slides rendered by earlier builds of this deck, reused when unchanged (serve). @defaultValue none */
  slideCache?: SlideCache | undefined;
}

/** The DeckOptions fields of `options` (a command's flags, serve's options), and nothing else. */
export function deckOptions(options: DeckOptions): DeckOptions {
  return {
    theme: options.theme,
    templates: options.templates,
    root: options.root,
    html: options.html,
    dialect: options.dialect,
    fit: options.fit,
  };
}

/** Folders a folder input never searches: tools' folders, hidden folders, and outputs. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/**
 * Output paths planned by the last expandInputs, by absolute deck path: `sub/folder/name` for a
 * deck found in a subfolder of a folder input. buildDeck uses it when not given `outName`, so
 * `decksmith build talks` writes talks/a/deck.md to output/a/deck/ and talks/b/deck.md to
 * output/b/deck/.
 */
const plannedNames = new Map<string, string>();

export interface ExpandOptions {
  /** The output root, never searched for decks. @defaultValue "output" */
  outDir?: string;
}

/**
 * Expands folders to the `.md` files in them and in their subfolders (not `node_modules`, `.git`,
 * hidden folders, symbolic links to folders, the output root, or a folder decksmith wrote; not a
 * symbolic link that leads out of the folder), sorted; files pass through. Each deck gets its own output path (see plannedNames); two decks that would
 * write the same output folder, or one inside the other's, are an InputError naming both, before
 * anything is written.
 */
export function expandInputs(inputs: readonly string[], options: ExpandOptions = {}): string[] {
  const outRoot = resolve(options.outDir ?? 'output');
  const found: { file: string; outName: string }[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) {
      throw new InputError('input-not-found', `input "${input}" does not exist`, {
        hint: 'Pass a Markdown file or a folder of them.',
      });
    }
    if (statSync(input).isDirectory()) {
      const before = found.length;
      searchFolder(input, [], outRoot, realpathSync(input), found);
      if (found.length === before) throw new InputError('no-decks', `folder "${input}" holds no .md files`);
    } else found.push({ file: input, outName: safeOutputName(basename(input, extname(input))) });
  }
  const byName = new Map<string, string>();
  for (const { file, outName } of found) {
    // Compared without case: on macOS and Windows `Deck/` and `deck/` are one folder.
    const key = outName.toLowerCase();
    const clash = byName.get(key) ?? [...byName].find(([other]) => key.startsWith(`${other}/`) || other.startsWith(`${key}/`))?.[1];
    if (clash !== undefined && resolve(clash) !== resolve(file)) {
      throw new InputError(
        'output-clash',
        `"${printableName(clash)}" and "${printableName(file)}" would both be written to ${join(outRoot, outName)}`,
        {
          file,
          hint: 'Rename one of them, build them one at a time with different --out folders, or build their common folder (each subfolder gets its own output folder).',
        },
      );
    }
    byName.set(key, file);
    plannedNames.set(resolve(file), outName);
  }
  return [...new Set(found.map((f) => f.file))];
}

function searchFolder(dir: string, sub: string[], outRoot: string, top: string, found: { file: string; outName: string }[]): void {
  if (resolve(dir) === outRoot || existsSync(join(dir, OUTPUT_MARKER))) return;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // endsWith, not extname: extname(".md") is "", and a deck named ".md" is still a deck.
    if (!entry.name.toLowerCase().endsWith('.md') || entry.isDirectory()) continue;
    // A link to a deck elsewhere (`notes.md -> ~/.ssh/config`) is not one of this folder's decks.
    if (entry.isSymbolicLink() && !linksInside(path, top)) continue;
    const name = safeOutputName(entry.name.slice(0, -'.md'.length));
    found.push({ file: path, outName: [...sub.map(safeOutputName), name].join('/') });
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
    searchFolder(join(dir, entry.name), [...sub, entry.name], outRoot, top, found);
  }
}

function linksInside(path: string, dir: string): boolean {
  try {
    return inside(realpathSync(path), dir);
  } catch {
    return false;
  }
}

/** reveal.js tools' configuration files, evidence of a reveal-md deck (see ParseOptions.toolFiles). */
const TOOL_FILES = ['reveal-md.json', 'reveal.json'];

/** The TOOL_FILES in the deck's folder and each folder above it up to `root` (never past it). */
export function toolFilesNear(deckDir: string, root: string): string[] {
  const found: string[] = [];
  let dir = resolve(deckDir);
  for (;;) {
    for (const name of TOOL_FILES) if (existsSync(join(dir, name))) found.push(name);
    const up = dirname(dir);
    if (!inside(dir, root) || resolve(dir) === resolve(root) || up === dir) break;
    dir = up;
  }
  return [...new Set(found)];
}

export async function buildDeck(file: string, options: BuildOptions = {}, templates?: TemplateSet): Promise<BuiltDeck> {
  throwIfInterrupted(options.signal);
  const path = resolve(file);
  const source = await readSource(file);
  // Code blocks are highlighted on another thread while this one parses the deck.
  const highlighting = prehighlight(source, options.signal);
  // Raw HTML (a `<` may start some) goes through the author HTML filter.
  const htmlFilter = source.includes('<') ? loadHtmlFilter() : undefined;
  // Awaited before render; a failure must not count as unhandled while the deck parses.
  htmlFilter?.catch(() => undefined);
  const deckDir = dirname(path);
  const root = realDir(options.root === undefined ? deckDir : resolve(options.root));
  const deck = parseDeck(source, {
    file,
    dialect: options.dialect,
    toolFiles: toolFilesNear(deckDir, root),
    readImport: slidevImports(path, root),
    importChain: [relative(process.cwd(), path) || path],
  });
  const themeDiagnostics: Diagnostic[] = [];
  const theme =
    options.theme === undefined
      ? deckTheme(deck, source, deckDir, root, file, themeDiagnostics)
      : resolveTheme(options.theme, process.cwd());
  const fences = figureFences(deck);
  let figures: Record<string, string> | undefined;
  let figureInputs: string[] = [];
  if (fences.length > 0) {
    const first = fences[0];
    if (options.figures === undefined) {
      throw new FigureError(
        'figure-no-renderer',
        `the deck has ${fences.length} diagram or chart fence(s) (\`\`\`${first?.lang}), and this build was given no figure renderer to draw them`,
        {
          file,
          line: first === undefined ? undefined : first.line - 1,
          hint: 'Pass `figures: createFigureRenderer()` to buildDeck (the decksmith commands do), or change the fence language to show the code.',
        },
      );
    }
    const drawn = await options.figures.render({ deck, file, deckDir, root, theme, fences, signal: options.signal });
    figures = drawn.figures;
    figureInputs = drawn.inputs ?? [];
    themeDiagnostics.push(...drawn.diagnostics);
    throwIfInterrupted(options.signal);
  }
  await highlighting;
  await htmlFilter;
  throwIfInterrupted(options.signal);
  const rendered = renderDeck(
    deck,
    {
      figures,
      templates: templates ?? loadTemplates(options.templates),
      theme,
      runtime: resolveRuntime(),
      version: decksmithVersion(),
      rawHtml: options.html === true,
      resolveAsset: deck.dialect.name === 'slidev' ? slidevAssets(fileSystemAssets(root), path) : fileSystemAssets(root),
      ...(options.fit === true ? { fit: true } : {}),
    },
    options.slideCache,
  );
  rendered.diagnostics.unshift(...themeDiagnostics);
  const assets: AssetRef[] = [];
  // The deck's own stylesheets with their text, read once here (bounded): what may declare fonts.
  const authorCss: { source: string; content: string }[] = [];
  for (const asset of rendered.assets) {
    const absolute = resolve(deckDir, asset.source);
    const refusal = checkFile(absolute, capFor(asset.kind));
    if (refusal !== undefined) {
      rendered.diagnostics.push(refusal.reason === 'missing' ? missing(asset, file) : refused(asset, file, refusal.detail));
      continue;
    }
    // Runtime and theme files come with absolute paths; relative ones are the author's.
    if (!isAbsolute(asset.source) && !inside(realpathSync(absolute), root)) {
      rendered.diagnostics.push(outsideRoot(asset, file, root));
      continue;
    }
    if (asset.kind === 'style' && !isAbsolute(asset.source) && asset.content === undefined) {
      try {
        authorCss.push({ source: absolute, content: (await readRegularFile(absolute, SIZE_CAPS.style)).toString('utf8') });
      } catch (error) {
        if (!(error instanceof RefusedFile) || error.refusal.reason === 'missing') throw error;
        rendered.diagnostics.push(refused(asset, file, error.refusal.detail));
        continue;
      }
    }
    assets.push({ ...asset, source: absolute });
  }
  assets.push(...stylesheetFiles(authorCss, assets, { deck, file, deckDir, root, diagnostics: rendered.diagnostics }));
  const fonts = fontWarning(deck, [...theme.styles, ...authorCss], file);
  if (fonts !== undefined) rendered.diagnostics.push(fonts);
  const base = basename(path, extname(path));
  const name = safeOutputName(base);
  const outName =
    options.outName === undefined ? (plannedNames.get(path) ?? name) : options.outName.split(/[/\\]/).map(safeOutputName).join('/');
  if (name !== base) {
    rendered.diagnostics.push({
      severity: 'warning',
      code: 'output-name',
      message: `the file name "${printableName(base)}" cannot name an output folder (${/^\.*$/.test(base) ? 'a name of dots only points at a folder that already exists' : 'it holds a path separator or control character'}); the output is named "${name}" instead. Rename the file to choose the name`,
      file,
    });
  }
  const outDir = resolve(options.outDir ?? 'output', ...outName.split('/'));
  // A written deck gets only the font files it can show; serve's pages are patched with new text
  // in place, so there every font stays.
  const files = options.inMemory === true ? assets : withShownFonts(assets, rendered.html);
  if (options.inMemory !== true) await writeDeck({ outDir, html: rendered.html, assets: files, signal: options.signal });
  const themeSpec = options.theme ?? deck.config.theme;
  const themePath =
    themeSpec === undefined || isThemeName(themeSpec)
      ? undefined
      : resolve(options.theme === undefined ? deckDir : process.cwd(), themeSpec);
  const inputs = [
    path,
    // The author's files, also those left out (missing, outside the root): creating or moving one fixes the deck.
    ...rendered.assets.filter((a) => !isAbsolute(a.source)).map((a) => resolve(deckDir, a.source)),
    // The data files its charts read.
    ...figureInputs,
    // Files a Slidev deck imports with src: (their slides name them).
    ...deck.slides.flatMap((s) => (s.file === undefined ? [] : [resolve(s.file)])),
    ...theme.styles.map((s) => s.source),
    ...theme.assets.map((a) => a.source),
    // A theme folder: its theme.json, and files added to it later.
    ...(themePath !== undefined && existsSync(themePath) && statSync(themePath).isDirectory() ? [themePath] : []),
  ];
  return { name, file: path, outDir, htmlPath: join(outDir, 'index.html'), deck, rendered, inputs: [...new Set(inputs)], files };
}

/**
 * The files the author's stylesheets refer to with url() (a background image, a font): each goes
 * through the same file rule as the deck's own images and is copied, and the stylesheet is
 * written with addresses that point at the copies (relative to where it lands, `css/`). Without
 * this the built deck would quietly lose them. `@import` is not followed: a warning says to list
 * the file under `css:` instead. Replaces the stylesheet entries of `assets` in place.
 */
function stylesheetFiles(
  sheets: readonly { source: string; content: string }[],
  assets: AssetRef[],
  at: { deck: Deck; file: string; deckDir: string; root: string; diagnostics: Diagnostic[] },
): AssetRef[] {
  const added: AssetRef[] = [];
  const line = at.deck.configLines?.['css'];
  for (const sheet of sheets) {
    if (!/url\(|@import/i.test(sheet.content)) continue;
    const index = assets.findIndex((a) => a.kind === 'style' && a.source === sheet.source && a.content === undefined);
    const asset = assets[index];
    if (asset === undefined) continue;
    const name = relative(at.deckDir, sheet.source).split(sep).join('/');
    if (/@import/i.test(sheet.content)) {
      at.diagnostics.push({
        severity: 'warning',
        code: 'unsafe-css',
        message: `stylesheet "${printableName(name)}" uses @import, which is not followed; list that file under css: in the front matter instead`,
        file: at.file,
        ...(line === undefined ? {} : { line }),
      });
    }
    const scope = {
      assets: [] as AssetRef[],
      diagnostics: at.diagnostics,
      file: at.file,
      deckFile: sheet.source,
      resolveAsset: fileSystemAssets(at.root),
    };
    const content = cssReferences(scope, sheet.content, `url() in ${name}`, line, 'media', posix.dirname(asset.target));
    assets[index] = { ...asset, content };
    for (const ref of scope.assets) {
      const absolute = resolve(dirname(sheet.source), ref.source);
      const refusal = checkFile(absolute, capFor(ref.kind));
      if (refusal !== undefined) {
        const shown = { ...ref, source: relative(at.deckDir, absolute) };
        at.diagnostics.push(refusal.reason === 'missing' ? missing(shown, at.file) : refused(shown, at.file, refusal.detail));
        continue;
      }
      added.push({ ...ref, source: absolute });
    }
  }
  return added;
}

/**
 * The theme's fonts are bundled so a PDF looks the same on every machine; text they cannot draw
 * (Chinese with a Latin theme, say) falls back to whatever fonts this machine has. One warning
 * per deck, at the first slide that has such text.
 */
function fontWarning(deck: Deck, styles: readonly { source: string; content?: string }[], file: string): Diagnostic | undefined {
  const ranges = fontCoverage(styles);
  if (ranges === undefined) return undefined;
  const chars = new Set<string>();
  let line: number | undefined;
  for (const slide of deck.slides) {
    const found = uncovered(`${slide.markdown}\n${slide.notes}`, ranges);
    if (found.length > 0 && line === undefined) {
      // The line of the first such letter, when it is on the slide rather than in its notes.
      const at = slide.markdown.indexOf(found[0] ?? '');
      line = at < 0 ? slide.lines[0] : slide.markdownLine + (slide.markdown.slice(0, at).match(/\n/g)?.length ?? 0);
    }
    for (const c of found) chars.add(c);
  }
  if (chars.size === 0) return undefined;
  const shown = [...chars].slice(0, 8).join(' ');
  return {
    severity: 'warning',
    code: 'font-coverage',
    message: `the theme's fonts have no glyphs for ${shown}${chars.size > 8 ? ` and ${chars.size - 8} more` : ''}; they are drawn with this machine's fonts, so PDFs made elsewhere may differ; bundle a font that has them (docs/themes.md, "Fonts")`,
    file,
    ...(line === undefined ? {} : { line }),
  };
}

/**
 * The theme the front matter names. A theme that does not exist (a typo, a folder not checked in)
 * is a warning and the deck gets the default theme, so one deck's typo never stops a folder
 * build; --strict makes it a failure like any warning. A theme that exists but is broken (no
 * theme.css, bad theme.json, outside the root) is an error at the `theme:` line.
 */
function deckTheme(deck: Deck, source: string, deckDir: string, root: string, file: string, diagnostics: Diagnostic[]): ResolvedTheme {
  const spec = deck.config.theme;
  const line = deck.configLines?.['theme'];
  const at = { file, ...(line === undefined ? {} : { line }) };
  try {
    if (spec !== undefined && !isThemeName(spec)) {
      // A theme the front matter gives by path is the deck's own file, so it must come from
      // inside the root like its images (a theme from --theme is the caller's choice).
      const path = resolve(deckDir, spec);
      if (existsSync(path) && !inside(realpathSync(path), root)) {
        throw new TemplateError('theme-outside-root', `theme "${spec}" is outside ${root}`, {
          hint: 'Move the theme next to the deck, pass it with --theme, or pass --root with a folder that holds both.',
        });
      }
    }
    return resolveTheme(spec, deckDir);
  } catch (error) {
    if (!(error instanceof TemplateError) || error.file !== undefined) throw error;
    if (error.code !== 'unknown-theme' || spec === undefined) {
      throw new TemplateError(error.code, error.message, { ...at, hint: error.hint, cause: error.cause });
    }
    const foreign = foreignTheme(spec);
    if (foreign !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'foreign-theme',
        message: `theme "${spec}" is a built-in theme of ${foreign.tool} (${foreign.look}) that decksmith does not have; the deck is built with "${foreign.theme}", the closest of decksmith's themes. Write "theme: ${foreign.theme}" or another from "decksmith themes" to choose it yourself`,
        ...at,
        ...(line === undefined ? {} : { column: valueColumn(source, line) }),
      });
      return resolveTheme(foreign.theme, deckDir);
    }
    const best = isThemeName(spec) ? closestTheme(spec) : undefined;
    const what = isThemeName(spec) ? `unknown theme "${spec}"` : `theme "${spec}" is neither a theme name nor an existing path`;
    diagnostics.push({
      severity: 'warning',
      code: 'unknown-theme',
      message: `${what}${best === undefined ? '' : ` (did you mean "${best}"?)`}; the deck is built with the default theme "${DEFAULT_THEME}" instead. "decksmith themes" lists the themes`,
      ...at,
    });
    return resolveTheme(DEFAULT_THEME, deckDir);
  }
}

/** 1-based column where the value of the top-level key on `line` starts (after `key:` and blanks). */
function valueColumn(source: string, line: number): number {
  const text = source.split(/\r?\n/, line)[line - 1] ?? '';
  return (/^\s*[^\s:#][^:]*:[ \t]*/.exec(text)?.[0].length ?? 0) + 1;
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw new InputError('root-not-found', `folder "${dir}" (--root) does not exist`, {
      hint: 'Pass the folder that holds the deck and its images.',
    });
  }
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function outsideRoot(asset: AssetRef, file: string, root: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'file-outside-root',
    message: `${asset.kind === 'image' ? 'image' : 'file'} "${printableName(asset.source)}" is outside ${root}; it is left out of the output. Move it next to the deck, or pass --root with a folder that holds both`,
    file,
    ...(asset.line === undefined ? {} : { line: asset.line }),
  };
}

function refused(asset: AssetRef, file: string, detail: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'file-refused',
    message: `${asset.kind === 'image' ? 'image' : 'file'} "${printableName(asset.source)}" is ${detail}; it is left out of the output`,
    file,
    ...(asset.line === undefined ? {} : { line: asset.line }),
  };
}

function missing(asset: AssetRef, file: string): Diagnostic {
  return {
    severity: 'warning',
    code: asset.kind === 'image' ? 'missing-image' : 'missing-file',
    message: `${asset.kind === 'image' ? 'image' : 'file'} "${printableName(asset.source)}" not found next to the deck; it is left out of the output`,
    file,
    ...(asset.line === undefined ? {} : { line: asset.line }),
  };
}
