/**
 * Theme lookup. A theme is a folder `themes/<name>/` with `theme.css` and `theme.json`; reveal.js's
 * own themes (black, white, league, …) are selectable by name too; a user theme is a path to a
 * folder or a .css file. A name is an identifier (`^[a-z][a-z0-9-]*$`) and is only ever looked up
 * in decksmith's themes/ folder and reveal.js's theme folder, so a name never resolves outside
 * them; anything else is a path, relative to the deck (front matter) or the working directory
 * (--theme).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { TemplateError, UsageError } from '../errors.js';
import { builtinThemesDir } from './paths.js';
import type { AssetRef, ResolvedTheme } from '../types.js';
import { EMOJI_FONT, FONT_SPEC, fontAssets } from './fonts.js';
import { highlightStyleFor, schemeOfColour } from '../render/highlight.js';

/** The theme a deck gets when neither front matter nor --theme names one. */
export const DEFAULT_THEME = 'paper';
const NAME = /^[a-z][a-z0-9-]*$/;

/** Whether `spec` names a theme (looked up among the built-in ones) rather than giving a path. */
export function isThemeName(spec: string): boolean {
  return NAME.test(spec);
}

// zod/mini (light to load, as every build reads a theme.json) with zod's English messages.
z.config(en());

/** theme.json: every key is optional. Documented in docs/themes.md. */
const themeJson = z.strictObject({
  /** Display name. @defaultValue the folder name */
  name: z.optional(z.string()),
  /** One line for `decksmith themes`. @defaultValue "" */
  description: z._default(z.string(), ''),
  /** highlight.js style for code blocks. @defaultValue "github" (the parent's when extending) */
  highlightStyle: z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'a highlight.js style name such as "github"'))),
  /** A built-in theme (by name) this one builds on: its CSS and fonts load first. */
  extends: z.optional(z.string().check(z.regex(NAME, 'a built-in theme name such as "paper"'))),
  /** Font stylesheets from npm packages, e.g. "@fontsource/inter/400.css". @defaultValue [] */
  fonts: z._default(z.array(z.string().check(z.regex(FONT_SPEC, 'an @fontsource stylesheet such as "@fontsource/inter/400.css"'))), []),
  /** "light" or "dark": lets tools pick matching colours. @defaultValue "light" */
  scheme: z._default(z.enum(['light', 'dark']), 'light'),
});

export interface ThemeInfo {
  name: string;
  description: string;
  source: 'decksmith' | 'reveal.js';
}

const require = createRequire(import.meta.url);

function revealThemeDir(): string {
  return join(dirname(require.resolve('reveal.js/reveal.css')), 'theme');
}

/** decksmith's own themes first (in the order of their folder names), then reveal.js's. */
export function listThemes(): ThemeInfo[] {
  const dir = builtinThemesDir();
  const ours = builtinThemeNames().map((name) => ({
    name,
    description: readThemeJson(join(dir, name)).description,
    source: 'decksmith' as const,
  }));
  const reveal = readdirSync(revealThemeDir())
    .filter((f) => f.endsWith('.css'))
    .map((f) => basename(f, '.css'))
    .filter((name) => NAME.test(name) && !ours.some((t) => t.name === name))
    .sort()
    .map((name) => ({ name, description: `reveal.js's own "${name}" theme`, source: 'reveal.js' as const }));
  return [...ours, ...reveal];
}

/** Names of the folders in themes/ that hold a theme. */
export function builtinThemeNames(): string[] {
  const dir = builtinThemesDir();
  return readdirSync(dir)
    .filter((name) => NAME.test(name) && existsSync(join(dir, name, 'theme.css')))
    .sort();
}

