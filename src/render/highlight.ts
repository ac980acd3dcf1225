/**
 * Build-time code highlighting with highlight.js, loading only the languages a deck uses: the
 * full bundle costs ~130 ms to import, the core ~15 ms, and a deck rarely has more than a few
 * languages. Each language gets its own highlight.js instance (no shared registry), so a block
 * highlights the same wherever it stands.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
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

/** The fence language as looked up: trimmed, lower case; undefined for none (or a name of Object.prototype's). */
function wantedLanguage(lang: string): string | undefined {
  const wanted = lang.trim().toLowerCase();
  // highlight.js and the tables above are plain objects: a fence named `constructor` or
  // `__proto__` would find Object.prototype's members there instead of a language.
  return wanted === '' || Object.hasOwn(Object.prototype, wanted) ? undefined : wanted;
}

/** Empties the memo (tests compare highlighting with and without it). */
export function forgetHighlights(): void {
  highlighted.clear();
}

function remember(key: string, html: string | undefined): void {
  if (highlighted.size >= HIGHLIGHT_MEMO_ENTRIES) highlighted.clear();
  highlighted.set(key, html);
}

type HighlightFn = (code: string, wanted: string) => string | undefined;

/**
 * The highlighting itself. Each language gets a highlight.js instance of its own, holding it and
 * the languages its grammar embeds (EMBEDS), so a block's HTML depends on its language and text
 * only, never on which other languages the deck loaded before it (a grammar that hands part of its
 * text to another language, as shell's does to bash, would otherwise highlight differently after
 * a bash block): that is what lets the memo and the worker stand in for it. Self-contained, it
 * refers to nothing outside its parameters: the highlight worker (prehighlight) runs it from its
 * source text, so both threads highlight alike.
 */
function highlightWith(
  newInstance: () => HLJSApi,
  loadLanguage: (name: string) => LanguageFn,
  aliases: Record<string, string>,
  embeds: Record<string, string[]>,
): HighlightFn {
  const instances = new Map<string, HLJSApi | undefined>();
  const instanceFor = (name: string): HLJSApi | undefined => {
    if (instances.has(name)) return instances.get(name);
    const hljs = newInstance();
    const load = (language: string): boolean => {
      if (hljs.getLanguage(language) !== undefined) return true;
      if (!/^[a-z0-9-]+$/.test(language)) return false;
      try {
        hljs.registerLanguage(language, loadLanguage(language));
      } catch {
        return false;
      }
      for (const embedded of Object.hasOwn(embeds, language) ? (embeds[language] ?? []) : []) load(embedded);
      return true;
    };
    const usable = load(name) ? hljs : undefined;
    instances.set(name, usable);
    return usable;
  };
  return (code, wanted) => {
    const name = Object.hasOwn(aliases, wanted) ? (aliases[wanted] ?? wanted) : wanted;
    return instanceFor(name)?.highlight(code, { language: name, ignoreIllegals: true }).value;
  };
}

const requireLanguage = (name: string): LanguageFn => require(`highlight.js/lib/languages/${name}`) as LanguageFn;

export function createHighlighter(): Highlighter {
  const highlight = highlightWith(() => hljsCore.newInstance(), requireLanguage, ALIASES, EMBEDS);
  return {
    highlight(code, lang) {
      const wanted = wantedLanguage(lang);
      if (wanted === undefined) return undefined;
      const key = `${wanted}\u0000${code}`;
      if (highlighted.has(key)) return highlighted.get(key);
      const html = highlight(code, wanted);
      remember(key, html);
      return html;
    },
  };
}

/**
 * The V8 flags bin/decksmith.js runs the process with (`flags`) and V8's own values of them
 * (`defaults`), which it leaves under FLAG_SWAP; undefined when it left none (the library, an
 * unknown V8). Node compiles its own modules from a code cache V8 takes only under the flags it
 * was made with, V8's defaults: under other flags a worker compiles the dozens it loads as it
 * boots from source, which doubled its start (~50 ms more CPU, on the core the build needs). So
 * startWorker sets the defaults back while a worker boots, and the worker sets `flags` again as
 * soon as it runs (the main thread meanwhile runs those few milliseconds under the defaults).
 */
