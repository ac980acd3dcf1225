/**
 * exportQueue opens the tabs of the decks it expects as soon as Chromium is up (so a deck built
 * later starts loading at once): those tabs print the decks, and a caller that keeps the browser
 * finds none of them left open, even when fewer decks came than were expected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrowserSession, exportDecks, type ExportOutcome } from '../../src/export/index.js';
import { exportQueue } from '../../src/export/decks.js';
import type { PdfOptions } from '../../src/types.js';
import { makeDeck } from './fixture-deck.js';
import { pageTexts } from './read-pdf.js';

const base: PdfOptions = { notes: 'none', fragments: 'final', timeoutMs: 60_000 };

let root: string;
let session: BrowserSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-queue-tabs-'));
  session = await BrowserSession.launch();
  // Takes Chromium's own blank tab, so what follows counts only the tabs the queue opens.
  const warm = await makeDeck(join(root, 'warm'), [{ title: 'Warm' }], { name: 'warm' });
  const [outcome] = await exportDecks([warm], base, { session });
  expect(outcome?.error).toBeUndefined();
});

afterAll(async () => {
  await session?.close();
  rmSync(root, { recursive: true, force: true });
});

const ok = (outcomes: ExportOutcome[]): void => {
  for (const o of outcomes) expect(o.error, o.error?.message).toBeUndefined();
};

it('prints every expected deck in the tabs it opened, and leaves no tab open', async () => {
  const before = (await session.browser.pages()).length;
  const queue = exportQueue([base, { ...base, handout: 2 }], { session, expectedJobs: 6 });
  const decks = ['alpha', 'beta', 'gamma'];
  for (const name of decks) {
    queue.add(await makeDeck(join(root, name), [{ title: `Deck ${name}`, body: `BODY${name.toUpperCase()}` }], { name }));
  }
  const outcomes = await queue.close();
  ok(outcomes);
  expect(outcomes.map((o) => `${o.built.name} ${o.options.handout === undefined ? 'pdf' : 'handout'}`)).toEqual([
    'alpha pdf',
    'alpha handout',
    'beta pdf',
    'beta handout',
    'gamma pdf',
    'gamma handout',
  ]);
  for (const name of decks) expect((await pageTexts(join(root, name, `${name}.pdf`)))[0]).toContain(`BODY${name.toUpperCase()}`);
  expect((await session.browser.pages()).length).toBe(before);
});

it('closes the tabs opened for decks that never came (one failed to build)', async () => {
  const before = (await session.browser.pages()).length;
  const queue = exportQueue(base, { session, expectedJobs: 3 });
  queue.add(await makeDeck(join(root, 'only'), [{ title: 'Only one', body: 'ONLYONE' }], { name: 'only' }));
  const outcomes = await queue.close();
  ok(outcomes);
  expect(outcomes).toHaveLength(1);
  expect((await pageTexts(join(root, 'only', 'only.pdf')))[0]).toContain('ONLYONE');
  expect((await session.browser.pages()).length).toBe(before);
});