function readThemeJson(dir: string) {
  const file = join(dir, 'theme.json');
  if (!existsSync(file)) return themeJson.parse({});
  const real = realInsideTheme(file, realpathSync(dir));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(real, 'utf8'));
  } catch (cause) {
    throw new TemplateError('theme-json-invalid', `${file} is not valid JSON: ${(cause as Error).message}`, { file, cause });
  }
  const parsed = themeJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? '';
    throw new TemplateError('theme-json-invalid', `${file}: ${key === '' ? '' : `"${key}": `}${issue?.message ?? 'invalid'}`, {
      file,
      hint: 'theme.json holds name, description, highlightStyle, extends, fonts and scheme (see docs/themes.md).',
    });
  }
  return parsed.data;
}

const shared = (file: string): AssetRef => ({ source: join(builtinThemesDir(), file), target: `assets/theme/${file}`, kind: 'style' });

function folderTheme(dir: string, name: string, targetPrefix: string, seen: Set<string>): ResolvedTheme {
  const info = readThemeJson(dir);
  const parent = info.extends === undefined ? undefined : resolveBuiltin(info.extends, seen, dir);
  const fonts = info.fonts.map(fontAssets);
  const own: AssetRef = {
    source: realInsideTheme(join(dir, 'theme.css'), realpathSync(dir)),
    target: `${targetPrefix}/theme.css`,
    kind: 'style',
  };
  const styles = [...(parent?.styles ?? [shared('base.css')]), ...fonts.map((f) => f.style), own];
  return {
    name,
    styles: dedupe(styles),
    assets: dedupe([...(parent?.assets ?? []), ...fonts.flatMap((f) => f.files), ...folderAssets(dir, targetPrefix)]),
    highlightStyle: info.highlightStyle ?? parent?.highlightStyle ?? highlightStyleFor(info.scheme),
  };
}

/**
 * The real path of a file or folder of the theme at `dir` (itself a real path). A theme is
 * self-contained: an entry whose symbolic link leads outside its folder, or loops, stops the
 * build with its name, so a link to /usr/share cannot copy thousands of files into a deck.
 */
function realInsideTheme(path: string, dir: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') {
      throw new TemplateError('theme-symlink-loop', `theme folder ${dir}: "${relative(dir, path)}" is a symbolic link loop`, {
        hint: 'Remove the link, or point it at a real file inside the theme folder.',
      });
    }
    throw new TemplateError(
      'theme-file-unreadable',
      `theme folder ${dir}: cannot read "${relative(dir, path)}" (${code ?? (error as Error).message})`,
      {
        hint: 'Remove the broken link or file from the theme folder.',
      },
    );
  }
  const rel = relative(dir, real);
  if (real !== dir && (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))) {
    throw new TemplateError(
      'theme-link-outside',
      `theme folder ${dir}: "${relative(dir, path)}" is a symbolic link to ${real}, outside the theme folder`,
      {
        hint: 'A theme folder must hold its own files: replace the link with a copy of what it points to.',
      },
    );
  }
  return real;
}

/** Images and fonts a theme folder ships next to its CSS, so `url(img/x.png)` keeps working. */
function folderAssets(themeDir: string, targetPrefix: string): AssetRef[] {
  const out: AssetRef[] = [];
  const dir = realpathSync(themeDir);
  const visited = new Set<string>([dir]);
  const walk = (folder: string, rel: string) => {
    for (const entry of readdirSync(folder).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      const path = join(folder, entry);
      const real = realInsideTheme(path, dir);
      if (statSync(real).isDirectory()) {
        // A link to a folder already walked (or to the theme itself) would walk forever.
        if (visited.has(real)) continue;
        visited.add(real);
        walk(path, `${rel}${entry}/`);
      } else if (/\.(png|jpe?g|svg|webp|gif|avif|woff2?|ttf|otf)$/i.test(entry)) {
        out.push({ source: path, target: `${targetPrefix}/${rel}${entry}`, kind: /\.(woff2?|ttf|otf)$/i.test(entry) ? 'font' : 'image' });
      }
    }
  };
  walk(dir, '');
  return out;
}

function dedupe(list: AssetRef[]): AssetRef[] {
  return list.filter((a, i) => list.findIndex((b) => b.target === a.target) === i);
}

