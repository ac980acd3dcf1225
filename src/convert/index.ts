/**
 * `decksmith convert`: a deck written for another tool (Marp, reveal-md, Slidev, remark, Deckset,
 * pandoc) rewritten in decksmith's own dialect, from the parsed slide model (parse/): the slides'
 * tokens carry the author's Markdown with positions, so every block the dialect did not change is
 * copied through as written, and only what the dialect read differently is rewritten (separators,
 * notes, directives, layouts, fragments, image keywords, remark spans, Slidev clicks).
 *
 * Contract: the converted text, read in decksmith's dialect, gives the same slides (count, order,
 * vertical stacks) with the same visible words and notes. Every source line of the deck that has
 * no equivalent in our dialect is kept (as an HTML comment when it was not shown) and listed as a
 * `not-converted` Diagnostic at its line. A deck already in decksmith's dialect is returned as is.
 * Pure: no file system (the caller passes readImport and the folders for image paths).
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { parseDeck, normalizeSource } from '../parse/index.js';
import { CONFIG_KEYS, validateConfig } from '../parse/config.js';
import { splitFrontMatter } from '../parse/front-matter.js';
import { MARP_LOCAL_DIRECTIVES, readMarpComment } from '../parse/dialects/marp-directives.js';
import { readComment } from '../markdown/directives.js';
import { readImageKeywords } from '../markdown/image-keywords.js';
import { foreignTheme, isThemeName, listThemes } from '../build/theme.js';
import type { Deck, Diagnostic, ParseOptions, Slide, SlideToken } from '../types.js';

export interface ConvertOptions extends ParseOptions {
  /** Folder the deck's relative image paths are written against (the deck's folder). */
  sourceDir?: string | undefined;
  /** Folder the converted deck goes to; image paths are rewritten to stay valid from there. @defaultValue sourceDir */
  outDir?: string | undefined;
  /**
   * Whether a file exists, for Slidev's `/x.png` (its `public/` folder first, then the deck's
   * folder, as build reads it). @defaultValue nothing exists (`/x.png` becomes `./x.png`)
   */
  exists?: ((path: string) => boolean) | undefined;
}

export interface ConvertResult {
  /** The deck in decksmith's dialect (the source itself when it already was). */
  text: string;
  /** The deck as read in its own dialect. */
  deck: Deck;
  /** One `not-converted` warning per source line (or run of lines) with no equivalent, plus the parser's own dialect warnings. */
  diagnostics: Diagnostic[];
  /** True when the deck was already in decksmith's dialect and `text` is the source unchanged. */
  unchanged: boolean;
}

/** Parser warnings that say something of the source did not come over; convert repeats them. */
const FORWARDED = new Set<Diagnostic['code']>([
  'foreign-value',
  'slide-properties',
  'import-refused',
  'vue-component',
  'unsafe-separator',
  'unknown-key',
  'unclosed-fence',
  'unclosed-comment',
]);

/** Front-matter keys another tool reads that the converted deck expresses otherwise (separators, slides' directives). */
const CONSUMED_KEYS = new Set([
  'marp',
  'dialect',
  'headingDivider',
  'separator',
  'verticalSeparator',
  'slide-level',
  'revealOptions',
  // Marp's slide directives, set deck-wide. Its header is kept on each slide it shows on (as a
  // comment there, and listed); its footer becomes ours, so it is not consumed here.
  ...[...MARP_LOCAL_DIRECTIVES].filter((key) => key !== 'footer'),
  // Slidev's headmatter also holds the first slide's own keys (read onto that slide).
  'layout',
]);

/** Marp directives the converted slides carry (class, background, footer, pagination) or that only steer splitting and size. */
const MARP_CONSUMED: ReadonlySet<string> = new Set([
  // Every slide directive but the header, which is kept on each slide it shows on (and listed).
  ...[...MARP_LOCAL_DIRECTIVES].filter((key) => key !== 'header'),
  'theme',
  'size',
  'headingDivider',
  'marp',
]);

/** Keys of a Slidev slide's front matter, remark's property lines and Deckset's settings that the slide model carries. */
const PROPERTY_KEYS = new Set([
  'layout',
  'class',
  'background',
  'image',
  'transition',
  'src',
  'hide',
  'disabled',
  'title',
  'layoutclass',
  'clicks',
  'level',
  'hideintoc',
  'routealias',
  'preload',
  'zoom',
  'dragpos',
  'clicksstart',
  'backgroundsize',
  'count',
  'name',
  'footer',
  'theme',
  'template',
]);

