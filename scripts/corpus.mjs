#!/usr/bin/env node
/**
 * The corpus report (issue #12, item 7): builds every deck in the real-world corpus to HTML and
 * PDF with the built CLI (`node bin/decksmith.js`, so run `npm run build` first, as
 * `npm run corpus` does) and prints one Markdown table row per deck:
 *
 *   npm run corpus -- [--out DIR] [--sheets] [--fit] [--only NAME[,NAME…]]   (NAME: a folder or its start)
 *
 * Where the corpus is: $DECKSMITH_CORPUS, else `../shared/corpus` next to this repository, else
 * next to the main checkout when this is a git worktree. Each corpus folder holds one deck named
 * by the `deck:` line of its SOURCE.md, which also gives `written for` (the tool) and
 * `intended slides` (the author's count, counted with that tool's rules). Outputs go to --out
 * (default: a new temp folder, printed at the end); the corpus is only read.
 *
 * Per deck: `build <deck> --pdf --root <its corpus folder>` (the folder stands for the author's
 * repository, so `../assets` and `/images` references resolve as in the repo), then
 * `pdf <deck> --notes page` for the notes pages. The exit code shown is the build's; a notes-PDF
 * failure is shown after it. Warnings are counted by their `[code]` on stderr (both runs; the
 * notes run only adds codes the build did not print, so a warning is not counted twice).
 *
 * "Distinct words" of the source, the set the HTML and PDF shares are measured against:
 *   - text: the deck file plus files it imports with Slidev `src:` lines, NFKC-normalised;
 *   - dropped as markup, never counted: the front matter and Deckset/remark property lines at
 *     the top of the file or of a slide (`class:`, `layout:`, `autoscale:` …; the values of
 *     `header:`/`footer:` stay, tools show them), Slidev per-slide front-matter blocks (also a
 *     fenced ```yaml block at a slide's top), fence lines with their info strings, directive
 *     comments (`<!-- _class: lead -->`, `.slide:`/`.element:`, `fit`), `<style>` and `<script>`
 *     elements with their content (CSS and code that runs, not text), HTML tags with their
 *     names and attributes, image syntax whole (alt text is an attribute, not shown text; Marp
 *     and Deckset put keywords there), link and image URLs, bare URLs, reference definitions,
 *     footnote markers, `[fit]`, `.class[` openers, `::slot::` markers, `{.attr}` blocks,
 *     the reveal-md `Note:` marker word;
 *   - HTML comments that are not directives count only where the tool shows them as notes:
 *     every one for Marp, the one comment that ends a slide for Slidev (a code block after a
 *     comment is a block too); for the other tools they are hidden and dropped;
 *   - inline formatting tags (`<s>`, `<b>`, `<span>` …) join the text on each side, as a browser
 *     shows it (`Harper<s>DB</s>` is one word); other tags separate words;
 *   - fenced and indented code counts as written (tags inside code are shown, so they count);
 *   - HTML entities are decoded (`&amp;` is "&", not the word "amp");
 *   - words are the lowercased runs of letters, marks and digits of 2+ characters; runs of
 *     Chinese/Japanese/Korean script have no spaces to split on, so they count as their
 *     overlapping character pairs (bigrams).
 * The built HTML is read the same way: the text of `.reveal` (slides and notes, no scripts, no
 * alt text) with a space at each block element; the PDF text comes from pdfjs-dist, with a
 * space wherever two text runs are apart or a line ends, over the slides PDF and the notes-page
 * PDF together. Whitespace between two CJK characters is removed first on that side, so a line
 * wrap does not break a pair. Share = source words found / source words.
 *
 * --sheets also writes sheets/<deck>.png: the first SHEET_PAGES pages of the slides PDF in a
 * 3-column contact sheet (pdftoppm + montage from poppler-utils and ImageMagick).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'cheerio';
import { decodeHTML } from 'entities';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(repo, 'bin', 'decksmith.js');
const SHEET_PAGES = 6;
const TOOLS = ['Marp', 'reveal-md', 'Slidev', 'remark', 'Deckset', 'pandoc'];

function parseArgs(argv) {
  const args = { out: undefined, sheets: false, only: undefined, fit: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sheets') args.sheets = true;
    else if (arg === '--fit') args.fit = true;
    else if (arg === '--out') args.out = resolve(argv[++i] ?? '');
    else if (arg === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else {
      console.error(`corpus: unknown argument "${arg}"; use --out DIR, --sheets, --fit, --only NAME[,NAME…]`);
      process.exit(2);
    }
  }
  return args;
}

/** $DECKSMITH_CORPUS, ../shared/corpus, or ../shared/corpus of the main checkout of a worktree. */
function corpusDir() {
  const env = process.env.DECKSMITH_CORPUS;
  if (env !== undefined && env !== '') return resolve(env);
  const candidates = [resolve(repo, '..', 'shared', 'corpus')];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repo, encoding: 'utf8' }).trim();
    candidates.push(resolve(dirname(common), '..', 'shared', 'corpus'));
  } catch {
    // Not a git checkout: only the first place applies.
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'README.md')));
  if (found === undefined) {
    console.error(`corpus: no corpus at ${candidates.join(' or ')}; set DECKSMITH_CORPUS to its folder`);
    process.exit(2);
  }
  return found;
}

