/**
 * Page scripts for exports that place what Chromium laid out elsewhere (PowerPoint shapes, PNG
 * files): the box of each block on each slide of reveal's print view, and the pages to capture.
 * Like page-scripts.ts, each function runs inside the page (puppeteer sends its source), so each
 * is self-contained.
 */

/** A box in slide pixels, relative to the slide's top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Block kinds as the slide's DOM shows them, in document order. */
export type BlockKind = 'heading' | 'paragraph' | 'list' | 'table' | 'code' | 'quote' | 'math' | 'svg' | 'rule' | 'image' | 'other';

/** The computed style a text box needs to look like the slide. */
export interface TextStyle {
  /** The first family of `font-family`, unquoted. */
  font: string;
  /** Every family of `font-family`, in order. */
  fonts: string[];
  /** Font size in CSS px. */
  size: number;
  /** `rgb(…)`/`rgba(…)` as computed. */
  color: string;
  bold: boolean;
  italic: boolean;
  align: string;
  /** Line height in CSS px (the font size × 1.2 for `normal`). */
  lineHeight: number;
  /** Background colour of the block itself (code blocks, table headers), as computed. */
  background: string;
  /** CSS `text-transform` (`uppercase` on a theme's labels): applied to the model's words. */
  transform: string;
}

export interface MeasuredBlock {
  kind: BlockKind;
  box: Box;
  style: TextStyle;
  /** 'ol' or 'ul' for lists; the heading level for headings. */
  tag: string;
  /** A `data-ds-shot` value set on the element, for those exported as pictures (math, svg, other). */
  shot?: string;
  /** For tables: each cell's box and style, row by row. */
  cells?: { box: Box; style: TextStyle; header: boolean }[][];
  /** The text Chromium shows, for messages about blocks that match no token. */
  text: string;
  /** The box of the first list item's text at each nesting level of a list, left to right. */
  indents?: number[];
  /** A list's marker when the theme gives a string (`list-style-type: "— "`): its first character. */
  marker?: string;
  /** For quotes: the style of the quote's text. */
  inner?: TextStyle;
  /** For code blocks: the highlighted text as Chromium paints it, run by run. */
  runs?: { text: string; color: string; bold: boolean; italic: boolean }[];
  /** Classes of the element (`ds-subtitle`, `ds-byline` mark the title slide's deck metadata). */
  classes: string;
}

export interface MeasuredImage {
  /** The `src` as the page resolved it (a file:// or data: URL). */
  src: string;
  box: Box;
  alt: string;
  /** The image's own pixel size. */
  natural: { w: number; h: number };
}

export interface MeasuredSlide {
  /** Reading-order index (`data-ds-index`). */
  index: number;
  /** The slide's background: a colour as computed and, when it has one, an image URL and its box. */
  background: { color: string; image?: string };
  /** The slide frame's default text style (for the footer and fallbacks). */
  base: TextStyle;
  blocks: MeasuredBlock[];
  images: MeasuredImage[];
  /** The footer's text and box, when the slide shows one. */
  footer?: { text: string; box: Box; style: TextStyle };
  /** The slide number as the page shows it, when the deck shows numbers. */
  number?: { text: string; box: Box; style: TextStyle };
  /** The font family of the slide's `code` elements (the theme's monospace), when it has any. */
  mono?: string;
  /** Boxes with a background colour or a top border (compare columns, `:::` blocks a theme styles), drawn under the text. */
  panels: {
    box: Box;
    fill: string;
    border: { color: string; width: number } | undefined;
    left: { color: string; width: number } | undefined;
    radius: number;
  }[];
  /** Whether the theme draws ornaments (pseudo-elements: accent bars, quote marks, title art) on the slide. */
  decorated: boolean;
  /** Effects the export cannot carry (`transform`, `filter`, gradients), with where they are. */
  effects: string[];
}

export interface MeasureLayoutArgs {
  /** Reading-order indices of the slides to measure. */
  indices: number[];
}

/**
 * Measures every block of the given slides as laid out in reveal's print view (fragments shown).
 * Blocks are the outermost headings, paragraphs, lists, tables, code blocks, quotes, display math
 * and SVG pictures under the slide's frame, in document order, descending into plain containers
 * (`:::` blocks, compare columns). Elements to be captured as pictures get `data-ds-shot`.
 */
