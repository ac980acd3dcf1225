/**
 * `decksmith pptx`: a PowerPoint file built from the slide model. Chromium lays the deck out once
 * (reveal's print view, every fragment shown, as for the PDF) and measures the box and computed
 * style of every block; the words come from the slide's marked tokens. Titles go in the title
 * placeholder, paragraphs and lists become text with levels and numbering, tables native tables,
 * code monospaced text in the colours Chromium painted; math, SVG (diagrams, charts) and anything
 * that maps to no shape become pictures captured from the page. What PowerPoint cannot show as
 * the page does is a `pptx-unsupported` warning naming the slide's line and what was done.
 *
 * `mode: 'pictures'` writes each slide as one picture (plus its notes) instead.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Token, Tokens } from 'marked';
import type { Page } from 'puppeteer-core';
import { loadPptxGen, type Presentation, type PptxSlide, type TableRow } from './pptxgen.js';
import { throwIfInterrupted } from '../../errors.js';
import type { BuiltDeck, Diagnostic, Slide } from '../../types.js';
import { loadPrintView } from '../../browser/load.js';
import type { BrowserSession } from '../../browser/session.js';
import {
  backgroundOnly,
  capturePages,
  measureLayout,
  type Box,
  type BlockKind,
  type MeasuredBlock,
  type MeasuredSlide,
  type TextStyle,
} from '../../browser/layout.js';
import { writeFileAtomic } from '../../build/atomic.js';
import { capture } from '../png.js';
import { assertHasSlides, failedRequestDiagnostics, isHidden, printJob } from '../print-job.js';
import { reproduciblePackage } from './package.js';
import {
  baseRunOptions,
  blendColor,
  cssColor,
  inlineRuns,
  notesText,
  PT_PER_PX,
  paragraph,
  transformText,
  type InlineContext,
  type Run,
  type RunOptions,
} from './text.js';

export interface PptxOptions {
  /** The .pptx file to write. */
  out: string;
  /** editable: text, tables and pictures; pictures: one picture per slide. @defaultValue editable */
  mode?: 'editable' | 'pictures';
  /** Name Arial, Georgia and Courier New instead of the theme's fonts. */
  safeFonts?: boolean;
  timeoutMs: number;
}

export interface PptxResult {
  file: string;
  slides: number;
  diagnostics: Diagnostic[];
}

/** Pictures are captured at twice the slide's pixels, so they stay sharp on a projector. */
const PICTURE_SCALE = 2;
const PX_PER_INCH = 96;
const inch = (px: number): number => Math.round((px / PX_PER_INCH) * 10000) / 10000;

/** Token kinds and the DOM blocks that can show them. */
const SHOWN_AS: Record<string, readonly BlockKind[]> = {
  heading: ['heading'],
  paragraph: ['paragraph'],
  text: ['paragraph'],
  list: ['list'],
  table: ['table'],
  code: ['code', 'svg'],
  blockquote: ['quote'],
  blockMath: ['math'],
  hr: ['rule'],
};

/** The slide's blocks in document order, with plain containers (`:::` blocks, columns) opened. */
function blockTokens(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'def') continue;
    if (token.type === 'container') out.push(...blockTokens(((token as Tokens.Generic).tokens ?? []) as Token[]));
    else if (token.type === 'html' && /^\s*(<!--[\s\S]*?-->\s*)*$/.test((token as Tokens.HTML).raw)) continue;
    else out.push(token);
  }
  return out;
}

function lineOf(token: Token, fallback: number): number {
  const line = (token as { line?: unknown }).line;
  return typeof line === 'number' ? line : fallback;
}

/** The family to name for a block: the theme's first font, or a widely installed one of the same kind. */
function fontFor(style: TextStyle, safe: boolean): string {
  if (!safe) return style.font;
  const generic = style.fonts.map((f) => f.toLowerCase());
  if (generic.includes('monospace')) return 'Courier New';
  if (generic.includes('serif') && !generic.includes('sans-serif')) return 'Georgia';
  return 'Arial';
}

interface Picture {
  box: Box;
  /** Captured from the page: a `data-ds-shot` element, or the slide's background alone. */
  shot?: string;
  data?: string;
}

/** What goes on one PowerPoint slide, decided before any slide is added (masters come first). */
interface SlidePlan {
  slide: Slide;
  measured: MeasuredSlide;
  title?: { box: Box; runs: Run[] };
  add: ((target: PptxSlide, pptx: Presentation) => void)[];
  pictures: Picture[];
  backgroundShot: boolean;
}

