/**
 * Mistakes that would otherwise pass silently: Markdown the lexer reads differently from what the
 * author meant (an unclosed comment or `:::` container, a misspelt notes marker). Each becomes a
 * warning at the line and column where the author can fix it.
 */
import type { Token, Tokens } from 'marked';
import { distance } from 'fastest-levenshtein';
import type { Diagnostic } from '../types.js';
import { isUnclosedCommentToken } from '../markdown/comments.js';
import type { LocatedToken } from './slides.js';

export interface Place {
  line: number;
  column: number;
}

/** `line` and `column`: where the token's source starts. */
type Visit = (token: Token, line: number, column: number) => void;

/**
 * Visits every token, nested ones included, with the line and column where its source starts
 * (given to each token by src/markdown/positions.ts when the deck was lexed; a token without
 * them gets its parent's).
 */
export function walkLocated(located: readonly LocatedToken[], visit: Visit): void {
  for (let i = 0; i < located.length; i++) {
    const { token, line } = located[i] as LocatedToken;
    walk(token, line, 1, visit);
  }
}

// Index loops, not for…of: this runs over every token of a deck, mostly unoptimized, where
// for…of allocates an iterator result per step; and no Place object per token (positionOf makes
// one): the visitor rarely needs one.
function walk(token: Token, parentLine: number, parentColumn: number, visit: Visit): void {
  const at = token as Partial<Place>;
  const placed = typeof at.line === 'number' && typeof at.column === 'number';
  const line = placed ? (at.line as number) : parentLine;
  const column = placed ? (at.column as number) : parentColumn;
  visit(token, line, column);
  const generic = token as Tokens.Generic;
  const children = generic.tokens as Token[] | null | undefined;
  if (children !== undefined && children !== null)
    for (let i = 0; i < children.length; i++) walk(children[i] as Token, line, column, visit);
  const items = generic['items'] as Token[] | null | undefined;
  if (items !== undefined && items !== null) for (let i = 0; i < items.length; i++) walk(items[i] as Token, line, column, visit);
}

/** The place of `offset` inside a source that starts at `start`. */
export function offsetPlace(raw: string, offset: number, start: Place): Place {
  const before = raw.slice(0, offset);
  const newlines = before.split('\n').length - 1;
  if (newlines === 0) return { line: start.line, column: start.column + offset };
  return { line: start.line + newlines, column: offset - before.lastIndexOf('\n') };
}

const CONTAINER_OPENER = /^( {0,3}):{3,}[ \t]*([A-Za-z][\w-]*)/;
const CONTAINER_CLOSER = /^ {0,3}:{3,}[ \t]*$/;
/** `Note:`/`Notes:` as written by other tools, or misspelt; never words that mean something else. */
const LABEL = /^([ \t]*)([A-Za-z][A-Za-z ]{0,20}?)[ \t]*:/;
const NOTES_PHRASES = new Set(['speaker notes', 'speaker note', 'presenter notes', 'presenter note', 'notes for speaker']);
const REAL_WORDS = new Set([
  'node',
  'nodes',
  'nose',
  'noses',
  'none',
  'nope',
  'not',
  'vote',
  'votes',
  'tote',
  'totes',
  'mote',
  'motes',
  'rote',
  'noted',
  'nite',
  'nate',
  'notre',
  'nota',
  'onto',
]);

/** Transpositions count as one edit: `Noets` is one slip from `Notes`. */
function nearNotes(label: string): boolean {
  for (const target of ['note', 'notes']) {
    if (distance(label, target) <= 1) return true;
    if (label.length === target.length && distance(label, target) === 2) {
      const diff = [...label].flatMap((c, i) => (c === target[i] ? [] : [i]));
      const [a, b] = diff;
      if (diff.length === 2 && a !== undefined && b === a + 1 && label[a] === target[b] && label[b] === target[a]) return true;
    }
  }
  return false;
}

