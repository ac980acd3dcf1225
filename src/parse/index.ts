/**
 * parseDeck(source) → Deck. Pure: no file system, no browser, no global state.
 */
import type { Token, Tokens } from 'marked';
import { closest } from 'fastest-levenshtein';
import { LAYOUTS, type Deck, type Diagnostic, type LayoutName, type ParseOptions, type Slide, type SlideToken } from '../types.js';
import { validateConfig } from './config.js';
import { chooseDialect, frontMatterKeys, isDialect } from './dialect.js';
import { rulesFor, type DialectRules } from './dialects/index.js';
import { isContainer } from '../markdown/containers.js';
import { isLayout, readComment, type Directives } from '../markdown/directives.js';
import { splitFrontMatter } from './front-matter.js';
import { MAX_NESTING, nestingCapLines, type BoundedLexer } from '../markdown/bounded-lexer.js';
import { explainingOverflow } from '../markdown/explain.js';
import { createMarked, lexDocument, plainText } from '../markdown/lexer.js';
import { locate, shiftedPlace, textPlace, type Place } from '../markdown/positions.js';
import { countNewlines, trimNewlines } from '../markdown/text.js';
import { findMistakes, headingInNotesWarning, notesMarkerWarning } from './mistakes.js';
import { breakLines, type SeparatorProblem } from './dialects/separators.js';
import { applyMarp, isMarpInvisible, marpDividers, withoutMarpKeyWarnings } from './dialects/marp-directives.js';
import { applyDeckset } from './dialects/deckset.js';
import { applySlidevProperties, isHidden, slidevClicks } from './dialects/slidev.js';
import { slidevSplit } from './dialects/slidev-split.js';
import { applyRemarkProperties, remarkSegments } from './dialects/remark-slides.js';
import { remarkSpans } from './dialects/remark-spans.js';
import { levelSplit, slideLevel, takePercentBlock, titleSlide, withTitleBlock, type TitleBlock } from './dialects/pandoc.js';
import { attachSlidevProperties, importSlides } from './dialects/slidev-imports.js';
import {
  cutAtBreaks,
  hasContent,
  isHtmlComment,
  locateTokens,
  setextDashLine,
  splitSegments,
  unclosedFence,
  type LocatedToken,
  type Segment,
} from './slides.js';

