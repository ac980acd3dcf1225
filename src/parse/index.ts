/**
 * parseDeck(source) → Deck. Pure: no file system, no browser, no global state.
 */
import type { Token, Tokens } from 'marked';
import { closest } from 'fastest-levenshtein';
import { InputError } from '../errors.js';
import { LAYOUTS, type Deck, type Diagnostic, type LayoutName, type ParseOptions, type Slide } from '../types.js';
import { validateConfig } from './config.js';
import { isContainer } from '../markdown/containers.js';
import { isLayout, readComment, type Directives } from '../markdown/directives.js';
import { splitFrontMatter } from './front-matter.js';
import { MAX_NESTING, nestingCapLines } from '../markdown/bounded-lexer.js';
import { lexDocument, plainText } from '../markdown/lexer.js';
import { findMistakes, headingInNotesWarning, notesMarkerWarning } from './mistakes.js';
import {
  countNewlines,
  hasContent,
  isHtmlComment,
  locateTokens,
  setextDashLine,
  splitSegments,
  trimNewlines,
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
  const { config, diagnostics: configDiagnostics } = validateConfig(front.frontMatter, file);
  diagnostics.push(...configDiagnostics);

  const allLines = text.split('\n');
  const lastLine = text.endsWith('\n') ? allLines.length - 1 : allLines.length;
  const body = allLines.slice(front.lineCount).join('\n');
  const firstLine = front.lineCount + 1;

  const { tokens, lexer } = lexOrExplain(() => lexDocument(body), text, file);
  for (const line of nestingCapLines(lexer.capped)) {
    diagnostics.push({
      severity: 'warning',
      code: 'too-deeply-nested',
      message: `lists, blockquotes or ::: blocks nest deeper than ${MAX_NESTING} levels here; what is nested deeper is shown as plain text. Nest fewer levels`,
      ...at(firstLine + line),
    });
  }
  const located = locateTokens(tokens, firstLine);
  for (const item of located) {
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

  const segments = splitSegments(located, firstLine, Math.max(lastLine, firstLine - 1), config);
  const slides: Slide[] = [];
  for (const segment of segments) {
    if (!hasContent(segment.tokens)) {
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
    slides.push(buildSlide(segment, slides, diagnostics, file));
  }
  inferLayouts(slides, segments.filter((s) => hasContent(s.tokens)));

  if (slides.length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'empty-deck',
      message: 'the deck has no slides; write some Markdown after the front matter',
      ...at(Math.max(1, firstLine)),
    });
  }
  const title = config.title ?? slides[0]?.title ?? '';
  const configLines = Object.fromEntries(front.frontMatter?.keyLines ?? []);
  return { ...(file === undefined ? {} : { file }), config, configLines, title, slides, diagnostics };
}

/**
 * marked recurses once per nesting level; thousands of nested quotes or lists exhaust the stack.
 * That is the input's doing, so it becomes an InputError pointing at the most deeply nested line.
 */
/** Nesting this deep is what exhausts the lexer's stack; less than this, something else did. */
const MANY_LEVELS = 100;

export function lexOrExplain<T>(lex: () => T, text: string, file: string | undefined, firstLine = 1): T {
  try {
    return lex();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const lines = text.split('\n');
    const depth = (line: string) => /^(?:\s*(?:>|[-*+]|\d+[.)])\s?)*/.exec(line)?.[0].replace(/\s/g, '').length ?? 0;
    let deepest = 0;
    let longest = 0;
    lines.forEach((line, i) => {
      if (depth(line) > depth(lines[deepest] ?? '')) deepest = i;
      if (line.length > (lines[longest]?.length ?? 0)) longest = i;
    });
    // The other way to exhaust the stack: a line of millions of characters, which the Markdown
    // lexer's regular expressions cannot scan.
    const longLine = lines[longest]?.length ?? 0;
    if (depth(lines[deepest] ?? '') < MANY_LEVELS && longLine > 100_000) {
      throw new InputError('line-too-long', `this line is too long to render (${longLine.toLocaleString('en')} characters)`, {
        file,
        line: firstLine + longest,
        hint: 'Break it into shorter lines: the lines of a paragraph are joined when it is shown.',
        cause: error,
      });
    }
    throw new InputError('too-deeply-nested', 'this line nests quotes or lists too deeply to render', {
      file,
      line: firstLine + deepest,
      hint: 'Nest blockquotes and lists a few levels at most.',
      cause: error,
    });
  }
}