export function measureLayout(args: MeasureLayoutArgs): MeasuredSlide[] {
  const styleOf = (element: Element): TextStyle => {
    const s = getComputedStyle(element);
    const fonts = s.fontFamily
      .split(',')
      .map((f) => f.trim().replace(/^["']|["']$/g, ''))
      .filter((f) => f !== '');
    const size = parseFloat(s.fontSize) || 16;
    const lh = parseFloat(s.lineHeight);
    return {
      font: fonts[0] ?? 'sans-serif',
      fonts,
      size,
      color: s.color,
      bold: Number(s.fontWeight) >= 600 || s.fontWeight === 'bold',
      italic: s.fontStyle === 'italic',
      align: s.textAlign,
      lineHeight: Number.isFinite(lh) ? lh : size * 1.2,
      background: s.backgroundColor,
      transform: s.textTransform,
    };
  };
  let shots = 0;
  const out: MeasuredSlide[] = [];
  const wanted = new Set(args.indices);
  for (const page of document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page')) {
    const section = page.querySelector<HTMLElement>('section[data-ds-index]');
    if (section === null) continue;
    const index = Number(section.dataset['dsIndex']);
    if (!wanted.has(index)) continue;
    const origin = page.getBoundingClientRect();
    const boxOf = (element: Element): Box => {
      const r = element.getBoundingClientRect();
      return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
    };
    const backgroundElement = page.querySelector<HTMLElement>('.slide-background .slide-background-content') ?? page;
    const bgStyle = getComputedStyle(backgroundElement);
    const bgOuter = getComputedStyle(page.querySelector<HTMLElement>('.slide-background') ?? page);
    let color = bgStyle.backgroundColor;
    if (color === 'rgba(0, 0, 0, 0)') color = bgOuter.backgroundColor;
    if (color === 'rgba(0, 0, 0, 0)') color = getComputedStyle(section).backgroundColor;
    if (color === 'rgba(0, 0, 0, 0)') color = getComputedStyle(document.body).backgroundColor;
    if (color === 'rgba(0, 0, 0, 0)') color = getComputedStyle(document.documentElement).backgroundColor;
    const background: MeasuredSlide['background'] = { color };
    const imageMatch = /url\(["']?([^"')]+)["']?\)/.exec(bgStyle.backgroundImage);
    if (imageMatch?.[1] !== undefined) background.image = imageMatch[1];
    const effects: string[] = [];
    if (background.image === undefined && /gradient\(/.test(bgStyle.backgroundImage + bgOuter.backgroundImage))
      effects.push('a gradient background (its first colour is used)');
    const frame = section.querySelector<HTMLElement>('.ds-frame') ?? section;
    const blocks: MeasuredBlock[] = [];
    const images: MeasuredImage[] = [];
    const panels: MeasuredSlide['panels'] = [];
    const shoot = (element: Element): string => {
      const id = String(++shots);
      element.setAttribute('data-ds-shot', id);
      return id;
    };
    const kindOf = (element: Element): BlockKind | 'container' | null => {
      const tag = element.tagName.toLowerCase();
      if (/^h[1-6]$/.test(tag)) return 'heading';
      if (tag === 'p') return 'paragraph';
      if (tag === 'ul' || tag === 'ol') return 'list';
      if (tag === 'table') return 'table';
      if (tag === 'pre') return 'code';
      if (tag === 'blockquote') return 'quote';
      if (tag === 'hr') return 'rule';
      if (tag === 'svg') return 'svg';
      if (tag === 'img') return 'image';
      if (element.classList.contains('katex-display')) return 'math';
      if (tag === 'aside' && element.classList.contains('notes')) return null;
      if (tag === 'script' || tag === 'style' || tag === 'template') return null;
      if (element.children.length > 0) return 'container';
      return (element.textContent ?? '').trim() === '' ? null : 'other';
    };
    const walk = (parent: Element): void => {
      for (const child of parent.children) {
        const kind = kindOf(child);
        if (kind === null) continue;
        if (kind === 'container') {
          const s = getComputedStyle(child);
          const top = parseFloat(s.borderTopWidth) || 0;
          if (s.backgroundColor !== 'rgba(0, 0, 0, 0)' || top > 0) {
            panels.push({
              box: boxOf(child),
              fill: s.backgroundColor,
              left: undefined,
              border: top > 0 ? { color: s.borderTopColor, width: top } : undefined,
              radius: parseFloat(s.borderTopLeftRadius) || 0,
            });
          }
          walk(child);
          continue;
        }
        const box = boxOf(child);
        if (box.w === 0 && box.h === 0) continue;
        const style = styleOf(child);
        const tag = child.tagName.toLowerCase();
        const block: MeasuredBlock = {
          kind,
          box,
          style,
          tag,
          text: (child.textContent ?? '').trim(),
          classes: child.getAttribute('class') ?? '',
        };
        block.shot = shoot(child);
        if (kind === 'code') {
          const runs: NonNullable<MeasuredBlock['runs']> = [];
          const texts = document.createTreeWalker(child, NodeFilter.SHOW_TEXT);
          for (let node = texts.nextNode(); node !== null; node = texts.nextNode()) {
            const parent = node.parentElement ?? child;
            const s = getComputedStyle(parent);
            const run = {
              text: node.textContent ?? '',
              color: s.color,
              bold: Number(s.fontWeight) >= 600,
              italic: s.fontStyle === 'italic',
            };
            const last = runs[runs.length - 1];
            if (last !== undefined && last.color === run.color && last.bold === run.bold && last.italic === run.italic)
              last.text += run.text;
            else runs.push(run);
          }
          block.runs = runs;
          const inner = child.querySelector('code');
          if (inner !== null)
            block.style = {
              ...styleOf(inner),
              background:
                getComputedStyle(inner).backgroundColor !== 'rgba(0, 0, 0, 0)' ? getComputedStyle(inner).backgroundColor : style.background,
            };
        }
        if (kind === 'table') {
          block.cells = [...(child as HTMLTableElement).rows].map((row) =>
            [...row.cells].map((cell) => {
              // A striped table paints its rows (or its head), not its cells.
              let painted = getComputedStyle(cell).backgroundColor;
              for (let up: Element | null = row; painted === 'rgba(0, 0, 0, 0)' && up !== null && up !== child; up = up.parentElement)
                painted = getComputedStyle(up).backgroundColor;
              return { box: boxOf(cell), style: { ...styleOf(cell), background: painted }, header: cell.tagName === 'TH' };
            }),
          );
        }
        if (kind === 'quote' || kind === 'paragraph') {
          const q = getComputedStyle(child);
          const left = parseFloat(q.borderLeftWidth) || 0;
          if (q.backgroundColor !== 'rgba(0, 0, 0, 0)' || left > 0)
            panels.push({
              box,
              fill: q.backgroundColor,
              border: undefined,
              left: left > 0 ? { color: q.borderLeftColor, width: left } : undefined,
              radius: 0,
            });
        }
        if (kind === 'quote') {
          // The text starts at the quote's first child, below any ornament the theme draws above it.
          const kids = [...child.children].map(boxOf).filter((b) => b.w > 0 && b.h > 0);
          if (kids.length > 0) {
            const top = Math.min(...kids.map((b) => b.y));
            const bottom = Math.max(...kids.map((b) => b.y + b.h));
            const left = Math.min(...kids.map((b) => b.x));
            const right = Math.max(...kids.map((b) => b.x + b.w));
            block.box = { x: left, y: top, w: right - left, h: bottom - top };
          }
          const first = child.querySelector('p, li, h1, h2, h3, h4, h5, h6');
          if (first !== null) block.inner = styleOf(first);
        }
        if (kind === 'list') {
          // The markers sit in the list's left margin: the PowerPoint box starts there, and the
          // text of each item one hanging indent to the right.
          const hang = parseFloat(getComputedStyle(child).marginLeft) || 0;
          const firstItem = child.querySelector(':scope > li');
          const type = firstItem === null ? '' : getComputedStyle(firstItem).listStyleType;
          const quoted = /^["'](.)/u.exec(type);
          if (quoted?.[1] !== undefined) block.marker = quoted[1];
          block.box = { ...box, x: box.x - hang, w: box.w + hang };
          const indents: number[] = [];
          let list: Element | null = child;
          while (list !== null) {
            const item: Element | null = list.querySelector(':scope > li');
            if (item === null) break;
            indents.push(boxOf(item).x - block.box.x + (parseFloat(getComputedStyle(item).paddingLeft) || 0));
            list = item.querySelector(':scope > ul, :scope > ol');
          }
          block.indents = indents;
        }
        if (kind === 'paragraph' || kind === 'list' || kind === 'quote' || kind === 'table' || kind === 'heading') {
          // Images inside text blocks sit where they are drawn; the text goes in a box of its own.
          for (const svg of child.querySelectorAll('svg')) {
            if (svg.closest('.katex') !== null || svg.parentElement?.closest('svg') !== null) continue;
            blocks.push({ kind: 'svg', box: boxOf(svg), style, tag: 'svg', text: '', shot: shoot(svg), classes: '' });
          }
        }
        const s = getComputedStyle(child);
        if (s.transform !== 'none') effects.push(`a transform on <${block.tag}> (placed untransformed)`);
        if (s.filter !== 'none') effects.push(`a filter on <${block.tag}> (left out)`);
        blocks.push(block);
      }
    };
    walk(frame);
    for (const img of frame.querySelectorAll('img')) {
      const box = boxOf(img);
      if (box.w === 0 || box.h === 0) continue;
      images.push({ src: img.currentSrc || img.src, box, alt: img.alt, natural: { w: img.naturalWidth, h: img.naturalHeight } });
    }
    let decorated = false;
    for (const element of [section, ...section.querySelectorAll('*')]) {
      for (const pseudo of ['::before', '::after']) {
        const content = getComputedStyle(element, pseudo).content;
        if (content !== 'none' && content !== 'normal') decorated = true;
      }
      // Rules drawn as borders (a heading's underline); tables and panels draw their own.
      if (element.closest('table, .ds-column') === null && element.tagName !== 'BLOCKQUOTE') {
        const b = getComputedStyle(element);
        if (
          (parseFloat(b.borderBottomWidth) > 0 && b.borderBottomStyle !== 'none') ||
          (parseFloat(b.borderTopWidth) > 0 && b.borderTopStyle !== 'none')
        )
          decorated = true;
      }
      if (decorated) break;
    }
    const slide: MeasuredSlide = { index, background, base: styleOf(frame), blocks, images, effects, panels, decorated };
    const code = frame.querySelector('code');
    if (code !== null) slide.mono = styleOf(code).font;
    const footer = section.querySelector<HTMLElement>('.ds-footer');
    if (footer !== null && (footer.textContent ?? '').trim() !== '') {
      slide.footer = { text: (footer.textContent ?? '').trim(), box: boxOf(footer), style: styleOf(footer) };
    }
    // reveal's slide number in the print view sits in the page, beside the slide.
    const number = page.querySelector<HTMLElement>('.slide-number-pdf');
    if (number !== null && (number.textContent ?? '').trim() !== '' && getComputedStyle(number).display !== 'none') {
      slide.number = { text: (number.textContent ?? '').trim(), box: boxOf(number), style: styleOf(number) };
    }
    out.push(slide);
  }
  return out;
}

/** A page of the print view to capture, in page coordinates. */
export interface CapturePage {
  /** Reading-order index of the slide the page shows. */
  slide: number;
  /** Document coordinates of the page. */
  box: Box;
}

/**
 * The print view's slide pages in order (one per fragment step with `fragments=steps`), keeping
 * only `keep` (null: all). Reveal's print view has no controls or progress bar; they are hidden
 * here too, in case a theme shows them.
 */
export function capturePages(keep: number[] | null): CapturePage[] {
  const style = document.createElement('style');
  style.textContent = '.reveal .controls, .reveal .progress, .speaker-notes-pdf { display: none !important; }';
  document.head.appendChild(style);
  const wanted = keep === null ? null : new Set(keep);
  const pages: CapturePage[] = [];
  let current = -1;
  for (const page of document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page')) {
    current = Number(page.querySelector<HTMLElement>('section[data-ds-index]')?.dataset['dsIndex'] ?? current + 1);
    if (wanted !== null && !wanted.has(current)) continue;
    const r = page.getBoundingClientRect();
    // Whole pixels: a page's fractional top would cost a row of pixels at the edge.
    pages.push({
      slide: current,
      box: { x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY), w: r.width, h: r.height },
    });
  }
  return pages;
}

/**
 * Shows slide `index` as its background and ornaments alone: text transparent (list markers
 * too), tables, images, SVG, math and code hidden, so a capture of its page is what PowerPoint
 * shows behind the shapes the export writes. Called again with `on: false` to undo.
 */
export async function backgroundOnly(args: { index: number; on: boolean; scrollTo: number; transparent: boolean }): Promise<void> {
  const id = 'ds-background-only';
  // Resolves once Chromium has painted the change, so the capture that follows shows it.
  const painted = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  // Scrolled there first: Chromium re-rasters what is in view, where tiles painted earlier, out
  // of view, could still show the text.
  window.scrollTo(0, args.scrollTo);
  document.getElementById(id)?.remove();
  if (!args.on) {
    await painted();
    return;
  }
  const scope = `.reveal .slides section[data-ds-index="${args.index}"]`;
  const style = document.createElement('style');
  style.id = id;
  style.textContent = [
    `${scope} *, ${scope} { color: transparent !important; text-shadow: none !important; text-decoration-color: transparent !important; transition: none !important; animation: none !important; }`,
    `${scope} li::marker { color: transparent !important; transition: none !important; }`,
    `${scope} :is(table, img, svg, .katex, .katex-display, pre, video, audio) { visibility: hidden !important; }`,
    `${scope} .ds-column, ${scope} blockquote { background: transparent !important; border-color: transparent !important; }`,
    '.reveal .slide-number-pdf { visibility: hidden !important; }',
    // Ornaments alone: the page, the slide and reveal's background layer unpainted.
    args.transparent
      ? `html, body, .reveal, .reveal .slides, .reveal .slides > .pdf-page, .reveal .slide-background, .reveal .slide-background-content, ${scope}, ${scope} .ds-frame { background: transparent !important; }`
      : '',
  ].join('\n');
  document.head.appendChild(style);
  await painted();
}
