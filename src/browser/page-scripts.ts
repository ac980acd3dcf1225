/**
 * Functions that run inside the deck's page (passed to `page.evaluate`). Puppeteer sends each
 * one as source text, so each must be self-contained: no imports, no helpers from this module.
 */

/** What preparePrintView leaves on `window` for the layout scripts that run after it. */
export interface PrintViewHelpers {
  /** Shrinks the font of `box` until its text fits (starting from `fallbackSize` px if it has none). */
  decksmithShrinkText(box: HTMLElement, fallbackSize: number): void;
}

/** A page of the print view and the reading-order index of the slide it shows. */
export interface PrintedPage {
  slide: number;
  kind: 'slide' | 'notes';
}

export interface PageLayoutArgs {
  /** Reading-order slide indices to keep; null keeps every slide. */
  keep: number[] | null;
  /** Slide size in CSS px (the print view's page size, since reveal's margin is 0). */
  slide: { width: number; height: number };
  /** Move reveal's inline notes into a band under the slide. */
  notesBelow: boolean;
  /** Final sheet size in CSS px and its CSS `@page` size; null keeps the slide's own size. */
  sheet: { width: number; height: number; css: string } | null;
  /** Title of each reading-order slide ('' for none), to name the slide its notes belong to. */
  titles: string[];
}

/**
 * Runs before the deck's scripts: once the DOM is parsed (and so before reveal's print view moves
 * slides around), marks each slide `<section>` with its reading-order index.
 *
 * It also lets Chromium skip the pages it cannot see while reveal builds the print view: the
 * view's `.pdf-page` wrappers get `content-visibility: auto`, so the style and layout passes
 * between reveal's animation frames touch only the first screenful, not every slide (about 100
 * ms for 50 slides). Printing still renders every page. Only reveal's wrappers, which it creates
 * after measuring the slides: a skipped element reports a scrollHeight of 0, which would upset
 * reveal's measurements (and `<!-- fit -->`) if the slides themselves were skipped. Once the view
 * is built, `html[data-ds-built]` (set by `measureSlides`' caller) lays every page out again.
 */
export function preparePrintView(pageHeight: number, ownLayout = false): void {
  // The print view's one shrink-to-fit for text boxes (notes pages, notes below the slide, handout
  // notes): smaller type, down to 7px, rather than cut-off text. Defined here, once, for the later
  // layout scripts, which puppeteer serialises one by one and so cannot share a helper otherwise;
  // fixed, so a deck's own script cannot swap it.
  const shrinkText: PrintViewHelpers['decksmithShrinkText'] = (box, fallbackSize) => {
    let size = parseFloat(getComputedStyle(box).fontSize) || fallbackSize;
    while (box.scrollHeight > box.clientHeight + 1 && size > 7) {
      size *= 0.92;
      box.style.fontSize = `${size}px`;
    }
  };
  Object.defineProperty(window, 'decksmithShrinkText', { value: shrinkText, writable: false, configurable: false });
  document.addEventListener('DOMContentLoaded', () => {
    // The template writes each slide's index; reveal.js has removed hidden slides by now, so a
    // count of the sections left would give the slides after a hidden one their neighbours'
    // indices (and their PNG names and PowerPoint text). Only a section without one is
    // numbered, after the one before it.
    const sections = [...document.querySelectorAll<HTMLElement>('.reveal .slides section')];
    let index = 0;
    for (const section of sections) {
      if (section.querySelector('section') !== null) continue;
      const given = Number.parseInt(section.dataset['dsIndex'] ?? '', 10);
      if (Number.isNaN(given)) section.dataset['dsIndex'] = String(index);
      index = (Number.isNaN(given) ? index : given) + 1;
    }
    // decksmith's own layout builds the pages in one pass, with no frames in between to save;
    // and the template's fit passes run after it, on the pages, which must not be skipped.
    if (ownLayout) return;
    const style = document.createElement('style');
    // Until the view is built: measuring (and printing) needs every page laid out for real.
    style.textContent = `html:not([data-ds-built]) .reveal .slides > .pdf-page { content-visibility: auto; contain-intrinsic-size: auto ${pageHeight}px; }`;
    document.head.appendChild(style);
  });
}

/**
 * Adjusts reveal's finished print view: drops slides outside the range, moves notes below the
 * slide, and scales every page onto the requested sheet size. Returns what each page shows.
 */