/** CRLF and lone CR become LF; a leading BOM is dropped. Line numbers do not change. */
export function normalizeSource(source: string): string {
  return source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

const NOTES_PARAGRAPH = /^\s*notes?:[ \t]*/i;

export function parseDeck(source: string, options: ParseOptions = {}): Deck {
  const file = options.file;
  const text = normalizeSource(source);
  const diagnostics: Diagnostic[] = [];
  const at = (line: number) => ({ line, ...(file === undefined ? {} : { file }) });

  const front = splitFrontMatter(text, file);
  diagnostics.push(...front.diagnostics);
  // The dialect comes first: in another tool's dialect that tool's front-matter values are warnings.
  const written = front.frontMatter?.data['dialect'];
  const frontKeys = frontMatterKeys(text);
  const dialect = chooseDialect(text, frontKeys, options.dialect, isDialect(written) ? written : undefined, options.toolFiles);
  const { config, diagnostics: configDiagnostics } = validateConfig(front.frontMatter, file, dialect.name);
  diagnostics.push(...configDiagnostics);
  const rules = rulesFor(dialect.name);
  if (dialect.name === 'marp')
    diagnostics.splice(0, diagnostics.length, ...withoutMarpKeyWarnings(diagnostics, front.frontMatter?.keyLines));

  // The lines `text.split('\n')` would give: their count, and the text after the front matter's
  // lines (the rest of the text, from after its lineCount-th newline).
  const lineCount = countNewlines(text) + 1;
  const lastLine = text.endsWith('\n') ? lineCount - 1 : lineCount;
  const firstLine = front.lineCount + 1;
  let afterFront = 0;
  for (let n = 0; n < front.lineCount && afterFront <= text.length; n++) {
    const newline = text.indexOf('\n', afterFront);
    afterFront = newline < 0 ? text.length + 1 : newline + 1;
  }
  const rest = afterFront > text.length ? '' : text.slice(afterFront);
  // Slidev's per-slide front matter is read (and blanked) before lexing: it is never Markdown.
  const slidevBlocks = dialect.name === 'slidev' ? slidevSplit(rest, firstLine, file, diagnostics) : undefined;
  const body = slidevBlocks?.text ?? rest;

  const markedOptions = createMarked().defaults;
  const place = textPlace(body, firstLine);
  const { tokens, lexer } = explainingOverflow(
    () => {
      const lexed = lexDocument(body, markedOptions);
      locate(lexed.tokens, body, place);
      return lexed;
    },
    text,
    file,
  );
  for (const line of nestingCapLines(lexer.capped)) {
    diagnostics.push({
      severity: 'warning',
      code: 'too-deeply-nested',
      message: `lists, blockquotes or ::: blocks nest deeper than ${MAX_NESTING} levels here; what is nested deeper is shown as plain text. Nest fewer levels`,
      ...at(firstLine + line),
    });
  }
  const problems: SeparatorProblem[] = [];
  const data = front.frontMatter?.data ?? {};
  const separatorOption = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const breaks =
    slidevBlocks?.breaks ??
    breakLines(
      dialect.name,
      body,
      firstLine,
      { separator: separatorOption('separator'), verticalSeparator: separatorOption('verticalSeparator') },
      problems,
    );
  if (dialect.name === 'pandoc') {
    // pandoc's slide-level is read here (dialects/pandoc.ts), so it is not "ignored".
    const used = front.frontMatter?.keyLines.get('slide-level');
    const kept = diagnostics.filter((d) => !(d.code === 'unknown-key' && d.line !== undefined && d.line === used));
    diagnostics.splice(0, diagnostics.length, ...kept);
  }
  if (dialect.name === 'reveal-md') {
    // reveal-md's own separator keys are read here, so they are not "ignored".
    const used = ['separator', 'verticalSeparator'].map((k) => front.frontMatter?.keyLines.get(k)).filter((l) => l !== undefined);
    const kept = diagnostics.filter((d) => !(d.code === 'unknown-key' && d.line !== undefined && used.includes(d.line)));
    diagnostics.splice(0, diagnostics.length, ...kept);
  }
  for (const problem of problems) {
    diagnostics.push({
      severity: 'warning',
      code: 'unsafe-separator',
      message: `the front matter's ${problem.key} is not used (${problem.reason}); reveal-md's default is used instead. Write a simpler pattern, such as "^---$"`,
      ...at(front.frontMatter?.keyLines.get(problem.key) ?? 1),
    });
  }
  const relex = (piece: string, offset: number, line: number): LocatedToken[] =>
    explainingOverflow(
      () => {
        const lexed = lexDocument(piece, markedOptions, lexer.tokens.links).tokens;
        locate(lexed, piece, shiftedPlace(place, offset));
        return locateTokens(lexed, line).map((item) => ({ ...item, offset: item.offset + offset }));
      },
      piece,
      file,
      line,
    );
  const located =
    breaks === undefined
      ? locateTokens(tokens, firstLine)
      : cutAtBreaks(locateTokens(tokens, firstLine), breaks, relex, dialect.name === 'slidev');
  // Index loops over tokens here and below, not for…of: unoptimized (as most of a build runs),
  // for…of makes an iterator result per step.
  for (let i = 0; i < located.length; i++) {
    const item = located[i] as LocatedToken;
    const dash = setextDashLine(item);
    if (dash !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'setext-separator',
        message:
          'this "---" directly under a line of text makes that line a heading (CommonMark setext heading), not a slide break; put a blank line before "---" to split the slide',
        ...at(dash),
      });
    }
    unclosedFence(item, diagnostics, file);
  }
  diagnostics.push(...findMistakes(located, file));

  const depths = dialect.name === 'marp' ? marpDividers(frontKeys.keys, located) : undefined;
  const dividers = depths === undefined ? undefined : { depths, invisible: isMarpInvisible };
  // pandoc: headings at the slide level start slides, unless the author chose split: themselves.
  const level = dialect.name === 'pandoc' && config.split === undefined ? levelSplit(slideLevel(located, data['slide-level'])) : undefined;
  const split = splitSegments(
    located,
    firstLine,
    Math.max(lastLine, firstLine - 1),
    level === undefined ? config : { split: level },
    breaks,
    dividers,
  );
  if (rules.noVerticalSlides === true) for (const segment of split) if (segment.opener === 'vertical') segment.opener = 'horizontal';
  const segments = dialect.name === 'remark' ? remarkSegments(split, rules, relex, file) : split;
  inheritIncrements(segments, rules);
  if (slidevBlocks !== undefined) attachSlidevProperties(segments, slidevBlocks.properties, front.frontMatter, file, diagnostics);
  const titleBlock = dialect.name === 'pandoc' ? pandocTitle(segments[0], front.lineCount, config, front.frontMatter?.keyLines) : undefined;
  const slides: Slide[] = [];
  /** The segment each slide was built from (undefined: imported from another file), for inferLayouts. */
  const built: (Segment | undefined)[] = [];
  for (const segment of segments) {
    if (dialect.name === 'slidev' && isHidden(segment.properties)) continue;
    if (dialect.name === 'slidev' && segment.properties !== undefined && typeof segment.properties.data['src'] === 'string') {
      const imported = importSlides(segment.properties, slides, diagnostics, options, parseDeck);
      if (imported !== undefined) {
        for (const slide of imported) {
          slides.push(slide);
          built.push(undefined);
        }
        continue;
      }
    }
    if (!hasContent(segment.tokens) && segment.properties === undefined && segment.inherited === undefined) {
      // What came before pandoc's first rule was its title block: that slide is the title slide.
      if (titleBlock !== undefined && segment === segments[0]) continue;
      // A separator with only blank lines on one side: the empty slide is left out, with a warning.
      const bySeparator = segment.separatorLine ?? (segment.closedBySeparator ? segment.endLine + 1 : undefined);
      // The front matter's own warning at line 1 already says what that first "---" is.
      const reported = diagnostics.some(
        (d) => d.line === bySeparator && (d.code === 'empty-slide' || d.code === 'unclosed-front-matter' || d.code === 'leading-separator'),
      );
      if (bySeparator !== undefined && !reported) {
        diagnostics.push({
          severity: 'warning',
          code: 'empty-slide',
          message: 'this separator leaves an empty slide, which is left out; remove the separator to silence this',
          ...at(bySeparator),
        });
      }
      continue;
    }
    const slide = buildSlide(segment, slides, diagnostics, { file, place, markedOptions, links: lexer.tokens.links, rules });
    if (dialect.name === 'slidev') slidevClicks(slide, diagnostics, file);
    if (dialect.name === 'slidev' && segment.properties !== undefined) applySlidevProperties(slide, segment.properties, diagnostics);
    if (dialect.name === 'remark' && segment.properties !== undefined) applyRemarkProperties(slide, segment.properties);
    if (dialect.name === 'remark') {
      remarkSpans(slide.tokens);
      remarkSpans(slide.notesTokens);
    }
    slides.push(slide);
    built.push(segment);
  }
  if (titleBlock !== undefined) {
    // pandoc's title slide comes first: a heading made of the title's text, lexed where it is written.
    const markdown = `# ${titleBlock.title}`;
    const titleLine = text.split('\n')[titleBlock.titleLine - 1] ?? '';
    const at = titleLine.indexOf(titleBlock.title);
    const written = at < 0 ? '' : titleBlock.title;
    const inline = lexDocument(`${titleBlock.title}\n`, markedOptions).tokens;
    locate(
      inline,
      `${titleBlock.title}\n`,
      at < 0 ? () => ({ line: titleBlock.titleLine, column: 1 }) : textPlace(titleBlock.title, titleBlock.titleLine, at + 1),
    );
    const paragraph = inline.find((t) => t.type === 'paragraph') as Tokens.Paragraph | undefined;
    // A title written over several YAML lines or with escapes is not found on its line: its tokens then claim no text.
    const children = (paragraph?.tokens ?? []).map((t) => (at < 0 ? { ...t, raw: '' } : t));
    const heading = {
      type: 'heading',
      depth: 1,
      raw: written,
      text: titleBlock.title,
      tokens: children,
      line: titleBlock.titleLine,
      column: at < 0 ? 1 : at + 1,
    };
    slides.unshift({ ...titleSlide(titleBlock, [heading as unknown as SlideToken], markdown), title: plainText(children) });
    // A `%` title is Markdown; the deck's title (<title>, PDF metadata) is its text.
    if (front.lineCount === 0) config.title = slides[0]?.title ?? titleBlock.title;
    built.unshift(undefined);
    slides.forEach((slide, i) => {
      slide.index = i;
      if (i > 0) slide.h += 1;
    });
  }
  if (rules.noLayoutInference !== true) inferLayouts(slides, built, rules);
  const configLines = Object.fromEntries(front.frontMatter?.keyLines ?? []);
  let styles: Deck['styles'];
  // Marp and Deckset decks have no imports or title slides: a segment for every slide.
  const slideSegments = built.filter((s): s is Segment => s !== undefined);
  if (dialect.name === 'marp') {
    styles = applyMarp({
      slides,
      segments: slideSegments,
      front: frontKeys.keys,
      frontData: data,
      config,
      configLines,
      diagnostics,
      file,
    });
  } else if (dialect.name === 'deckset') {
    applyDeckset(slides, slideSegments, config);
  }

  if (slides.length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'empty-deck',
      message: 'the deck has no slides; write some Markdown after the front matter',
      ...at(Math.max(1, firstLine)),
    });
  }
  const title = config.title ?? slides[0]?.title ?? '';
  return {
    ...(file === undefined ? {} : { file }),
    config,
    configLines,
    title,
    slides,
    diagnostics,
    dialect,
    ...(styles === undefined || styles.length === 0 ? {} : { styles }),
  };
}

