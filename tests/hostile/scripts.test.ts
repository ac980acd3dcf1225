/**
 * Hostile inputs, class "nothing runs": every way a deck could get a script into its page, opened
 * from file://, served by `decksmith serve`, inlined by `--single-file`, and inside the Chromium
 * of `decksmith pdf` and `decksmith check` (which may fetch nothing but the built deck). Each
 * payload calls the canary server; see harness.ts for the other assertions.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../../src/export/index.js';
import {
  build,
  Canary,
  expectEnded,
  expectNoLeak,
  expectNothingRan,
  expectNothingRanServed,
  expectNoTextLost,
  launchBrowser,
  pdf,
  run,
  visit,
  workspaces,
} from './harness.js';

const spaces = workspaces('scripts');
let session: BrowserSession;
let canary: Canary;
beforeAll(async () => {
  [session, canary] = await Promise.all([launchBrowser(), Canary.start()]);
});
afterAll(async () => {
  await Promise.all([session?.close(), canary?.close()]);
  spaces.cleanup();
});

const MARKERS = ['MARKER-TITLE', 'MARKER-BEFORE', 'MARKER-AFTER'];

const deckWith = ({ front = '', body = '' }: { front?: string; body?: string }): string =>
  `---\ntitle: Hostile\n${front}---\n\n# MARKER-TITLE\n\nMARKER-BEFORE\n\n---\n\n${body}\n\n## Second\n\nMARKER-AFTER\n`;

/** Each vector, given the JavaScript to run, as a deck. */
const VECTORS: Record<string, (js: string) => string> = {
  '.slide data-background-iframe="javascript:…"': (js) => deckWith({ body: `<!-- .slide: data-background-iframe="javascript:${js}" -->` }),
  '.slide data-background-iframe="data:text/html,<script>"': (js) =>
    deckWith({ body: `<!-- .slide: data-background-iframe="data:text/html,<script>${js}</script>" -->` }),
  '.slide data-background-iframe="  JaVaScRiPt:…" (case, spaces)': (js) =>
    deckWith({ body: `<!-- .slide: data-background-iframe="  JaVa&#x09;ScRiPt:${js}" -->` }),
  '.element href="javascript:…" on a raw <a>': (js) =>
    deckWith({ body: `<a id="go">click me</a><!-- .element: href="javascript:${js}" -->` }),
  '.element onclick on a paragraph': (js) => deckWith({ body: `Click here\n<!-- .element: onclick="${js}" -->` }),
  '.slide onmouseover/onfocus': (js) => deckWith({ body: `<!-- .slide: onmouseover="${js}" onfocus="${js}" tabindex="1" autofocus -->` }),
  '.slide attribute breaking out of its quotes': (js) => deckWith({ body: `<!-- .slide: data-x='"><img src=x onerror="${js}">' -->` }),
  '.slide data-background-image="javascript:…"': (js) => deckWith({ body: `<!-- .slide: data-background-image="javascript:${js}" -->` }),
  '.slide data-background-video="data:text/html…"': (js) =>
    deckWith({ body: `<!-- .slide: data-background-video="data:text/html,<script>${js}</script>" -->` }),
  '<!-- background: javascript:… -->': (js) => deckWith({ body: `<!-- background: javascript:${js} -->` }),
  '<!-- class: "><script> -->': (js) => deckWith({ body: `<!-- class: x"><script>${js}</script> -->` }),
  'raw <script>': (js) => deckWith({ body: `<script>${js}</script>` }),
  'raw <img onerror>': (js) => deckWith({ body: `<img src="nowhere.png" onerror="${js}">` }),
  'raw <svg onload>': (js) => deckWith({ body: `<svg onload="${js}"><circle r="4"/></svg>` }),
  'raw <iframe srcdoc>': (js) => deckWith({ body: `<iframe srcdoc="<script>${js}</script>"></iframe>` }),
  'raw <object data=data:text/html>': (js) => deckWith({ body: `<object data="data:text/html,<script>${js}</script>"></object>` }),
  'raw <meta http-equiv=refresh>': (js) => deckWith({ body: `<meta http-equiv="refresh" content="0;url=javascript:${js}">` }),
  'markdown link javascript: with an entity': (js) => deckWith({ body: `[click](jav&#x09;ascript:${js})` }),
  'markdown image data:image/svg+xml': (js) =>
    deckWith({ body: `![x](data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${js}"/>)` }),
  'title with </title><script>': (js) => deckWith({ front: `title: "</title><script>${js}</script>"\n` }),
  'footer with <script>': (js) => deckWith({ front: `footer: "<script>${js}</script><img src=x onerror=\\"${js}\\">"\n` }),
  'themeVars breaking out of <style>': (js) => deckWith({ front: `themeVars:\n  accent: "red;}</style><script>${js}</script><style>"\n` }),
  'speaker notes with <script>': (js) => deckWith({ body: `Note: <script>${js}</script><img src=x onerror="${js}">` }),
  'unclosed raw <table> before the rest of the deck': () => deckWith({ body: '<table><tr><td>\n\nMARKER-CELL' }),
  'reveal: dependencies (a reveal option that loads code)': (js) =>
    deckWith({ front: `reveal:\n  dependencies: "data:text/javascript,${encodeURIComponent(js)}"\n` }),
  'unclosed <!-- comment hiding the template scripts': () => deckWith({ body: 'text <!-- never closed' }),
};