export function layoutPages(args: PageLayoutArgs): PrintedPage[] {
  const container = document.querySelector<HTMLElement>('.reveal .slides');
  if (container === null) throw new Error('The deck has no .reveal .slides element.');
  const keep = args.keep === null ? null : new Set(args.keep);
  const printed: { element: HTMLElement; page: PrintedPage }[] = [];
  let current = -1;
  for (const element of [...container.children] as HTMLElement[]) {
    const isPage = element.classList.contains('pdf-page');
    const isNotes = element.classList.contains('speaker-notes-pdf');
    if (!isPage && !isNotes) continue;
    if (isPage) current = Number(element.querySelector<HTMLElement>('section[data-ds-index]')?.dataset['dsIndex'] ?? current + 1);
    if (keep !== null && !keep.has(current)) {
      element.remove();
      continue;
    }
    printed.push({ element, page: { slide: current, kind: isPage ? 'slide' : 'notes' } });
  }

  const shrinkToFit = (box: HTMLElement): void => (window as unknown as PrintViewHelpers).decksmithShrinkText(box, 18);

  // Notes say whose they are ("Notes — slide 3: Results"), in place of reveal's "Speaker notes".
  const label = (notes: HTMLElement, slide: number): void => {
    const title = args.titles[slide]?.trim() ?? '';
    const p = document.createElement('p');
    p.className = 'ds-notes-label';
    p.textContent = `Notes — slide ${slide + 1}${title === '' ? '' : `: ${title}`}`;
    notes.prepend(p);
  };

  const { width, height } = args.slide;
  const notesBand = Math.round(height / 2);
  const pageHeight = args.notesBelow ? height + notesBand : height;
  // A notes page after the last slide would otherwise push a blank page after it.
  const last = printed[printed.length - 1]?.element;
  if (last !== undefined) last.style.breakAfter = 'auto';
  for (const { element, page } of printed) {
    element.style.height = `${pageHeight}px`;
    element.style.width = `${width}px`;
    element.style.overflow = 'hidden';
    if (page.kind === 'notes') {
      label(element, page.slide);
      element.style.boxSizing = 'border-box';
      element.style.padding = '48px 64px';
      element.style.fontSize = '28px';
      shrinkToFit(element);
    }
    if (!args.notesBelow || page.kind !== 'slide') continue;
    // The slide number stays on the slide, above the band.
    const number = element.querySelector<HTMLElement>('.slide-number-pdf');
    if (number !== null) number.style.bottom = `${notesBand + parseFloat(getComputedStyle(number).bottom || '0')}px`;
    const notes = element.querySelector<HTMLElement>('.speaker-notes-pdf');
    if (notes !== null) {
      label(notes, page.slide);
      Object.assign(notes.style, {
        top: `${height}px`,
        bottom: 'auto',
        left: '0',
        width: `${width}px`,
        height: `${notesBand}px`,
        boxSizing: 'border-box',
        padding: '24px 40px',
        fontSize: '24px',
        overflow: 'hidden',
        border: '0',
        borderTop: '2px solid #888',
        background: '#fff',
        color: '#222',
      });
      shrinkToFit(notes);
    }
  }

  const pageStyle = document.createElement('style');
  document.head.appendChild(pageStyle);
  if (args.sheet === null) {
    // reveal sized @page for the slide alone; the notes band makes the page taller.
    if (args.notesBelow) pageStyle.textContent = `@page{size:${width}px ${pageHeight}px;margin:0}`;
  } else {
    const sheet = args.sheet;
    const scale = Math.min(sheet.width / width, sheet.height / pageHeight);
    pageStyle.textContent = `@page{size:${sheet.css};margin:0}`;
    // Chromium shrinks a document wider than the paper; reveal made the body one slide wide.
    document.body.style.width = `${sheet.width}px`;
    for (const { element } of printed) {
      // One sheet: a block that starts a page, holding an inline-block the size of the sheet. The
      // page is scaled with a transform, which leaves its layout box at full size, taller than the
      // sheet; Chromium's pagination would then split that box at the sheet's edge and print most
      // of the slide on a page that is cut away. An inline-block is never split across pages.
      const wrapper = document.createElement('div');
      Object.assign(wrapper.style, { width: `${sheet.width}px`, height: `${sheet.height}px`, overflow: 'hidden', breakAfter: 'page' });
      const box = document.createElement('div');
      Object.assign(box.style, {
        display: 'inline-block',
        verticalAlign: 'top',
        position: 'relative',
        width: `${sheet.width}px`,
        height: `${sheet.height}px`,
        overflow: 'hidden',
      });
      element.replaceWith(wrapper);
      wrapper.appendChild(box);
      // transform, not CSS zoom: Chromium's print path mis-centres text inside zoomed boxes.
      Object.assign(element.style, {
        position: 'absolute',
        left: `${(sheet.width - width * scale) / 2}px`,
        top: `${(sheet.height - pageHeight * scale) / 2}px`,
        transform: `scale(${scale})`,
        transformOrigin: '0 0',
        breakAfter: 'avoid',
      });
      box.appendChild(element);
    }
    const last = container.lastElementChild as HTMLElement | null;
    if (last !== null) last.style.breakAfter = 'auto';
  }
  return printed.map(({ page }) => page);
}
