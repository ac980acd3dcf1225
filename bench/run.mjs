#!/usr/bin/env node
/**
 * `npm run bench`: decksmith against the tools people would otherwise use, on the same generated
 * decks, in one run. Each tool runs as a whole process (what a user waits for), the tools
 * interleaved round by round after one warm-up run each, and the median of the rounds is
 * reported with its ratio to decksmith's median from the same run (below 1: decksmith is faster).
 *
 * The floor is Chromium itself: `chromium --headless --print-to-pdf` of a static page holding the
 * same slides as plain HTML, one page each. No slide tool can print faster than that.
 *
 * Writes bench/RESULTS.md (machine, versions, date, medians, ratios) and bench/results.svg.
 * The comparison tools live in bench/package.json, installed by `npm run bench`, so the
 * project's own install stays lean.
 *
 * "Many decks" is what `npm start` runs after its build (the three content decks, each as HTML, PDF
 * and handout, in one process) against `decksmith pdf` of each of those decks alone.
 *
 *   node bench/run.mjs [--rounds 3] [--html 50,500,2000] [--pdf 50,500] [--decktape 50] [--png 50] [--many 1|0] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Marked } from 'marked';
import { PDFDocument } from 'pdf-lib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    html: { type: 'string', default: '50,500,2000' },
    pdf: { type: 'string', default: '50,500' },
    decktape: { type: 'string', default: '50' },
    png: { type: 'string', default: '50' },
    many: { type: 'string', default: '1' },
    'no-write': { type: 'boolean', default: false },
  },
});
const sizes = (list) => list.split(',').filter(Boolean).map(Number);
const rounds = Number(values.rounds);
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const bin = (name) => join(here, 'node_modules', '.bin', name);
const hook = join(here, 'rss-hook.mjs');
const startLoad = loadavg()[0].toFixed(1);
const work = mkdtempSync(join(tmpdir(), 'decksmith-bench-'));
// The other tools are given the system Chromium (marp-cli and DeckTape find it through
// CHROME_PATH). decksmith runs as its users run it, choosing its browser itself (a headless shell
// when the machine has one: src/browser/find.ts), unless CHROME_PATH was set for the whole bench;
// the "decksmith on <chromium>" rows run it on the same browser as the others.
const env = { ...process.env, CHROME_PATH: chrome, NO_COLOR: '1' };
const decksmithEnv = { ...process.env, NO_COLOR: '1' };
const { findBrowser } = await import(pathToFileURL(join(root, 'dist', 'browser', 'find.js')).href);
const decksmithBrowser = (await findBrowser(decksmithEnv)).executablePath;
const headlessShell = decksmithBrowser === chrome ? undefined : decksmithBrowser;

for (const tool of ['marp', 'reveal-md', 'decktape']) {
  if (!existsSync(bin(tool))) {
    console.error(`bench: ${tool} is not installed; run \`npm install --prefix bench\` (npm run bench does)`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// Decks: the same slides in each tool's own syntax. Every tenth slide opens a section; the others
// carry a heading, a list with inline formatting, a table, a code block and a speaker note.

function slide(i) {
  if (i % 10 === 1)
    return {
      body: `# Part ${Math.ceil(i / 10)}: measuring tools\n\nA section opener, slide ${i}.`,
      note: `Introduce part ${Math.ceil(i / 10)}.`,
    };
  return {
    body: [
      `## Slide ${i}: where the time goes`,
      '',
      `- First point about slide ${i}, with **bold** and \`code\``,
      '- Second point with a [link](https://example.com) and *emphasis*',
      '- Third point, a little longer, so that the line wraps on narrower themes',
      '',
      '| Metric | Value |',
      '| --- | --- |',
      `| slide | ${i} |`,
      `| squared | ${i * i} |`,
      '',
      '```js',
      `const slide = ${i};`,
      'console.log(slide * 2);',
      '```',
    ].join('\n'),
    note: `Say why slide ${i} matters.`,
  };
}

function writeDecks(count) {
  const slides = Array.from({ length: count }, (_, i) => slide(i + 1));
  const dir = join(work, `deck-${count}`);
  mkdirSync(dir, { recursive: true });
  const decks = {
    decksmith: join(dir, 'decksmith.md'),
    marp: join(dir, 'marp.md'),
    revealMd: join(dir, 'reveal-md.md'),
    page: join(dir, 'page.html'),
  };
  writeFileSync(
    decks.decksmith,
    `---\ntitle: Bench ${count}\n---\n\n${slides.map((s) => `${s.body}\n\nNote: ${s.note}`).join('\n\n---\n\n')}\n`,
  );
  writeFileSync(
    decks.marp,
    `---\nmarp: true\ntitle: Bench ${count}\n---\n\n${slides.map((s) => `${s.body}\n\n<!-- ${s.note} -->`).join('\n\n---\n\n')}\n`,
  );
  writeFileSync(
    decks.revealMd,
    `---\ntitle: Bench ${count}\n---\n\n${slides.map((s) => `${s.body}\n\nNote: ${s.note}`).join('\n\n---\n\n')}\n`,
  );
  // The floor's page: the same slides as plain HTML, one 1280×720 page each.
  const marked = new Marked();
  const sections = slides.map((s) => `<section>${marked.parse(s.body)}</section>`).join('\n');
  writeFileSync(
    decks.page,
    `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: 1280px 720px; margin: 0 }
body { margin: 0; font: 28px/1.4 sans-serif }
section { width: 1280px; height: 720px; box-sizing: border-box; padding: 48px 64px; overflow: hidden; break-after: page }
table { border-collapse: collapse } td, th { border: 1px solid #999; padding: 4px 12px }
pre { background: #f4f4f4; padding: 12px }
</style></head><body>${sections}</body></html>`,
  );
  return decks;
}

// ---------------------------------------------------------------------------------------------
// Running a tool: wall time of the whole process; peak RSS of node processes through rss-hook.mjs.

function run(argv, { node = true, env: runEnv = env } = {}) {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}`);
  const [command, ...args] = node ? [process.execPath, '--import', hook, ...argv] : argv;
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...runEnv, BENCH_RSS_FILE: rssFile }, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0)
    throw new Error(`${argv.join(' ')} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`.slice(0, 4000));
  let rssMiB;
  if (existsSync(rssFile)) rssMiB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number)) / 1024;
  return { seconds, rssMiB };
}

const decksmithBin = join(root, 'bin', 'decksmith.js');
const ds = (argv) => run([decksmithBin, ...argv], { env: decksmithEnv });
const floor = (executable, headless) => (d, out) =>
  run(
    [
      executable,
      ...(headless ? ['--headless'] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--no-pdf-header-footer',
      `--print-to-pdf=${join(out, 'deck.pdf')}`,
      pathToFileURL(d.page).href,
    ],
    { node: false },
  );
const tools = {
  html: {
    decksmith: (d, out) => ds(['build', d.decksmith, '--out', out, '--quiet']),
    'marp-cli': (d, out) => run([bin('marp'), d.marp, '-o', join(out, 'index.html')]),
    'reveal-md --static': (d, out) => run([bin('reveal-md'), d.revealMd, '--static', out]),
  },
  pdf: {
    decksmith: (d, out) => ds(['pdf', d.decksmith, '--out', join(out, 'deck.pdf'), '--quiet']),
    'marp --pdf': (d, out) => run([bin('marp'), '--pdf', '--allow-local-files', d.marp, '-o', join(out, 'deck.pdf')]),
    'Chromium floor': floor(chrome, true),
    ...(headlessShell === undefined
      ? {}
      : {
          [`decksmith on ${chrome}`]: (d, out) =>
            run([decksmithBin, 'pdf', d.decksmith, '--out', join(out, 'deck.pdf'), '--quiet'], {
              env: { ...decksmithEnv, CHROME_PATH: chrome },
            }),
          'headless-shell floor': floor(headlessShell, false),
        }),
  },
  // One PNG per slide at the slide's size: `decksmith png` against `marp --images png`.
  png: {
    decksmith: (d, out) => ds(['png', d.decksmith, '--out', out, '--quiet']),
    'marp --images png': (d, out) => run([bin('marp'), '--images', 'png', '--allow-local-files', d.marp, '-o', join(out, 'deck.png')]),
  },
  // `npm start` without its `npm run build`, then each content deck's PDF alone (contentDecks).
  many: {
    'npm start (3 decks)': (_d, out) => ds(['build', join(root, 'content'), '--out', out, '--pdf', '--handout', '3', '--quiet']),
    ...Object.fromEntries(
      contentDecks().map((file) => [
        `pdf ${file.replace(/\.md$/, '')}`,
        (_d, out) => ds(['pdf', join(root, 'content', file), '--out', join(out, 'deck.pdf'), '--quiet']),
      ]),
    ),
  },
  decktape: {
    decksmith: (d, out) => ds(['pdf', d.decksmith, '--out', join(out, 'deck.pdf'), '--quiet']),
    'reveal-md + DeckTape': (d, out) => {
      const site = join(out, 'site');
      const built = run([bin('reveal-md'), d.revealMd, '--static', site]);
      const printed = run([
        bin('decktape'),
        'reveal',
        '--chrome-path',
        chrome,
        '--chrome-arg=--no-sandbox',
        pathToFileURL(join(site, 'index.html')).href,
        join(out, 'deck.pdf'),
      ]);
      return { seconds: built.seconds + printed.seconds, rssMiB: printed.rssMiB };
    },
  },
};

function contentDecks() {
  return readdirSync(join(root, 'content'))
    .filter((name) => name.endsWith('.md'))
    .sort();
}

const pageCount = async (file) => (await PDFDocument.load(readFileSync(file), { updateMetadata: false })).getPageCount();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One work item (e.g. PDF of 500 slides): warm-up, then `rounds` interleaved rounds. */
async function measure(kind, count) {
  const decks = kind === 'many' ? undefined : writeDecks(count);
  const entries = Object.entries(tools[kind]);
  const times = Object.fromEntries(entries.map(([name]) => [name, []]));
  const rss = Object.fromEntries(entries.map(([name]) => [name, 0]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, tool] of entries) {
      const out = join(work, 'out', `${kind}-${count}-${name.replace(/\W+/g, '-')}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const result = tool(decks, out);
      if (round >= 0) times[name].push(result.seconds);
      if (result.rssMiB !== undefined) rss[name] = Math.max(rss[name], result.rssMiB);
      if (round === -1 && kind === 'png') {
        const pngs = readdirSync(out).filter((f) => f.endsWith('.png')).length;
        if (pngs !== count) throw new Error(`${name} wrote ${pngs} PNGs for ${count} slides`);
      } else if (round === -1 && kind === 'many') {
        if (!readdirSync(out, { recursive: true }).some((f) => String(f).endsWith('.pdf'))) throw new Error(`${name} wrote no PDF`);
      } else if (round === -1 && kind !== 'html') {
        const pages = await pageCount(join(out, 'deck.pdf'));
        if (pages !== count) throw new Error(`${name} printed ${pages} pages for ${count} slides`);
      }
    }
  }
  const rows = entries.map(([name]) => ({ name, median: median(times[name]), runs: times[name], rssMiB: rss[name] }));
  const base = rows[0].median;
  for (const row of rows) row.ratio = base / row.median;
  const label =
    kind === 'many'
      ? 'Many decks: npm start against each deck alone'
      : `${kind === 'html' ? 'HTML' : kind === 'png' ? 'PNG per slide' : 'PDF'}, ${count.toLocaleString('en')} slides`;
  if (kind === 'many') {
    // The target compares npm start with the slowest of the single decks.
    const slowest = Math.max(...rows.slice(1).map((row) => row.median));
    rows[0].note = `${(rows[0].median / slowest).toFixed(2)}× the slowest single deck's PDF`;
  }
  console.log(`\n${label}`);
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(22)} ${row.median.toFixed(2).padStart(7)} s  [${row.runs.map((s) => s.toFixed(2)).join(', ')}]` +
        `${row === rows[0] ? (row.note ? `  ${row.note}` : '') : `  ${kind === 'many' ? 'npm start' : 'decksmith'}/this ${row.ratio.toFixed(2)}×`}${row.rssMiB ? `  peak RSS ${row.rssMiB.toFixed(0)} MiB` : ''}`,
    );
  }
  return { label, kind, count, rows };
}

function versionOf(name) {
  const file = join(here, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'not installed';
}

/** Horizontal bars of the medians, one group per work item, on one seconds scale per group. */
function chart(results) {
  const colours = ['#0a6cff', '#e8710a', '#7b52ab', '#1e9e5a'];
  const barHeight = 18;
  const labelWidth = 190;
  const plotWidth = 460;
  let y = 40;
  const parts = [];
  for (const result of results) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${result.label}</text>`);
    y += 10;
    const max = Math.max(...result.rows.map((r) => r.median));
    result.rows.forEach((row, i) => {
      const width = Math.max(1, (row.median / max) * plotWidth);
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${row.name}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="${colours[i % colours.length]}"/>`,
        `<text x="${labelWidth + width + 6}" y="${y + 13}">${row.median.toFixed(2)} s</text>`,
      );
      y += barHeight + 4;
    });
    y += 22;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="740" height="${y}" font-family="sans-serif" font-size="13">
<title>Median wall time of each tool, per deck size (shorter is faster)</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="15">Median wall time of the whole process (shorter is faster)</text>
${parts.join('\n')}
</svg>
`;
}

function report(results) {
  const chromium = spawnSync(chrome, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}`,
    `- Node ${process.version}; ${chromium}; load average when the run started ${startLoad}, at its end ${loadavg()[0].toFixed(1)} (other work on the machine slows every tool alike; the ratios are what to read)`,
    `- decksmith ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}, marp-cli ${versionOf('@marp-team/marp-cli')}, reveal-md ${versionOf('reveal-md')}, DeckTape ${versionOf('decktape')}`,
    `- Each figure is the median of ${rounds} interleaved runs after one warm-up run of each tool; a run is the whole process, as a user waits for it.`,
    '- "decksmith / this": decksmith\'s median divided by the tool\'s median from the same run; below 1 means decksmith is faster.',
    '- "Many decks": `npm start` after its build (three content decks, HTML, PDF and handout each, one process) and `decksmith pdf` of each deck alone; its first row says how many times the slowest single deck it takes.',
    '- The Chromium floor prints a static page holding the same slides as plain HTML, one page per slide, with `chromium --headless --print-to-pdf`.',
    `- Browsers: marp-cli, DeckTape and the Chromium floor run ${chrome}; decksmith runs the browser it finds itself, ${decksmithBrowser}${
      headlessShell === undefined
        ? '.'
        : ` (Chromium's headless shell, same version). The rows "decksmith on ${chrome}" and "headless-shell floor" (the floor's page printed by that shell) show what the choice of browser is worth.`
    }`,
    '',
    '![Median wall times](results.svg)',
    '',
    '| work | tool | median (s) | runs (s) | decksmith / this | node peak RSS (MiB) |',
    '| --- | --- | ---: | --- | ---: | ---: |',
  ];
  for (const result of results) {
    for (const row of result.rows) {
      lines.push(
        `| ${result.label} | ${row.name} | ${row.median.toFixed(2)} | ${row.runs.map((s) => s.toFixed(2)).join(', ')} | ${row === result.rows[0] ? (row.note ?? '—') : `${row.ratio.toFixed(2)}×`} | ${row.rssMiB ? row.rssMiB.toFixed(0) : '—'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

try {
  const results = [];
  for (const count of sizes(values.html)) results.push(await measure('html', count));
  for (const count of sizes(values.pdf)) results.push(await measure('pdf', count));
  for (const count of sizes(values.png)) results.push(await measure('png', count));
  if (values.many !== '0') results.push(await measure('many', 3));
  for (const count of sizes(values.decktape)) {
    const result = await measure('decktape', count);
    result.label = `PDF via reveal-md + DeckTape, ${count.toLocaleString('en')} slides`;
    results.push(result);
  }
  if (!values['no-write']) {
    // The edit-loop section (bench/serve.mjs --write) is measured separately: keep it.
    const resultsFile = join(here, 'RESULTS.md');
    const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const serveAt = previous.indexOf('<!-- serve:');
    const serveSection = serveAt === -1 ? '' : `\n${previous.slice(serveAt).trimEnd()}\n`;
    writeFileSync(resultsFile, `${report(results).trimEnd()}\n${serveSection}`);
    writeFileSync(join(here, 'results.svg'), chart(results));
    console.log('\nwrote bench/RESULTS.md and bench/results.svg');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
