/**
 * A PDF of many slides is printed in two halves at once, each in a renderer process of its own,
 * and the two files joined (src/export/pdf.ts printInHalves, pdf-join.ts). The threshold is
 * lowered with DECKSMITH_SPLIT_PRINT so a nine-slide deck splits; every split PDF is compared with
 * the same PDF printed in one piece (DECKSMITH_SPLIT_PRINT=0): pages, sizes, text, bookmarks,
 * pixels, and a structure tree that reaches every page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserError } from '../../src/errors.js';
import { BrowserSession } from '../../src/browser/session.js';
import { exportPdf } from '../../src/export/pdf.js';
import type { BuiltDeck, PdfOptions } from '../../src/types.js';
import { browserForFile } from '../browser-for-file.js';
import { processGroup, releaseFifos, tempDir, until } from '../helpers.js';
import { makeDeck, nineSlides } from './fixture-deck.js';
import { loadPdf, outline, pageTexts, structElements } from './read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-split-print-');
const browser = browserForFile(cleanup);
const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 60_000 };

const saved = process.env['DECKSMITH_SPLIT_PRINT'];
afterEach(() => {
  if (saved === undefined) delete process.env['DECKSMITH_SPLIT_PRINT'];
  else process.env['DECKSMITH_SPLIT_PRINT'] = saved;
});

let built: BuiltDeck | undefined;
async function deck(): Promise<BuiltDeck> {
  built ??= await makeDeck(join(dir, 'nine'), nineSlides(), { title: 'Nine slides', author: 'Ada Lovelace' });
  return built;
}

/** Renderer processes of the session's Chromium (its process group) that are running. */
function renderers(pgid: number): number[] {
  return processGroup(pgid)
    .filter((process) => process.command.includes('--type=renderer'))
    .map((process) => process.pid);
}