function boxOptions(box: Box): { x: number; y: number; w: number; h: number } {
  return { x: inch(box.x), y: inch(box.y), w: inch(box.w), h: inch(box.h) };
}

/** Text boxes are a little wider than the page's box: PowerPoint's fonts may measure a bit wider than Chromium's. */
function textBox(box: Box, slideWidth: number): { x: number; y: number; w: number; h: number } {
  const w = Math.min(box.w * 1.03 + 2, slideWidth - box.x);
  return boxOptions({ ...box, w });
}

const TEXT_BOX = { margin: 0, valign: 'top', fit: 'none', wrap: true } as const;

class SlidePlanner {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly built: BuiltDeck,
    private readonly safeFonts: boolean,
    private readonly width: number,
  ) {}

  private warn(line: number, message: string): void {
    this.diagnostics.push({ severity: 'warning', code: 'pptx-unsupported', message, line, file: this.built.file });
  }

  private context(style: TextStyle, slide: Slide, mono: string): InlineContext {
    return {
      base: baseRunOptions(style, fontFor(style, this.safeFonts)),
      mono,
      transform: style.transform,
      onUnsupported: (what, token) => this.warn(lineOf(token, slide.lines[0]), `slide ${slide.index + 1}: ${what} in PowerPoint`),
    };
  }

  plan(slide: Slide, measured: MeasuredSlide): SlidePlan {
    const plan: SlidePlan = { slide, measured, add: [], pictures: [], backgroundShot: false };
    const label = `slide ${slide.index + 1}`;
    const mono = fontFor({ ...measured.base, fonts: ['monospace'], font: 'monospace' }, true);
    const monoFont = measured.blocks.find((b) => b.kind === 'code')?.style.font ?? measured.mono;
    const codeFont = this.safeFonts || monoFont === undefined ? mono : monoFont;
    const blocks = measured.blocks.filter((b) => b.kind !== 'image');
    const matched = new Set<MeasuredBlock>();
    let next = 0;
    let titled = false;
    for (const token of blockTokens(slide.tokens)) {
      const kinds = SHOWN_AS[token.type] ?? [];
      let at = -1;
      for (let i = next; i < blocks.length; i++) {
        const candidate = blocks[i];
        if (candidate !== undefined && kinds.includes(candidate.kind) && !candidate.classes.includes('ds-')) {
          at = i;
          break;
        }
      }
      const block = blocks[at];
      const line = lineOf(token, slide.lines[0]);
      if (block === undefined) {
        if (token.type === 'html') this.warn(line, `${label}: raw HTML is placed as a picture of what Chromium shows`);
        else
          this.warn(
            line,
            `${label}: this ${token.type} is not on the slide as Chromium lays it out, so it is left out of the PowerPoint slide`,
          );
        continue;
      }
      next = at + 1;
      matched.add(block);
      if (block.kind === 'svg' || block.kind === 'math') {
        plan.pictures.push({ box: block.box, shot: block.shot ?? '' });
        continue;
      }
      const context = this.context(block.style, slide, codeFont);
      switch (token.type) {
        case 'heading': {
          const runs = paragraph(inlineRuns((token as Tokens.Heading).tokens, context), { align: alignOf(block.style) });
          if (!titled) {
            titled = true;
            plan.title = { box: block.box, runs };
          } else plan.add.push((s) => s.addText(runs, { ...textBox(block.box, this.width), ...TEXT_BOX }));
          break;
        }
        case 'paragraph':
        case 'text': {
          const runs = inlineRuns((token as Tokens.Paragraph).tokens, context);
          if (runs.every((r) => (r.text ?? '').trim() === '')) break;
          const lines = paragraph(runs, { align: alignOf(block.style), lineSpacing: lineSpacing(block.style) });
          plan.add.push((s) => s.addText(lines, { ...textBox(block.box, this.width), ...TEXT_BOX }));
          break;
        }
        case 'list': {
          const runs = this.listRuns(token as Tokens.List, block, context, 0, slide);
          plan.add.push((s) => s.addText(runs, { ...textBox(block.box, this.width), ...TEXT_BOX }));
          break;
        }
        case 'blockquote': {
          const inner = this.context(block.inner ?? block.style, slide, codeFont);
          const runs: Run[] = [];
          for (const child of blockTokens((token as Tokens.Blockquote).tokens)) {
            if (child.type === 'list') runs.push(...this.listRuns(child as Tokens.List, block, inner, 0, slide));
            else {
              const childTokens = (child as Tokens.Generic).tokens as Token[] | undefined;
              runs.push(...paragraph(inlineRuns(childTokens, inner), { align: alignOf(block.inner ?? block.style), paraSpaceAfter: 6 }));
            }
          }
          const border = cssColor(block.style.color);
          plan.add.push((s, pptx) => {
            if (border !== undefined)
              s.addShape(pptx.ShapeType.rect, {
                ...boxOptions({ ...block.box, w: 4 }),
                fill: { color: border.hex },
                line: { type: 'none' },
              });
            s.addText(runs, { ...textBox({ ...block.box, x: block.box.x + 16, w: block.box.w - 16 }, this.width), ...TEXT_BOX });
          });
          break;
        }
        case 'code': {
          const runs = this.codeRuns(token as Tokens.Code, block, codeFont, slide);
          const fill = blendColor(block.style.background, measured.background.color);
          plan.add.push((s) =>
            s.addText(runs, {
              ...boxOptions(block.box),
              ...TEXT_BOX,
              margin: 8,
              ...(fill === undefined ? {} : { fill: { color: fill } }),
            }),
          );
          break;
        }
        case 'table': {
          const rows = this.tableRows(token as Tokens.Table, block, slide, codeFont, measured.background.color);
          const first = block.cells?.[0] ?? [];
          const colW = first.map((cell) => inch(cell.box.w));
          const rowH = (block.cells ?? []).map((row) => inch(row[0]?.box.h ?? 20));
          plan.add.push((s) => s.addTable(rows, { ...boxOptions(block.box), colW, rowH, margin: 4 }));
          break;
        }
        case 'hr': {
          const color = cssColor(block.style.color);
          plan.add.push((s, pptx) =>
            s.addShape(pptx.ShapeType.line, {
              ...boxOptions({ ...block.box, h: 0 }),
              line: { color: color?.hex ?? '888888', width: 1 },
            }),
          );
          break;
        }
        default:
          plan.pictures.push({ box: block.box, shot: block.shot ?? '' });
      }
    }
    for (const block of blocks) {
      if (matched.has(block)) continue;
      if (/\bds-(subtitle|byline)\b/.test(block.classes) && block.text !== '') {
        // The title slide's subtitle and byline: the deck's front matter, as the template shows it.
        const options = baseRunOptions(block.style, fontFor(block.style, this.safeFonts));
        const runs = paragraph([{ text: transformText(block.text, block.style.transform), options }], { align: alignOf(block.style) });
        plan.add.push((s) => s.addText(runs, { ...textBox(block.box, this.width), ...TEXT_BOX }));
        continue;
      }
      plan.pictures.push({ box: block.box, shot: block.shot ?? '' });
      if (block.kind !== 'svg' && block.kind !== 'math')
        this.warn(
          slide.lines[0],
          `${label}: "${block.text.slice(0, 40)}" (a <${block.tag}> from raw HTML or a template) maps to no Markdown block; it is placed as a picture`,
        );
    }
    for (const footer of [measured.footer, measured.number]) {
      if (footer === undefined) continue;
      const runs = paragraph([{ text: footer.text, options: baseRunOptions(footer.style, fontFor(footer.style, this.safeFonts)) }], {
        align: alignOf(footer.style),
      });
      plan.add.push((s) => s.addText(runs, { ...textBox(footer.box, this.width), ...TEXT_BOX }));
    }
    for (const effect of measured.effects) this.warn(slide.lines[0], `${label}: PowerPoint cannot show ${effect}`);
    plan.backgroundShot =
      measured.decorated || measured.background.image !== undefined || measured.effects.some((e) => e.includes('gradient'));
    return plan;
  }

  private listRuns(list: Tokens.List, block: MeasuredBlock, context: InlineContext, level: number, slide: Slide): Run[] {
    const runs: Run[] = [];
    const indentPx =
      block.indents?.[1] !== undefined && block.indents[0] !== undefined ? block.indents[1] - block.indents[0] : (block.indents?.[0] ?? 36);
    const indent = Math.max(9, Math.round(indentPx * PT_PER_PX));
    const items = countItems(list);
    const spacing = Math.max(0, (block.box.h - items * block.style.lineHeight) / Math.max(1, items)) * PT_PER_PX;
    let number = typeof list.start === 'number' ? list.start : 1;
    for (const item of list.items) {
      const code = block.marker?.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
      const bullet: RunOptions['bullet'] = list.ordered
        ? { type: 'number', style: 'arabicPeriod', startAt: number, indent }
        : code === undefined || level > 0
          ? { indent }
          : { indent, characterCode: code };
      number++;
      const para: RunOptions = {
        bullet,
        indentLevel: level,
        align: alignOf(block.style),
        lineSpacing: lineSpacing(block.style),
        paraSpaceAfter: Math.round(spacing * 10) / 10,
      };
      let first = true;
      for (const child of item.tokens) {
        if (child.type === 'space') continue;
        if (child.type === 'list') {
          runs.push(...this.listRuns(child as Tokens.List, block, context, level + 1, slide));
          continue;
        }
        const inline = (child as Tokens.Generic).tokens as Token[] | undefined;
        let itemRuns = inline === undefined ? [] : inlineRuns(inline, context);
        if (child.type === 'code') itemRuns = [{ text: (child as Tokens.Code).text, options: { ...context.base, fontFace: context.mono } }];
        if (first && item.task) itemRuns.unshift({ text: item.checked === true ? '☑ ' : '☐ ', options: context.base });
        runs.push(...paragraph(itemRuns, first ? para : { ...para, bullet: false, indentLevel: level }));
        first = false;
      }
      if (first) runs.push(...paragraph([], para));
    }
    return runs;
  }

  private codeRuns(code: Tokens.Code, block: MeasuredBlock, font: string, slide: Slide): Run[] {
    const base = baseRunOptions(block.style, font);
    const painted = (block.runs ?? []).map((r) => r.text).join('');
    const text = code.text;
    // The words are the model's; the colours are Chromium's, when its text is the same.
    const colored =
      painted.replace(/\n$/, '') === text ? (block.runs ?? []) : [{ text, color: block.style.color, bold: false, italic: false }];
    if (colored !== block.runs)
      this.warn(
        lineOf(code, slide.lines[0]),
        `slide ${slide.index + 1}: the code block's highlight colours could not be matched to its text; it is written in one colour`,
      );
    const runs: Run[] = [];
    let line: Run[] = [];
    const endLine = (): void => {
      runs.push(...paragraph(line, { lineSpacing: lineSpacing(block.style) }));
      line = [];
    };
    for (const run of colored) {
      const parts = run.text.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) endLine();
        if (part === '') return;
        const color = cssColor(run.color);
        line.push({
          text: part,
          options: { ...base, ...(color === undefined ? {} : { color: color.hex }), bold: run.bold, italic: run.italic },
        });
      });
    }
    if (line.length > 0) endLine();
    // The highlighter's trailing newline ends the last line, not a blank one.
    while (runs.length > 0 && (runs[runs.length - 1]?.text ?? '') === '' && runs.length > 1 && text.split('\n').length < runs.length)
      runs.pop();
    return runs;
  }

  private tableRows(table: Tokens.Table, block: MeasuredBlock, slide: Slide, mono: string, under: string): TableRow[] {
    const cells = block.cells ?? [];
    const source = [table.header, ...table.rows];
    return source.map((row, r) =>
      row.map((cell, c) => {
        const measured = cells[r]?.[c];
        const style = measured?.style ?? block.style;
        const context = this.context(style, slide, mono);
        const fill = blendColor(style.background, under);
        const color = cssColor(style.color);
        const align = (table.align[c] ?? alignOf(style)) as 'left' | 'center' | 'right';
        return {
          text: inlineRuns(cell.tokens, context),
          options: {
            ...(fill === undefined ? {} : { fill: { color: fill } }),
            ...(color === undefined ? {} : { color: color.hex }),
            fontFace: fontFor(style, this.safeFonts),
            fontSize: Math.round(style.size * PT_PER_PX * 10) / 10,
            bold: measured?.header === true || style.bold,
            align,
            valign: 'middle',
            border: { type: 'solid', pt: 0.75, color: 'BBBBBB' },
          },
        };
      }),
    );
  }
}