/** The `key: value` block of a SOURCE.md. */
function sourceInfo(folder) {
  const text = readFileSync(join(folder, 'SOURCE.md'), 'utf8');
  const field = (key) => new RegExp(`^${key}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const writtenFor = field('written for') ?? '';
  const intended = Number.parseInt(field('intended slides') ?? '', 10);
  return {
    deck: field('deck'),
    writtenFor,
    tool: TOOLS.find((t) => writtenFor.toLowerCase().startsWith(t.toLowerCase())) ?? (writtenFor.split(/\s/)[0] || '?'),
    intended: Number.isNaN(intended) ? undefined : intended,
  };
}

// ---------------------------------------------------------------------------------------------
// Words

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_GAP =
  /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])\s+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])/gu;

/** Lowercased letter/mark/digit runs of 2+ characters; CJK runs as overlapping pairs. */
function words(text, into = new Set()) {
  for (const [run] of text
    .normalize('NFKC')
    .toLowerCase()
    .matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    // A run may mix scripts ("vue3の"): split it where CJK starts or stops.
    for (const [part] of run.matchAll(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu,
    )) {
      const chars = [...part];
      if (CJK.test(part)) for (let i = 0; i + 1 < chars.length; i++) into.add(chars[i] + chars[i + 1]);
      else if (chars.length >= 2) into.add(part);
    }
  }
  return into;
}

/** Words of text a reader sees (HTML or PDF text): CJK kept together across line breaks. */
function seenWords(text, into) {
  return words(text.normalize('NFKC').replace(CJK_GAP, '$1'), into);
}

const MARP_DIRECTIVES = new Set([
  'theme',
  'style',
  'headingdivider',
  'lang',
  'size',
  'math',
  'marp',
  'paginate',
  'header',
  'footer',
  'class',
  'backgroundcolor',
  'backgroundimage',
  'backgroundposition',
  'backgroundrepeat',
  'backgroundsize',
  'color',
  'title',
  'description',
  'author',
  'image',
  'keywords',
  'url',
  'transition',
  'fit',
]);
const PROPERTY_KEYS = new Set([
  'class',
  'name',
  'layout',
  'template',
  'background-image',
  'count',
  'exclude',
  'autoscale',
  'build-lists',
  'slidenumbers',
  'slide-transition',
  'slide-dividers',
  'theme',
  'footer',
  'header',
  'presenter-notes',
  'fit-header',
  'code-language',
]);
const SHOWN_KEYS = new Set(['footer', 'header']);
const KEY_LINE = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/;

/** The text of a directive comment's shown values ('' for most), or undefined when it is no directive. */
function directiveText(body) {
  const inner = body.trim();
  if (/^\.(slide|element)\s*:/.test(inner) || /^fit$/i.test(inner)) return '';
  const lines = inner
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return '';
  let shown = '';
  for (const line of lines) {
    const m = KEY_LINE.exec(line) ?? (line.startsWith('- ') ? ['', '-', line.slice(2)] : null);
    if (m === null) return undefined;
    const key = m[1].replace(/^_/, '').toLowerCase();
    if (key !== '-' && !MARP_DIRECTIVES.has(key)) return undefined;
    if (SHOWN_KEYS.has(key)) shown += ` ${m[2] ?? ''}`;
  }
  return shown;
}

/** Markup removed from a run of non-code Markdown lines (comments are handled before). */
function stripInline(text) {
  return (
    text
      .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, ' ')
      .replace(/!\[[^\]\n]*\]\[[^\]\n]*\]/g, ' ')
      .replace(/^\s{0,3}\[[^\]\n]+\]:\s*\S.*$/gm, ' ')
      .replace(/\[\^[^\]\n]*\]/g, ' ')
      .replace(/\[fit\]/gi, ' ')
      .replace(/\]\([^)\n]*\)/g, '] ')
      .replace(/\]\[[^\]\n]*\]/g, '] ')
      .replace(/<(https?|mailto):[^>\s]*>/gi, ' ')
      .replace(/\b(https?:\/\/|www\.)[^\s)<>\]"']+/gi, ' ')
      // Inline formatting tags join the text around them (`Harper<s>DB</s>` shows "HarperDB"); other tags break it.
      .replace(/<\/?(?:a|abbr|b|code|del|em|font|i|ins|kbd|mark|s|small|span|strike|strong|sub|sup|u)(\s[^<>]*)?>/gi, '')
      .replace(/<\/?[A-Za-z][\w:-]*(\s[^<>]*)?\/?>/g, ' ')
      .replace(/\.[\w-]+\[/g, ' ')
      .replace(/::[\w-]+::/g, ' ')
      .replace(/\{[.#:][^}\n]*\}/g, ' ')
  );
}

/** The distinct words of one Markdown source, as documented in this file's header. */
function sourceWords(markdown, tool, into = new Set()) {
  const lines = markdown.normalize('NFKC').replace(/\r\n?/g, '\n').split('\n');
  const kept = [];
  const keepShown = (line) => {
    const m = KEY_LINE.exec(line.trim());
    if (m !== null && SHOWN_KEYS.has(m[1].toLowerCase())) kept.push(m[2] ?? '');
  };
  let i = 0;
  // Front matter, or Deckset/remark property lines at the top.
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, n) => n > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) {
      for (let n = 1; n < close; n++) keepShown(lines[n]);
      i = close + 1;
    }
  }
  let atSlideTop = true;
  let lastSeparator = i > 0;
  // Still in the file's first lines, where Deckset's settings (`footer:`, `slidenumbers:`) stand.
  let atFileTop = true;
  const code = [];
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence !== null) {
      const marker = fence[1];
      let end = i + 1;
      while (end < lines.length && !new RegExp(`^\\s{0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[end])) end++;
      // Slidev's block front matter: a ```yaml fence at the top of a slide.
      const blockFrontMatter = tool === 'Slidev' && fence[2] === 'yaml' && atSlideTop;
      if (!blockFrontMatter) {
        code.push(...lines.slice(i + 1, end));
        // A wordless stand-in, so a comment before the code is not taken for the slide's last block.
        kept.push('\u00b7');
      }
      i = end + 1;
      atSlideTop = false;
      continue;
    }
    if (/^\s*(---|--|\*\*\*|___)\s*$/.test(line)) {
      // Slidev's per-slide front matter: `---`, key lines, `---`.
      let end = i + 1;
      while (end < lines.length && (KEY_LINE.test(lines[end].trim()) || /^\s+\S/.test(lines[end]) || /^\s*#/.test(lines[end]))) end++;
      if (end > i + 1 && end < lines.length && /^---\s*$/.test(lines[end]) && KEY_LINE.test(lines[i + 1].trim())) {
        for (let n = i + 1; n < end; n++) keepShown(lines[n]);
        i = end + 1;
      } else {
        i++;
      }
      // The slide boundary stays in the text (no words), so a comment can tell whether it ends its slide.
      kept.push('---');
      atFileTop = false;
      atSlideTop = true;
      lastSeparator = true;
      continue;
    }
    if (atSlideTop && line.trim() === '') {
      i++;
      continue;
    }
    // remark writes properties with or without a space after the colon (`layout:false`).
    const property = KEY_LINE.exec(line.trim()) ?? /^([A-Za-z_][\w-]*):(\S.*)$/.exec(line.trim());
    if (atSlideTop && property !== null && PROPERTY_KEYS.has(property[1].toLowerCase()) && (lastSeparator || atFileTop)) {
      keepShown(line);
      i++;
      continue;
    }
    atSlideTop = false;
    lastSeparator = false;
    atFileTop = false;
    kept.push(tool === 'reveal-md' ? line.replace(/^\s*notes?\s*:/i, ' ') : line);
    i++;
  }
  let text = kept.join('\n');
  // Comments: directives go; the others count where the tool shows them as notes.
  text = text.replace(/<!--([\s\S]*?)(-->|$)/g, (whole, body, _close, offset, all) => {
    const shown = directiveText(body);
    if (shown !== undefined) return ` ${shown} `;
    if (tool === 'Marp') return ` ${body} `;
    if (tool === 'Slidev') {
      const after = all.slice(offset + whole.length);
      const nextBreak = after.search(/^---\s*$/m);
      const rest = nextBreak === -1 ? after : after.slice(0, nextBreak);
      // @slidev/parser: only the comment that ends the slide is its note.
      return rest.trim() === '' ? ` ${body} ` : ' ';
    }
    return ' ';
  });
  // Stylesheets and scripts run, they are not read: `<style>` (Marp's global CSS), Slidev's `<script setup>`.
  text = text.replace(/<(style|script)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, ' ');
  words(decodeHTML(stripInline(text)), into);
  words(code.join('\n'), into);
  return into;
}

