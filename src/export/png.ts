/**
 * `decksmith png`: one PNG per slide (or per fragment step), captured from the same print view
 * the PDF is printed from, so a PNG shows exactly the PDF's page: no reveal controls or progress
 * bar. The files of one run appear together or not at all: they are written into a staging folder
 * beside them and renamed into place only once every capture succeeded.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { BrowserError, DecksmithError, OutputError, throwIfInterrupted } from '../errors.js';
import type { BuiltDeck, Diagnostic } from '../types.js';
import { loadPrintView } from '../browser/load.js';
import type { BrowserSession } from '../browser/session.js';
import { capturePages, type Box } from '../browser/layout.js';
import { checkOutputFile, systemReason } from '../build/check-output.js';
import { parseRange } from './range.js';
import { assertHasSlides, failedRequestDiagnostics, printJob } from './print-job.js';

export interface PngOptions {
  /** Folder the PNGs go to. */
  outDir: string;
  /** Device pixels per CSS pixel: 2 gives 2560×1440 for a 16:9 deck. */
  scale: number;
  /** 1-based slide numbers, e.g. `1-5,8`; default every slide. */
  range?: string | undefined;
  /** final: one PNG per slide; steps: one per fragment step (`<deck>-003-2.png`). */
  fragments: 'final' | 'steps';
  /** Also (or, with `ogOnly`, only) write `<deck>-og.png`: the first slide at 1200×630. */
  ogImage?: boolean | undefined;
  ogOnly?: boolean | undefined;
  timeoutMs: number;
}

export interface PngResult {
  /** Absolute paths of the files written, in slide order (the og image last). */
  files: string[];
  /** Pixel size of each slide PNG. */
  width: number;
  height: number;
  diagnostics: Diagnostic[];
}

/** Link previews (Open Graph, Twitter cards) expect 1200×630. */
export const OG_SIZE = { width: 1200, height: 630 } as const;

/** `<deck>-001.png` for slide 1; `<deck>-001-2.png` for its second fragment step. */
export function pngName(deck: string, slide: number, step?: number): string {
  const number = String(slide + 1).padStart(3, '0');
  return `${deck}-${number}${step === undefined ? '' : `-${step}`}.png`;
}

/** The part of a slide an og image shows: the full width, cropped top and bottom (or sides) to 1200:630, centred. */
export function ogClip(page: Box): Box & { scale: number } {
  const ratio = OG_SIZE.width / OG_SIZE.height;
  let w = page.w;
  let h = page.w / ratio;
  if (h > page.h) {
    h = page.h;
    w = page.h * ratio;
  }
  return { x: page.x + (page.w - w) / 2, y: page.y + (page.h - h) / 2, w, h, scale: OG_SIZE.width / w };
}

/**
 * Captures `box` (page coordinates) at `scale`. The page is scrolled to the box first and only the
 * viewport is captured: capturing beyond the viewport makes Chromium resize it and lay out the
 * whole print view again for every picture (about 300 ms a slide on a 50-slide deck).
 */
export async function capture(session: BrowserSession, page: Page, box: Box, scale: number, transparent = false): Promise<Uint8Array> {
  try {
    const client = await session.race(clientOf(page));
    // Where the page paints nothing, the PNG is transparent instead of white.
    if (transparent) await session.race(client.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } }));
    const top = await session.race(
      page.evaluate((y: number) => {
        window.scrollTo(0, y);
        return window.scrollY;
      }, box.y),
    );
    const { data } = await session.race(
      client.send('Page.captureScreenshot', {
        format: 'png',
        clip: { x: box.x, y: box.y, width: box.w, height: box.h, scale },
        captureBeyondViewport: top !== Math.round(box.y),
        optimizeForSpeed: true,
      }),
    );
    if (transparent) await session.race(client.send('Emulation.setDefaultBackgroundColorOverride', {}));
    return Buffer.from(data, 'base64');
  } catch (error) {
    session.assertAlive();
    if (error instanceof DecksmithError) throw error;
    throw new BrowserError('png-capture-failed', `Chromium could not capture the slide: ${(error as Error).message}`, { cause: error });
  }
}

