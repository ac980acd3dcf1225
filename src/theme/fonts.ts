/**
 * Fonts from npm: a theme lists @fontsource stylesheets (e.g. "@fontsource/inter/400.css")
 * and the build copies each stylesheet together with every font file it refers to, keeping the
 * package's own layout (`<css>` next to `files/`), so the stylesheet's relative `url(./files/…)`
 * resolve inside the output folder and a built deck never asks the network for a font.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { TemplateError } from '../errors.js';
import type { AssetRef } from '../types.js';

/** "@fontsource/inter/400.css" or "@fontsource-variable/inter/wght-italic.css". */
export const FONT_SPEC = /^@fontsource(-variable)?\/[a-z0-9-]+\/[\w.-]+\.css$/;

const require = createRequire(import.meta.url);

export interface FontAssets {
  /** The stylesheet, to be linked from the deck. */
  style: AssetRef;
  /** The font files the stylesheet refers to. */
  files: AssetRef[];
}

/** `url(...)` references in a stylesheet, in order, without quotes. */
export function cssUrls(css: string): string[] {
  const out: string[] = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = match[2];
    if (url !== undefined) out.push(url.trim());
  }
  return out;
}

/**
 * @param spec a stylesheet inside an installed @fontsource package.
 * @throws TemplateError `font-not-installed` naming the npm package to install.
 */
export function fontAssets(spec: string): FontAssets {
  const pkg = spec.split('/').slice(0, 2).join('/');
  let source: string;
  try {
    source = require.resolve(spec);
  } catch (cause) {
    throw new TemplateError('font-not-installed', `font stylesheet "${spec}" is not installed`, {
      cause,
      hint: `Run "npm install ${pkg}" next to your deck, or remove it from the theme's "fonts".`,
    });
  }
  const targetDir = `assets/fonts/${pkg.slice(1)}`;
  const style: AssetRef = { source, target: `${targetDir}/${spec.slice(pkg.length + 1)}`, kind: 'style' };
  const files: AssetRef[] = [];
  for (const url of cssUrls(readFileSync(source, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) continue;
    const rel = posix.normalize(url);
    if (rel.startsWith('..')) continue;
    const file = join(dirname(source), ...rel.split('/'));
    if (existsSync(file)) files.push({ source: file, target: `${targetDir}/${rel}`, kind: 'font' });
  }
  return { style, files };
}