/**
 * Some of reveal.js's themes `@import` web fonts from a font CDN. A built deck makes no network
 * request, so those imports are dropped (the theme's font stacks fall back to local fonts).
 */
export function offlineRevealCss(file: string): AssetRef {
  const css = readFileSync(file, 'utf8');
  const stripped = css.replace(
    /@import\s+(url\()?\s*["']?(https?:)?\/\/[^;]*;/gi,
    '/* decksmith: remote @import removed (decks work offline) */',
  );
  const target = `assets/theme/reveal-${basename(file, '.css')}.css`;
  return stripped === css ? { source: file, target, kind: 'style' } : { source: file, target, kind: 'style', content: stripped };
}

/** reveal.js's theme plus a bridge that feeds its --r-* colours and fonts into our layouts. */
function revealTheme(name: string, file: string): ResolvedTheme {
  const theme = offlineRevealCss(file);
  // Code is highlighted for the theme's background: a dark style on a light page is unreadable.
  const background = /--r-background-color\s*:\s*([^;}]+)/.exec(theme.content ?? readFileSync(file, 'utf8'))?.[1];
  const scheme = (background === undefined ? undefined : schemeOfColour(background)) ?? 'dark';
  const emoji = fontAssets(EMOJI_FONT);
  return {
    name,
    styles: [shared('base.css'), emoji.style, theme, shared('reveal-bridge.css'), shared(`reveal-${scheme}.css`)],
    assets: emoji.files,
    highlightStyle: highlightStyleFor(scheme),
  };
}

function resolveBuiltin(name: string, seen: Set<string>, baseDir: string): ResolvedTheme {
  if (seen.has(name)) throw new TemplateError('theme-cycle', `theme "${name}" extends itself (${[...seen, name].join(' → ')})`);
  seen.add(name);
  const dir = join(builtinThemesDir(), name);
  if (NAME.test(name) && existsSync(join(dir, 'theme.css'))) return folderTheme(dir, name, `assets/theme/${name}`, seen);
  const reveal = join(revealThemeDir(), `${name}.css`);
  if (NAME.test(name) && existsSync(reveal)) return revealTheme(name, reveal);
  throw unknownTheme(name, baseDir);
}

/** The theme name closest to `name`, when one is close enough to be a likely typo. */
export function closestTheme(name: string): string | undefined {
  const best = closest(
    name,
    listThemes().map((t) => t.name),
  );
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * A theme given on the command line (`--theme`, `themes --preview NAME`) that cannot be found is
 * a usage error (exit 2), like any other bad argument; other theme errors pass through.
 */
export function resolveThemeOption(spec: string, cwd: string, option = '--theme'): ResolvedTheme {
  try {
    return resolveTheme(spec, cwd);
  } catch (error) {
    if (!(error instanceof TemplateError) || error.code !== 'unknown-theme') throw error;
    throw new UsageError('unknown-theme', `${option}: ${error.message}`, { hint: error.hint });
  }
}

/** The error for a name that is no theme: every theme, the closest one, and the path spelling. */
export function unknownTheme(name: string, baseDir: string): TemplateError {
  const names = listThemes().map((t) => t.name);
  // Another tool's theme: name our closest one rather than the nearest spelling.
  const foreign = foreignTheme(name);
  const best = foreign === undefined ? closestTheme(name) : undefined;
  const local = existsSync(resolve(baseDir, name)) ? ` To use the folder or file "${name}", write "./${name}".` : '';
  const suggestion =
    foreign !== undefined
      ? ` (a built-in theme of ${foreign.tool}); the closest decksmith theme is "${foreign.theme}"`
      : best === undefined
        ? ''
        : `; did you mean "${best}"?`;
  return new TemplateError('unknown-theme', `unknown theme "${name}"${suggestion}`, {
    hint: `Themes: ${names.join(', ')}. Or give a path to a theme folder or .css file.${local}`,
  });
}

/**
 * A theme another slide tool ships, and the decksmith theme that looks most like it. Built-in
 * themes of Marp Core, Slidev and Quarto's reveal.js format (reveal.js's own themes need no
 * entry: they are themes here too). Each pick follows the page colour first (light or dark), then
 * the type: Marp `gaia`'s cream page and Slidev `seriph`'s serif headings go to `editorial`, the
 * plain white sans-serif ones to `paper`. Title slides are centred by our title layout in every
 * theme, so that part of the look (Marp `lead`, Slidev `cover`) carries over whichever is picked.
 */
export interface ForeignTheme {
  /** The tool whose built-in theme this is, e.g. "Marp". */
  tool: string;
  /** Its name as that tool spells it. */
  name: string;
  /** A few words on how it looks, for the warning. */
  look: string;
  /** The decksmith theme used instead. */
  theme: string;
}

const FOREIGN_THEMES: readonly ForeignTheme[] = [
  { tool: 'Marp', name: 'default', look: 'white page, dark sans-serif text', theme: 'paper' },
  { tool: 'Marp', name: 'gaia', look: 'warm cream page, slate text', theme: 'editorial' },
  { tool: 'Marp', name: 'uncover', look: 'white page, large centred sans-serif type', theme: 'paper' },
  { tool: 'Slidev', name: 'default', look: 'white page, sans-serif text', theme: 'paper' },
  { tool: 'Slidev', name: 'seriph', look: 'light page, serif headings', theme: 'editorial' },
  { tool: 'Slidev', name: 'apple-basic', look: 'white page, Helvetica-like type', theme: 'paper' },
  { tool: 'Quarto', name: 'dark', look: 'dark page, light text', theme: 'midnight' },
];

/**
 * The built-in theme of another tool that `spec` names, if any: a bare name (`gaia`, any case)
 * or a Slidev theme package (`@slidev/theme-seriph`, `slidev-theme-seriph`). Names that several
 * tools use (`default`) map to the same theme in each, so the first entry stands for all.
 */
export function foreignTheme(spec: string): ForeignTheme | undefined {
  const lower = spec.trim().toLowerCase();
  const name = lower.replace(/^(@slidev\/theme-|slidev-theme-)/, '');
  const tools = FOREIGN_THEMES.filter((t) => t.name === name && (name === lower || t.tool === 'Slidev'));
  const first = tools[0];
  if (first === undefined) return undefined;
  return { ...first, tool: tools.map((t) => t.tool).join(' and ') };
}

/**
 * @param spec theme name or path; paths are relative to `baseDir` (the deck's folder, or the
 *   working directory for --theme). @defaultValue "paper"
 * @throws TemplateError `unknown-theme`, `theme-css-missing`, `theme-json-invalid`,
 *   `font-not-installed`, `theme-cycle`.
 */
export function resolveTheme(spec: string | undefined, baseDir: string): ResolvedTheme {
  const value = spec ?? DEFAULT_THEME;
  if (NAME.test(value)) return resolveBuiltin(value, new Set(), baseDir);
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  if (!existsSync(path)) {
    throw new TemplateError('unknown-theme', `theme "${value}" is neither a theme name nor an existing path (looked for ${path})`, {
      hint: `Themes: ${listThemes()
        .map((t) => t.name)
        .join(', ')}.`,
    });
  }
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'theme.css'))) {
      throw new TemplateError('theme-css-missing', `theme folder "${value}" has no theme.css`, {
        hint: 'A theme folder holds theme.css and, optionally, theme.json (see docs/themes.md).',
      });
    }
    return folderTheme(path, basename(path), 'assets/theme/user', new Set());
  }
  if (!path.toLowerCase().endsWith('.css')) {
    throw new TemplateError('theme-not-css', `theme "${value}" is a file but not a .css stylesheet`, {
      hint: 'Give a theme name, a theme folder, or a .css file.',
    });
  }
  // A single stylesheet on top of the default theme.
  const base = resolveBuiltin(DEFAULT_THEME, new Set(), baseDir);
  return {
    ...base,
    name: basename(path, '.css'),
    styles: [...base.styles, { source: path, target: 'assets/theme/user.css', kind: 'style' }],
  };
}