function blank(raw: string): string {
  return '\n'.repeat(countNewlines(raw));
}

function buildSlide(
  segment: Segment,
  previous: readonly Slide[],
  diagnostics: Diagnostic[],
  file: string | undefined,
): Slide {
  const directives: Directives = { classes: [], fit: false, attributes: {} };
  let layoutLine: number | undefined;
  const kept: string[] = [];
  const notes: string[] = [];
  let notesMarker: { line: number; text: string } | undefined;
  let headingInNotes = false;
  for (const item of segment.tokens) {
    const { token } = item;
    if (notesMarker !== undefined) {
      if (token.type === 'heading' && !headingInNotes) {
        headingInNotes = true;
        diagnostics.push(headingInNotesWarning(item.line, notesMarker, file));
      }
      notes.push(token.raw);
      continue;
    }
    if (token.type === 'paragraph' && NOTES_PARAGRAPH.test(token.raw)) {
      notesMarker = { line: item.line, text: (NOTES_PARAGRAPH.exec(token.raw)?.[0] ?? '').trim() };
      notes.push(token.raw.replace(NOTES_PARAGRAPH, ''));
      continue;
    }
    const nearMiss = token.type === 'paragraph' ? notesMarkerWarning(token.raw, item.line, file) : undefined;
    if (nearMiss !== undefined) diagnostics.push(nearMiss);
    if (isContainer(token) && token.name === 'notes') {
      notes.push(`${trimNewlines(token.raw).split('\n').slice(1, -1).join('\n')}\n\n`);
      kept.push(blank(token.raw));
      continue;
    }
    if (isHtmlComment(token)) {
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
  const firstToken = segment.tokens[0];
  return {
    index: previous.length,
    h,
    v,
    title: slideTitle(segment.tokens),
    layout,
    layoutExplicit,
    lines: trimRange(segment),
    markdown,
    markdownLine: firstToken?.line ?? segment.startLine,
    notes: notes.join('').trim(),
    classes: [...new Set(directives.classes)],
    ...(directives.background === undefined ? {} : { background: directives.background }),
    fit: directives.fit,
    ...(directives.footer === undefined ? {} : { footer: directives.footer }),
    attributes: directives.attributes,
  };
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
function contentTokens(segment: Segment): Token[] {
  const out: Token[] = [];
  for (const { token } of segment.tokens) {
    if (token.type === 'paragraph' && NOTES_PARAGRAPH.test(token.raw)) break;
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
function inferLayouts(slides: Slide[], segments: readonly Segment[]): void {
  slides.forEach((slide, i) => {
    if (slide.layoutExplicit) return;
    const segment = segments[i];
    if (segment === undefined) return;
    const content = contentTokens(segment);
    const kinds = content.map((t) => t.type);
    const headings = content.filter((t) => t.type === 'heading');
    const rest = content.filter((t) => t.type !== 'heading');
    if (content.some((t) => isContainer(t) && (t.name === 'column' || t.name === 'col'))) slide.layout = 'compare';
    else if (i === 0 && kinds[0] === 'heading' && content.length <= 5 && rest.every((t) => t.type === 'paragraph'))
      slide.layout = 'title';
    else if (i === slides.length - 1 && i > 0 && /^(thank|questions|q\s*&\s*a\b|the end\b)/i.test(slide.title))
      slide.layout = 'closing';
    else if (content.length > 0 && rest.length === 0 && headings.length <= 2) slide.layout = 'section';
    else if (rest.length === 1 && rest[0]?.type === 'blockquote' && headings.length <= 1) slide.layout = 'quote';
    else if (rest.length === 1 && rest[0] !== undefined && isImageParagraph(rest[0]) && headings.length <= 1) slide.layout = 'image';
  });
}