interface FlagSwap {
  flags: string;
  defaults: string;
}

const FLAG_SWAP = Symbol.for('decksmith.v8-flags');

/** Only the interrupt budget and regexp bytecode's peephole pass are ever changed while V8 runs (see bin/decksmith.js). */
const SWAPPABLE = /^--interrupt-budget=\d+(?: --(?:no-)?regexp-peephole-optimization)?$/;

function flagSwap(): FlagSwap | undefined {
  const swap = (globalThis as Record<symbol, unknown>)[FLAG_SWAP] as Partial<FlagSwap> | undefined;
  const { flags, defaults } = swap ?? {};
  return typeof flags === 'string' && typeof defaults === 'string' && SWAPPABLE.test(flags) && SWAPPABLE.test(defaults)
    ? { flags, defaults }
    : undefined;
}

/** Fewer blocks than this are highlighted on the main thread: a worker takes ~30 ms to start. */
const WORKER_BLOCKS = 100;

/** A highlight worker, and whether it has exited. */
interface Started {
  worker: Worker;
  exited: boolean;
}

/** The worker warmHighlighter started, until prehighlight takes it (or stops it). */
let spare: Started | undefined;

function startWorker(): Started {
  const tables = { core: require.resolve('highlight.js/lib/core'), aliases: ALIASES, embeds: EMBEDS };
  const swap = flagSwap();
  if (swap !== undefined) setFlagsFromString(swap.defaults);
  let worker: Worker;
  try {
    // Once it runs this, the worker has booted: it sets the process's flags back first thing.
    const restore = swap === undefined ? '' : `require('node:v8').setFlagsFromString(${JSON.stringify(swap.flags)});`;
    worker = new Worker(
      `${restore}(${workerMain.toString()})(require, ${highlightWith.toString()}, require('node:worker_threads').workerData);`,
      {
        eval: true,
        workerData: tables,
      },
    );
  } catch (error) {
    if (swap !== undefined) setFlagsFromString(swap.flags);
    throw error;
  }
  const started = { worker, exited: false };
  worker.once('exit', () => {
    started.exited = true;
    // Also when it was stopped, or failed, before it could set them back itself.
    if (swap !== undefined) setFlagsFromString(swap.flags);
  });
  return started;
}

/**
 * Whether `markdown` has enough code fences for prehighlight to use a worker: a count of lines
 * starting with ``` or ~~~, a guess made before the deck is read for real (see warmHighlighter).
 */
export function manyFences(markdown: string): boolean {
  let lines = 0;
  for (const fence of ['```', '~~~']) {
    if (markdown.startsWith(fence)) lines++;
    for (let at = markdown.indexOf(`\n${fence}`); at >= 0; at = markdown.indexOf(`\n${fence}`, at + 1)) lines++;
  }
  return lines >= 2 * WORKER_BLOCKS;
}

/**
 * Starts the highlight worker ahead of prehighlight, which takes it: the CLI calls this as it
 * starts, for a deck with manyFences, so the worker boots (~30 ms, and Node's worker start-up is
 * as much again on a busy machine) while the CLI loads instead of while the deck is lexed. It does
 * not keep the process alive while nobody has taken it, and prehighlight stops it when it has too
 * few blocks to use it.
 */
export function warmHighlighter(): void {
  if (spare !== undefined) return;
  try {
    spare = startWorker();
  } catch {
    return;
  }
  spare.worker.unref();
  // A worker that fails before it is taken exits; prehighlight then starts another.
  spare.worker.on('error', () => undefined);
}

/**
 * The ```/~~~ code blocks of a Markdown text that start at the beginning of a line, as
 * [language, code] the way the renderer will ask for them (first word of the info string, the
 * lines between the fences). A line scan, not a lexer: it may list text that is no code block or
 * miss blocks (inside lists and quotes); what it finds only fills the memo ahead, keyed by
 * language and text, so a wrong guess costs time, never output.
 */
