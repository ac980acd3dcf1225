/**
 * The library as a program uses it: only what the package's entry point exports (the built
 * dist/index.js named by package.json "exports"), from Markdown to a PDF, a handout and a check.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decksmith from '../../dist/index.js';
import {
  BrowserSession,
  buildDeck,
  checkDeck,
  DEFAULT_TIMEOUT_MS,
  exportPdf,
  loadTemplates,
  parseDeck,
  renderDeck,
  resolveRuntime,
  resolveTheme,
} from '../../dist/index.js';
import { pageTexts } from '../export/read-pdf.js';
import { tempDir } from '../helpers.js';

const packageJson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  exports: { '.': { import: string } };
};

const DECK = `---
title: Library talk
author: A Program
---

# Library talk

Note: Opening words.

---

## Second slide

- one
- two

---

## Too long

${Array.from({ length: 40 }, (_, i) => `- line ${i + 1} of a slide that does not fit`).join('\n')}
`;

describe('the public entry point', () => {
  const { dir, cleanup } = tempDir('decksmith-api-');
  // Launched through the public entry point (tests/browser-for-file.ts uses the source tree).
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.launch();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    cleanup();
  });

  it('is the file package.json exports', () => {
    expect(packageJson.exports['.'].import).toBe('./dist/index.js');
    for (const name of [
      'parseDeck',
      'renderDeck',
      'buildDeck',
      'exportPdf',
      'exportDecks',
      'checkDeck',
      'BrowserSession',
      'DIAGNOSTIC_CODES',
      'ERROR_CODES',
    ]) {
      expect(decksmith, name).toHaveProperty(name);
    }
  });

  it('parses and renders without files or a browser', () => {
    const deck = parseDeck(DECK, { file: 'talk.md' });
    expect(deck.slides.map((s) => s.title)).toEqual(['Library talk', 'Second slide', 'Too long']);
    expect(deck.slides[0]?.notes).toBe('Opening words.');
    const rendered = renderDeck(deck, {
      templates: loadTemplates(),
      theme: resolveTheme('paper', '.'),
      runtime: resolveRuntime(),
      version: 'test',
    });
    expect(rendered.slides).toHaveLength(3);
    expect(rendered.html).toContain('<li>two</li>');
  });

  it('builds, prints slides and a handout, and checks, through a session it launched', async () => {
    const file = join(dir, 'talk.md');
    writeFileSync(file, DECK);
    const built = await buildDeck(file, { outDir: join(dir, 'out') });
    expect(existsSync(built.htmlPath)).toBe(true);

    const slides = await exportPdf(session, built, { notes: 'none', fragments: 'final', timeoutMs: DEFAULT_TIMEOUT_MS });
    const texts = await pageTexts(slides.file);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toContain('Second slide');

    const handout = await exportPdf(session, built, { notes: 'none', fragments: 'final', timeoutMs: DEFAULT_TIMEOUT_MS, handout: 3 });
    const handoutText = (await pageTexts(handout.file)).join('\n');
    expect(handoutText).toContain('Opening words.');

    const findings = await checkDeck(session, built);
    // At the slide's first line: the one after its separator.
    expect(findings.map((d) => [d.code, d.line])).toEqual([['overflow', 18]]);
  }, 120_000);
});