function blank(raw: string): string {
  return '\n'.repeat(countNewlines(raw));
}

/** What buildSlide needs from the whole document. */
interface SlideContext {
  file: string | undefined;
  /** Positions in the body the tokens were lexed from. */
  place: Place;
  /** The lexer options the body was lexed with (the notes are lexed alike). */
  markedOptions: ReturnType<typeof createMarked>['defaults'];
  /** The document's link definitions, for a block lexed again (trimSlideEnd). */
  links: Links;
  /** How the deck's dialect reads notes (src/parse/dialects). */
  rules: DialectRules;
}

type Links = BoundedLexer['tokens']['links'];

/**
 * The slide's tokens as its trimmed Markdown (`Slide.markdown`) reads: a slide ends at its last
 * visible character, so blank space after the last block goes, an HTML block loses its trailing
 * newlines, and a block whose last line ends in spaces is lexed again without them (they would
 * otherwise be written into the HTML).
 */
function trimSlideEnd(items: readonly LocatedToken[], context: SlideContext): SlideToken[] {
  let end = items.length;
  while (end > 0 && (items[end - 1]?.token.raw.trim() ?? '') === '') end--;
  const tokens = items.slice(0, end).map((item) => item.token);
  const last = items[end - 1];
  if (last === undefined) return tokens as SlideToken[];
  const raw = last.token.raw;
  const trimmed = raw.trimEnd();
  if (trimmed === trimNewlines(raw)) {
    if (last.token.type === 'html' && trimmed !== raw) tokens[end - 1] = { ...last.token, raw: trimmed, text: last.token.text.trimEnd() };
    return tokens as SlideToken[];
  }
  const relexed = explainingOverflow(
    () => {
      const lexed = lexDocument(trimmed, context.markedOptions, context.links).tokens;
      locate(lexed, trimmed, shiftedPlace(context.place, last.offset));
      return lexed;
    },
    trimmed,
    context.file,
    last.line,
  );
  tokens.splice(end - 1, 1, ...relexed);
  return tokens as SlideToken[];
}

