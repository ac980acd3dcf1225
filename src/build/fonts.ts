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
import { markPackaged } from './packaged.js';

/**
 * The emoji font every built-in theme (and reveal.js's, through decksmith) ships: monochrome Noto
 * Emoji, split by unicode-range so a deck loads only the pieces its emoji need. Without it an
 * emoji prints as an empty box on a machine that has no emoji font.
 */
export const EMOJI_FONT = '@fontsource/noto-emoji/400.css';

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
  markPackaged(source);
  for (const file of files) markPackaged(file.source);
  return { style, files };
}

/** Code point ranges, sorted and merged: [first, last] pairs. */
export type CodeRanges = [number, number][];

/**
 * The code points the fonts a deck ships can draw: the `unicode-range` of every `@font-face` in
 * the given stylesheets (an `@font-face` without one counts as covering everything). Undefined when
 * the stylesheets bundle no font at all (a reveal.js theme on system fonts).
 */
export function fontCoverage(styles: readonly { source: string; content?: string }[]): CodeRanges | undefined {
  const ranges: CodeRanges = [];
  // Faces that draw text; an emoji font alone leaves the letters to the machine's fonts.
  let faces = 0;
  for (const style of styles) {
    let css: string;
    try {
      css = style.content ?? readFileSync(style.source, 'utf8');
    } catch {
      continue;
    }
    for (const face of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
      const family = /font-family\s*:\s*([^;}]+)/i.exec(face[1] ?? '')?.[1] ?? '';
      if (!/emoji/i.test(family)) faces += 1;
      const range = /unicode-range\s*:\s*([^;}]+)/i.exec(face[1] ?? '')?.[1];
      if (range === undefined) return [[0, 0x10ffff]];
      for (const part of range.split(',')) {
        const m = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
        if (m?.[1] === undefined) continue;
        const start = parseInt(m[1].replace(/\?/g, '0'), 16);
        const end = m[2] !== undefined ? parseInt(m[2], 16) : parseInt(m[1].replace(/\?/g, 'f'), 16);
        ranges.push([start, end]);
      }
    }
  }
  if (faces === 0) return undefined;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: CodeRanges = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * Letters, digits and emoji in `text` that no range covers, each once, in order of appearance.
 * (Emoji: pictographs from U+2000 on; the keycap and flag parts that join them are left out.)
 */
export function uncovered(text: string, ranges: CodeRanges): string[] {
  const out = new Set<string>();
  // Most decks are Latin text only: nothing to look at.
  if (!/[^\u0000-\u024f]/.test(text)) return [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x250) continue;
    if (!/[\p{L}\p{N}]/u.test(char) && !(code >= 0x2000 && /\p{Extended_Pictographic}/u.test(char))) continue;
    if (!ranges.some(([start, end]) => code >= start && code <= end)) out.add(char);
  }
  return [...out];
}
