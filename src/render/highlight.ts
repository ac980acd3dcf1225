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
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript',
  py: 'python', python3: 'python', gyp: 'python',
  sh: 'bash', shell: 'bash', zsh: 'bash', console: 'shell',
  yml: 'yaml', md: 'markdown', mkd: 'markdown',
  html: 'xml', xhtml: 'xml', svg: 'xml', rss: 'xml', hbs: 'handlebars', jinja: 'django',
  rb: 'ruby', rs: 'rust', kt: 'kotlin', kts: 'kotlin', cs: 'csharp', 'c#': 'csharp',
  'c++': 'cpp', cc: 'cpp', hpp: 'cpp', cxx: 'cpp', h: 'c', golang: 'go',
  ps: 'powershell', ps1: 'powershell', pl: 'perl', tex: 'latex', jl: 'julia',
  docker: 'dockerfile', tf: 'ini', toml: 'ini', conf: 'ini', sql: 'sql', psql: 'pgsql',
  patch: 'diff', txt: 'plaintext', text: 'plaintext', plain: 'plaintext',
};

/** Languages whose grammar embeds others (HTML holds CSS and JavaScript). */
const EMBEDS: Record<string, string[]> = { xml: ['css', 'javascript'], markdown: ['xml'], handlebars: ['xml'], django: ['xml'], php: ['xml'] };

export interface Highlighter {
  /** Highlighted HTML, or undefined when the language is unknown (the caller escapes as text). */
  highlight(code: string, lang: string): string | undefined;
}

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
      const name = hljs.getLanguage(wanted) !== undefined ? wanted : Object.hasOwn(ALIASES, wanted) ? (ALIASES[wanted] ?? wanted) : wanted;
      if (!load(name)) return undefined;
      return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    },
  };
}
