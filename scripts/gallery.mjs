#!/usr/bin/env node
/**
 * Regenerates the README's theme gallery: docs/gallery/<theme>.png, one contact sheet per
 * built-in theme (the sample talk's nine slides, 3 × 3), rendered by
 * `decksmith themes --preview` in headless Chromium. Run after `npm run build`:
 *
 *   node scripts/gallery.mjs
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { run } = await import(join(root, 'dist/cli/index.js'));
const work = mkdtempSync(join(tmpdir(), 'decksmith-gallery-'));
try {
  const code = await run(['themes', '--preview', '--out', work]);
  if (code !== 0) process.exit(code);
  const target = join(root, 'docs', 'gallery');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(work).filter((f) => f.endsWith('.png'))) {
    copyFileSync(join(work, file), join(target, file));
    console.log(join('docs', 'gallery', file));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
