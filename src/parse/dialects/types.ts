/**
 * What a dialect changes in how a slide is read. Each tool's rules live in their own file here;
 * parse/index.ts asks `rulesFor(dialect)` and applies them, so a later slice adds a rule by
 * adding a field here and setting it in the tools that have it.
 */
import type { Token } from 'marked';

/** Where a block's note text starts in its raw text, or undefined when the block is no note. */
export type NoteStart = (token: Token) => number | undefined;

export interface DialectRules {
  /** `Note:` / `Notes:` / `notes:` paragraphs open the notes, to the slide's end (reveal.js). */
  notesParagraph: boolean;
  /** A block that opens the notes, which then run to the slide's end (remark's `???`). */
  notesOpener?: NoteStart;
  /** A block that is a note by itself; the slide goes on after it (Deckset's `^ ` paragraphs). */
  noteBlock?: NoteStart;
  /**
   * Which HTML comments are notes: none (they stay hidden), every one that is not a directive
   * (Marp), or the one that ends the slide (Slidev).
   */
  commentNotes: 'none' | 'all' | 'last';
  /** For `commentNotes: 'all'`: a comment body that is a directive, not a note. */
  isDirectiveComment?: (body: string) => boolean;
  /**
   * A block the dialect shows otherwise than where it stands (Marp's directive comments, `<style>`
   * blocks and `![bg]` paragraphs): it leaves the slide's tokens and counts for no layout; the
   * dialect's own pass reads it from the slide's segment.
   */
  hiddenBlock?: (token: Token) => boolean;
  /** The tool has no layouts (Marp): every slide is `default` unless a `layout:` directive says otherwise. */
  noLayoutInference?: boolean;
  /** The tool has no vertical slides (Marp): a rule of four dashes opens the next slide, as `---` does. */
  noVerticalSlides?: boolean;
}