describe('no deck script runs in the built page (file://)', () => {
  it.each(Object.entries(VECTORS))('%s', async (name, vector) => {
    const tag = `file-${Object.keys(VECTORS).indexOf(name)}`;
    const ws = spaces.make(tag);
    ws.deck(vector(canary.js(tag)));
    const r = await build(ws);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expectNoTextLost(ws, r, MARKERS);
    await expectNothingRan(session, canary, tag, ws);
  });
});

describe('no deck script runs in the other modes', () => {
  const modes = [
    '.slide data-background-iframe="javascript:…"',
    '.slide data-background-iframe="data:text/html,<script>"',
    '.element href="javascript:…" on a raw <a>',
  ];

  it.each(modes)('served by decksmith serve: %s', async (name) => {
    const tag = `serve-${modes.indexOf(name)}`;
    const ws = spaces.make(tag);
    ws.deck((VECTORS[name] as (js: string) => string)(canary.js(tag)));
    await expectNothingRanServed(session, canary, tag, ws);
  });

  it.each(modes)('--single-file: %s', async (name) => {
    const tag = `single-${modes.indexOf(name)}`;
    const ws = spaces.make(tag);
    ws.deck((VECTORS[name] as (js: string) => string)(canary.js(tag)));
    const r = await build(ws, ['--single-file']);
    expectEnded(r);
    await expectNoLeak(ws, r);
    await expectNothingRan(session, canary, tag, ws, [join(ws.out, 'deck.html')]);
  });

  it.each([...modes.slice(0, 2), 'raw <iframe srcdoc>'])('inside decksmith pdf: %s', async (name) => {
    const tag = `pdf-${name.length}`;
    const ws = spaces.make(tag);
    ws.deck((VECTORS[name] as (js: string) => string)(canary.js(tag)));
    const r = await pdf(ws);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expect(canary.hitsFor(tag), 'a deck script ran during PDF export').toEqual([]);
  });

  it('inside decksmith check: .slide data-background-iframe="data:text/html,<script>"', async () => {
    const tag = 'check-iframe';
    const ws = spaces.make(tag);
    ws.deck((VECTORS['.slide data-background-iframe="data:text/html,<script>"'] as (js: string) => string)(canary.js(tag)));
    ws.snapshot();
    const r = await run(ws, ['check', join(ws.deckDir, 'deck.md')]);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expect(canary.hitsFor(tag), 'a deck script ran during check').toEqual([]);
  });
});

describe('nothing is fetched while printing', () => {
  it.each([
    ['a remote <img>', (url: string) => deckWith({ body: `<img src="${url}" alt="remote">` })],
    ['a remote markdown image', (url: string) => deckWith({ body: `![remote](${url})` })],
    ['a remote background', (url: string) => deckWith({ body: `<!-- background: ${url} -->` })],
    [
      'a remote url() in a style attribute',
      (url: string) => deckWith({ body: `<div style="background: url('${url}'); height: 20px">x</div>` }),
    ],
    [
      'a remote @import in a css: file',
      (url: string) => deckWith({ front: 'css: [inside-import.css]\n' }).replace('MARKER-BEFORE', `MARKER-BEFORE <!-- ${url} -->`),
    ],
  ] as const)('decksmith pdf requests nothing for %s', async (name, deck) => {
    const tag = `fetch-${name.replace(/\W+/g, '-')}`;
    const ws = spaces.make(tag);
    const url = canary.url(tag, 'image.png');
    ws.write('deck/inside-import.css', `@import url("${url}");\n.reveal { background: url("${canary.url(tag, 'bg.png')}"); }\n`);
    ws.deck(deck(url));
    const r = await pdf(ws);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expect(canary.hitsFor(tag), 'Chromium fetched during PDF export').toEqual([]);
  });
});

// The detectors must be able to fail: with --html (the author's opt-in) a raw <script> does run,
// and each trace the harness looks for shows up.
describe('control: with --html a deck script runs, and the harness sees it', () => {
  it('opened from file://: the canary is called and the slides change', async () => {
    const tag = 'control-file';
    const ws = spaces.make(tag);
    ws.deck(deckWith({ body: `<script>${canary.js(tag)}</script>` }));
    const r = await build(ws, ['--html']);
    expectEnded(r);
    const page = ws.pages()[0] ?? '';
    const seen = await visit(session, pathToFileURL(page).href, ws.out, canary.port);
    expect(seen.canaryRequests).toEqual([canary.url(tag)]);
    expect(seen.ran).toBe(true);
    expect(seen.topName).toBe(`ran-${tag}`);
  });
});
