/**
 * `build --pdf --handout N` on several decks: a deck's slides PDF and its handout load the same
 * print view, so they are printed from one page load, the handout laid out after the PDF is
 * printed; what comes out must be what each would be alone, byte for byte. And a deck prints as
 * soon as it is built, while the next ones build (exportQueue).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrowserSession, exportDecks, type ExportOutcome } from '../../src/export/index.js';
import type { BuiltDeck, PdfOptions } from '../../src/types.js';
import { exportQueue } from '../../src/export/decks.js';
import { makeDeck, nineSlides } from './fixture-deck.js';
import { pageTexts } from './read-pdf.js';

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 60_000 };

let root: string;
let session: BrowserSession;
let deck: BuiltDeck;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-shared-page-'));
  deck = await makeDeck(root, nineSlides(), { title: 'Nine slides' });
  session = await BrowserSession.launch();
});

afterAll(async () => {
  await session?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `work` and counts the times a tab navigated to the deck's page meanwhile. */
async function deckLoads<T>(work: () => Promise<T>): Promise<{ value: T; loads: number }> {
  const page = pathToFileURL(deck.htmlPath).href;
  let loads = 0;
  const count = (target: { url(): string }): void => {
    if (target.url().startsWith(page)) loads += 1;
  };
  session.browser.on('targetchanged', count);
  try {
    return { value: await work(), loads };
  } finally {
    session.browser.off('targetchanged', count);
  }
}

const ok = (outcomes: ExportOutcome[]): void => expect(outcomes.map((o) => o.error?.format())).toEqual(outcomes.map(() => undefined));

it.each([
  { name: 'every slide', range: undefined, pages: [9, 3], slides: ['ZQX1', 'ZQX9'] },
  { name: 'a range', range: '3-6', pages: [4, 2], slides: ['ZQX3', 'ZQX6'] },
])('prints a slides PDF and its 3-up handout of $name from one page load, as each prints alone', async ({ range, pages, slides }) => {
  const dir = join(root, range ?? 'all');
  mkdirSync(dir, { recursive: true });
  const pdf = { ...base, ...(range === undefined ? {} : { range }) };
  const handout = { ...pdf, handout: 3 as const };
  const alone = [
    ...(await exportDecks([deck], [{ ...pdf, out: join(dir, 'alone.pdf') }], { session })),
    ...(await exportDecks([deck], [{ ...handout, out: join(dir, 'alone-handout.pdf') }], { session })),
  ];
  ok(alone);
  const shared = await deckLoads(() =>
    exportDecks(
      [deck],
      [
        { ...pdf, out: join(dir, 'shared.pdf') },
        { ...handout, out: join(dir, 'shared-handout.pdf') },
      ],
      {
        session,
        concurrency: 2,
      },
    ),
  );
  ok(shared.value);
  expect(shared.loads).toBe(1);
  expect(shared.value.map((o) => o.result?.pages)).toEqual(pages);
  expect(readFileSync(join(dir, 'shared.pdf')).equals(readFileSync(join(dir, 'alone.pdf')))).toBe(true);
  expect(readFileSync(join(dir, 'shared-handout.pdf')).equals(readFileSync(join(dir, 'alone-handout.pdf')))).toBe(true);
  // The handout is a handout: slides with their notes as text, three to a sheet.
  const sheets = await pageTexts(join(dir, 'shared-handout.pdf'));
  expect(sheets).toHaveLength(pages[1] ?? 0);
  expect(sheets[0]).toContain(slides[0]);
  expect(sheets[0]).toContain(`NOTE${slides[0]?.slice(3)}`);
  expect(sheets.at(-1)).toContain(slides[1]);
});

it('still prints the handout when the slides PDF cannot be written, and loads the deck once for it', async () => {
  const dir = join(root, 'blocked');
  // A folder where the PDF should go: that PDF fails before anything loads.
  mkdirSync(join(dir, 'slides.pdf'), { recursive: true });
  const { value: outcomes, loads } = await deckLoads(() =>
    exportDecks(
      [deck],
      [
        { ...base, out: join(dir, 'slides.pdf') },
        { ...base, handout: 2, out: join(dir, 'handout.pdf') },
      ],
      { session },
    ),
  );
  expect(outcomes[0]?.error?.code).toBe('output-is-a-folder');
  expect(outcomes[1]?.error).toBeUndefined();
  expect(outcomes[1]?.result?.pages).toBe(5);
  expect(loads).toBe(1);
  const sheets = await pageTexts(join(dir, 'handout.pdf'));
  expect(sheets[0]).toContain('NOTE1');
});

it('loads the deck again for a PDF whose layout a handout cannot follow (notes pages)', async () => {
  const dir = join(root, 'notes');
  const { value: outcomes, loads } = await deckLoads(() =>
    exportDecks(
      [deck],
      [
        { ...base, notes: 'page', out: join(dir, 'notes.pdf') },
        { ...base, handout: 2, out: join(dir, 'handout.pdf') },
      ],
      { session, concurrency: 1 },
    ),
  );
  ok(outcomes);
  expect(loads).toBe(2);
  expect(outcomes.map((o) => o.result?.pages)).toEqual([16, 5]);
});

it('prints a deck added to the queue before the next deck exists, and returns every outcome in order', async () => {
  const dir = join(root, 'queue');
  let firstDone: () => void = () => undefined;
  const printed = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  const events: string[] = [];
  const queue = exportQueue([base, { ...base, handout: 2 }], {
    session,
    expectedJobs: 4,
    onProgress: (event) => {
      events.push(`${event.state} ${event.deck} ${event.kind} ${event.done}/${event.total}`);
      if (event.state === 'done' && event.kind === 'handout') firstDone();
    },
  });
  queue.add(await makeDeck(dir, [{ title: 'Queue one', body: 'QONE' }], { name: 'one' }));
  // Resolves only if the first deck prints before close(): waiting for every deck would hang here.
  await printed;
  expect(existsSync(join(dir, 'one.pdf'))).toBe(true);
  expect(existsSync(join(dir, 'two.md'))).toBe(false);
  queue.add(await makeDeck(dir, [{ title: 'Queue two', body: 'QTWO' }, { title: 'Second' }], { name: 'two' }));
  const outcomes = await queue.close();
  ok(outcomes);
  expect(outcomes.map((o) => `${o.built.name} ${o.result?.pages}`)).toEqual(['one 1', 'one 1', 'two 2', 'two 1']);
  expect((await pageTexts(join(dir, 'two.pdf')))[0]).toContain('QTWO');
  expect(events.filter((e) => e.startsWith('done'))).toEqual([
    'done one pdf 1/4',
    'done one handout 2/4',
    'done two pdf 3/4',
    'done two handout 4/4',
  ]);
});