const clients = new WeakMap<Page, Promise<CDPSession>>();
function clientOf(page: Page): Promise<CDPSession> {
  let client = clients.get(page);
  if (client === undefined) {
    client = page.createCDPSession();
    clients.set(page, client);
  }
  return client;
}

/**
 * Captures the slides of a built deck as PNGs into `options.outDir`. Files of an earlier run with
 * the same names are replaced; its `<deck>-NNN.png` files this run does not write (the deck got
 * shorter) are removed, so the folder always holds one consistent set.
 *
 * @throws BrowserError on load or capture failures, UsageError for a bad `--range`, OutputError
 *   when the folder cannot be written, InputError `no-slides` for a deck without slides.
 */
export async function exportPng(session: BrowserSession, built: BuiltDeck, options: PngOptions): Promise<PngResult> {
  const job = printJob(built);
  assertHasSlides(job, 'PNG');
  const keep = options.range === undefined ? null : parseRange(options.range, job.slides.length);
  const outDir = options.outDir;
  checkOutputFile(join(outDir, pngName(built.name, 0)));
  try {
    await mkdir(outDir, { recursive: true });
  } catch (cause) {
    throw new OutputError('output-write-failed', `Could not create ${outDir}: ${systemReason(cause)}`, { file: outDir, cause });
  }
  const staging = mkdtempSync(join(outDir, `.${built.name}-png-`));
  const written: { name: string; bytes: Uint8Array }[] = [];
  let diagnostics: Diagnostic[] = [];
  try {
    await session.withPage(async (page) => {
      const loaded = await loadPrintView(
        session,
        page,
        job.htmlPath,
        { fragments: options.fragments, notes: 'none' },
        job.slide,
        options.timeoutMs,
      );
      diagnostics = failedRequestDiagnostics(job, loaded.failedRequests);
      await session.race(
        page.evaluate(() => {
          document.documentElement.dataset['dsBuilt'] = '';
        }),
      );
      const pages = await session.race(page.evaluate(capturePages, keep));
      const steps = new Map<number, number>();
      for (const p of pages) steps.set(p.slide, (steps.get(p.slide) ?? 0) + 1);
      if (options.ogOnly !== true) {
        const seen = new Map<number, number>();
        for (const p of pages) {
          throwIfInterrupted(session.signal);
          const step = (seen.get(p.slide) ?? 0) + 1;
          seen.set(p.slide, step);
          const name = pngName(built.name, p.slide, options.fragments === 'steps' && (steps.get(p.slide) ?? 1) > 1 ? step : undefined);
          const bytes = await capture(session, page, { ...p.box, w: job.slide.width, h: job.slide.height }, options.scale);
          await writeFile(join(staging, name), bytes);
          written.push({ name, bytes });
        }
      }
      if (options.ogImage === true || options.ogOnly === true) {
        // The title slide: the first page of the view, whatever --range says.
        const all = keep === null ? pages : await session.race(page.evaluate(capturePages, null));
        const first = all[0];
        if (first !== undefined) {
          const clip = ogClip({ ...first.box, w: job.slide.width, h: job.slide.height });
          const name = `${built.name}-og.png`;
          const bytes = await capture(session, page, clip, clip.scale);
          await writeFile(join(staging, name), bytes);
          written.push({ name, bytes });
        }
      }
    });
    throwIfInterrupted(session.signal);
    // Every capture succeeded: move them in, then drop what an earlier, longer run left.
    const names = new Set(written.map((w) => w.name));
    for (const { name } of written) await rename(join(staging, name), join(outDir, name));
    if (options.ogOnly !== true && keep === null) {
      const pattern = new RegExp(`^${escapeRegExp(built.name)}-\\d{3,}(-\\d+)?\\.png$`);
      for (const entry of await readdir(outDir)) {
        if (pattern.test(entry) && !names.has(entry)) await rm(join(outDir, entry), { force: true });
      }
    }
  } catch (error) {
    if (error instanceof DecksmithError) throw error;
    throw new OutputError('output-write-failed', `Could not write the PNGs to ${outDir}: ${systemReason(error)}`, {
      file: outDir,
      cause: error,
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const width = Math.round(job.slide.width * options.scale);
  const height = Math.round(job.slide.height * options.scale);
  return { files: written.map((w) => join(outDir, w.name)), width, height, diagnostics };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
