import type { PrintedPage, PrintViewHelpers } from '../browser/page-scripts.js';

export interface HandoutLayoutArgs {
  /** Reading-order slide indices to include; null includes every slide. */
  keep: number[] | null;
  perPage: 1 | 2 | 3 | 4 | 6;
  /** Slide size in CSS px. */
  slide: { width: number; height: number };
  /** Portrait paper in CSS px and its CSS page-size keyword. */
  paper: { width: number; height: number; css: string };
  /** Footer text. */
  title: string;
  /** Notes HTML per reading-order slide index ('' when a slide has none). */
  notes: string[];
}

/**
 * Runs in the deck's page after reveal's print view is ready (fragments in their final state):
 * replaces the one-slide-per-page layout with handout sheets. Each slide's print page is moved,
 * scaled, into a grid cell, so slides keep the theme's CSS and stay vector; notes are the
 * rendered notes HTML, so they remain real text. 1-, 2- and 4-up put notes under each slide,
 * 3-up beside it, 6-up has no notes area; a slide without notes gets ruled lines instead.
 * Returns the slides in print order (sheet = index / perPage).
 */
export function layoutHandout(args: HandoutLayoutArgs): PrintedPage[] {
  const container = document.querySelector<HTMLElement>('.reveal .slides');
  if (container === null) throw new Error('The deck has no .reveal .slides element.');
  const bySlide = new Map<number, HTMLElement>();
  let next = 0;
  for (const element of [...container.querySelectorAll<HTMLElement>(':scope > .pdf-page')]) {
    const tagged = element.querySelector<HTMLElement>('section[data-ds-index]')?.dataset['dsIndex'];
    const index = tagged === undefined ? next : Number(tagged);
    next = index + 1;
    if (!bySlide.has(index)) bySlide.set(index, element);
  }
  const selected = (args.keep ?? [...bySlide.keys()].sort((a, b) => a - b)).filter((i) => bySlide.has(i));

  const { perPage, paper, slide } = args;
  const margin = 44;
  const footer = 30;
  const gap = 22;
  const cols = perPage >= 4 ? 2 : 1;
  const rows = Math.ceil(perPage / cols);
  const notesBeside = perPage === 3;
  const withNotes = perPage !== 6;
  const gridW = paper.width - 2 * margin;
  const gridH = paper.height - 2 * margin - footer;
  const cellW = (gridW - (cols - 1) * gap) / cols;
  const cellH = (gridH - (rows - 1) * gap) / rows;
  // Share of the cell the slide takes; the rest is notes.
  const frameW = notesBeside
    ? cellW * 0.52
    : withNotes
      ? Math.min(cellW, ((perPage === 1 ? 0.48 : 0.6) * cellH * slide.width) / slide.height)
      : cellW;
  const scale = Math.min(frameW / slide.width, (withNotes && !notesBeside ? cellH * 0.62 : cellH - 18) / slide.height);

  const style = document.createElement('style');
  style.textContent = `
@page { size: ${paper.css} portrait; margin: 0 }
html.dsh-handout, html.dsh-handout body { background: #fff !important; width: ${paper.width}px !important; height: auto !important; }
html.dsh-handout .reveal .slides { position: static !important; }
.dsh-sheet { position: relative; width: ${paper.width}px; height: ${paper.height}px; overflow: hidden; break-after: page; background: #fff; }
.dsh-side, .dsh-footer { color: #111; font: 13px/1.4 var(--r-main-font, system-ui, sans-serif), var(--ds-font-emoji, sans-serif); text-align: left; }
.dsh-sheet:last-child { break-after: auto; }
.dsh-grid { position: absolute; left: ${margin}px; top: ${margin}px; width: ${gridW}px; height: ${gridH}px; display: grid;
  grid-template-columns: repeat(${cols}, ${cellW}px); grid-template-rows: repeat(${rows}, ${cellH}px); gap: ${gap}px; }
.dsh-cell { display: flex; flex-direction: ${notesBeside ? 'row' : 'column'}; gap: 12px; min-height: 0; align-items: ${notesBeside ? 'stretch' : 'center'}; }
.dsh-frame { flex: none; position: relative; overflow: hidden; border: 1px solid #9a9a9a; width: ${slide.width * scale}px; height: ${slide.height * scale}px; }
.dsh-frame > .pdf-page { z-index: auto !important; zoom: ${scale}; width: ${slide.width}px !important; height: ${slide.height}px !important; break-after: auto !important; }
.dsh-side { position: relative; flex: 1; min-width: 0; min-height: 0; width: 100%; display: flex; flex-direction: column; }
.dsh-label { flex: none; font-size: 10px; color: #666; margin-bottom: 4px; letter-spacing: .04em; text-transform: uppercase; }
.reveal .slides .dsh-notes { flex: 1; min-height: 0; overflow: hidden; font-size: ${perPage === 1 ? 15 : 12}px; }
.reveal .slides .dsh-notes, .reveal .slides .dsh-notes * { font-family: var(--r-main-font, system-ui, sans-serif), var(--ds-font-emoji, sans-serif) !important; color: #111 !important;
  text-transform: none !important; letter-spacing: normal !important; text-shadow: none !important; text-align: left !important; }
.reveal .slides .dsh-notes * { font-size: 1em !important; line-height: 1.4 !important; margin: 0 0 .4em !important; padding-top: 0 !important; }
.reveal .slides .dsh-notes ul, .reveal .slides .dsh-notes ol { display: block !important; padding-left: 1.3em !important; }
.reveal .slides .dsh-notes li { margin: 0 0 .2em !important; }
.dsh-lines { flex: 1; min-height: 0; background-image: repeating-linear-gradient(to bottom, transparent 0, transparent 25px, #c4c4c4 25px, #c4c4c4 26px); }
.dsh-footer { position: absolute; left: ${margin}px; right: ${margin}px; bottom: ${margin - 12}px; height: ${footer - 12}px; display: flex;
  justify-content: space-between; font-size: 10px; color: #555; border-top: 1px solid #ccc; padding-top: 6px; }
`;
  document.head.appendChild(style);
  document.documentElement.classList.add('dsh-handout');
  container.replaceChildren();

  const element = (tag: string, className: string, text?: string): HTMLElement => {
    const el = document.createElement(tag);
    el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const sheets = Math.max(1, Math.ceil(selected.length / perPage));
  const cells: HTMLElement[] = [];
  for (let s = 0; s < sheets; s++) {
    const sheet = element('div', 'dsh-sheet');
    const grid = element('div', 'dsh-grid');
    for (const index of selected.slice(s * perPage, (s + 1) * perPage)) {
      const cell = element('div', 'dsh-cell');
      const frame = element('div', 'dsh-frame');
      const page = bySlide.get(index);
      if (page !== undefined) frame.appendChild(page);
      cell.appendChild(frame);
      const side = element('div', 'dsh-side');
      side.appendChild(element('div', 'dsh-label', `Slide ${index + 1}`));
      if (withNotes) {
        const html = args.notes[index] ?? '';
        if (html.trim() !== '') {
          const notes = element('div', 'dsh-notes');
          notes.innerHTML = html;
          side.appendChild(notes);
          cells.push(notes);
        } else {
          side.appendChild(element('div', 'dsh-lines'));
        }
      }
      cell.appendChild(side);
      grid.appendChild(cell);
    }
    sheet.appendChild(grid);
    const foot = element('div', 'dsh-footer');
    foot.appendChild(element('span', '', args.title));
    foot.appendChild(element('span', '', `${s + 1} / ${sheets}`));
    sheet.appendChild(foot);
    container.appendChild(sheet);
  }
  // Long notes shrink (down to 7px) rather than being cut off, as on notes pages.
  const shrink = (window as unknown as PrintViewHelpers).decksmithShrinkText;
  for (const notes of cells) shrink(notes, 12);
  return selected.map((slideIndex) => ({ slide: slideIndex, kind: 'slide' as const }));
}
