/**
 * What changed between two builds of a page, worked out on the server so the open pages need not
 * fetch and compare the whole new page: the slides whose contents changed, with their new HTML,
 * pushed in the update message itself (client.ts applies them).
 *
 * A page is split into its slides' contents and everything else (the frame: head, stylesheet
 * links, scripts, the slides' own opening tags and the stacks around them). A patch exists only
 * when the frame is the same in both builds; anything else (a slide added, a slide's attributes,
 * the head) is left to the client's slower path, which reloads when it must.
 *
 * The split reads `<section>` tags as text. It refuses (no patch) whenever that could misread the
 * page: a section tag inside a comment or a raw-text element (script, style, textarea, ...),
 * sections nested deeper than a stack, unbalanced tags. The client checks the shape against its
 * live slides too.
 */

/** A page split into the frame and its slides' contents, in document order. */
interface SlideSplit {
  /** The page with every slide's contents cut out. */
  frame: string;
  /** Per top-level section: 0 for a slide, n for a stack of n slides. */
  shape: number[];
  /** Each slide's contents (between its opening and closing tag), in document order. */
  contents: string[];
}

export interface SlidePatch {
  /** Per top-level section: 0 for a slide, n for a stack of n slides (the client checks its own). */
  shape: number[];
  /** The slides whose contents changed: their position in document order, and their new contents. */
  slides: { at: number; html: string }[];
}

/** An opening or closing section tag; quoted attribute values may hold `>`. */
const SECTION_TAG = /<(\/?)section\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
/**
 * Text the HTML parser does not read as tags (comments, raw-text elements): a section tag in it
 * is not a section, so a page with one is not split.
 */
const NOT_MARKUP =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<(script|style|textarea|title|xmp|noembed|noframes|noscript|plaintext)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;

/** The page's slides and frame; undefined when the page is not one this can split safely. */
export function splitSlides(html: string): SlideSplit | undefined {
  const shape: number[] = [];
  const contents: string[] = [];
  const frame: string[] = [];
  let copied = 0;
  let depth = 0;
  // Per open section: where its contents start, and how many sections it holds directly.
  const open: { start: number; children: number }[] = [];
  let first = -1;
  let last = -1;
  for (const match of html.matchAll(SECTION_TAG)) {
    const at = match.index;
    if (first < 0) first = at;
    if (match[1] === '') {
      if (depth >= 2) return undefined;
      const parent = open[open.length - 1];
      if (parent !== undefined) parent.children += 1;
      open.push({ start: at + match[0].length, children: 0 });
      depth += 1;
      continue;
    }
    const closing = open.pop();
    if (closing === undefined) return undefined;
    depth -= 1;
    // A slide: the innermost section (a top-level one without children, or one in a stack).
    if (closing.children === 0) {
      frame.push(html.slice(copied, closing.start));
      contents.push(html.slice(closing.start, at));
      copied = at;
    }
    if (depth === 0) shape.push(closing.children);
    last = at + match[0].length;
  }
  if (depth !== 0 || first < 0) return undefined;
  for (const text of html.slice(first, last).matchAll(NOT_MARKUP)) if (/<\/?section\b/i.test(text[0])) return undefined;
  frame.push(html.slice(copied));
  return { frame: frame.join('\u0000'), shape, contents };
}

/**
 * The slides to replace to turn a page showing `before` into `after`; undefined when the change
 * is more than slide contents (or either page cannot be split), so the client must compare or
 * reload. An empty list: the slides are the same.
 */
export function slidePatch(before: string, after: string): SlidePatch | undefined {
  const a = splitSlides(before);
  const b = splitSlides(after);
  if (a === undefined || b === undefined || a.frame !== b.frame) return undefined;
  const slides: { at: number; html: string }[] = [];
  b.contents.forEach((html, at) => {
    if (a.contents[at] !== html) slides.push({ at, html });
  });
  return { shape: b.shape, slides };
}