/** A piece of a slide's notes: its text, and where that text was written. */
interface NotesPiece {
  text: string;
  place: Place;
}

function buildSlide(segment: Segment, previous: readonly Slide[], diagnostics: Diagnostic[], context: SlideContext): Slide {
  const { file } = context;
  const directives: Directives = { classes: [], fit: false, attributes: {} };
  let layoutLine: number | undefined;
  const kept: string[] = [];
  const keptItems: LocatedToken[] = [];
  const notes: NotesPiece[] = [];
  const at = (offset: number) => shiftedPlace(context.place, offset);
  let notesMarker: { line: number; text: string } | undefined;
  let headingInNotes = false;
  const { rules } = context;
  const lastComment = rules.commentNotes === 'last' ? endingComment(segment.tokens) : undefined;
  const all = segment.inherited === undefined ? segment.tokens : [...segment.inherited, ...segment.tokens];
  for (let i = 0; i < all.length; i++) {
    const item = all[i] as LocatedToken;
    const { token } = item;
    if (notesMarker !== undefined) {
      if (token.type === 'heading' && !headingInNotes && rules.notesParagraph) {
        headingInNotes = true;
        diagnostics.push(headingInNotesWarning(item.line, notesMarker, file));
      }
      notes.push({ text: token.raw, place: at(item.offset) });
      continue;
    }
    const opener = rules.notesOpener?.(token);
    if (opener !== undefined) {
      notesMarker = { line: item.line, text: token.raw.slice(0, opener) };
      notes.push({ text: token.raw.slice(opener), place: at(item.offset + opener) });
      continue;
    }
    const noteAt = rules.noteBlock?.(token);
    if (noteAt !== undefined) {
      notes.push({ text: `${token.raw.slice(noteAt).trimEnd()}\n\n`, place: at(item.offset + noteAt) });
      kept.push(blank(token.raw));
      continue;
    }
    if (rules.notesParagraph && token.type === 'paragraph' && NOTES_PARAGRAPH.test(token.raw)) {
      notesMarker = { line: item.line, text: (NOTES_PARAGRAPH.exec(token.raw)?.[0] ?? '').trim() };
      const rest = token.raw.replace(NOTES_PARAGRAPH, '');
      notes.push({ text: rest, place: at(item.offset + token.raw.length - rest.length) });
      continue;
    }
    const nearMiss = token.type === 'paragraph' && rules.notesParagraph ? notesMarkerWarning(token.raw, item.line, file) : undefined;
    if (nearMiss !== undefined) diagnostics.push(nearMiss);
    if (isContainer(token) && token.name === 'notes') {
      const inner = trimNewlines(token.raw).split('\n').slice(1, -1).join('\n');
      notes.push({ text: `${inner}\n\n`, place: at(item.offset + token.raw.indexOf('\n') + 1) });
      kept.push(blank(token.raw));
      continue;
    }
    if (rules.hiddenBlock?.(token) === true) {
      kept.push(blank(token.raw));
      continue;
    }
    if (isHtmlComment(token)) {
      const note = commentNote(token, rules, item === lastComment);
      if (note !== undefined) {
        notes.push({ text: `${note.text}\n\n`, place: at(item.offset + note.start) });
        kept.push(blank(token.raw));
        continue;
      }
      const reading = readComment(token.raw);
      if (reading.kind === 'directives') {
        const v = reading.values;
        if (v.layout !== undefined) {
          directives.layout = v.layout;
          layoutLine = item.line;
        }
        if (v.background !== undefined) directives.background = v.background;
        if (v.transition !== undefined) directives.transition = v.transition;
        if (v.fit === true) directives.fit = true;
        if (v.footer !== undefined) directives.footer = v.footer;
        if (v.classes !== undefined) directives.classes.push(...v.classes);
        if (v.attributes !== undefined) Object.assign(directives.attributes, v.attributes);
        kept.push(blank(token.raw));
        continue;
      }
      if (reading.suspicious !== undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'unknown-directive',
          message: `"${reading.suspicious.key}" is not a slide directive, so this comment does nothing; did you mean "${reading.suspicious.suggestion}"?`,
          line: item.line,
          ...(file === undefined ? {} : { file }),
        });
      }
    }
    kept.push(token.raw);
    keptItems.push(item);
  }

  let layout: LayoutName = 'default';
  let layoutExplicit = false;
  if (directives.layout !== undefined) {
    if (isLayout(directives.layout)) {
      layout = directives.layout;
      layoutExplicit = true;
    } else {
      diagnostics.push({
        severity: 'warning',
        code: 'unknown-layout',
        message: `unknown layout "${directives.layout}"; did you mean "${closest(directives.layout, [...LAYOUTS])}"? The layout is inferred instead`,
        ...(layoutLine === undefined ? {} : { line: layoutLine }),
        ...(file === undefined ? {} : { file }),
      });
    }
  }
  if (directives.transition !== undefined) directives.attributes['data-transition'] = directives.transition;

  const prev = previous[previous.length - 1];
  const vertical = segment.opener === 'vertical' && prev !== undefined;
  const h = prev === undefined ? 0 : vertical ? prev.h : prev.h + 1;
  const v = vertical && prev !== undefined ? prev.v + 1 : 0;

  const markdown = kept.join('').trimEnd();
  const firstToken = all[0];
  const notesText = notes.map((piece) => piece.text).join('');
  const notesMarkdown = notesText.trim();
  return {
    index: previous.length,
    h,
    v,
    title: slideTitle(all),
    layout,
    layoutExplicit,
    lines: trimRange(segment),
    markdown,
    markdownLine: firstToken?.line ?? segment.startLine,
    tokens: trimSlideEnd(keptItems, context),
    notes: notesMarkdown,
    notesTokens: lexNotes(notesMarkdown, notes, notesText.length - notesText.trimStart().length, context),
    classes: [...new Set(directives.classes)],
    ...(directives.background === undefined ? {} : { background: directives.background }),
    fit: directives.fit,
    ...(directives.footer === undefined ? {} : { footer: directives.footer }),
    attributes: directives.attributes,
  };
}