/** Threads of the session's Chromium (its process group) waiting to open a FIFO. */
function fifoWaiters(pgid: number): number {
  let waiting = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`))
        if (readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8') === 'wait_for_partner') waiting += 1;
    } catch {
      // The process ended meanwhile.
    }
  }
  return waiting;
}

/** Prints `options` of `from` (the nine-slide deck); split or not, as asked, and checked. */
async function print(options: PdfOptions, file: string, split: boolean, from?: BuiltDeck): Promise<string> {
  process.env['DECKSMITH_SPLIT_PRINT'] = split ? '2' : '0';
  const session = browser();
  let contexts = 0;
  let printings = 0;
  const result = await exportPdf(
    session,
    from ?? (await deck()),
    { ...options, out: join(dir, file) },
    {
      onPhase: (phase) => {
        if (phase === 'printing') printings += 1;
        if (phase === 'printing' && contexts === 0) contexts = session.browser.browserContexts().length;
      },
    },
  );
  expect(contexts, 'browser contexts printing').toBe(split ? 2 : 1);
  // Once: a join that fails prints the deck again in one piece (same file, twice the time).
  expect(printings, 'printing phases').toBe(1);
  return result.file;
}

/** Each page rendered by poppler at 40 dpi, as PPM bytes. */
function pixels(file: string): Buffer[] {
  const folder = `${file}.px`;
  mkdirSync(folder, { recursive: true });
  execFileSync('pdftoppm', ['-r', '40', file, join(folder, 'p')]);
  return readdirSync(folder)
    .sort()
    .map((name) => readFileSync(join(folder, name)));
}

/**
 * For each page, the pages the structure elements listed under its /StructParents key point to
 * (/Pg); and every page some structure element reaches from the root.
 */
function structure(doc: PDFDocument): { byKey: number[][]; reached: Set<number> } {
  const pages = doc.getPages().map((page) => page.ref.toString());
  const pageOf = (value: PDFObject | undefined): number => (value instanceof PDFRef ? pages.indexOf(value.toString()) : -1);
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
  const reached = new Set(structElements(doc).flatMap((element) => [...element.pages]));
  const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray).asArray();
  const tree = new Map<number, PDFObject | undefined>();
  for (let i = 0; i < nums.length; i += 2) tree.set((nums[i] as PDFNumber).asNumber(), nums[i + 1]);
  const byKey = doc.getPages().map((page) => {
    const key = page.node.get(PDFName.of('StructParents'));
    const list = key instanceof PDFNumber ? doc.context.lookup(tree.get(key.asNumber())) : undefined;
    return list instanceof PDFArray
      ? list.asArray().map((element) => pageOf(doc.context.lookup(element, PDFDict).get(PDFName.of('Pg'))))
      : [];
  });
  return { byKey, reached };
}

describe('printing a PDF in two halves', () => {
  it('prints each half in a renderer process of its own, at the same time', { timeout: 90_000 }, async () => {
    const session = browser();
    const pid = session.pid ?? 0;
    let seen: { contexts: number; renderers: number } | undefined;
    process.env['DECKSMITH_SPLIT_PRINT'] = '2';
    await exportPdf(
      session,
      await deck(),
      { ...base, out: join(dir, 'watched.pdf') },
      {
        onPhase: (phase) => {
          if (phase === 'printing') seen ??= { contexts: session.browser.browserContexts().length, renderers: renderers(pid).length };
        },
      },
    );
    expect(seen?.contexts).toBe(2);
    expect(seen?.renderers).toBeGreaterThanOrEqual(2);
    // The second context goes with its tab.
    expect(session.browser.browserContexts()).toHaveLength(1);
  });

  // As the CLI launches it, with Chromium's blank tab and a print tab open, and a renderer process
  // limit (rendererProcessLimit) that three renderers exceed: the second half's browser context
  // still gets a renderer of its own, so the halves do not print one after the other.
  it('gets a renderer per half with a print tab open, as `decksmith pdf` has', { timeout: 90_000 }, async () => {
    await using session = await BrowserSession.launch({ printTab: true, networkEvents: false });
    const pid = session.child.pid ?? 0;
    let most = 0;
    process.env['DECKSMITH_SPLIT_PRINT'] = '2';
    await exportPdf(
      session,
      await deck(),
      { ...base, out: join(dir, 'print-tab.pdf') },
      {
        onPhase: (phase) => {
          if (phase === 'printing') most = Math.max(most, renderers(pid).length);
        },
      },
    );
    expect(most).toBeGreaterThanOrEqual(3);
  });

  const cases: [string, PdfOptions][] = [
    ['slides', base],
    ['fragment steps and notes pages', { ...base, fragments: 'steps', notes: 'page' }],
    ['notes below, on A4', { ...base, notes: 'below', size: 'a4' }],
    ['a range', { ...base, range: '2-4,6,8-9' }],
  ];
  for (const [name, options] of cases) {
    it(`gives the pages, text, bookmarks and pixels of one piece: ${name}`, { timeout: 120_000 }, async () => {
      const tag = name.replace(/\W+/g, '-');
      const whole = await print(options, `${tag}-whole.pdf`, false);
      const split = await print(options, `${tag}-split.pdf`, true);
      const [a, b] = [await loadPdf(whole), await loadPdf(split)];
      expect(b.getPageCount()).toBe(a.getPageCount());
      expect(b.getPages().map((p) => p.getSize())).toEqual(a.getPages().map((p) => p.getSize()));
      expect(await pageTexts(split)).toEqual(await pageTexts(whole));
      expect(outline(b)).toEqual(outline(a));
      expect(b.getTitle()).toBe(a.getTitle());
      expect(b.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(en)');
      const [pa, pb] = [pixels(whole), pixels(split)];
      expect(pb.length).toBe(pa.length);
      for (const [i, page] of pb.entries()) expect(page.equals(pa[i] as Buffer), `page ${i + 1}`).toBe(true);
    });
  }

  it('splits even a two-slide deck, a slide to each tab', { timeout: 90_000 }, async () => {
    const two = await makeDeck(join(dir, 'two'), [
      { title: 'Left', body: 'LEFTTEXT' },
      { title: 'Right', body: 'RIGHTTEXT' },
    ]);
    const split = await print(base, 'two-split.pdf', true, two);
    const whole = await print(base, 'two-whole.pdf', false, two);
    expect(await pageTexts(split)).toEqual(await pageTexts(whole));
    expect((await pageTexts(split)).map((text) => /LEFTTEXT|RIGHTTEXT/.exec(text)?.[0])).toEqual(['LEFTTEXT', 'RIGHTTEXT']);
  });

  it('splits a deck with tables in both halves, printing it once', { timeout: 90_000 }, async () => {
    const table = (n: number) => ({ title: `Table ${n}`, body: `| head ${n} | other |\n| --- | --- |\n| TCELL${n} | 2 |` });
    const tables = await makeDeck(join(dir, 'tables'), [table(1), table(2), table(3), table(4)]);
    const split = await print(base, 'tables-split.pdf', true, tables);
    const whole = await print(base, 'tables-whole.pdf', false, tables);
    expect(await pageTexts(split)).toEqual(await pageTexts(whole));
    expect(pixels(split)).toEqual(pixels(whole));
  });

  it('joins one structure tree: every page reached, its ParentTree entry pointing at it', { timeout: 90_000 }, async () => {
    // Chromium tags what assistive technology sees: the first slide, as under reveal.js, and the
    // links on every slide (which keeps each half tagged).
    const slides = [...Array(8).keys()].map((i) => ({
      title: `Linked ${i + 1}`,
      body: `Text ${i + 1}, with [a link](https://example.com/${i + 1}).\n\n::: fragments\n- one\n- two\n:::`,
    }));
    const linked = await makeDeck(join(dir, 'tags'), slides);
    const split = await print({ ...base, fragments: 'steps' }, 'tags-split.pdf', true, linked);
    const whole = await print({ ...base, fragments: 'steps' }, 'tags-whole.pdf', false, linked);
    expect(await pageTexts(split)).toEqual(await pageTexts(whole));
    const doc = await loadPdf(split);
    expect(doc.catalog.lookup(PDFName.of('MarkInfo'), PDFDict).get(PDFName.of('Marked'))?.toString()).toBe('true');
    const { byKey, reached } = structure(doc);
    const count = doc.getPageCount();
    expect([...reached].sort((x, y) => x - y)).toEqual([...Array(count).keys()]);
    byKey.forEach((targets, page) => {
      expect(targets.length, `page ${page + 1}`).toBeGreaterThan(0);
      expect(new Set(targets), `page ${page + 1}`).toEqual(new Set([page]));
    });
  });

  it('is byte-identical from run to run', { timeout: 90_000 }, async () => {
    const first = await print(base, 'again-1.pdf', true);
    const second = await print(base, 'again-2.pdf', true);
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  });

  it('prints a deck that links inside itself in one piece, its links kept', { timeout: 90_000 }, async () => {
    const linked = await makeDeck(join(dir, 'linked'), [
      { title: 'First', body: '<span id="to-first">start</span> Jump to [the end](#to-last).' },
      { title: 'Middle', body: 'Nothing to see.' },
      { title: 'Last', body: '<span id="to-last">end</span> Back to [the start](#to-first).' },
    ]);
    const session = browser();
    let contexts = 0;
    process.env['DECKSMITH_SPLIT_PRINT'] = '2';
    const result = await exportPdf(
      session,
      linked,
      { ...base, out: join(dir, 'linked.pdf') },
      {
        onPhase: (phase) => {
          if (phase === 'printing') contexts = session.browser.browserContexts().length;
        },
      },
    );
    expect(contexts).toBe(1);
    const doc = await loadPdf(result.file);
    const dests = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
    const pages = doc.getPages().map((page) => page.ref.toString());
    const target = (name: string): number => pages.indexOf(dests.lookup(PDFName.of(name), PDFArray).get(0).toString());
    expect([target('to-first'), target('to-last')]).toEqual([0, 2]);
  });

  it('fails as one tab does when a tab times out: the timeout named, no file, no tab left', { timeout: 90_000 }, async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    const slow = await makeDeck(join(dir, 'slow'), [{ title: 'One' }, { title: 'Two' }, { title: 'Hangs', body: '![hangs](never.png)' }], {
      name: 'slow',
      files: { 'never.png': png },
    });
    const image = join(slow.outDir, slow.rendered.assets.find((a) => a.source.endsWith('never.png'))?.target ?? 'never.png');
    rmSync(image);
    execFileSync('mkfifo', [image]);
    process.env['DECKSMITH_SPLIT_PRINT'] = '2';
    const session = browser();
    const file = join(dir, 'slow.pdf');
    const error = await exportPdf(session, slow, { ...base, timeoutMs: 4000, out: file }).catch((e: unknown) => e);
    // The tabs are gone, but their file threads still wait on the FIFO until it is let go, and
    // would be missing from the tests after this one.
    const pgid = session.pid ?? 0;
    expect(fifoWaiters(pgid)).toBeGreaterThan(0);
    releaseFifos(image);
    await until(() => fifoWaiters(pgid) === 0);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).code).toBe('pdf-timeout');
    expect((error as BrowserError).message).toContain('never.png');
    expect(existsSync(file)).toBe(false);
    expect(session.browser.browserContexts()).toHaveLength(1);
    expect(await session.browser.pages()).toHaveLength(0);
  });

  it('fails at once when one half fails, closing the other tab rather than waiting for it', { timeout: 90_000 }, async () => {
    // The second half waits for ever on an image that never arrives (a FIFO nobody writes), with
    // a timeout far past the test's: only closing its tab ends the print in time.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    // A background image: asked for only by the tab that lays its slide out (the second).
    const stuck = await makeDeck(join(dir, 'stuck'), [{ title: 'One' }, { title: 'Two' }, { title: 'Hangs', body: '![bg](never.png)' }], {
      name: 'stuck',
      files: { 'never.png': png },
    });
    const image = join(stuck.outDir, stuck.rendered.assets.find((a) => a.source.endsWith('never.png'))?.target ?? 'never.png');
    rmSync(image);
    execFileSync('mkfifo', [image]);
    process.env['DECKSMITH_SPLIT_PRINT'] = '2';
    const session = browser();
    const file = join(dir, 'stuck.pdf');
    const error = await exportPdf(
      session,
      stuck,
      { ...base, timeoutMs: 600_000, out: file },
      {
        // The first half fails as it starts to print: its tab (the default context's) closes.
        onPhase: (phase) => {
          if (phase === 'printing')
            void session.browser
              .defaultBrowserContext()
              .pages()
              .then((tabs) => tabs[0]?.close());
        },
      },
    ).catch((e: unknown) => e);
    releaseFifos(image);
    expect(error).toBeInstanceOf(BrowserError);
    expect(existsSync(file)).toBe(false);
    expect(session.browser.browserContexts()).toHaveLength(1);
    expect(await session.browser.pages()).toHaveLength(0);
  });

  it('fails as one tab does when Chromium dies while the halves print: no file', { timeout: 90_000 }, async () => {
    const session = await BrowserSession.launch();
    try {
      process.env['DECKSMITH_SPLIT_PRINT'] = '2';
      const file = join(dir, 'crashed.pdf');
      const error = await exportPdf(
        session,
        await deck(),
        { ...base, out: file },
        {
          onPhase: (phase) => {
            if (phase === 'printing') process.kill(-(session.pid ?? 0), 'SIGKILL');
          },
        },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrowserError);
      expect((error as BrowserError).code).toBe('browser-crashed');
      expect(existsSync(file)).toBe(false);
    } finally {
      await session.close();
    }
  });
});