function countItems(list: Tokens.List): number {
  let n = 0;
  for (const item of list.items) {
    n++;
    for (const child of item.tokens) if (child.type === 'list') n += countItems(child as Tokens.List);
  }
  return n;
}

function alignOf(style: TextStyle): 'left' | 'center' | 'right' | 'justify' {
  const a = style.align;
  if (a === 'center' || a === 'right' || a === 'justify') return a;
  if (a === 'end') return 'right';
  return 'left';
}

function lineSpacing(style: TextStyle): number {
  return Math.round(style.lineHeight * PT_PER_PX * 10) / 10;
}

async function screenshot(session: BrowserSession, page: Page, clip: Box, transparent = false): Promise<string> {
  const bytes = await capture(session, page, { ...clip, w: Math.max(1, clip.w), h: Math.max(1, clip.h) }, PICTURE_SCALE, transparent);
  return `image/png;base64,${Buffer.from(bytes).toString('base64')}`;
}

const EMBEDDED = new Set(['.png', '.jpg', '.jpeg', '.gif']);
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/** An image file of the built deck as a data string pptxgenjs embeds, or undefined to capture it instead. */
async function imageData(src: string): Promise<string | undefined> {
  if (src.startsWith('data:image/png;base64,') || src.startsWith('data:image/jpeg;base64,')) return src.slice('data:'.length);
  if (!src.startsWith('file:')) return undefined;
  try {
    const path = fileURLToPath(src);
    const ext = extname(path).toLowerCase();
    if (!EMBEDDED.has(ext)) return undefined;
    return `${IMAGE_TYPES[ext]};base64,${(await readFile(path)).toString('base64')}`;
  } catch {
    return undefined;
  }
}