/**
 * The notes' block tokens. The notes are the text of several tokens (the rest of a `Note:`
 * paragraph and what follows it, or the inside of a `::: notes` block) joined and trimmed, so
 * they are lexed as one text, as a reader of the notes sees them; each offset of that text is
 * placed back where its piece was written. `lead` is what trimming cut from the front.
 */
function lexNotes(markdown: string, pieces: readonly NotesPiece[], lead: number, context: SlideContext): SlideToken[] {
  if (markdown === '') return [];
  const starts: number[] = [];
  let offset = 0;
  for (const piece of pieces) {
    starts.push(offset);
    offset += piece.text.length;
  }
  const place: Place = (at) => {
    const target = at + lead;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= target) low = mid;
      else high = mid - 1;
    }
    const piece = pieces[low];
    return piece === undefined ? { line: 1, column: 1 } : piece.place(target - (starts[low] ?? 0));
  };
  return explainingOverflow(
    () => {
      const { tokens } = lexDocument(markdown, context.markedOptions);
      locate(tokens, markdown, place);
      return tokens as SlideToken[];
    },
    markdown,
    context.file,
    place(0).line,
  );
}

/**
 * remark's `--`: an incremental slide shows the slide before it (without its notes) and then its
 * own lines; the lines stay the increment's own, so each source line still has one slide.
 */
