#!/usr/bin/env node
// Compares whole-process wall time of decksmith and `marp --pdf` on the same generated 50-slide
// Markdown (interleaved rounds, medians), then measures decksmith's node peak RSS on 500 slides.
// Run after `npm run build` (or `npm run bench`):  node bench/pdf-bench.mjs [--rounds 3] [--slides 50] [--big 500]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, slides: { type: 'string', default: '50' }, big: { type: 'string', default: '500' } } });
const rounds = Number(values.rounds);
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'decksmith-bench-'));
const hook = resolve('bench/rss-hook.mjs');

function body(count) {
  const slides = [];
  for (let i = 1; i <= count; i++) {
    slides.push(i % 10 === 1
      ? `# Part ${Math.ceil(i / 10)}: benchmarks\n\nA section opener, slide ${i}.`
      : `## Slide ${i}: measuring export\n\n- First point about slide ${i}\n- Second point with **bold** and \`code\`\n- Third point, a little longer, so the line wraps on narrow themes\n\n| Metric | Value |\n| --- | --- |\n| slide | ${i} |\n| squared | ${i * i} |\n\n\`\`\`js\nconst slide = ${i};\nconsole.log(slide * 2);\n\`\`\``);
  }
  return slides.join('\n\n---\n\n');
}

function writeDecks(count) {
  const text = body(count);
  const ds = join(work, `deck${count}.md`);
  const marp = join(work, `marp${count}.md`);
  writeFileSync(ds, `---\ntitle: Bench ${count}\nauthor: Bench\n---\n\n${text}\n`);
  writeFileSync(marp, `---\nmarp: true\ntitle: Bench ${count}\n---\n\n${text}\n`);
  return { ds, marp };
}

function run(cmd, args, env = {}) {
  const rssFile = join(work, `rss-${Date.now()}-${Math.random()}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, CHROME_PATH: chrome, BENCH_RSS_FILE: rssFile, ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  let rssKiB = 0;
  try {
    rssKiB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  } catch {
    // The process did not load the hook.
  }
  return { seconds, rssMiB: rssKiB / 1024 };
}

function decksmith(file, out) {
  return run(process.execPath, ['--import', hook, 'bin/decksmith.js', 'pdf', file, '--out', out]);
}

// @marp-team/marp-cli is a devDependency; MARP_CLI may point at another install's marp-cli.js.
const marpCli = process.env.MARP_CLI ?? resolve('node_modules/@marp-team/marp-cli/marp-cli.js');

function marp(file, out) {
  return run(process.execPath, ['--import', hook, marpCli, '--pdf', '--allow-local-files', file, '-o', out]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { PDFDocument } = await import('pdf-lib');
const pages = async (file) => (await PDFDocument.load(readFileSync(file), { updateMetadata: false })).getPageCount();

try {
  const small = writeDecks(Number(values.slides));
  const ds = [];
  const mp = [];
  // One warm-up each (disk cache, font cache), then interleaved timed rounds.
  decksmith(small.ds, join(work, 'warm-ds.pdf'));
  marp(small.marp, join(work, 'warm-marp.pdf'));
  for (let r = 0; r < rounds; r++) {
    ds.push(decksmith(small.ds, join(work, 'ds.pdf')).seconds);
    mp.push(marp(small.marp, join(work, 'marp.pdf')).seconds);
  }
  const dsMedian = median(ds);
  const marpMedian = median(mp);
  console.log(`${values.slides} slides: decksmith ${dsMedian.toFixed(2)} s [${ds.map((s) => s.toFixed(2)).join(', ')}], ` +
    `marp --pdf ${marpMedian.toFixed(2)} s [${mp.map((s) => s.toFixed(2)).join(', ')}], ratio ${(dsMedian / marpMedian).toFixed(2)}`);

  if (Number(values.big) > 0) {
    const big = writeDecks(Number(values.big));
    const bigOut = join(work, 'big.pdf');
    const bigRun = decksmith(big.ds, bigOut);
    console.log(`${values.big} slides: decksmith ${bigRun.seconds.toFixed(2)} s, ${await pages(bigOut)} pages, node peak RSS ${bigRun.rssMiB.toFixed(0)} MiB`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
