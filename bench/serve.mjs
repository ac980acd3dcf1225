#!/usr/bin/env node
/**
 * `npm run bench:serve`: how long a save takes to show in `decksmith serve`, measured the way an
 * author sees it. A real `decksmith serve` process serves a generated 50-slide deck; headless
 * Chromium shows slide 25 at its second fragment step; each round rewrites the deck with new text
 * on that slide (or rewrites its stylesheet) and times from the write to the new text (or colour)
 * on screen, polled every animation frame. Position (slide and fragment) is checked after every
 * save: a save that loses it is a failure, not a slow sample.
 *
 * Appends its medians to bench/RESULTS.md's serve section when run with --write. With --trace,
 * runs the server with DECKSMITH_TRACE=1 and also prints the median time of each step of a save
 * (file write → watch event → build start → build end → message sent → on screen).
 *
 *   node bench/serve.mjs [--saves 20] [--slides 50] [--write] [--trace]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BrowserSession } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    saves: { type: 'string', default: '20' },
    slides: { type: 'string', default: '50' },
    write: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
  },
});
const saves = Number(values.saves);
const count = Number(values.slides);
const target = 25;

const work = mkdtempSync(join(tmpdir(), 'decksmith-bench-serve-'));
const deck = join(work, 'deck.md');
const css = join(work, 'extra.css');

function slideText(i, version) {
  if (i === target) {
    return [
      `## Slide ${i}: the one being edited`,
      '',
      `- edit ${version} first <!-- .element: class="fragment" -->`,
      `- edit ${version} second <!-- .element: class="fragment" -->`,
      `- edit ${version} third <!-- .element: class="fragment" -->`,
      '',
      'Note: The slide the benchmark rewrites.',
    ].join('\n');
  }
  return [
    `## Slide ${i}: where the time goes`,
    '',
    `- First point about slide ${i}, with **bold** and \`code\``,
    '- Second point with a [link](https://example.com) and *emphasis*',
    '',
    '| Metric | Value |',
    '| --- | --- |',
    `| slide | ${i} |`,
    '',
    '```js',
    `const slide = ${i};`,
    '```',
    '',
    `Note: Say why slide ${i} matters.`,
  ].join('\n');
}

function writeDeck(version) {
  const slides = Array.from({ length: count }, (_, i) => slideText(i + 1, version));
  writeFileSync(deck, `---\ntitle: Serve bench\ncss: extra.css\n---\n\n${slides.join('\n\n---\n\n')}\n`);
}
const writeCss = (color) => writeFileSync(css, `.reveal h2 { color: ${color}; }\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

writeDeck(0);
writeCss('rgb(200, 0, 0)');
const server = spawn(process.execPath, [join(root, 'bin', 'decksmith.js'), 'serve', deck, '--port', '0'], {
  env: { ...process.env, NO_COLOR: '1', ...(values.trace ? { DECKSMITH_TRACE: '1' } : {}) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverOutput = '';
/** serve's DECKSMITH_TRACE lines (src/serve/trace.ts): [epoch ms, step]. */
const traced = [];
const clock = () => performance.timeOrigin + performance.now();
let partial = '';
server.stderr.on('data', (chunk) => {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^decksmith trace: .* serve: (.+) \(at (\S+)\)$/.exec(line);
    if (m !== null) traced.push([Number(m[2]), m[1]]);
  }
});
/** Per save: when it was written and when it showed, to cut the trace into steps. */
const spans = { html: [], css: [] };
const url = await new Promise((resolveUrl, reject) => {
  const onData = (chunk) => {
    serverOutput += chunk;
    const match = /https?:\/\/\S+/.exec(serverOutput);
    if (match !== null) resolveUrl(match[0].replace(/\/?$/, '/'));
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${serverOutput}`)));
});

const session = await BrowserSession.launch();
const text = { html: [], css: [] };
try {
  await session.withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await page.evaluate((h) => window.Reveal.slide(h, 0, 1), target - 1);
    const position = () => page.evaluate(() => window.Reveal.getIndices());
    const expected = await position();

    for (let round = 1; round <= saves; round++) {
      const started = performance.now();
      const wrote = clock();
      writeDeck(round);
      await page.waitForFunction(
        (needle) => document.querySelector('.slides section.present:not(.stack)')?.textContent?.includes(needle) === true,
        { polling: 'raf', timeout: 10_000 },
        `edit ${round} first`,
      );
      text.html.push(performance.now() - started);
      spans.html.push([wrote, clock()]);
      const now = await position();
      if (now.h !== expected.h || now.v !== expected.v || now.f !== expected.f) {
        throw new Error(`save ${round} moved the page from ${JSON.stringify(expected)} to ${JSON.stringify(now)}`);
      }
    }
    for (let round = 1; round <= saves; round++) {
      const color = `rgb(${round}, ${100 + round}, 0)`;
      const started = performance.now();
      const wrote = clock();
      writeCss(color);
      await page.waitForFunction(
        (want) => {
          const heading = document.querySelector('.slides section.present:not(.stack) h2');
          return heading !== null && getComputedStyle(heading).color === want;
        },
        { polling: 'raf', timeout: 10_000 },
        color,
      );
      text.css.push(performance.now() - started);
      spans.css.push([wrote, clock()]);
      const now = await position();
      if (now.h !== expected.h || now.v !== expected.v || now.f !== expected.f) {
        throw new Error(`stylesheet save ${round} moved the page from ${JSON.stringify(expected)} to ${JSON.stringify(now)}`);
      }
    }
  });
} finally {
  await session.close();
  server.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}

const fmt = (ms) => `${Math.round(ms)} ms`;
const rows = [
  `| save → new text on screen, ${count} slides | ${fmt(median(text.html))} | ${fmt(Math.min(...text.html))}–${fmt(Math.max(...text.html))} | ${saves} |`,
  `| stylesheet save → new colour on screen | ${fmt(median(text.css))} | ${fmt(Math.min(...text.css))}–${fmt(Math.max(...text.css))} | ${saves} |`,
];
const table = ['| edit | median | range | saves |', '| --- | ---: | --- | ---: |', ...rows].join('\n');
console.log(table);
console.log('slide and fragment kept after every save');

if (values.trace) {
  // The first of each step between a save's write and its text on screen.
  for (const kind of ['html', 'css']) {
    const steps = new Map();
    for (const [wrote, shown] of spans[kind]) {
      const inside = traced.filter(([t]) => t >= wrote && t <= shown);
      let previous = ['write', wrote];
      const seen = new Set();
      for (const [t, step] of inside) {
        const name = step.replace(/ \d+$/, '');
        if (seen.has(name)) continue;
        seen.add(name);
        const key = `${previous[0]} → ${name}`;
        steps.set(key, [...(steps.get(key) ?? []), t - previous[1]]);
        previous = [name, t];
      }
      const key = `${previous[0]} → on screen`;
      steps.set(key, [...(steps.get(key) ?? []), shown - previous[1]]);
    }
    console.log(`\n${kind === 'html' ? 'text save' : 'stylesheet save'}: median per step (saves that had it)`);
    for (const [key, xs] of steps) console.log(`  ${key}: ${median(xs).toFixed(1)} ms (${xs.length})`);
  }
}

if (values.write) {
  const results = join(here, 'RESULTS.md');
  const start = '<!-- serve: written by bench/serve.mjs -->';
  const end = '<!-- /serve -->';
  const section = `${start}\n## The edit loop\n\nMeasured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:serve\`: a real \`decksmith serve\`, headless Chromium on slide ${target} at its second fragment, time from the file write to the new text or colour on screen.\n\n${table}\n${end}`;
  let doc = readFileSync(results, 'utf8');
  const from = doc.indexOf(start);
  doc = from < 0 ? `${doc.trimEnd()}\n\n${section}\n` : `${doc.slice(0, from)}${section}${doc.slice(doc.indexOf(end) + end.length)}`;
  writeFileSync(results, doc);
}