function inheritIncrements(segments: Segment[], rules: DialectRules): void {
  let previous: Segment | undefined;
  for (const segment of segments) {
    if (segment.opener === 'increment' && previous !== undefined) {
      const shown: LocatedToken[] = [];
      for (const item of previous.tokens) {
        if (rules.notesOpener?.(item.token) !== undefined) break;
        shown.push(item);
      }
      segment.inherited = [...(previous.inherited ?? []), ...shown];
    }
    previous = segment;
  }
}

const CLOSED_COMMENT = /^(\s*<!--)([\s\S]*?)-->\s*$/;

/** The slide's last block when it is a comment (Slidev's note), else undefined. */
function endingComment(tokens: readonly LocatedToken[]): LocatedToken | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const item = tokens[i];
    if (item === undefined || item.token.type === 'space') continue;
    return CLOSED_COMMENT.test(item.token.raw) ? item : undefined;
  }
  return undefined;
}

/**
 * A comment the dialect reads as a presenter note: its text (trimmed; the extra dashes of
 * `<!---` dropped) and where that text starts in the token.
 */
function commentNote(token: Token, rules: DialectRules, endsSlide: boolean): { text: string; start: number } | undefined {
  if (rules.commentNotes === 'none' || (rules.commentNotes === 'last' && !endsSlide)) return undefined;
  const match = CLOSED_COMMENT.exec(token.raw);
  if (match === null) return undefined;
  const body = match[2] ?? '';
  if (rules.isDirectiveComment?.(body) === true) return undefined;
  const text = body.replace(/^-+(?=\s)/, '');
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const start = (match[1] ?? '').length + (body.length - text.length) + (text.length - text.trimStart().length);
  return { text: trimmed, start };
}