export function fencedCode(markdown: string): [string, string][] {
  // The CLI runs this on its main thread before lexing: a deck has thousands of lines, few of
  // them fences, so most are passed over by their first character, and the split is a plain one
  // when there is no carriage return.
  const lines = markdown.includes('\r') ? markdown.split(/\r\n?|\n/) : markdown.split('\n');
  const out: [string, string][] = [];
  const closers = new Map<string, RegExp>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const first = line.charCodeAt(0);
    if (first !== 96 && first !== 126) continue;
    const open = /^(`{3,}|~{3,})[ \t]*([^\n]*)$/.exec(line);
    if (open === null) continue;
    const fence = open[1] ?? '```';
    const info = (open[2] ?? '').trim();
    if (fence[0] === '`' && info.includes('`')) continue;
    let close = closers.get(fence);
    if (close === undefined) {
      close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
      closers.set(fence, close);
    }
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end] ?? '')) end++;
    if (end >= lines.length) break;
    const lang = /^\S*/.exec(info)?.[0] ?? '';
    // Backslash escapes and references in the info string: the lexer's reading is not guessed at.
    if (lang !== '' && !/[\\&]/.test(lang)) out.push([lang, lines.slice(i + 1, end).join('\n')]);
    i = end;
  }
  return out;
}

/** The highlight worker's program (run from source text with `eval`: no file to find in a bundle). */
function workerMain(
  req: (id: string) => unknown,
  highlightWithSource: typeof highlightWith,
  tables: { core: string; aliases: Record<string, string>; embeds: Record<string, string[]> },
): void {
  const { parentPort } = req('node:worker_threads') as typeof import('node:worker_threads');
  const { createRequire } = req('node:module') as typeof import('node:module');
  const from = createRequire(tables.core);
  const core = from(tables.core) as HLJSApi;
  const highlight = highlightWithSource(
    () => core.newInstance(),
    (name) => from(`highlight.js/lib/languages/${name}`) as LanguageFn,
    tables.aliases,
    tables.embeds,
  );
  parentPort?.on('message', (blocks: [string, string][]) => {
    const out: (string | null)[] = blocks.map(([wanted, code]) => {
      try {
        return highlight(code, wanted) ?? null;
      } catch {
        return null;
      }
    });
    parentPort.postMessage(out);
  });
}

/**
 * Highlights the code blocks of `markdown` (fencedCode) on a worker thread while the caller goes
 * on (lexing the deck), putting the results in the memo the renderers read: on two cores the
 * highlighting of a large deck costs no wall time. Resolves to the number of blocks it put in the
 * memo once it is done; undefined when there is too little to do. A worker that fails fills
 * nothing (the renderer then highlights).
 */
export function prehighlight(markdown: string, signal?: AbortSignal): Promise<number> | undefined {
  const seen = new Set<string>();
  const blocks: [string, string][] = [];
  for (const [lang, code] of fencedCode(markdown)) {
    const wanted = wantedLanguage(lang);
    if (wanted === undefined) continue;
    const key = `${wanted}\u0000${code}`;
    if (highlighted.has(key) || seen.has(key)) continue;
    seen.add(key);
    blocks.push([wanted, code]);
  }
  const warm = spare;
  spare = undefined;
  if (blocks.length < WORKER_BLOCKS || signal?.aborted === true) {
    if (warm !== undefined) void warm.worker.terminate();
    return undefined;
  }
  return new Promise<number>((resolve) => {
    let filled = 0;
    const done = () => resolve(filled);
    let worker: Worker;
    try {
      // The warmed worker if it is still there; its exit, if it comes now, reaches `finish` below.
      worker = warm !== undefined && !warm.exited ? warm.worker : startWorker().worker;
    } catch {
      done();
      return;
    }
    worker.ref();
    const finish = () => {
      signal?.removeEventListener('abort', finish);
      void worker.terminate();
      done();
    };
    signal?.addEventListener('abort', finish);
    worker.once('error', finish);
    worker.once('exit', finish);
    worker.once('message', (html: (string | null)[]) => {
      blocks.forEach(([wanted, code], i) => {
        const value = html[i];
        if (typeof value !== 'string') return;
        remember(`${wanted}\u0000${code}`, value);
        filled++;
      });
      finish();
    });
    worker.postMessage(blocks);
  });
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