/** The deck's Markdown and the files it imports with Slidev `src:` lines (recursively, once each). */
function deckSources(file, corpusFolder, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const out = [text];
  for (const [, ref] of text.matchAll(/^src:\s*['"]?([^'"\s]+)['"]?\s*$/gm)) {
    const target = ref.startsWith('/') ? join(corpusFolder, ref) : resolve(dirname(file), ref);
    out.push(...deckSources(target, corpusFolder, seen));
  }
  return out;
}

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'img',
  'math',
  'svg',
  'text',
  'tspan',
  'title',
]);

/** The text of the built deck's slides and notes, a space at every block element. */
function htmlText(file) {
  const $ = load(readFileSync(file, 'utf8'));
  const parts = [];
  const walk = (node) => {
    if (node.type === 'text') parts.push(node.data);
    if (node.type !== 'tag' && node.type !== 'root') return;
    const name = node.name?.toLowerCase();
    if (name === 'script' || name === 'style' || name === 'template' || name === 'noscript') return;
    const block = BLOCK.has(name);
    if (block) parts.push(' ');
    for (const child of node.children ?? []) walk(child);
    if (block) parts.push(' ');
  };
  $('.reveal').each((_, el) => walk(el));
  return parts.join('');
}

/** The text of every page, a space where two runs are apart or a line ends. */
async function pdfText(file) {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), useSystemFonts: false, isEvalSupported: false, verbosity: 0 })
    .promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    let prev;
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const [size, , , , x, y] = item.transform;
      if (prev !== undefined && (Math.abs(y - prev.y) > Math.abs(size) * 0.5 || x - prev.end > Math.abs(size) * 0.15 || x < prev.x))
        text += ' ';
      text += item.str;
      if (item.hasEOL) text += ' ';
      prev = { x, y, end: x + item.width };
    }
    text += '\n';
  }
  await pdf.destroy();
  return text;
}

