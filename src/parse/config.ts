/**
 * Front-matter validation: the one place where untyped YAML becomes a typed DeckConfig.
 * Unknown keys are warnings that name the closest valid key; wrong types are errors naming the
 * key and its line.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { closest, distance } from 'fastest-levenshtein';
import { FrontMatterError } from '../errors.js';
import { THEME_VARIABLES } from './theme-vars.js';
import { DIALECTS, SLIDE_SIZES, SPLIT_LEVELS, type DialectName, type Diagnostic } from '../types.js';
import { DIALECT_LABELS } from './dialect.js';
import { TRANSITIONS, foreignValue } from './dialects/foreign-values.js';

// zod/mini, not zod: every build validates front matter, and the full zod takes ~40 ms to load
// (its English messages are what zod prints; mini needs them set).
z.config(en());

const text = z.pipe(
  z.union([z.string(), z.number(), z.date()]),
  z.transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))),
);
const cssValue = z
  .pipe(z.union([z.string(), z.number()]), z.transform(String))
  .check(z.refine((v) => !/[;{}<>\\\n]/.test(v), 'a CSS value cannot contain ; { } < > backslashes or line breaks'));

/** Every front-matter key, its type and its default. */
const schema = z.object({
  /** Deck title: <title>, title slide, PDF metadata. @defaultValue the first slide's title */
  title: z.optional(text),
  /** Shown under the title on the title slide. */
  subtitle: z.optional(text),
  /** Title slide, <meta name="author">, PDF Author. */
  author: z.optional(text),
  /** Free text shown on the title slide (a YAML date is printed as YYYY-MM-DD). */
  date: z.optional(text),
  /** <meta name="description"> and PDF Subject. */
  description: z.optional(text),
  /** <meta name="keywords"> and PDF Keywords; a list or a comma-separated string. @defaultValue [] */
  keywords: z._default(
    z.pipe(
      z.union([z.array(text), z.string()]),
      z.transform((v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean)
          : v,
      ),
    ),
    [],
  ),
  /** Document language (BCP 47). @defaultValue "en" */
  lang: z._default(z.string().check(z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as "en" or "pt-BR"')), 'en'),
  /** Theme name (built-in or reveal.js) or a path to a theme folder or CSS file. @defaultValue "paper" */
  theme: z.optional(z.string().check(z.minLength(1))),
  /** Also start a slide at every heading of this level or higher. @defaultValue none */
  split: z.optional(z.enum(SPLIT_LEVELS)),
  /** Slide aspect ratio: 16:9 is 1280×720, 4:3 is 1024×768. @defaultValue "16:9" */
  size: z._default(z.enum(SLIDE_SIZES), '16:9'),
  /** reveal.js transition between slides. @defaultValue "slide" */
  transition: z._default(z.enum(TRANSITIONS), 'slide'),
  /** highlight.js style for code. @defaultValue the theme's choice */
  highlightStyle: z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'a highlight.js style name such as "github"'))),
  /** Theme variables without the leading `--ds-`, e.g. `accent: "#0a84ff"`. @defaultValue {} */
  themeVars: z._default(z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'lower-case variable names')), cssValue), {}),
  /** Extra stylesheets, relative to the deck. @defaultValue [] */
  css: z._default(
    z.pipe(
      z.union([z.string(), z.array(z.string())]),
      z.transform((v) => (typeof v === 'string' ? [v] : v)),
    ),
    [],
  ),
  /** Text shown at the foot of every slide. */
  footer: z.optional(text),
  /** Show slide numbers. @defaultValue false */
  slideNumber: z._default(z.boolean(), false),
  /** Shrink every slide whose content overflows: code blocks first, then the whole slide, down to half size. @defaultValue false */
  fit: z._default(z.boolean(), false),
  /** The tool the deck was written for (marp, reveal-md, slidev, remark, deckset, pandoc), when detection guesses wrong. @defaultValue detected from the deck's markers, else "decksmith" */
  dialect: z.optional(z.enum(DIALECTS)),
  /** Extra Reveal.initialize options (scalars only). @defaultValue {} */
  reveal: z._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), {}),
});

/** YAML 1.1 booleans, which YAML 1.2 (and decksmith) read as text. */
const YAML11_BOOLEAN = /^(?:y|yes|n|no|on|off)$/i;