/**
 * Exports a built deck to PowerPoint and writes it atomically (a failure or signal leaves the
 * previous file in place).
 *
 * @throws BrowserError on load or capture failures and timeouts, OutputError when writing fails,
 *   InputError `no-slides` for a deck without slides.
 */
export async function exportPptx(session: BrowserSession, built: BuiltDeck, options: PptxOptions): Promise<PptxResult> {
  const job = printJob(built);
  assertHasSlides(job, 'PowerPoint');
  // As in the PDF and the PNGs: a hidden slide is not part of the presentation.
  const shown = built.deck.slides.filter((slide) => !isHidden(built, slide));
  const mode = options.mode ?? 'editable';
  const { width, height } = job.slide;
  let diagnostics: Diagnostic[] = [];
  await writeFileAtomic(
    options.out,
    async () => {
      const PptxGen = await loadPptxGen();
      const pptx = new PptxGen();
      pptx.defineLayout({ name: 'DECK', width: inch(width), height: inch(height) });
      pptx.layout = 'DECK';
      pptx.title = job.info.title;
      if (job.info.author !== undefined) pptx.author = job.info.author;
      if (job.info.subject !== undefined) pptx.subject = job.info.subject;
      pptx.company = '';
      const notes = built.deck.slides.map((slide) => notesText(slide.notesTokens));
      await session.withPage(async (page) => {
        const loaded = await loadPrintView(
          session,
          page,
          job.htmlPath,
          { fragments: 'final', notes: 'none' },
          job.slide,
          options.timeoutMs,
        );
        diagnostics = failedRequestDiagnostics(job, loaded.failedRequests);
        await session.race(
          page.evaluate(() => {
            document.documentElement.dataset['dsBuilt'] = '';
          }),
        );
        const indices = shown.map((s) => s.index);
        const pages = await session.race(page.evaluate(capturePages, null));
        const pageOf = new Map(pages.map((p) => [p.slide, { ...p.box, w: width, h: height }]));
        if (mode === 'pictures') {
          for (const slide of shown) {
            throwIfInterrupted(session.signal);
            const box = pageOf.get(slide.index);
            const target = pptx.addSlide();
            if (box !== undefined)
              target.addImage({ data: await screenshot(session, page, box), x: 0, y: 0, w: inch(width), h: inch(height) });
            if (notes[slide.index] !== '') target.addNotes(notes[slide.index] ?? '');
          }
          return;
        }
        const measured = await session.race(page.evaluate(measureLayout, { indices }));
        const planner = new SlidePlanner(built, options.safeFonts === true, width);
        const plans = shown.map((slide) => {
          const m = measured.find((x) => x.index === slide.index) ?? {
            index: slide.index,
            background: { color: 'rgb(255, 255, 255)' },
            base: {
              font: 'Arial',
              fonts: ['Arial'],
              size: 16,
              color: 'rgb(0, 0, 0)',
              bold: false,
              italic: false,
              align: 'left',
              lineHeight: 20,
              background: '',
              transform: 'none',
            },
            blocks: [],
            images: [],
            effects: [],
            panels: [],
            decorated: false,
          };
          return planner.plan(slide, m);
        });
        diagnostics.push(...planner.diagnostics);
        // One master per distinct title box: a placeholder's position is its layout's.
        const masters = new Map<string, string>();
        pptx.defineSlideMaster({ title: 'DS_BLANK', objects: [] });
        for (const plan of plans) {
          if (plan.title === undefined) continue;
          const b = plan.title.box;
          const key = [b.x, b.y, b.w, b.h].map((n) => Math.round(n)).join(',');
          if (masters.has(key)) continue;
          const name = `DS_TITLE_${masters.size + 1}`;
          masters.set(key, name);
          pptx.defineSlideMaster({
            title: name,
            objects: [{ placeholder: { options: { name: 'title', type: 'title', ...textBox(b, width), ...TEXT_BOX }, text: '' } }],
          });
        }
        for (const plan of plans) {
          throwIfInterrupted(session.signal);
          const { slide, measured: m } = plan;
          const titleBox = plan.title?.box;
          const master =
            titleBox === undefined
              ? 'DS_BLANK'
              : (masters.get([titleBox.x, titleBox.y, titleBox.w, titleBox.h].map((n) => Math.round(n)).join(',')) ?? 'DS_BLANK');
          const target = pptx.addSlide({ masterName: master });
          const color = cssColor(m.background.color);
          const pageBox = pageOf.get(slide.index);
          // A plain colour stays an editable colour; an image or gradient background is a picture
          // of the background as Chromium paints it; the theme's ornaments, a picture with a
          // transparent background behind every shape.
          const paintedBackground = m.background.image !== undefined || m.effects.some((e) => e.includes('gradient'));
          if (!paintedBackground && color !== undefined) target.background = { color: color.hex };
          if (plan.backgroundShot && pageBox !== undefined) {
            const transparent = !paintedBackground;
            await session.race(page.evaluate(backgroundOnly, { index: slide.index, on: true, scrollTo: pageBox.y, transparent }));
            const data = await screenshot(session, page, pageBox, transparent);
            await session.race(page.evaluate(backgroundOnly, { index: slide.index, on: false, scrollTo: pageBox.y, transparent }));
            if (transparent) target.addImage({ data, x: 0, y: 0, w: inch(width), h: inch(height), altText: '' });
            else target.background = { data };
          }
          for (const panel of m.panels) {
            const fill = blendColor(panel.fill, m.background.color);
            target.addShape(pptx.ShapeType.rect, {
              ...boxOptions(panel.box),
              fill: fill === undefined ? { type: 'none' } : { color: fill },
              line: { type: 'none' },
            });
            const left = panel.left === undefined ? undefined : cssColor(panel.left.color);
            if (panel.left !== undefined && left !== undefined)
              target.addShape(pptx.ShapeType.rect, {
                ...boxOptions({ ...panel.box, w: panel.left.width }),
                fill: { color: left.hex },
                line: { type: 'none' },
              });
            const border = panel.border === undefined ? undefined : cssColor(panel.border.color);
            if (panel.border !== undefined && border !== undefined)
              target.addShape(pptx.ShapeType.rect, {
                ...boxOptions({ ...panel.box, h: panel.border.width }),
                fill: { color: border.hex },
                line: { type: 'none' },
              });
          }
          if (plan.title !== undefined) target.addText(plan.title.runs, { placeholder: 'title' });
          for (const add of plan.add) add(target, pptx);
          for (const image of m.images) {
            const data = await imageData(image.src);
            const box = image.box;
            if (data !== undefined) target.addImage({ data, ...boxOptions(box), altText: image.alt });
            else if (pageBox !== undefined)
              target.addImage({
                data: await screenshot(session, page, { ...box, x: pageBox.x + box.x, y: pageBox.y + box.y }),
                ...boxOptions(box),
                altText: image.alt,
              });
          }
          for (const picture of plan.pictures) {
            if (pageBox === undefined) continue;
            const box = picture.box;
            const data = await screenshot(session, page, { ...box, x: pageBox.x + box.x, y: pageBox.y + box.y });
            target.addImage({ data, ...boxOptions(box) });
          }
          if (notes[slide.index] !== '') target.addNotes(notes[slide.index] ?? '');
        }
      });
      throwIfInterrupted(session.signal);
      const raw = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array;
      return reproduciblePackage(raw);
    },
    { signal: session.signal },
  );
  return { file: options.out, slides: shown.length, diagnostics };
}
