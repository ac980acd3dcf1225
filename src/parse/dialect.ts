/**
 * Which tool a deck was written for (issue #12), guessed from the deck's own markers. Pure: the
 * text, the front matter's lines, and the names of tool configuration files a caller found.
 *
 * Each rule is a marker one tool documents and decksmith's own Markdown never uses, so a deck of
 * ours always stays "decksmith". Strong markers (a tool's own front-matter key, its config file)
 * win over markers in the body; among equals the first in the file wins. Later slices add their
 * rules per dialect in src/parse/dialects/<tool>.ts; this file only decides the name.
 */
import { DIALECTS, type DialectChoice, type DialectName } from '../types.js';
import { linesThrough } from '../markdown/text.js';

/** What detection reports: the tool, and the marker (line, what) that decided it. */
export interface Detection {
  dialect: DialectName;
  evidence?: { line: number; what: string };
}

/** The front matter as lines: its top-level keys with their line and their raw value. */
export interface FrontMatterKeys {
  /** Top-level key → [1-based line, raw value text]. */
  keys: ReadonlyMap<string, { line: number; value: string }>;
  /** Lines the front matter takes (0 when there is none). */
  lineCount: number;
}

export const DIALECT_LABELS: Record<DialectName, string> = {
  decksmith: 'decksmith',
  marp: 'Marp',
  'reveal-md': 'reveal-md',
  slidev: 'Slidev',
  remark: 'remark',
  deckset: 'Deckset',
  pandoc: 'pandoc',
};

export function isDialect(value: unknown): value is DialectName {
  return typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);
}

/**
 * The top-level `key: value` lines of a `---` front-matter block, read as lines so detection
 * works before (and whether or not) the YAML is valid. `text` has LF line endings.
 */
export function frontMatterKeys(text: string): FrontMatterKeys {
  const keys = new Map<string, { line: number; value: string }>();
  if (!/^---[ \t]*(?:\n|$)/.test(text)) return { keys, lineCount: 0 };
  // The lines through the first closing line: all this reads.
  const lines = linesThrough(text, (line) => /^(?:---|\.\.\.)[ \t]*$/.test(line));
  const close = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line));
  if (close < 0) return { keys, lineCount: 0 };
  for (let i = 1; i < close; i++) {
    const match = /^([A-Za-z_$][\w$-]*)[ \t]*:(?:[ \t]+(.*))?$/.exec(lines[i] ?? '');
    if (match?.[1] !== undefined && !keys.has(match[1])) keys.set(match[1], { line: i + 1, value: (match[2] ?? '').trim() });
  }
  return { keys, lineCount: close + 1 };
}

/** Marp's own directives; decksmith has none of these names. */
const MARP_KEYS = [
  'headingDivider',
  'paginate',
  'backgroundColor',
  'backgroundImage',
  'backgroundPosition',
  'backgroundRepeat',
  'backgroundSize',
];
const MARP_THEMES = ['gaia', 'uncover'];
/** Slidev headmatter keys that no other tool reads. */
const SLIDEV_KEYS = [
  'highlighter',
  'mdc',
  'info',
  'drawings',
  'addons',
  'colorSchema',
  'routerMode',
  'aspectRatio',
  'canvasWidth',
  'fonts',
  'download',
  'exportFilename',
  'lineNumbers',
  'monaco',
  'layout',
];
const REVEAL_MD_KEYS = ['revealOptions', 'separator', 'verticalSeparator'];
/** pandoc metadata that is not a decksmith key (a YAML title block with these is pandoc's). */
const PANDOC_KEYS = ['affiliation', 'institute', 'revealjs-url', 'slide-level', 'header-includes', 'include-before', 'bibliography', 'csl'];
const DECKSET_KEYS = [
  'footer',
  'slidenumbers',
  'slide-numbers',
  'autoscale',
  'build-lists',
  'slide-transition',
  'theme',
  'presenter-notes',
  'slide-dividers',
  'fit-header',
  'footnote-separator',
];
const DECKSET_ONLY = [
  'slidenumbers',
  'slide-numbers',
  'autoscale',
  'build-lists',
  'slide-transition',
  'presenter-notes',
  'slide-dividers',
  'fit-header',
  'footnote-separator',
];
const REMARK_PROPERTIES = ['name', 'class', 'layout', 'template', 'background-image', 'count', 'exclude'];

