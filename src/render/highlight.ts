/**
 * Build-time code highlighting with highlight.js, loading only the languages a deck uses: the
 * full bundle costs ~130 ms to import, the core ~15 ms, and a deck rarely has more than a few
 * languages. Each renderer gets its own highlight.js instance (no shared registry).
 */
import { createRequire } from 'node:module';
import hljsCore from 'highlight.js/lib/core';
import type { HLJSApi, LanguageFn } from 'highlight.js';

const require = createRequire(import.meta.url);

/** Fence names that are not the name of a highlight.js language file. */
const ALIASES: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  py: 'python',
  python3: 'python',
  gyp: 'python',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'shell',
  yml: 'yaml',
  md: 'markdown',
  mkd: 'markdown',
  html: 'xml',
  xhtml: 'xml',
  svg: 'xml',
  rss: 'xml',
  hbs: 'handlebars',
  jinja: 'django',
  rb: 'ruby',
  rs: 'rust',
  kt: 'kotlin',
  kts: 'kotlin',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cxx: 'cpp',
  h: 'c',
  golang: 'go',
  ps: 'powershell',
  ps1: 'powershell',
  pl: 'perl',
  tex: 'latex',
  jl: 'julia',
  docker: 'dockerfile',
  tf: 'ini',
  toml: 'ini',
  conf: 'ini',
  sql: 'sql',
  psql: 'pgsql',
  patch: 'diff',
  txt: 'plaintext',
  text: 'plaintext',
  plain: 'plaintext',
};

/** Languages whose grammar embeds others (HTML holds CSS and JavaScript). */
const EMBEDS: Record<string, string[]> = {
  xml: ['css', 'javascript'],
  markdown: ['xml'],
  handlebars: ['xml'],
  django: ['xml'],
  php: ['xml'],
};

export interface Highlighter {
  /** Highlighted HTML, or undefined when the language is unknown (the caller escapes as text). */
  highlight(code: string, lang: string): string | undefined;
}

/**
 * Highlighted code by language and text: a rebuild (serve, watch, a folder of decks) highlights
 * only the blocks it has not seen. The output depends on nothing else, so sharing it between
 * renderers is safe; bounded so a long-running serve never grows without end.
 */
const highlighted = new Map<string, string | undefined>();
const HIGHLIGHT_MEMO_ENTRIES = 4000;

export function createHighlighter(): Highlighter {
  const hljs: HLJSApi = hljsCore.newInstance();
  const load = (name: string): boolean => {
    if (hljs.getLanguage(name) !== undefined) return true;
    if (!/^[a-z0-9-]+$/.test(name)) return false;
    try {
      hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`) as LanguageFn);
    } catch {
      return false;
    }
    for (const embedded of Object.hasOwn(EMBEDS, name) ? (EMBEDS[name] ?? []) : []) load(embedded);
    return true;
  };
  return {
    highlight(code, lang) {
      const wanted = lang.trim().toLowerCase();
      // highlight.js and the tables above are plain objects: a fence named `constructor` or
      // `__proto__` would find Object.prototype's members there instead of a language.
      if (wanted === '' || Object.hasOwn(Object.prototype, wanted)) return undefined;
      const key = `${wanted}\u0000${code}`;
      if (highlighted.has(key)) return highlighted.get(key);
      const name = hljs.getLanguage(wanted) !== undefined ? wanted : Object.hasOwn(ALIASES, wanted) ? (ALIASES[wanted] ?? wanted) : wanted;
      const html = load(name) ? hljs.highlight(code, { language: name, ignoreIllegals: true }).value : undefined;
      if (highlighted.size >= HIGHLIGHT_MEMO_ENTRIES) highlighted.clear();
      highlighted.set(key, html);
      return html;
    },
  };
}

/**
 * The highlight.js style for code on a light or a dark page: a11y-light and a11y-dark are made to
 * reach 4.5:1 (WCAG AA) for every token on their own background, which the matching
 * `themes/reveal-light.css` and `themes/reveal-dark.css` give code blocks on reveal.js's themes.
 */
export function highlightStyleFor(scheme: 'light' | 'dark'): string {
  return scheme === 'light' ? 'a11y-light' : 'a11y-dark';
}

/**
 * Whether a CSS colour (`#rgb`, `#rrggbb`, `rgb(…)`) is light or dark, by WCAG relative luminance
 * (light when black text would contrast with it more than white); undefined when it is not one
 * of those forms.
 */
export function schemeOfColour(colour: string): 'light' | 'dark' | undefined {
  const value = colour.trim().toLowerCase();
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(value);
    if (m !== null) rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (rgb === undefined) return undefined;
  const [r = 0, g = 0, b = 0] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (L + 0.05) / 0.05 against with white 1.05 / (L + 0.05): equal at L ≈ 0.179.
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? 'light' : 'dark';
}