export function convertDeck(source: string, options: ConvertOptions = {}): ConvertResult {
  const deck = parseDeck(source, options);
  if (deck.dialect.name === 'decksmith') return { text: source, deck, diagnostics: [], unchanged: true };
  const converter = new Converter(normalizeSource(source), deck, options);
  const first = converter.write(new Set());
  // Our dialect infers a layout where the other tool had none (or another): say it where they differ.
  const reread = parseDeck(first, { dialect: 'decksmith' });
  const differ = new Set<number>();
  deck.slides.forEach((slide, i) => {
    if (reread.slides[i]?.layout !== slide.layout) differ.add(i);
  });
  const text = differ.size === 0 ? first : new Converter(normalizeSource(source), deck, options).write(differ);
  // A line convert lists itself says what became of it; the parser's warning there would say it twice.
  const own = new Set(converter.diagnostics.map((d) => d.line));
  // Every front-matter key is converted, done with or listed by convert itself.
  const frontLines = splitFrontMatter(normalizeSource(source), options.file).lineCount;
  const inFront = (d: Diagnostic) => d.code === 'unknown-key' && d.file === options.file && (d.line ?? 0) <= frontLines;
  const fromParse = deck.diagnostics.filter((d) => FORWARDED.has(d.code) && !own.has(d.line) && !inFront(d));
  const diagnostics = [...fromParse, ...converter.diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { text, deck, diagnostics, unchanged: false };
}

interface Edit {
  /** Offset in the block's raw text. */
  from: number;
  to: number;
  text: string;
}

class Converter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines: string[];
  private readonly file: string | undefined;

  constructor(
    private readonly text: string,
    private readonly deck: Deck,
    private readonly options: ConvertOptions,
  ) {
    this.lines = text.split('\n');
    this.file = options.file;
    this.decksetSettings = deck.dialect.name === 'deckset' ? readDecksetSettings(this.lines, deck.slides[0]?.lines[0] ?? 1) : new Map();
  }

  /** Lines the front matter takes: its keys are judged by frontMatter(), never as a slide's lines. */
  private frontLines = 0;

  /** Deckset's settings on the deck's first lines, by lower-case key, with their lines. */
  private readonly decksetSettings: Map<string, string>;

  private warn(line: number, message: string): void {
    this.diagnostics.push({
      severity: 'warning',
      code: 'not-converted',
      message,
      line,
      ...(this.file === undefined ? {} : { file: this.file }),
    });
  }

  write(forceLayout: ReadonlySet<number>): string {
    this.diagnostics.length = 0;
    const front = this.frontMatter();
    const slides = this.deck.slides.map((slide, i) => this.slide(slide, forceLayout.has(i)));
    let out = front;
    slides.forEach((body, i) => {
      const slide = this.deck.slides[i] as Slide;
      if (i > 0) out += slide.v > 0 ? '\n----\n\n' : '\n---\n\n';
      out += `${body}\n`;
    });
    return out;
  }

  /** Our front matter: every setting the deck ended with that is not a default, and the author's other keys as YAML comments. */
  private frontMatter(): string {
    const { config } = this.deck;
    const defaults = validateConfig(undefined, undefined, 'decksmith').config as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key === 'dialect' || key === 'split' || value === undefined) continue;
      if (JSON.stringify(value) === JSON.stringify(defaults[key])) continue;
      values[key] = value;
    }
    if (this.deck.slides.some((s) => s.attributes['data-marpit-pagination'] !== undefined)) values['slideNumber'] = true;
    if (this.decksetSettings.get('autoscale') === 'true') values['fit'] = true;
    // Named, so HTML another tool also reads (a Slidev tag, a reveal comment) never makes decksmith guess that tool.
    values['dialect'] = 'decksmith';
    const themeLine = this.deck.configLines?.['theme'];
    if (typeof config.theme === 'string') {
      const ours = new Set(listThemes().map((t) => t.name));
      const foreign = foreignTheme(config.theme);
      if (foreign !== undefined && !ours.has(config.theme)) values['theme'] = foreign.theme;
      else if (isThemeName(config.theme) && !ours.has(config.theme)) {
        delete values['theme'];
        this.warn(
          themeLine ?? 1,
          `theme "${config.theme}" is not a decksmith theme; the converted deck names none (the default theme), and the line is kept as a YAML comment. Pick one from "decksmith themes"`,
        );
      }
    }
    const comments: string[] = [];
    const split = splitFrontMatter(this.text, this.file);
    this.frontLines = split.lineCount;
    const raw = split.frontMatter;
    // reveal-md's revealOptions are Reveal.initialize options, as our `reveal:` is (scalars only).
    const revealOptions = raw?.data['revealOptions'];
    let revealKept = true;
    if (typeof revealOptions === 'object' && revealOptions !== null && !Array.isArray(revealOptions)) {
      const entries = Object.entries(revealOptions as Record<string, unknown>);
      const scalars = entries.filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
      if (scalars.length > 0) values['reveal'] = { ...Object.fromEntries(scalars), ...((values['reveal'] as object | undefined) ?? {}) };
      revealKept = scalars.length < entries.length;
    }
    if (raw !== undefined) {
      const ours = new Set(CONFIG_KEYS);
      // Top-level keys: a nested key's lines belong to the key it is under.
      const starts = [...raw.keyLines.entries()].filter(([key]) => !key.includes('.')).sort((a, b) => a[1] - b[1]);
      starts.forEach(([key, line], i) => {
        const end = (starts[i + 1]?.[1] ?? split.lineCount) - 1;
        const keep =
          key === 'theme'
            ? values['theme'] === undefined && config.theme !== undefined
            : key === 'revealOptions'
              ? revealKept
              : !ours.has(key) && !CONSUMED_KEYS.has(key);
        if (!keep) return;
        const text = this.lines.slice(line - 1, end).filter((l) => l.trim() !== '');
        // `#|`, not `# `: a kept line must not read as a Markdown heading (heading-in-front-matter).
        comments.push(...text.map((l) => `#| ${l}`));
        if (key === 'revealOptions')
          this.warn(
            line,
            'revealOptions: its lists and maps have no equivalent in our reveal: (its plain values moved there); kept as a YAML comment',
          );
        else if (key !== 'theme')
          this.warn(line, `front-matter key "${key}" has no equivalent in decksmith's dialect; kept as a YAML comment`);
      });
    }
    const yaml = stringify(values, { lineWidth: 0 });
    return `---\n${yaml}${comments.map((c) => `${c}\n`).join('')}---\n\n`;
  }

  private slide(slide: Slide, forceLayout: boolean): string {
    const parts: string[] = [];
    const directives: string[] = [];
    if (slide.layoutExplicit || forceLayout) directives.push(`layout: ${slide.layout}`);
    if (slide.classes.length > 0) directives.push(`class: ${slide.classes.join(' ')}`);
    const images = slide.backgroundImages ?? [];
    const oneImage = images.length === 1 && slide.split === undefined && slide.background === undefined ? images[0] : undefined;
    const background =
      slide.background === undefined
        ? oneImage === undefined
          ? undefined
          : this.href(oneImage.href, slide)
        : this.backgroundValue(slide.background, slide);
    if (background !== undefined) directives.push(`background: ${background}`);
    if (slide.fit) directives.push('fit');
    const deckFooter = this.deck.config.footer;
    if (slide.footer !== undefined && slide.footer !== (deckFooter ?? '')) {
      directives.push(slide.footer === '' ? 'nofooter' : `footer: ${slide.footer}`);
    }
    if (directives.length > 0) parts.push(`<!-- ${directives.join('\n     ')} -->`);
    const attributes = Object.entries(slide.attributes).filter(([name]) => !name.startsWith('data-marpit-'));
    if (oneImage !== undefined && oneImage.size !== 'cover') attributes.push(['data-background-size', oneImage.size]);
    if (attributes.length > 0)
      parts.push(`<!-- .slide: ${attributes.map(([n, v]) => (v === '' ? n : `${n}="${v.replace(/"/g, '&quot;')}"`)).join(' ')} -->`);
    if (slide.header !== undefined && slide.header !== '') {
      // The header directive was written on some earlier line; say it once, where this slide starts.
      if (this.headerSaid !== slide.header)
        this.warn(
          slide.lines[0],
          `Marp's header "${slide.header}" has no equivalent in decksmith's dialect; kept as an HTML comment on each slide it showed on`,
        );
      this.headerSaid = slide.header;
      parts.push(`<!-- Marp header: ${commentSafe(slide.header)} -->`);
    }
    for (const image of images) {
      if (image.filter === undefined) continue;
      this.warn(
        image.line,
        `the background image's filter (${image.filter}) has no equivalent in decksmith's dialect; the image is kept without it`,
      );
    }
    const fromFile = slide.file === undefined;
    const covered = new Set<number>();
    const inline = oneImage === undefined ? images : [];
    if (inline.length > 0) {
      for (const image of inline) covered.add(image.line);
      const what = slide.split === undefined ? 'several background images' : `a split background (${slide.split.side} ${slide.split.size})`;
      this.warn(
        inline[0]?.line ?? slide.lines[0],
        `${what}: decksmith's dialect has one background image per slide; kept as inline images`,
      );
      if (slide.split?.side !== 'right') parts.push(inline.map((i) => `![](${this.href(i.href, slide)})`).join(' '));
    } else if (oneImage !== undefined) covered.add(oneImage.line);
    // The lines the slide's blocks and notes were written on, so what is left over is known before the body is written.
    for (const token of [...slide.tokens, ...slide.notesTokens]) markDeep(covered, token);
    const kept = fromFile ? this.uncovered(slide, covered) : [];
    const body = this.blocks(slide.tokens, slide, covered, kept);
    if (body.trim() !== '') parts.push(body.trim());
    if (inline.length > 0 && slide.split?.side === 'right') parts.push(inline.map((i) => `![](${this.href(i.href, slide)})`).join(' '));
    const notes = slide.notes === '' ? undefined : this.notes(slide, covered);
    parts.push(...kept.map((k) => k.text));
    if (notes !== undefined) parts.push(notes);
    if (parts.length === 0) parts.push('<!-- class: -->');
    return parts.join('\n\n');
  }

  private headerSaid: string | undefined;

  /** The notes as a `Note:` paragraph and what follows it. */
  private notes(slide: Slide, covered: Set<number>): string {
    this.inNotes = true;
    const text = this.blocks(slide.notesTokens, slide, covered).trim();
    this.inNotes = false;
    // `Note:` and a paragraph after it are one paragraph (its text the notes); before anything else,
    // or a line that would make `Note:` a setext heading, a blank line keeps `Note:` a paragraph of its own.
    const first = slide.notesTokens.find((t) => t.type !== 'space');
    const joined = first?.type === 'paragraph' && !/^ {0,3}(?:=+|-+)[ \t]*$/m.test(text.split('\n')[0] ?? '');
    return joined ? `Note:\n${text}` : `Note:\n\n${text}`;
  }

  private inNotes = false;

  /** Block tokens as our Markdown: the author's text where the dialect left it alone, rewritten where it did not. */
  private blocks(tokens: readonly SlideToken[], slide: Slide, covered: Set<number>, kept: Kept[] = []): string {
    let out = '';
    for (const token of tokens) {
      // Lines kept as comments go where they were written (taken out of `kept` as they are placed).
      while (kept.length > 0 && (kept[0]?.line ?? 0) < token.line && token.raw.trim() !== '') out += `${kept.shift()?.text ?? ''}\n\n`;
      out += this.block(token, slide, covered);
    }
    // Where the dialect's own lines were (directives, properties), at most one blank line stays.
    return out.replace(/\n{3,}/g, (run, at: number) => (insideFence(out, at) ? run : '\n\n'));
  }

  private block(token: SlideToken, slide: Slide, covered: Set<number>): string {
    const t = token as SlideToken & { name?: string; tokens?: SlideToken[]; depth?: number; text?: string };
    if (t.type === 'container' && !/^\s*:::/.test(t.raw)) {
      // A block the dialect made (Slidev columns and clicks, remark columns and increments).
      const inner = this.blocks(t.tokens ?? [], slide, covered).trim();
      return `::: ${t.name ?? 'fragment'}\n${inner}\n:::\n\n`;
    }
    if (t.type === 'hr') {
      // A rule the dialect did not split on (remark's `----`, Deckset's `___`) would start a slide here.
      // Followed by a blank line: an HTML block would take the lines after it in as HTML.
      return '<hr>\n\n';
    }
    if (t.type === 'heading' && !/^\s{0,3}#/.test(t.raw) && !/\n\s*[=-]+\s*$/.test(t.raw.trimEnd())) {
      // pandoc's title slide: the heading is made of the title block's text.
      return `${'#'.repeat(t.depth ?? 1)} ${t.raw.trim() === '' ? (t.text ?? '') : t.raw.trim()}\n\n`;
    }
    const edits: Edit[] = [];
    this.collectEdits(token, token, slide, edits);
    let raw = applyEdits(token.raw, edits);
    const marpSteps = this.deck.dialect.name === 'marp' && /^[ \t]*(\*|\d{1,9}\))[ \t]/.test(token.raw);
    // Deckset's build-lists come from the parser already wrapped in a fragments container.
    if (!this.inNotes && t.type === 'list' && marpSteps) {
      // Marp's `*` and `1)` lists show their items one by one: our fragments block does.
      raw = `::: fragments\n${raw.trimEnd()}\n:::\n\n`;
    }
    if (t.type === 'heading' && this.deck.dialect.name === 'marp' && /<!--\s*fit\s*-->/.test(token.raw)) {
      this.warn(
        token.line,
        "Marp's fitting heading (<!--fit-->) has no equivalent in decksmith's dialect; kept as an HTML comment (the heading keeps its size; <!-- fit --> fits a whole slide)",
      );
    }
    return raw;
  }

  /** The inline rewrites inside `token`: HTML the dialect rewrote (remark spans, Slidev clicks), image keywords, Deckset's `[fit]`. */
  private collectEdits(block: SlideToken, token: SlideToken, slide: Slide, edits: Edit[]): void {
    const t = token as SlideToken & {
      tokens?: SlideToken[];
      items?: { tokens?: SlideToken[] }[];
      text?: string;
      href?: string;
      title?: string | null;
    };
    const dialect = this.deck.dialect.name;
    if (t.type === 'html' && typeof t.text === 'string') {
      const rewritten = t.text !== t.raw && t.text.trimEnd() !== t.raw.trimEnd();
      const source = rewritten ? t.text : t.raw;
      const text = this.htmlAddresses(source, slide);
      const from = rewritten || text !== source ? offsetIn(block, t) : undefined;
      if (from !== undefined) {
        let to = from + t.raw.length;
        // An opening tag alone on its line would start an HTML block, in which Markdown is not read: the line break goes.
        const alone = (from === 0 || block.raw[from - 1] === '\n') && block.raw[to] === '\n' && !t.raw.endsWith('\n');
        if (rewritten && alone && /^<[A-Za-z][^>]*>$/.test(text)) to += 1;
        edits.push({ from, to, text: t.raw.endsWith('\n') && !text.endsWith('\n') ? `${text}\n` : text });
      }
    }
    if (t.type === 'heading' && dialect === 'deckset' && token === block) {
      const fit = /^(#{1,6}[ \t]+)\[fit\][ \t]*/i.exec(t.raw);
      if (fit !== null) {
        edits.push({ from: (fit[1] ?? '').length, to: fit[0].length, text: '' });
        this.warn(
          t.line,
          "Deckset's [fit] heading has no equivalent in decksmith's dialect; the keyword is left out and the heading kept as written",
        );
      }
    }
    if (t.type === 'image' && typeof t.href === 'string') {
      const from = offsetIn(block, t);
      if (from !== undefined) {
        const text = t.text ?? '';
        const keywords = dialect === 'marp' || dialect === 'deckset' ? readImageKeywords(text, dialect, false) : undefined;
        const href = this.href(t.href, slide);
        const sized =
          keywords !== undefined && (keywords.width !== undefined || keywords.height !== undefined || keywords.filter !== undefined);
        if (sized) {
          const style = [
            keywords.width === undefined ? '' : `width: ${keywords.width};`,
            keywords.height === undefined ? '' : `height: ${keywords.height};`,
            keywords.filter === undefined ? '' : `filter: ${keywords.filter};`,
          ]
            .filter(Boolean)
            .join(' ')
            .trim();
          edits.push({ from, to: from + t.raw.length, text: `<img src="${attr(href)}" alt="${attr(keywords.alt)}" style="${style}">` });
        } else if ((keywords !== undefined && keywords.alt !== text) || href !== t.href) {
          const alt = keywords?.alt ?? text;
          const title = t.title === null || t.title === undefined ? '' : ` "${t.title.replace(/"/g, '\\"')}"`;
          edits.push({ from, to: from + t.raw.length, text: `![${alt}](${/[\s()<>]/.test(href) ? `<${href}>` : href}${title})` });
        }
      }
      return;
    }
    for (const child of t.tokens ?? []) this.collectEdits(block, child, slide, edits);
    for (const item of t.items ?? []) for (const child of item.tokens ?? []) this.collectEdits(block, child, slide, edits);
    const table = t as { header?: { tokens?: SlideToken[] }[]; rows?: { tokens?: SlideToken[] }[][] };
    for (const cell of [...(table.header ?? []), ...(table.rows ?? []).flat()])
      for (const child of cell.tokens ?? []) this.collectEdits(block, child, slide, edits);
  }

  /**
   * A local file's address as seen from the converted deck's folder: relative paths moved when the
   * deck is written elsewhere (or was imported from another file), Slidev's `/x.png` made the
   * relative path build would have read it from. Remote and in-page addresses stay.
   */
  private href(href: string, slide: Slide): string {
    if (/^[a-z][\w+.-]*:|^#|^\/\/|^\\/i.test(href)) return href;
    const { sourceDir } = this.options;
    const to = this.options.outDir ?? sourceDir;
    const [path, rest] = splitHref(href);
    let from = slide.file === undefined || sourceDir === undefined ? sourceDir : dirname(resolve(sourceDir, slide.file));
    let local = path;
    if (path.startsWith('/')) {
      if (this.deck.dialect.name !== 'slidev' || sourceDir === undefined) return href;
      const inPublic = `public${path}`;
      local = this.options.exists?.(join(sourceDir, safeDecode(inPublic))) === true ? inPublic : `.${path}`;
      from = sourceDir;
    } else if (isAbsolute(path)) return href;
    if (from === undefined || to === undefined || resolve(from) === resolve(to)) return local === path ? href : local + rest;
    const moved = relative(to, join(from, safeDecode(local)))
      .split(sep)
      .join('/');
    return encodeURI(moved) + rest;
  }

  /** A background directive's value with its image address moved like an image's (`url(…)` or a bare path). */
  private backgroundValue(value: string, slide: Slide): string {
    const url = /^url\(\s*(['"]?)(.*?)\1\s*\)$/i.exec(value.trim());
    if (url !== null) return `url(${url[1] ?? ''}${this.href(url[2] ?? '', slide)}${url[1] ?? ''})`;
    return /\.(?:png|jpe?g|gif|svg|webp|avif|bmp)(?:[?#].*)?$/i.test(value.trim()) ? this.href(value.trim(), slide) : value;
  }

  /** Raw HTML with the addresses of the files it shows (`src`, `poster`) moved like images'. */
  private htmlAddresses(html: string, slide: Slide): string {
    return html.replace(
      /(\s(?:src|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi,
      (whole, lead: string, dq?: string, sq?: string, bare?: string) => {
        const value = dq ?? sq ?? bare ?? '';
        const moved = this.href(value, slide);
        if (moved === value) return whole;
        const quote = dq !== undefined ? '"' : sq !== undefined ? "'" : '"';
        return `${lead}${quote}${moved}${quote}`;
      },
    );
  }

  /**
   * The slide's source lines that nothing converted accounts for: separators and the directives,
   * properties and settings the slide model carries are silently done with; anything else is kept
   * as an HTML comment (it was not shown: shown text is in the tokens), listed, and placed where
   * it was written among the slide's blocks.
   */
  private uncovered(slide: Slide, covered: ReadonlySet<number>): Kept[] {
    const kept: Kept[] = [];
    const [start, end] = slide.lines;
    let run: number[] = [];
    const flush = () => {
      const lines = run.map((line) => ({ line, text: this.lines[line - 1] ?? '' }));
      run = [];
      while (lines.length > 0 && (lines[lines.length - 1]?.text.trim() ?? '') === '') lines.pop();
      while (lines.length > 0 && (lines[0]?.text.trim() ?? '') === '') lines.shift();
      if (lines.length === 0) return;
      const found = this.unconverted(lines);
      if (found === undefined || found.keep.length === 0) return;
      const first = found.keep[0]?.line ?? start;
      this.warn(first, `${found.reason}; kept as an HTML comment`);
      kept.push({
        line: first,
        text: `<!-- not converted (line ${first}):\n${commentSafe(found.keep.map((l) => l.text).join('\n'))}\n-->`,
      });
    };
    // A run of uncovered lines ends at a covered line, or at a blank line unless a block is still
    // open there (a <style> block or a comment may hold blank lines).
    for (let line = Math.max(start, this.frontLines + 1); line <= end; line++) {
      const text = this.lines[line - 1] ?? '';
      if (covered.has(line) || (text.trim() === '' && !openBlock(run.map((l) => this.lines[l - 1] ?? '')))) flush();
      else run.push(line);
    }
    flush();
    return kept;
  }

  /** Why these uncovered lines did not come over and which of them to keep, or undefined when the converted deck says all they said. */
  private unconverted(run: readonly SourceLine[]): { reason: string; keep: SourceLine[] } | undefined {
    const dialect = this.deck.dialect.name;
    const text = run.map((l) => l.text).join('\n');
    const lines = run.map((l) => l.text.trim());
    const plain = (l: string) => /^[-*_=+.?^~\s]*$/.test(l) || /^::[\w-]+::$/.test(l) || /^(?:<!--+|-+->)$/.test(l) || /^notes?:$/i.test(l);
    if (lines.every(plain)) return undefined;
    // pandoc's title block: its title, author and date are the front matter's.
    if (dialect === 'pandoc' && lines.every((l) => l.startsWith('%') || l === '')) return undefined;
    const all = { keep: [...run] };
    const comment = /^\s*<!--([\s\S]*?)-->\s*$/.exec(text);
    if (comment !== null) {
      const body = comment[1] ?? '';
      if (readComment(text.trim()).kind === 'directives') return undefined;
      if (dialect === 'marp') {
        const directives = readMarpComment(body, 1);
        if (directives !== undefined) {
          const left = directives.filter((d) => !MARP_CONSUMED.has(d.key));
          if (left.length === 0) return undefined;
          return {
            reason: `Marp ${plural(
              left.map((d) => d.key),
              'directive',
            )} no equivalent in decksmith's dialect`,
            ...all,
          };
        }
      }
      return undefined;
    }
    if (/^\s*<style[\s>]/i.test(text))
      return { reason: "a <style> block: decksmith's dialect takes the author's CSS only from css: files (front matter)", ...all };
    // `key: value` lines (Slidev's per-slide front matter, remark's properties, Deckset's settings): only the keys the slide model does not carry stay.
    const entries = run.filter((l) => !plain(l.text.trim()) && !/^\s*```/.test(l.text));
    const keyOf = (l: SourceLine) => /^([A-Za-z_][\w-]*)\s*:/.exec(l.text)?.[1]?.toLowerCase();
    if (
      entries.length > 0 &&
      keyOf(entries[0] as SourceLine) !== undefined &&
      entries.every((l) => keyOf(l) !== undefined || /^\s+\S|^-\s/.test(l.text))
    ) {
      const deckset = dialect === 'deckset' && entries.every((l) => this.decksetSettings.has(keyOf(l) ?? ''));
      const carried = (key: string) => (deckset ? DECKSET_CONVERTED.has(key) : PROPERTY_KEYS.has(key));
      const keep: SourceLine[] = [];
      let keeping = false;
      for (const line of entries) {
        const key = keyOf(line);
        if (key !== undefined) keeping = !carried(key);
        if (keeping) keep.push(line);
      }
      if (keep.length === 0) return undefined;
      const keys = keep.map(keyOf).filter((k): k is string => k !== undefined);
      return { reason: `${deckset ? 'Deckset' : 'slide'} ${plural(keys, 'setting')} no equivalent in decksmith's dialect`, keep };
    }
    return { reason: `${dialect} markup with no equivalent in decksmith's dialect`, ...all };
  }
}

interface SourceLine {
  line: number;
  text: string;
}

/** An HTML comment holding source lines that did not come over, placed by the line they start on. */
interface Kept {
  line: number;
  text: string;
}

/** `setting "a" has` / `settings "a", "b" have`. */
function plural(keys: readonly string[], noun: string): string {
  const quoted = keys.map((k) => `"${k}"`).join(', ');
  return keys.length > 1 ? `${noun}s ${quoted} have` : `${noun} ${quoted} has`;
}

/** Deckset settings the converted deck carries: `fit: true`, fragments, slide numbers, the footer. */
const DECKSET_CONVERTED = new Set(['autoscale', 'build-lists', 'slidenumbers', 'footer']);

const DECKSET_SETTING = /^([a-z][\w-]*)[ \t]*:[ \t]*(.*)$/i;

/** Deckset's settings: the `key: value` lines the deck opens with (from `first`, up to a blank line). */
function readDecksetSettings(lines: readonly string[], first: number): Map<string, string> {
  const settings = new Map<string, string>();
  for (let i = first - 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      if (settings.size === 0) continue;
      break;
    }
    const pair = DECKSET_SETTING.exec(line.trim());
    if (pair === null) break;
    settings.set((pair[1] ?? '').toLowerCase(), (pair[2] ?? '').trim().toLowerCase());
  }
  return settings;
}

/** Whether `at` in Markdown `text` is inside a fenced code block (an odd number of fence lines before it). */
function insideFence(text: string, at: number): boolean {
  const fences = text.slice(0, at).match(/^ {0,3}(?:```|~~~)/gm);
  return (fences?.length ?? 0) % 2 === 1;
}

/** Whether these lines leave a `<style>`/`<script>` element, a comment or a code fence open. */
function openBlock(lines: readonly string[]): boolean {
  const text = lines.join('\n');
  const count = (pattern: RegExp) => text.match(pattern)?.length ?? 0;
  return (
    count(/<style[\s>]/gi) > count(/<\/style>/gi) ||
    count(/<script[\s>]/gi) > count(/<\/script>/gi) ||
    count(/<!--/g) > count(/-->/g) ||
    count(/^ {0,3}(?:```|~~~)/gm) % 2 === 1
  );
}

/** Marks the lines of `token` and, inside a block the dialect made (columns, clicks), of each block in it. */
function markDeep(covered: Set<number>, token: SlideToken): void {
  mark(covered, token);
  const inner =
    (token as { type: string; tokens?: SlideToken[] }).type === 'container' ? (token as { tokens?: SlideToken[] }).tokens : undefined;
  for (const child of inner ?? []) markDeep(covered, child);
}

/** Marks the source lines `token` was written on. */
function mark(covered: Set<number>, token: SlideToken): void {
  // A blank-space token's position is the end of the line before it: it covers no line.
  if (typeof token.line !== 'number' || token.raw.trim() === '') return;
  const lines = token.raw.replace(/\n+$/, '').split('\n').length;
  for (let i = 0; i < lines; i++) covered.add(token.line + i);
}

/** Offset of `inner` (by its line and column) in `block`'s raw text. */
function offsetIn(block: SlideToken, inner: SlideToken): number | undefined {
  if (typeof inner.line !== 'number' || typeof inner.column !== 'number') return undefined;
  const lines = block.raw.split('\n');
  const index = inner.line - block.line;
  if (index < 0 || index >= lines.length) return undefined;
  let offset = 0;
  for (let i = 0; i < index; i++) offset += (lines[i]?.length ?? 0) + 1;
  offset += index === 0 ? inner.column - block.column : inner.column - 1;
  if (offset < 0 || block.raw.slice(offset, offset + inner.raw.length) !== inner.raw) return undefined;
  return offset;
}

function applyEdits(raw: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.from - a.from);
  let out = raw;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.to > limit) continue;
    out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
    limit = edit.from;
  }
  return out;
}

/** `decodeURI`, or the text as written when it is not valid percent-encoding. */
function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function splitHref(href: string): [string, string] {
  const at = href.search(/[?#]/);
  return at < 0 ? [href, ''] : [href.slice(0, at), href.slice(at)];
}

/** Text inside an HTML comment: `--` would end or break it. */
function commentSafe(text: string): string {
  return text.replace(/--/g, '- -');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
