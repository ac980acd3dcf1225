/**
 * `decksmith png <input>`: one PNG per slide (`<deck>-001.png`, …) and, with `--og-image`, the
 * title slide at 1200×630 for link previews, captured on one browser from the PDF's print view.
 */
import { buildForExport } from '../figures.js';
import { basename, resolve } from 'node:path';
import { dialectNotice } from '../../parse/dialect.js';
import { DEFAULT_TIMEOUT_MS } from '../../export/defaults.js';
import { parseRange, parseRangeSpans } from '../../export/range.js';
import type { DeckOptions } from '../../types.js';
import { tempDirectory } from '../../build/temp.js';
import { Reporter, type CliIO } from '../io.js';
import { startBrowser } from './pdf.js';

export interface PngFlags extends DeckOptions {
  out?: string;
  scale?: number;
  range?: string;
  fragments?: 'final' | 'steps';
  ogImage?: boolean;
  timeout?: number;
  quiet?: boolean;
}

export async function pngCommand(io: CliIO, input: string, flags: PngFlags): Promise<number> {
  if (flags.range !== undefined) parseRangeSpans(flags.range);
  const report = new Reporter(io, { quiet: flags.quiet === true });
  const browser = startBrowser(report.childIO(undefined, 'notices'));
  const exporter = import('../../export/png.js');
  exporter.catch(() => undefined);
  await using temp = tempDirectory('decksmith-png-');
  try {
    // Diagrams are drawn in the browser that prints or takes the pictures.
    const built = await buildForExport(io, browser, input, flags, temp.path);
    if (flags.range !== undefined) parseRange(flags.range, built.rendered.slides.length);
    const dialect = dialectNotice(input, built.deck.dialect);
    if (dialect !== undefined) report.notice(dialect);
    for (const d of [...built.deck.diagnostics, ...built.rendered.diagnostics]) report.diagnostic(d);
    const { exportPng, OG_SIZE } = await exporter;
    const session = await browser.session;
    const result = await exportPng(session, built, {
      outDir: resolve(io.cwd, flags.out ?? 'output'),
      scale: flags.scale ?? 1,
      range: flags.range,
      fragments: flags.fragments ?? 'final',
      ogOnly: flags.ogImage === true,
      timeoutMs: flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(flags.timeout * 1000),
    });
    for (const d of result.diagnostics) report.diagnostic(d);
    const slideFiles = result.files.filter((f) => !f.endsWith('-og.png'));
    const last = slideFiles[slideFiles.length - 1];
    if (slideFiles[0] !== undefined && last !== undefined) {
      const more = slideFiles.length > 1 ? ` … ${basename(last)}` : '';
      const count = `${slideFiles.length} PNG${slideFiles.length === 1 ? '' : 's'}`;
      report.result(`${slideFiles[0]}${more}  (${count}, ${result.width}×${result.height})`);
    }
    const og = result.files.find((f) => f.endsWith('-og.png'));
    if (og !== undefined) report.result(`${og}  (${OG_SIZE.width}×${OG_SIZE.height})`);
    return 0;
  } finally {
    await browser.close();
  }
}
