/**
 * Theme lookup. A theme is a folder `themes/<name>/` with `theme.css` and `theme.json`; reveal.js's
 * own themes (black, white, league, …) are selectable by name too; a user theme is a path to a
 * folder or a .css file. Names are identifiers only, so a name never resolves outside the theme
 * folders; paths are taken from the command line or front matter relative to the deck.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { z } from 'zod';
import { TemplateError } from '../errors.js';
import { builtinThemesDir } from '../paths.js';
import type { AssetRef, ResolvedTheme } from '../types.js';

export const DEFAULT_THEME = 'paper';
const NAME = /^[a-z][a-z0-9-]*$/;

const themeJson = z.object({
  name: z.string().optional(),
  description: z.string().default(''),
  highlightStyle: z.string().regex(/^[a-z0-9-]+$/).default('github'),
  /** A built-in theme this one builds on (its CSS loads first). */
  extends: z.string().regex(NAME).optional(),
  /** Font stylesheets from npm packages, e.g. "@fontsource/inter/400.css". */
  fonts: z.array(z.string().regex(/^@fontsource(-variable)?\/[a-z0-9-]+\/[\w.-]+\.css$/)).default([]),
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

export function listThemes(): ThemeInfo[] {
  const dir = builtinThemesDir();
  const ours = readdirSync(dir)
    .filter((name) => NAME.test(name) && existsSync(join(dir, name, 'theme.json')))
    .map((name) => ({ name, description: readThemeJson(join(dir, name)).description, source: 'decksmith' as const }));
  const reveal = readdirSync(revealThemeDir())
    .filter((f) => f.endsWith('.css'))
    .map((f) => basename(f, '.css'))
    .filter((name) => !ours.some((t) => t.name === name))
    .map((name) => ({ name, description: `reveal.js's ${name} theme`, source: 'reveal.js' as const }));
  return [...ours, ...reveal];
}

function readThemeJson(dir: string) {
  const file = join(dir, 'theme.json');
  if (!existsSync(file)) return themeJson.parse({});
  const parsed = themeJson.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new TemplateError('theme-json-invalid', `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      file,
      hint: 'theme.json holds name, description, highlightStyle, extends and fonts.',
    });
  }
  return parsed.data;
}

const baseStyle = (): AssetRef => ({ source: join(builtinThemesDir(), 'base.css'), target: 'assets/theme/base.css', kind: 'style' });

function fontAssets(fonts: readonly string[]): AssetRef[] {
  return fonts.map((spec) => ({ source: require.resolve(spec), target: `assets/fonts/${spec.replace(/^@/, '')}`, kind: 'font' as const }));
}

function folderTheme(dir: string, name: string, targetPrefix: string, seen: Set<string>): ResolvedTheme {
  const info = readThemeJson(dir);
  const parent = info.extends === undefined ? undefined : resolveBuiltin(info.extends, seen);
  const fonts = fontAssets(info.fonts);
  const own: AssetRef = { source: join(dir, 'theme.css'), target: `${targetPrefix}/theme.css`, kind: 'style' };
  const styles = parent === undefined ? [baseStyle(), ...fonts, own] : [...parent.styles, ...fonts, own];
  return {
    name,
    styles: dedupe(styles),
    assets: [...(parent?.assets ?? []), ...folderAssets(dir, targetPrefix)],
    highlightStyle: info.highlightStyle,
  };
}

/** Images and fonts a theme folder ships next to its CSS. */
function folderAssets(dir: string, targetPrefix: string): AssetRef[] {
  const out: AssetRef[] = [];
  const walk = (folder: string, rel: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path, `${rel}${entry}/`);
      else if (/\.(png|jpe?g|svg|webp|gif|woff2?|ttf|otf)$/i.test(entry)) out.push({ source: path, target: `${targetPrefix}/${rel}${entry}`, kind: 'other' });
    }
  };
  walk(dir, '');
  return out;
}

function dedupe(list: AssetRef[]): AssetRef[] {
  return list.filter((a, i) => list.findIndex((b) => b.target === a.target) === i);
}

function resolveBuiltin(name: string, seen: Set<string>): ResolvedTheme {
  if (seen.has(name)) throw new TemplateError('theme-cycle', `theme "${name}" extends itself`);
  seen.add(name);
  const dir = join(builtinThemesDir(), name);
  if (NAME.test(name) && existsSync(join(dir, 'theme.css'))) return folderTheme(dir, name, `assets/theme/${name}`, seen);
  const reveal = join(revealThemeDir(), `${name}.css`);
  if (NAME.test(name) && existsSync(reveal)) {
    return {
      name,
      styles: [{ source: reveal, target: `assets/theme/reveal-${name}.css`, kind: 'style' }, baseStyle()],
      assets: [],
      highlightStyle: 'monokai',
    };
  }
  const names = listThemes().map((t) => t.name);
  throw new TemplateError('unknown-theme', `unknown theme "${name}"; did you mean "${closest(name, names)}"?`, {
    hint: `Themes: ${names.join(', ')}. Or pass a path to a theme folder or .css file.`,
  });
}

/**
 * @param spec theme name or path; paths are relative to `baseDir` (the deck's folder, or the
 *   working directory for --theme).
 */
export function resolveTheme(spec: string | undefined, baseDir: string): ResolvedTheme {
  const value = spec ?? DEFAULT_THEME;
  if (NAME.test(value)) return resolveBuiltin(value, new Set());
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  if (!existsSync(path)) {
    throw new TemplateError('unknown-theme', `theme "${value}" is neither a theme name nor an existing path`, {
      hint: `Themes: ${listThemes().map((t) => t.name).join(', ')}.`,
    });
  }
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'theme.css'))) {
      throw new TemplateError('theme-css-missing', `theme folder "${value}" has no theme.css`);
    }
    return folderTheme(path, basename(path), 'assets/theme/user', new Set());
  }
  // A single CSS file on top of the default theme.
  const base = resolveBuiltin(DEFAULT_THEME, new Set());
  return { ...base, name: basename(path, '.css'), styles: [...base.styles, { source: path, target: 'assets/theme/user.css', kind: 'style' }] };
}