/** The segment's lines; a final newline-only tail is not a line of its own. */
function trimRange(segment: Segment): [number, number] {
  return [segment.startLine, Math.max(segment.startLine, segment.endLine)];
}

function slideTitle(tokens: readonly LocatedToken[]): string {
  const walk = (list: readonly Token[]): string | undefined => {
    for (const token of list) {
      if (token.type === 'heading') return plainText((token as Tokens.Heading).tokens);
      if (isContainer(token) && token.name !== 'notes') {
        const inner = walk(token.tokens as Token[]);
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  };
  return walk(tokens.map((t) => t.token)) ?? '';
}

/** Visible, meaningful tokens: no blank space, link definitions, comments or notes. */
function contentTokens(segment: Segment, rules: DialectRules): Token[] {
  const out: Token[] = [];
  const all = segment.inherited === undefined ? segment.tokens : [...segment.inherited, ...segment.tokens];
  for (let i = 0; i < all.length; i++) {
    const token = (all[i] as LocatedToken).token;
    if (rules.notesParagraph && token.type === 'paragraph' && NOTES_PARAGRAPH.test(token.raw)) break;
    if (rules.notesOpener?.(token) !== undefined) break;
    if (rules.noteBlock?.(token) !== undefined || rules.hiddenBlock?.(token) === true) continue;
    if (token.type === 'space' || token.type === 'def' || isHtmlComment(token)) continue;
    if (isContainer(token) && token.name === 'notes') continue;
    out.push(token);
  }
  return out;
}

function isImageParagraph(token: Token): boolean {
  if (token.type !== 'paragraph') return false;
  const inline = ((token as Tokens.Paragraph).tokens ?? []).filter((t) => !(t.type === 'text' && t.raw.trim() === ''));
  return inline.length === 1 && inline[0]?.type === 'image';
}

/** Layout inference for slides without a `layout:` directive. */
function inferLayouts(slides: Slide[], segments: readonly (Segment | undefined)[], rules: DialectRules): void {
  slides.forEach((slide, i) => {
    if (slide.layoutExplicit) return;
    const segment = segments[i];
    if (segment === undefined) return;
    const content = contentTokens(segment, rules);
    const kinds = content.map((t) => t.type);
    const headings = content.filter((t) => t.type === 'heading');
    const rest = content.filter((t) => t.type !== 'heading');
    if (content.some((t) => isContainer(t) && (t.name === 'column' || t.name === 'col'))) slide.layout = 'compare';
    else if (i === 0 && kinds[0] === 'heading' && content.length <= 5 && rest.every((t) => t.type === 'paragraph')) slide.layout = 'title';
    else if (i === slides.length - 1 && i > 0 && /^(thank|questions|q\s*&\s*a\b|the end\b)/i.test(slide.title)) slide.layout = 'closing';
    else if (content.length > 0 && rest.length === 0 && headings.length <= 2) slide.layout = 'section';
    else if (rest.length === 1 && rest[0]?.type === 'blockquote' && headings.length <= 1) slide.layout = 'quote';
    else if (rest.length === 1 && rest[0] !== undefined && isImageParagraph(rest[0]) && headings.length <= 1) slide.layout = 'image';
  });
}

/**
 * pandoc's title slide: from a `%` title block at the top of a file without front matter (which
 * also fills the config's title, author and date), else from the metadata's `title:`.
 */
function pandocTitle(
  first: Segment | undefined,
  frontLines: number,
  config: Deck['config'],
  keyLines: ReadonlyMap<string, number> | undefined,
): (TitleBlock & { titleLine: number }) | undefined {
  const percent = frontLines === 0 ? takePercentBlock(first) : undefined;
  if (percent !== undefined) {
    withTitleBlock(config, percent);
    return { ...percent, titleLine: percent.lines[0] };
  }
  if (config.title === undefined || frontLines === 0) return undefined;
  return { title: config.title, lines: [1, frontLines], titleLine: keyLines?.get('title') ?? 1 };
}
