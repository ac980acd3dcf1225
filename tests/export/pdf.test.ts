import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserError } from '../../src/errors.js';
import { BrowserSession, exportDecks, exportPdf } from '../../src/export/index.js';
import type { BuiltDeck, PdfOptions } from '../../src/types.js';
import { releaseFifos } from '../helpers.js';
import { makeDeck, nineSlides } from './fixture-deck.js';
import { loadPdf, outline, pageTexts } from './read-pdf.js';

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 30_000 };
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let root: string;
let session: BrowserSession;
let deck: BuiltDeck;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-pdf-test-'));
  deck = await makeDeck(root, nineSlides(), { title: 'Nine slides', author: 'Ada Lovelace' });
  session = await BrowserSession.launch();
});

afterAll(async () => {
  await session?.close();
  rmSync(root, { recursive: true, force: true });
});

const out = (name: string): string => join(root, name);

describe('exportPdf', () => {
  it('prints one page per slide, vertical slide included, fragments in their final state', async () => {
    const result = await exportPdf(session, deck, base);
    expect(result).toEqual({ file: join(root, 'deck.pdf'), pages: 9, diagnostics: [] });
    expect(readFileSync(result.file).subarray(0, 5).toString()).toBe('%PDF-');
    const texts = await pageTexts(result.file);
    expect(texts).toHaveLength(9);
    for (const [i, text] of texts.entries()) expect(text).toContain(i === 1 ? 'FRAGC' : `ZQX${i + 1}`);
    expect(texts[1]).toContain('FRAGA');
    const doc = await loadPdf(result.file);
    const { width, height } = doc.getPage(0).getSize();
    expect([width, height]).toEqual([960, 540]);
  });

  it('gives a page per fragment step with --fragments steps', async () => {
    const result = await exportPdf(session, deck, { ...base, fragments: 'steps', out: out('steps.pdf') });
    // reveal prints the slide with no fragment shown, then one page per step: 8 + 1 + 3.
    expect(result.pages).toBe(12);
    const texts = await pageTexts(result.file);
    expect(texts[1]).not.toContain('FRAGA');
    expect(texts[2]).toContain('FRAGA');
    expect(texts[2]).not.toContain('FRAGB');
    expect(texts[4]).toContain('FRAGC');
  });

  it('writes title, author, keywords, language, fixed dates and nested bookmarks', async () => {
    const file = out('meta.pdf');
    await exportPdf(session, deck, { ...base, out: file });
    const doc = await loadPdf(file);
    expect(doc.getTitle()).toBe('Nine slides');
    expect(doc.getAuthor()).toBe('Ada Lovelace');
    expect(doc.getKeywords()).toBe('fixture pdf');
    expect(doc.getCreator()).toBe('decksmith');
    expect(doc.getCreationDate()?.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(en)');
    const marks = outline(doc);
    expect(marks.map((m) => m.title)).toEqual([
      'Slide 1 heading',
      'Fragments',
      'Slide 3 heading',
      'Slide 4 heading',
      'Slide 6 heading',
      'Slide 7 heading',
      'Slide 8 heading',
      'Slide 9 heading',
    ]);
    expect(marks[3]?.children.map((m) => m.title)).toEqual(['Slide 5 heading']);
  });

  it('is byte-identical across runs', async () => {
    await exportPdf(session, deck, { ...base, out: out('a.pdf') });
    await exportPdf(session, deck, { ...base, out: out('b.pdf') });
    expect(readFileSync(out('a.pdf')).equals(readFileSync(out('b.pdf')))).toBe(true);
  });

  it('honours --range, --size and notes pages', async () => {
    const ranged = await exportPdf(session, deck, { ...base, range: '2-4,9', out: out('range.pdf') });
    expect(ranged.pages).toBe(4);
    const texts = await pageTexts(ranged.file);
    expect(texts[0]).toContain('FRAGA');
    expect(texts[3]).toContain('ZQX9');
    const a4 = await exportPdf(session, deck, { ...base, size: 'a4', out: out('a4.pdf') });
    const page = (await loadPdf(a4.file)).getPage(0).getSize();
    expect(Math.round(page.width)).toBe(842);
    expect(Math.round(page.height)).toBe(595);
    // Seven slides have notes; each gets a page after its slide.
    const notes = await exportPdf(session, deck, { ...base, notes: 'page', out: out('notes.pdf') });
    expect(notes.pages).toBe(16);
    expect((await pageTexts(notes.file))[1]).toContain('NOTE1');
    const below = await exportPdf(session, deck, { ...base, notes: 'below', out: out('below.pdf') });
    expect(below.pages).toBe(9);
    expect((await pageTexts(below.file))[0]).toMatch(/ZQX1.*NOTE1/);
  });

  // A long `build --watch --pdf` session or a folder of decks exports again and again on one browser.
  it('leaves no pages, file descriptors or signal handlers behind, export after export', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const once = (i: number) =>
      exportPdf(session, deck, i % 2 === 0 ? { ...base, out: out('soak.pdf') } : { ...base, handout: 2, out: out('soak-h.pdf') });
    await once(0);
    await once(1);
    const before = { fds: fds(), sigint: process.listenerCount('SIGINT'), pages: (await session.browser.pages()).length };
    for (let i = 0; i < 16; i++) await once(i);
    expect({ fds: fds(), sigint: process.listenerCount('SIGINT'), pages: (await session.browser.pages()).length }).toEqual(before);
    expect(before.pages).toBe(0);
    expect((await pageTexts(out('soak.pdf'))).length).toBe(9);
  });

  it('writes a 3-up handout whose notes are real text, with ruled lines where there are none', async () => {
    const result = await exportPdf(session, deck, { ...base, handout: 3 });
    expect(result).toEqual({ file: join(root, 'deck-handout.pdf'), pages: 3, diagnostics: [] });
    const doc = await loadPdf(result.file);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    const texts = await pageTexts(result.file);
    expect(texts[0]).toMatch(/ZQX1.*NOTE1.*FRAGA.*NOTE2.*ZQX3.*NOTE3/s);
    expect(texts[2]).toContain('ZQX9');
    expect(texts[2]).toContain('Nine slides');
    expect(texts[2]).toContain('3 / 3');
    for (const n of [1, 2, 3, 4, 5, 7, 8]) expect(texts.join(' ')).toContain(`NOTE${n}`);
  });

  it.each([
    [1, 9],
    [2, 5],
    [4, 3],
    [6, 2],
  ] as const)('fits %i slides per handout page', async (perPage, pages) => {
    const result = await exportPdf(session, deck, { ...base, handout: perPage, size: 'letter', out: out(`h${perPage}.pdf`) });
    expect(result.pages).toBe(pages);
    const size = (await loadPdf(result.file)).getPage(0).getSize();
    expect([Math.round(size.width), Math.round(size.height)]).toEqual([612, 792]);
  });

  it('names what was still loading when --timeout expires, and leaves no file', async () => {
    // Only the deck's own files may load while printing, so what hangs is one of them: a FIFO
    // that no one ever writes to.
    const slow = await makeDeck(join(root, 'slow'), [{ title: 'Hangs', body: '![hangs](never.png)' }], {
      name: 'slow',
      files: { 'never.png': PNG_1PX },
    });
    const image = join(slow.outDir, slow.rendered.assets.find((a) => a.source.endsWith('never.png'))?.target ?? 'never.png');
    rmSync(image);
    execFileSync('mkfifo', [image]);
    const error = await exportPdf(session, slow, { ...base, timeoutMs: 5000 }).catch((e: unknown) => e);
    releaseFifos(image);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).code).toBe('pdf-timeout');
    expect((error as BrowserError).message).toContain('never.png');
    expect(readdirSync(join(root, 'slow'))).not.toContain('slow.pdf');
  });

  it("names the deck's own file first when decksmith's files are still loading too", async () => {
    // A loaded machine can leave the theme's CSS in flight when the timeout fires (CI saw five of
    // them fill the list and hide the image). Here they never arrive: each is a FIFO.
    const slow = await makeDeck(join(root, 'slow-css'), [{ title: 'Hangs', body: '![hangs](never.png)' }], {
      name: 'slow-css',
      files: { 'never.png': PNG_1PX },
    });
    const styles = slow.rendered.assets.filter((a) => a.kind === 'style' && a.target.startsWith('assets/')).map((a) => a.target);
    expect(styles.length).toBeGreaterThanOrEqual(6);
    const image = slow.rendered.assets.find((a) => a.source.endsWith('never.png'))?.target ?? 'never.png';
    for (const target of [...styles, image]) {
      rmSync(join(slow.outDir, target));
      execFileSync('mkfifo', [join(slow.outDir, target)]);
    }
    const error = await exportPdf(session, slow, { ...base, timeoutMs: 4000 }).catch((e: unknown) => e);
    releaseFifos(...[...styles, image].map((target) => join(slow.outDir, target)));
    expect((error as BrowserError).code).toBe('pdf-timeout');
    const still = (error as BrowserError).message.split('Still loading: ')[1] ?? '';
    expect(still.split(', ')[0]).toMatch(/\/never\.png$/);
    expect(still).toMatch(/assets\/theme\/base\.css/);
  });

  it('fetches nothing from the network while printing: a remote image is blocked, not waited for', async () => {
    const requests: string[] = [];
    const server: Server = createServer((request) => void requests.push(request.url ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const remote = await makeDeck(join(root, 'remote'), [{ title: 'Remote', body: `![remote](http://127.0.0.1:${port}/never.png)` }], {
      name: 'remote',
    });
    // The page really refers to the server: what stops the request is the print-time block.
    expect(readFileSync(remote.htmlPath, 'utf8')).toContain(`http://127.0.0.1:${port}/never.png`);
    try {
      const result = await exportPdf(session, remote, { ...base, timeoutMs: 30_000 });
      expect(result.pages).toBe(1);
      expect(requests).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('exportDecks', () => {
  it('exports several decks and variants concurrently on one browser', async () => {
    const decks = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        makeDeck(join(root, 'many'), [{ title: `Deck ${name}`, body: `only-${name}` }, { title: 'Second' }], { name, title: name }),
      ),
    );
    const events: string[] = [];
    const outcomes = await exportDecks(decks, [base, { ...base, handout: 2 }], {
      session,
      concurrency: 2,
      onProgress: (event) => events.push(`${event.state}:${event.deck}:${event.kind}`),
    });
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(outcomes.map((o) => o.result?.pages)).toEqual([2, 1, 2, 1, 2, 1]);
    for (const name of ['one', 'two', 'three']) {
      const [text] = await pageTexts(join(root, 'many', `${name}.pdf`));
      expect(text).toContain(`only-${name}`);
    }
    expect(events.filter((e) => e.startsWith('done'))).toHaveLength(6);
  });

  it('lets the browser shut down once every deck has printed, while the PDFs are still being finished', async () => {
    const own = await BrowserSession.launch();
    const decks = await Promise.all(
      ['four', 'five'].map((name) =>
        makeDeck(join(root, 'early'), [{ title: `Deck ${name}` }, { title: 'Second' }], { name, title: name }),
      ),
    );
    const calls: number[] = [];
    const written: string[] = [];
    const outcomes = await exportDecks(decks, [base, { ...base, handout: 2 }], {
      session: own,
      concurrency: 2,
      onBrowserDone: () => {
        calls.push(written.length);
        void own.close();
      },
      onProgress: (event) => {
        if (event.state === 'done') written.push(event.deck);
      },
    });
    // Once, after the last print and before every file was written; the closed browser fails nothing.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeLessThan(4);
    expect(outcomes.map((o) => o.error?.format())).toEqual([undefined, undefined, undefined, undefined]);
    expect(outcomes.map((o) => o.result?.pages)).toEqual([2, 1, 2, 1]);
    const texts = (await pageTexts(join(root, 'early', 'five.pdf'))).map((t) => t.toLowerCase());
    expect(texts).toEqual([expect.stringContaining('deck five'), expect.stringContaining('second')]);
    // The shutdown started in the callback is the one close() waits for.
    await own.close();
    expect(own.browser.connected).toBe(false);
    expect(own.child.exitCode !== null || own.child.signalCode !== null).toBe(true);
  });
});
