/**
 * What printing needs to know of a deck, and nothing more: where its page is, its size, and per
 * slide what the PDF's bookmarks, notes and warnings name. `printJob` takes it from a BuiltDeck;
 * a program that built its HTML some other way can fill one in by hand.
 */
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FailedRequest } from '../browser/load.js';
import { InputError } from '../errors.js';
import { RUNTIME } from '../render/index.js';
import type { AssetRef, BuiltDeck, Diagnostic, RenderedSlide, Slide } from '../types.js';
import type { PdfInfo } from './finish-pdf.js';

export interface PrintSlide {
  /** The slide's title ('' for none): bookmarks and notes labels. */
  title: string;
  /** reveal.js indices: a slide with `v > 0` nests under its stack's top slide in the bookmarks. */
  h: number;
  v: number;
  /** 1-based first line of the slide in `file`, where its warnings point. */
  line: number;
  /** Rendered speaker notes ('' when none), for handouts. */
  notesHtml: string;
  /** How the deck shrinks the slide when it overflows (RenderedSlide.fit). */
  fit: RenderedSlide['fit'];
  /** `data-visibility="hidden"` (and the deck does not set reveal's showHiddenSlides): the print view leaves it out. */
  hidden: boolean;
}

export interface PrintJob {
  /** The deck's page; only files in its folder load while it prints. */
  htmlPath: string;
  /** The Markdown file that warnings name. */
  file: string;
  /** Slide size in CSS px. */
  slide: { width: number; height: number };
  /** Every slide in reading order. */
  slides: PrintSlide[];
  /** Document information for the PDF (without the handout suffix). */
  info: PdfInfo;
  /** Files the page loads, relative to its folder: a file that fails to load is named by these. */
  assets: readonly AssetRef[];
  /** Line of the `theme:` front-matter key; 1 when the front matter names no theme. */
  themeLine: number;
}

/**
 * Whether the print view (and reveal.js when presenting) leaves `slide` out: `<!-- .slide:
 * data-visibility="hidden" -->`, unless the deck's `reveal:` options set showHiddenSlides.
 */
export function isHidden(built: BuiltDeck, slide: Slide): boolean {
  return slide.attributes['data-visibility'] === 'hidden' && built.deck.config.reveal['showHiddenSlides'] !== true;
}

/**
 * Throws unless the deck has a slide to capture. reveal.js never signals that a deck without
 * slides (or with every slide hidden) is ready to print, so `png` and `pptx` would otherwise wait
 * for their whole timeout and then blame a resource that did not load. (`pdf` lays its pages out
 * itself and prints one blank page, with the deck's `empty-deck` warning.)
 *
 * @throws InputError `no-slides`, naming the deck's file.
 */
export function assertHasSlides(job: PrintJob, output: string): void {
  if (job.slides.some((slide) => !slide.hidden)) return;
  if (job.slides.length > 0)
    throw new InputError('no-slides', `every slide of the deck is hidden, so there is nothing to write as ${output}`, {
      file: job.file,
      line: job.slides[0]?.line,
      hint: 'Remove data-visibility="hidden" from a slide, or set "showHiddenSlides: true" under "reveal:" in the front matter.',
    });
  throw new InputError('no-slides', `the deck has no slides, so there is nothing to write as ${output}`, {
    file: job.file,
    hint: 'Write some Markdown after the front matter (a slide for each part between "---" lines), then run it again.',
  });
}

/** The print job of a deck written by buildDeck. */
export function printJob(built: BuiltDeck): PrintJob {
  const config = built.deck.config;
  return {
    htmlPath: built.htmlPath,
    file: built.file,
    slide: { width: built.rendered.width, height: built.rendered.height },
    slides: built.rendered.slides.map((rendered, i) => {
      const slide = built.deck.slides[i];
      return {
        title: slide?.title.trim() || rendered.title.trim(),
        h: slide?.h ?? rendered.h,
        v: slide?.v ?? rendered.v,
        line: slide?.lines[0] ?? 1,
        notesHtml: rendered.notesHtml,
        fit: rendered.fit,
        hidden: slide !== undefined && isHidden(built, slide),
      };
    }),
    info: {
      title: built.deck.title !== '' ? built.deck.title : built.name,
      author: config.author,
      subject: config.description ?? config.subtitle,
      keywords: config.keywords,
      lang: config.lang,
    },
    assets: built.rendered.assets,
    themeLine: built.deck.configLines?.['theme'] ?? 1,
  };
}

const RUNTIME_DIRS = [RUNTIME.revealJs, RUNTIME.katexCss, RUNTIME.highlightDir].map(
  (target) => `${target.split('/').slice(0, 2).join('/')}/`,
);

/**
 * One `asset-not-loaded` warning per file of the deck that Chromium could not load while printing
 * (deleted or made unreadable after the build, say): the PDF then lacks an image or falls back to
 * another font, which nobody would notice until it is handed out. An author's image or `css:`
 * file is named at the line that refers to it; a theme's font, stylesheet or image at the
 * `theme:` line, since that is where the deck chose it.
 */
export function failedRequestDiagnostics(job: PrintJob, failed: readonly FailedRequest[]): Diagnostic[] {
  const deckDir = dirname(job.htmlPath);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const request of failed) {
    let target: string;
    try {
      target = relative(deckDir, fileURLToPath(request.url)).split(sep).join('/');
    } catch {
      target = request.url;
    }
    if (seen.has(target)) continue;
    seen.add(target);
    const asset = job.assets.find((a) => a.target === target);
    const shown = asset?.source ?? target;
    const what = asset === undefined ? 'file' : asset.kind === 'style' ? 'stylesheet' : asset.kind === 'other' ? 'file' : asset.kind;
    let line: number;
    let message: string;
    if (asset?.line !== undefined) {
      line = asset.line;
      message = `${what} ${shown} did not load while printing (${request.reason}), so the PDF lacks it; check that the file is still there and readable`;
    } else if (asset === undefined || RUNTIME_DIRS.some((dir) => target.startsWith(dir))) {
      line = 1;
      message = `decksmith's ${what} ${shown} did not load while printing (${request.reason}); build the deck again`;
    } else {
      line = job.themeLine;
      message = `the theme's ${what} ${shown} did not load while printing (${request.reason}), so the PDF ${asset.kind === 'font' ? 'uses a fallback font' : 'is not styled as the theme intends'}; check that the theme still has the file and that it is readable`;
    }
    diagnostics.push({ severity: 'warning', code: 'asset-not-loaded', message, line, file: job.file });
  }
  return diagnostics;
}