interface Marker {
  dialect: DialectName;
  line: number;
  what: string;
  strong: boolean;
}

/**
 * The dialect a deck's markers point to. `toolFiles` are configuration files found beside the
 * deck (see ParseOptions.toolFiles). Without any marker the deck is decksmith's.
 */
export function detectDialect(text: string, front: FrontMatterKeys = frontMatterKeys(text), toolFiles: readonly string[] = []): Detection {
  const markers: Marker[] = [];
  const add = (dialect: DialectName, line: number, what: string, strong = false) => markers.push({ dialect, line, what, strong });

  for (const [key, { line, value }] of front.keys) {
    if (key === 'marp' && /^true$/i.test(value)) add('marp', line, 'marp: true', true);
    else if (MARP_KEYS.includes(key) || /^_(?:class|paginate|header|footer|color|background\w*)$/.test(key))
      add('marp', line, `${key}:`, true);
    else if (key === 'theme' && MARP_THEMES.includes(value.replace(/['"]/g, ''))) add('marp', line, `theme: ${value}`, true);
    else if (REVEAL_MD_KEYS.includes(key)) add('reveal-md', line, `${key}:`, true);
    else if (SLIDEV_KEYS.includes(key)) add('slidev', line, `${key}:`, true);
    else if (PANDOC_KEYS.includes(key)) add('pandoc', line, `${key}:`, true);
  }
  for (const name of toolFiles) add('reveal-md', 0, `${name} beside the deck`, true);

  const lines = text.split('\n');
  const body = front.lineCount;
  // Deckset and remark: `key: value` lines at the very top with no front-matter dashes.
  if (front.lineCount === 0) {
    for (let i = 0; i < lines.length; i++) {
      const match = /^([a-z][\w-]*):[ \t]*(.*)$/.exec(lines[i] ?? '');
      if (match?.[1] === undefined) break;
      if (DECKSET_ONLY.includes(match[1])) add('deckset', i + 1, `${match[1]}:`, true);
      else if (REMARK_PROPERTIES.includes(match[1])) add('remark', i + 1, `${match[1]}:`);
      else if (!DECKSET_KEYS.includes(match[1])) break;
    }
    if (/^%[ \t]+\S/.test(lines[0] ?? '')) add('pandoc', 1, '% title block', true);
  }

  let fence: string | undefined;
  let afterSeparator = false;
  for (let i = body; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const at = i + 1;
    // A fence line starts with a backtick, a tilde or a space: most lines are passed over by that.
    const first = line.charCodeAt(0);
    const fenceMark = first === 96 || first === 126 || first === 32 ? /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] : undefined;
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && line.trim() === fenceMark)
        fence = undefined;
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      afterSeparator = false;
      continue;
    }
    // Each pattern below is tried only on lines holding text it needs: most lines hold none.
    if (
      line.includes('<!--') &&
      /<!--\s*_?(?:headingDivider|paginate|backgroundColor|backgroundImage|_class|_footer|_header|_paginate|_color|_backgroundColor|_backgroundImage)\s*:/.test(
        line,
      )
    ) {
      add('marp', at, `<!-- ${/<!--\s*([\w]+)/.exec(line)?.[1] ?? ''}: -->`);
    }
    if (line.includes('![bg') && /!\[bg(?:[\s\]:]|$)/.test(line)) add('marp', at, '![bg');
    if (line.startsWith('::') && /^::(right|left|default|content|[\w-]+)::\s*$/.test(line)) add('slidev', at, line.trim());
    if (line.includes('v-') && /<v-clicks?\b|\bv-click\b|\bv-after\b/.test(line))
      add('slidev', at, /v-clicks?|v-after/.exec(line)?.[0] ?? 'v-click');
    if (line === '???') add('remark', at, '??? notes');
    if (line === '--') add('remark', at, '-- increment');
    if (line.startsWith('^ ') && /^\^ \S/.test(line)) add('deckset', at, '^ note');
    if (line.startsWith('#') && /^#{1,6}[ \t]+\[fit\]/.test(line)) add('deckset', at, '[fit] heading');
    if (line.includes('data-fragment-index') && /^data-fragment-index|<!--\s*\.element:.*data-fragment-index/.test(line))
      add('reveal-md', at, 'data-fragment-index');
    if (afterSeparator) {
      // A separator followed by `key: value` lines and a closing `---`: Slidev's per-slide front matter.
      const close = slideFrontMatterEnd(lines, i);
      if (close !== undefined) add('slidev', at - 1, 'per-slide front matter');
      else if (front.lineCount === 0 && /^(?:name|class|layout|template):[ \t]*\S/.test(line))
        add('remark', at, `${line.split(':')[0]}: property`);
    }
    afterSeparator = line.startsWith('---') && /^---[ \t]*$/.test(line);
    // A `---` under a long paragraph line: no one writes such a heading, the author meant a break
    // that only a line-based splitter (remark, reveal-md) makes.
    if (lines[i + 1] === '---' && line.length > 100 && /^[^\s#>|<-]/.test(line) && (lines[i + 2] ?? '') === '') {
      markers.push({ dialect: 'remark', line: at + 1, what: '"---" under a paragraph line', strong: false });
    }
  }
  const strong = markers.find((m) => m.strong);
  const chosen = strong ?? pickWeak(markers);
  if (chosen === undefined) return { dialect: 'decksmith' };
  return { dialect: chosen.dialect, evidence: { line: chosen.line, what: chosen.what } };
}

/** Among weak markers the most frequent dialect wins (ties: the earliest marker). */
function pickWeak(markers: readonly Marker[]): Marker | undefined {
  const counts = new Map<DialectName, number>();
  for (const m of markers) counts.set(m.dialect, (counts.get(m.dialect) ?? 0) + 1);
  let best: Marker | undefined;
  for (const m of markers) if (best === undefined || (counts.get(m.dialect) ?? 0) > (counts.get(best.dialect) ?? 0)) best = m;
  return best;
}

/** Index of the `---` closing a block of YAML key lines that starts at `start`, if it is one. */
function slideFrontMatterEnd(lines: readonly string[], start: number): number | undefined {
  if (!/^[A-Za-z_][\w-]*:(?:[ \t]|$)/.test(lines[start] ?? '')) return undefined;
  for (let i = start + 1; i < lines.length && i < start + 40; i++) {
    const line = lines[i] ?? '';
    if (/^---[ \t]*$/.test(line)) return i;
    if (line !== '' && !/^(?:[A-Za-z_][\w-]*:|[ \t]+\S|#)/.test(line)) return undefined;
  }
  return undefined;
}

/**
 * The dialect a deck is read in: `--dialect` first, then the front matter's `dialect:` key,
 * then the deck's markers.
 */
export function chooseDialect(
  text: string,
  front: FrontMatterKeys,
  option: DialectName | undefined,
  configured: DialectName | undefined,
  toolFiles: readonly string[] = [],
): DialectChoice {
  if (option !== undefined) return { name: option, from: 'option' };
  if (configured !== undefined) {
    const line = front.keys.get('dialect')?.line;
    return {
      name: configured,
      from: 'front-matter',
      ...(line === undefined ? {} : { evidence: { line, what: `dialect: ${configured}` } }),
    };
  }
  const found = detectDialect(text, front, toolFiles);
  if (found.dialect === 'decksmith') return { name: 'decksmith', from: 'default' };
  return { name: found.dialect, from: 'detected', ...(found.evidence === undefined ? {} : { evidence: found.evidence }) };
}

/** The terminal's one line about a deck read in another tool's dialect, e.g. `deck.md: written for Marp (marp: true, line 2)`. */
export function dialectNotice(file: string, choice: DialectChoice): string | undefined {
  if (choice.name === 'decksmith') return undefined;
  const evidence = choice.evidence;
  const why =
    choice.from === 'option'
      ? '--dialect'
      : evidence === undefined
        ? choice.from
        : evidence.line === 0
          ? evidence.what
          : `${evidence.what}, line ${evidence.line}`;
  return `${file}: written for ${DIALECT_LABELS[choice.name]} (${why})`;
}
