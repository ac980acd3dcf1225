/**
 * buildDeck: read → parse → render → write for one Markdown file. The only orchestration layer;
 * the CLI and the library API both call it.
 */
import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, OutputError, TemplateError } from './errors.js';
import { parseDeck } from './parse/index.js';
import { readSource } from './read.js';
import { renderDeck } from './render/index.js';
import { loadTemplates } from './theme/templates.js';
import { fontCoverage, uncovered } from './theme/fonts.js';
import { closestTheme, DEFAULT_THEME, isThemeName, resolveTheme } from './theme/resolve.js';
import type { AssetRef, BuiltDeck, Deck, Diagnostic, ResolvedTheme, TemplateSet } from './types.js';
import { writeDeck } from './write/index.js';
import { resolveRuntime } from './write/runtime.js';
import { decksmithVersion } from './version.js';

export interface BuildOptions {
  /** Output root; the deck goes to `<outDir>/<name>/`. @defaultValue "output" */
  outDir?: string;
  /** Theme name or path; overrides the front matter. */
  theme?: string;
  /** Folder of template overrides. */
  templates?: string;
  /**
   * The folder the deck's own files (images, `css:` stylesheets) must come from. A file outside
   * it, or reached through a symbolic link that leads outside it, is left out with a warning, so
   * building someone else's deck cannot copy, say, `../../.npmrc` into a published site.
   * @defaultValue the deck's folder
   */
  root?: string;
  /** Keep raw HTML in the Markdown as written instead of filtering it (see RenderContext.rawHtml). */
  html?: boolean;
}


/** Expands folders to the `.md` files directly in them, sorted; files pass through. */
export function expandInputs(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) {
      throw new InputError('input-not-found', `input "${input}" does not exist`, {
        hint: 'Pass a Markdown file or a folder of them.',
      });
    }
    if (statSync(input).isDirectory()) {
      const found = readdirSync(input)
        .filter((f) => extname(f).toLowerCase() === '.md')
        .sort()
        .map((f) => join(input, f));
      if (found.length === 0) throw new InputError('no-decks', `folder "${input}" holds no .md files`);
      files.push(...found);
    } else files.push(input);
  }
  return files;
}

export async function buildDeck(file: string, options: BuildOptions = {}, templates?: TemplateSet): Promise<BuiltDeck> {
  const path = resolve(file);
  const source = await readSource(file);
  const deck = parseDeck(source, { file });
  const deckDir = dirname(path);
  const root = realDir(options.root === undefined ? deckDir : resolve(options.root));
  const themeDiagnostics: Diagnostic[] = [];
  const theme = options.theme === undefined ? deckTheme(deck, deckDir, root, file, themeDiagnostics) : resolveTheme(options.theme, process.cwd());
  const rendered = renderDeck(deck, {
    templates: templates ?? loadTemplates(options.templates),
    theme,
    runtime: resolveRuntime(),
    version: decksmithVersion(),
    rawHtml: options.html === true,
    root,
  });
  rendered.diagnostics.unshift(...themeDiagnostics);
  // The theme's stylesheets and the deck's own `css:` files: what may declare fonts.
  const authorCss = rendered.assets.filter((a) => a.kind === 'style' && !isAbsolute(a.source)).map((a) => ({ source: resolve(deckDir, a.source) }));
  const fonts = fontWarning(deck, [...theme.styles, ...authorCss], file);
  if (fonts !== undefined) rendered.diagnostics.push(fonts);
  const assets: AssetRef[] = [];
  for (const asset of rendered.assets) {
    const absolute = resolve(deckDir, asset.source);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      rendered.diagnostics.push(missing(asset, file));
      continue;
    }
    // Runtime and theme files come with absolute paths; relative ones are the author's.
    if (!isAbsolute(asset.source) && !inside(realpathSync(absolute), root)) {
      rendered.diagnostics.push(outsideRoot(asset, file, root));
      continue;
    }
    assets.push({ ...asset, source: absolute });
  }
  const name = basename(path, extname(path));
  const outDir = resolve(options.outDir ?? 'output', name);
  checkWritable(outDir);
  await writeDeck({ outDir, html: rendered.html, assets });
  const themeSpec = options.theme ?? deck.config.theme;
  const themePath = themeSpec === undefined || isThemeName(themeSpec) ? undefined : resolve(options.theme === undefined ? deckDir : process.cwd(), themeSpec);
  const inputs = [
    path,
    // The author's files, also those left out (missing, outside the root): creating or moving one fixes the deck.
    ...rendered.assets.filter((a) => !isAbsolute(a.source)).map((a) => resolve(deckDir, a.source)),
    ...theme.styles.map((s) => s.source),
    ...theme.assets.map((a) => a.source),
    // A theme folder: its theme.json, and files added to it later.
    ...(themePath !== undefined && existsSync(themePath) && statSync(themePath).isDirectory() ? [themePath] : []),
  ];
  return { name, file: path, outDir, htmlPath: join(outDir, 'index.html'), deck, rendered, inputs: [...new Set(inputs)] };
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
function deckTheme(deck: Deck, deckDir: string, root: string, file: string, diagnostics: Diagnostic[]): ResolvedTheme {
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

/**
 * Fails early, with the reason, when the output folder cannot be made: a file where a folder
 * should be (`--out /etc/passwd/out`), or a read-only or forbidden parent.
 */
function checkWritable(outDir: string): void {
  let dir = outDir;
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
  const hint = 'Pass --out with a folder you can write to.';
  if (!statSync(dir).isDirectory()) {
    throw new OutputError('output-not-a-folder', `cannot write to ${outDir}: ${dir} is a file, not a folder`, { hint });
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable (permission denied)';
    throw new OutputError('output-not-writable', `cannot write to ${outDir}: ${dir} ${why}`, { hint, cause: error });
  }
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw new InputError('root-not-found', `folder "${dir}" (--root) does not exist`, { hint: 'Pass the folder that holds the deck and its images.' });
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
    message: `${asset.kind === 'image' ? 'image' : 'file'} "${asset.source}" is outside ${root}; it is left out of the output. Move it next to the deck, or pass --root with a folder that holds both`,
    file,
    ...(asset.line === undefined ? {} : { line: asset.line }),
  };
}

function missing(asset: AssetRef, file: string): Diagnostic {
  return {
    severity: 'warning',
    code: asset.kind === 'image' ? 'missing-image' : 'missing-file',
    message: `${asset.kind === 'image' ? 'image' : 'file'} "${asset.source}" not found next to the deck; it is left out of the output`,
    file,
    ...(asset.line === undefined ? {} : { line: asset.line }),
  };
}