/** A paragraph that starts like a notes marker but is not one, so it is shown on the slide. */
export function notesMarkerWarning(paragraphRaw: string, line: number, file: string | undefined): Diagnostic | undefined {
  const match = LABEL.exec(paragraphRaw);
  const label = match?.[2]?.trim();
  if (match === null || label === undefined) return undefined;
  const lower = label.toLowerCase();
  const nearMiss = NOTES_PHRASES.has(lower) || (/^[a-z]+$/.test(lower) && !REAL_WORDS.has(lower) && nearNotes(lower));
  // `Note :` (a space before the colon) also misses the marker.
  const spaced = /^notes?$/.test(lower) && !/^[ \t]*notes?:/i.test(paragraphRaw);
  if (!nearMiss && !spaced) return undefined;
  const indent = match[1]?.length ?? 0;
  return {
    severity: 'warning',
    code: 'notes-marker',
    message: `"${paragraphRaw.slice(indent, match[0].length)}" is not a speaker-notes marker, so this paragraph is shown on the slide; did you mean "Note:"?`,
    line,
    column: indent + 1,
    ...(file === undefined ? {} : { file }),
  };
}

export function headingInNotesWarning(line: number, marker: { line: number; text: string }, file: string | undefined): Diagnostic {
  return {
    severity: 'warning',
    code: 'heading-in-notes',
    message: `this heading is in the speaker notes that "${marker.text}" on line ${marker.line} starts, so it is not shown; a heading in the notes usually means a missing "---" before it`,
    line,
    column: 1,
    ...(file === undefined ? {} : { file }),
  };
}

/** Warnings about comments and containers anywhere in the slide tokens. */
export function findMistakes(located: readonly LocatedToken[], file: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const add = (code: Diagnostic['code'], place: Place, message: string) => {
    const key = `${code}:${place.line}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push({ severity: 'warning', code, message, line: place.line, column: place.column, ...(file === undefined ? {} : { file }) });
  };
  // Each mistake is in a token whose text holds `<!--` or `:::`, and so does the text of every
  // block around it (a child's text is its parent's with line markers cut off): blocks without
  // either are not walked into, which leaves most of a deck's tokens unvisited.
  const suspects = located.filter(({ token }) => token.raw.includes('<!--') || token.raw.includes(':::'));
  walkLocated(suspects, (token, line, column) => {
    if (isUnclosedCommentToken(token)) {
      const indent = /^ */.exec(token.raw)?.[0].length ?? 0;
      add('unclosed-comment', { line, column: column + indent }, unclosedMessage(token.raw));
    } else if (token.type === 'text' && (token as Tokens.Text).tokens === undefined && token.raw.includes('<!--')) {
      // The inline lexer reads a comment only when it is closed within the paragraph.
      add(
        'unclosed-comment',
        offsetPlace(token.raw, token.raw.indexOf('<!--'), { line, column }),
        'this "<!--" is never closed within its paragraph, so it is shown as text; add "-->" where the comment should end (or write "\\<!--" to show it on purpose)',
      );
    } else if (
      (token.type === 'paragraph' || (token.type === 'text' && (token as Tokens.Text).tokens !== undefined)) &&
      token.raw.includes(':::')
    ) {
      // Both patterns need a ":::": most paragraphs have none and are not split.
      token.raw.split('\n').forEach((text, i) => {
        const where = { line: line + i, column: (i === 0 ? column : 1) + (/^ */.exec(text)?.[0].length ?? 0) };
        if (CONTAINER_CLOSER.test(text)) {
          add(
            'stray-container-close',
            where,
            'this ":::" closes no "::: name" block, so it is shown as text; remove it, or add the opening line it was meant to close',
          );
        }
        const opener = CONTAINER_OPENER.exec(text);
        if (opener === null) return;
        add(
          'unclosed-container',
          where,
          `"::: ${opener[2] ?? ''}" opened here is never closed, so it is shown as text; add a ":::" line where the block ends`,
        );
      });
    }
  });
  return out;
}

function unclosedMessage(raw: string): string {
  const hidden = raw.trim().slice(4).replace(/\s+/g, ' ').trim();
  const quoted = hidden === '' ? '' : ` ("${hidden.length > 40 ? `${hidden.slice(0, 40)}…` : hidden}")`;
  return `this "<!--" comment is never closed: decksmith hides it only up to the next blank line${quoted} and shows the rest, but add "-->" where the comment should end`;
}