// ---------------------------------------------------------------------------------------------
// Running

function run(args, cwd) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c) => {
      stderr += c.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `[code]` at the end of each warning/error line, by code. */
function codes(stderr) {
  const counts = new Map();
  for (const line of stderr.split('\n')) {
    const m = /: (warning|error|info): .*\[([a-z0-9-]+)\]\s*$/.exec(line);
    if (m !== null) counts.set(m[2], (counts.get(m[2]) ?? 0) + 1);
  }
  return counts;
}

function sheet(pdf, png, scratch) {
  const prefix = join(scratch, 'page');
  execFileSync('pdftoppm', ['-png', '-r', '36', '-f', '1', '-l', String(SHEET_PAGES), pdf, prefix]);
  const pages = readdirSync(scratch)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort()
    .map((f) => join(scratch, f));
  execFileSync('montage', [...pages, '-tile', '3x', '-geometry', '+6+6', '-background', '#777777', png]);
  for (const p of pages) rmSync(p);
}

async function measure(name, folder, out, sheets) {
  const info = sourceInfo(folder);
  const deckFile = info.deck === undefined ? undefined : join(folder, info.deck);
  const row = {
    name,
    ...info,
    slides: undefined,
    srcWords: 0,
    html: undefined,
    pdf: undefined,
    exit: undefined,
    notesExit: undefined,
    codes: new Map(),
  };
  if (deckFile === undefined || !existsSync(deckFile)) {
    row.exit = 'no deck';
    return row;
  }
  const source = new Set();
  for (const text of deckSources(deckFile, folder)) sourceWords(text, info.tool, source);
  row.srcWords = source.size;
  const deckOut = join(out, name);
  const fit = args.fit ? ['--fit'] : [];
  const build = await run(['build', deckFile, '--pdf', '--json', '--root', folder, '--out', deckOut, ...fit], folder);
  row.exit = build.code;
  row.codes = codes(build.stderr);
  // The build's one line about a deck read in another tool's dialect; none means decksmith's own.
  row.dialect = /: written for (\S+) \(/.exec(build.stderr)?.[1] ?? (build.code === 0 ? 'decksmith' : undefined);
  let json;
  try {
    json = JSON.parse(build.stdout).decks?.[0];
  } catch {
    json = undefined;
  }
  if (json?.error != null) row.error = `${json.error.code}: ${json.error.message}`.slice(0, 160);
  row.slides = json?.slides ?? undefined;
  const share = (seen) => [...source].filter((w) => seen.has(w)).length / Math.max(1, source.size);
  const missing = (seen) => [...source].filter((w) => !seen.has(w));
  if (json?.outputs?.html !== undefined) {
    const seen = seenWords(htmlText(json.outputs.html), new Set());
    row.html = share(seen);
    row.htmlMissing = missing(seen);
  }
  const notesPdf = join(deckOut, 'notes-page.pdf');
  const notes = await run(['pdf', deckFile, '--notes', 'page', '--root', folder, '--out', notesPdf, ...fit], folder);
  row.notesExit = notes.code;
  for (const [code, n] of codes(notes.stderr)) if (!row.codes.has(code)) row.codes.set(code, n);
  const pdfs = [json?.outputs?.pdf, existsSync(notesPdf) ? notesPdf : undefined].filter((p) => p !== undefined);
  if (pdfs.length > 0) {
    const seen = new Set();
    for (const pdf of pdfs) seenWords(await pdfText(pdf), seen);
    row.pdf = share(seen);
    row.pdfMissing = missing(seen);
  }
  if (sheets && json?.outputs?.pdf !== undefined) {
    mkdirSync(join(out, 'sheets'), { recursive: true });
    const scratch = mkdtempSync(join(tmpdir(), 'decksmith-sheet-'));
    try {
      row.sheet = join(out, 'sheets', `${name}.png`);
      sheet(json.outputs.pdf, row.sheet, scratch);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return row;
}

const pct = (x) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const args = parseArgs(process.argv.slice(2));
const corpus = corpusDir();
const out = args.out ?? mkdtempSync(join(tmpdir(), 'decksmith-corpus-'));
if (!isAbsolute(out)) throw new Error('unreachable: --out is made absolute');
mkdirSync(out, { recursive: true });
const names = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, 'SOURCE.md')))
  .map((e) => e.name)
  // --only takes a folder's full name or its start (`--only 0phoff`).
  .filter((n) => args.only === undefined || args.only.some((o) => n === o || n.startsWith(o)))
  .sort();
if (names.length === 0) {
  console.error(`corpus: no deck folder in ${corpus} matches --only ${(args.only ?? []).join(',')}; use a folder name or its start`);
  process.exit(2);
}

const rows = [];
for (const name of names) {
  process.stderr.write(`corpus: ${name} …\n`);
  rows.push(await measure(name, join(corpus, name), out, args.sheets));
}

const lines = [
  `Corpus: ${corpus} (${rows.length} decks); outputs in ${out}`,
  '',
  '| deck | tool | dialect | slides / intended | source words | HTML words | PDF words | exit | warnings by code |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const r of rows) {
  const slides = `${r.slides ?? '—'} / ${r.intended ?? '?'}${r.slides !== undefined && r.slides === r.intended ? ' ✓' : ''}`;
  const exit = `${r.exit}${r.notesExit !== undefined && r.notesExit !== 0 ? ` (notes PDF ${r.notesExit})` : ''}`;
  const warnings =
    [...r.codes]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ') || '—';
  lines.push(
    `| ${r.name} | ${r.tool} | ${r.dialect ?? '—'} | ${slides} | ${r.srcWords} | ${pct(r.html)} | ${pct(r.pdf)} | ${exit} | ${warnings} |`,
  );
}
const html = rows.map((r) => r.html).filter((x) => x !== undefined);
const pdf = rows.map((r) => r.pdf).filter((x) => x !== undefined);
lines.push(
  '',
  `Decks with exit 0: ${rows.filter((r) => r.exit === 0).length}/${rows.length}; with the intended slide count: ${rows.filter((r) => r.slides !== undefined && r.slides === r.intended).length}/${rows.length}.`,
  `Word share HTML: min ${pct(Math.min(...html))}, median ${pct(median(html))}; PDF: min ${pct(Math.min(...pdf))}, median ${pct(median(pdf))}.`,
);
for (const r of rows.filter((x) => x.error !== undefined)) lines.push(`- ${r.name}: ${r.error}`);
if (args.sheets) lines.push('', 'Contact sheets:', ...rows.filter((r) => r.sheet !== undefined).map((r) => `- ${r.sheet}`));
console.log(lines.join('\n'));
if (process.env.DECKSMITH_CORPUS_MISSING === '1') {
  for (const r of rows)
    console.error(
      `${r.name} HTML missing: ${(r.htmlMissing ?? []).slice(0, 40).join(' ')}\n${r.name} PDF missing: ${(r.pdfMissing ?? []).slice(0, 40).join(' ')}`,
    );
}
