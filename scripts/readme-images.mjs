#!/usr/bin/env node
/**
 * Regenerates the README's "What you get" pictures from the real outputs: builds every talk in
 * content/ with its PDF and 3-up handout, then renders pages of those PDFs to PNG with pdf.js
 * (and the @napi-rs/canvas it brings), so the pictures show exactly what a user receives.
 *
 *   npm run build && node scripts/readme-images.mjs
 *
 * Writes docs/images/<talk>.png (the talk's first compare slide) and docs/images/handout.png
 * (a page of a 3-up handout).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { run } = await import(join(root, 'dist/cli/index.js'));
const { parseDeck } = await import(join(root, 'dist/index.js'));
const work = mkdtempSync(join(tmpdir(), 'decksmith-readme-'));
const target = join(root, 'docs', 'images');

/** Renders page `n` (1-based) of a PDF to a PNG `width` pixels wide. */
async function renderPage(pdfFile, n, width, out) {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(pdfFile)), isEvalSupported: false }).promise;
  const page = await pdf.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
  await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
  writeFileSync(out, canvas.toBuffer('image/png'));
  await pdf.destroy();
  console.log(out.slice(root.length + 1));
}

try {
  const code = await run(['build', join(root, 'content'), '--out', work, '--pdf', '--handout', '3']);
  if (code !== 0) process.exit(code);
  mkdirSync(target, { recursive: true });
  for (const talk of ['ml-engineer-vs-data-scientist', 'intelligent-systems-team', 'roles-handbook']) {
    const deck = parseDeck(readFileSync(join(root, 'content', `${talk}.md`), 'utf8'));
    const compare = deck.slides.findIndex((s) => s.layout === 'compare');
    await renderPage(join(work, `${talk}.pdf`), compare + 1, 800, join(target, `${talk}.png`));
  }
  // Page 2: pdf.js cannot paint the title slide's gradient (shading type 1), which page 1 holds.
  await renderPage(join(work, 'intelligent-systems-team-handout.pdf'), 2, 620, join(target, 'handout.png'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
