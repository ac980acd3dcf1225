/**
 * What a terminal shows while PDFs are made: progress per phase of each PDF with its slide count
 * (Chromium prints a deck in one call, so there is no per-page signal to follow), a bar only on a
 * terminal, and no sandbox notice on an ordinary run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { BrowserSession, exportDecks, type ExportProgress } from '../../src/export/index.js';
import { tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-progress-');
afterAll(() => cleanup());
const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const slides = (n: number) => Array.from({ length: n }, (_, i) => `## Slide ${i + 1}`).join('\n\n---\n\n');

it('reports each phase of each PDF, with the slides it prints', async () => {
  const deck = join(dir, 'five.md');
  writeFileSync(deck, slides(5));
  const built = await buildDeck(deck, { outDir: join(dir, 'five') });
  const events: ExportProgress[] = [];
  await using session = await BrowserSession.launch();
  const base = { notes: 'none', fragments: 'final', timeoutMs: 30_000 } as const;
  await exportDecks(
    [built],
    [
      { ...base, range: '2-4', out: join(dir, 'five.pdf') },
      { ...base, handout: 2, out: join(dir, 'five-h.pdf') },
    ],
    {
      session,
      concurrency: 1,
      onProgress: (event) => events.push(event),
    },
  );
  const seen = events.map(
    (e) => `${e.job} ${e.kind} ${e.state}${e.phase === undefined ? '' : ` ${e.phase}`} ${e.slides} ${e.done}/${e.total}`,
  );
  expect(seen).toEqual([
    '0 pdf start 3 0/2',
    '0 pdf phase loading 3 0/2',
    '0 pdf phase printing 3 0/2',
    '0 pdf phase finishing 3 0/2',
    '0 pdf done 3 1/2',
    '1 handout start 5 1/2',
    '1 handout phase loading 5 1/2',
    '1 handout phase printing 5 1/2',
    '1 handout phase finishing 5 1/2',
    '1 handout done 5 2/2',
  ]);
});

it('on a terminal: a bar that counts PDFs and phases; never the sandbox notice', () => {
  const deck = join(dir, 'long.md');
  writeFileSync(deck, slides(41));
  const out = join(dir, 'long.pdf');
  const env = { ...process.env };
  delete env['DECKSMITH_TRACE'];
  // `script` gives the command a pseudo-terminal and copies what it printed.
  const screen = execFileSync('script', ['-qefc', `node ${bin} pdf ${deck} --out ${out}`, '/dev/null'], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  expect(screen).toMatch(/exporting \S* 0\/1 PDFs/);
  expect(screen).toContain(`${out}  (41 pages)`);
  expect(screen).not.toContain('sandbox');
  const plain = spawnSync('node', [bin, 'pdf', deck, '--out', out], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(plain.status).toBe(0);
  expect(plain.stdout).toBe(`${out}  (41 pages)\n`);
  expect(plain.stderr).toBe('');
});