function yesNoError(where: string, value: string, line: number | undefined, file: string | undefined): FrontMatterError {
  const meant = /^(?:y|yes|on)$/i.test(value) ? 'true' : 'false';
  return new FrontMatterError(
    'front-matter-invalid',
    `front matter "${where}: ${value}": use true or false (YAML reads "${value}" as text, not as a boolean)`,
    {
      file,
      line,
      hint: `Write "${where.split('.').pop() ?? where}: ${meant}".`,
    },
  );
}

function columnOf(raw: RawFrontMatter | undefined, key: string): { column?: number } {
  const column = raw?.keyColumns?.get(key);
  return column === undefined ? {} : { column };
}

function valueAt(data: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let value: unknown = data;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * A `themeVars` name that no built-in theme reads sets a variable nothing uses. A theme of the
 * author's own (a path) may read other names, so there only near-misses of a known name warn.
 */
function checkThemeVars(
  vars: Record<string, string>,
  theme: string | undefined,
  raw: RawFrontMatter | undefined,
  file: string | undefined,
): Diagnostic[] {
  const ownTheme = theme !== undefined && /[\\/.]/.test(theme);
  const known: readonly string[] = THEME_VARIABLES;
  const out: Diagnostic[] = [];
  for (const name of Object.keys(vars)) {
    if (known.includes(name)) continue;
    const suggestion = closest(name, [...known]);
    if (ownTheme && distance(name, suggestion) > 2) continue;
    const key = `themeVars.${name}`;
    const line = raw?.keyLines.get(key) ?? raw?.keyLines.get('themeVars');
    out.push({
      severity: 'warning',
      code: 'unknown-theme-var',
      message: `themeVars "${name}" sets --ds-${name}, which ${ownTheme ? 'is not a decksmith theme variable' : 'no theme reads'}; did you mean "${suggestion}"? docs/themes.md lists the variables`,
      ...(line === undefined ? {} : { line }),
      ...columnOf(raw, key),
      ...(file === undefined ? {} : { file }),
    });
  }
  return out;
}

/** reveal.js options that load or name code: a deck is data, so they never reach Reveal.initialize. */
const CODE_LOADING_REVEAL_KEYS = new Set(['dependencies', 'plugins', 'plugin', 'scripts', 'script']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `reveal:` options minus those that would load code (`dependencies`, `plugins`, or a value
 * naming a script), each refused with a warning at its line. reveal.js waits for such code
 * before it starts, so a deck with one would never start even if the code were missing.
 */
function withoutCodeLoading(
  reveal: Record<string, unknown>,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
  file: string | undefined,
  diagnostics: Diagnostic[],
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(reveal)) {
    const script =
      typeof value === 'string' &&
      (/\.m?js(?:[?#].*)?$/i.test(value.trim()) ||
        /^(?:javascript:|vbscript:|data:(?!image\/))/i.test(value.replace(/[\u0000-\u0020]/g, '')));
    if (!CODE_LOADING_REVEAL_KEYS.has(key.toLowerCase()) && !script) {
      kept[key] = value;
      continue;
    }
    const line = lineOf(['reveal', key]);
    diagnostics.push({
      severity: 'warning',
      code: 'reveal-code-refused',
      message: `reveal option "${key}" ${script ? 'names a script' : 'loads code'}; a deck is data, so it is left out. decksmith ships the plugins a deck needs`,
      ...(line === undefined ? {} : { line }),
      ...(file === undefined ? {} : { file }),
    });
  }
  return kept;
}

/** Validated front matter (re-exported by src/types.ts). */
export type DeckConfig = z.output<typeof schema>;

export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);
/** The front-matter schema itself, for the published JSON Schema (scripts/schema.mjs). */
export const frontMatterSchema = schema;

export interface RawFrontMatter {
  /** The parsed YAML mapping. */
  data: Record<string, unknown>;
  /** 1-based source line of each top-level key, and of each key one level down as `parent.key`. */
  keyLines: Map<string, number>;
  /** 1-based column of the same keys, when known. */
  keyColumns?: Map<string, number>;
  /** Line of the opening `---`. */
  line: number;
}

export function validateConfig(
  raw: RawFrontMatter | undefined,
  file: string | undefined,
  /** The deck's dialect: in another tool's, a value that tool accepts is a warning, not an error (dialects/foreign-values.ts). */
  dialect?: DialectName,
): { config: DeckConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw?.data ?? {})) {
    const line = raw?.keyLines.get(key) ?? raw?.line;
    if (CONFIG_KEYS.includes(key)) {
      known[key] = value;
      continue;
    }
    const suggestion = closest(key, [...CONFIG_KEYS]);
    diagnostics.push({
      severity: 'warning',
      code: 'unknown-key',
      message: `unknown front-matter key "${key}" is ignored; did you mean "${suggestion}"?`,
      ...(line === undefined ? {} : { line }),
      ...columnOf(raw, key),
      ...(file === undefined ? {} : { file }),
    });
  }
  const lineOf = (path: readonly PropertyKey[]) =>
    raw?.keyLines.get(path.map(String).join('.')) ?? raw?.keyLines.get(String(path[0] ?? '')) ?? raw?.line;
  if (isRecord(known['reveal'])) known['reveal'] = withoutCodeLoading(known['reveal'], lineOf, file, diagnostics);
  let result = schema.safeParse(known);
  // Another tool's value: mapped to ours or left to the default, one key at a time (each key once).
  for (const tried = new Set<string>(); !result.success; result = schema.safeParse(known)) {
    const key = String(result.error.issues[0]?.path[0] ?? '');
    const foreign = tried.has(key) ? undefined : foreignValue(dialect, key, known[key]);
    if (foreign === undefined || dialect === undefined) break;
    tried.add(key);
    if (foreign.used === undefined) delete known[key];
    else known[key] = foreign.used;
    const line = lineOf([key]);
    diagnostics.push({
      severity: 'warning',
      code: 'foreign-value',
      message: `${DIALECT_LABELS[dialect]}'s ${key} "${foreign.written}" is not one of decksmith's; ${foreign.used === undefined ? 'the default is used' : `"${foreign.used}" is used`} instead. See the README's "Front matter" for the values decksmith takes`,
      ...(line === undefined ? {} : { line }),
      ...columnOf(raw, key),
      ...(file === undefined ? {} : { file }),
    });
  }
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const where = path.map(String).join('.');
    const value = valueAt(known, path);
    if (issue?.code === 'invalid_type' && issue.expected === 'boolean' && typeof value === 'string' && YAML11_BOOLEAN.test(value)) {
      throw yesNoError(where, value, lineOf(path), file);
    }
    throw new FrontMatterError('front-matter-invalid', `front matter "${where}": ${issue?.message ?? 'invalid value'}`, {
      file,
      line: lineOf(path),
      hint: 'Fix the value in the front matter; see the README section "Front matter" for every key and its type.',
    });
  }
  const data = result.data;
  for (const [name, value] of Object.entries(data.reveal)) {
    // reveal.js would take "no" as a true (non-empty) string.
    if (typeof value === 'string' && YAML11_BOOLEAN.test(value)) throw yesNoError(`reveal.${name}`, value, lineOf(['reveal', name]), file);
  }
  diagnostics.push(...checkThemeVars(data.themeVars, data.theme, raw, file));
  const config: DeckConfig = {
    keywords: data.keywords,
    lang: data.lang,
    size: data.size,
    transition: data.transition,
    themeVars: data.themeVars,
    css: data.css,
    slideNumber: data.slideNumber,
    fit: data.fit,
    reveal: data.reveal,
    ...(data.title === undefined ? {} : { title: data.title }),
    ...(data.subtitle === undefined ? {} : { subtitle: data.subtitle }),
    ...(data.author === undefined ? {} : { author: data.author }),
    ...(data.date === undefined ? {} : { date: data.date }),
    ...(data.description === undefined ? {} : { description: data.description }),
    ...(data.theme === undefined ? {} : { theme: data.theme }),
    ...(data.split === undefined ? {} : { split: data.split }),
    ...(data.highlightStyle === undefined ? {} : { highlightStyle: data.highlightStyle }),
    ...(data.footer === undefined ? {} : { footer: data.footer }),
    ...(data.dialect === undefined ? {} : { dialect: data.dialect }),
  };
  return { config, diagnostics };
}
