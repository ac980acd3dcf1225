/**
 * `decksmith png` (issue #14), run as a user runs it: a real process, its files read back (PNG
 * header for the pixel size, pixels for what is drawn).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/export/index.js';
import { exportPng } from '../../src/export/png.js';
import { cli } from '../helpers.js';
import { deckMarkdown, makeDeck } from './fixture-deck.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'decksmith-png-test-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const slides = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Slide ${i + 1}`, body: `- Point ${i + 1}` }));

describe('decksmith png', () => {
  it('writes one PNG per slide of a 50-slide deck, named <deck>-001.png, at the slide size × --scale', async () => {
    const dir = join(root, 'fifty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'talk.md'), deckMarkdown(slides(50)));
    const run = await cli(['png', join(dir, 'talk.md'), '--out', join(dir, 'png')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = readdirSync(join(dir, 'png')).sort();
    expect(files).toEqual(Array.from({ length: 50 }, (_, i) => `talk-${String(i + 1).padStart(3, '0')}.png`));
    for (const file of files) expect(pngSize(join(dir, 'png', file))).toEqual({ width: 1280, height: 720 });
    expect(run.stdout).toContain('(50 PNGs, 1280×720)');

    const scaled = await cli(['png', join(dir, 'talk.md'), '--out', join(dir, 'x2'), '--scale', '2', '--range', '2-3']);
    expect(scaled.code).toBe(0);
    expect(readdirSync(join(dir, 'x2')).sort()).toEqual(['talk-002.png', 'talk-003.png']);
    expect(pngSize(join(dir, 'x2', 'talk-002.png'))).toEqual({ width: 2560, height: 1440 });
  }, 120_000);

  it('writes the title slide at 1200×630 with --og-image', async () => {
    const dir = join(root, 'og');
    mkdirSync(dir);
    writeFileSync(join(dir, 'talk.md'), deckMarkdown(slides(3)));
    const run = await cli(['png', join(dir, 'talk.md'), '--out', dir, '--og-image']);
    expect(run.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toEqual(['talk-og.png']);
    expect(pngSize(join(dir, 'talk-og.png'))).toEqual({ width: 1200, height: 630 });
  }, 60_000);

  it('writes a PNG per fragment step with --fragments steps', async () => {
    const dir = join(root, 'steps');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'talk.md'),
      deckMarkdown([
        { title: 'Steps', body: '::: fragments\n- one\n- two\n:::' },
        { title: 'Plain', body: 'text' },
      ]),
    );
    const run = await cli(['png', join(dir, 'talk.md'), '--out', join(dir, 'png'), '--fragments', 'steps']);
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'png')).sort()).toEqual(['talk-001-1.png', 'talk-001-2.png', 'talk-001-3.png', 'talk-002.png']);
  }, 60_000);

  it('a bad --range is a usage error and writes nothing', async () => {
    const dir = join(root, 'range');
    mkdirSync(dir);
    writeFileSync(join(dir, 'talk.md'), deckMarkdown(slides(3)));
    const run = await cli(['png', join(dir, 'talk.md'), '--out', join(dir, 'png'), '--range', '2-9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--range "2-9"');
    expect(existsSync(join(dir, 'png'))).toBe(false);
  }, 60_000);
});

describe('exportPng', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows no reveal controls or progress bar: the corner where reveal draws them is the slide background', async () => {
    const dir = join(root, 'controls');
    const deck = await makeDeck(dir, [{ title: 'One' }, { title: 'Two' }], { name: 'talk' });
    const out = join(dir, 'png');
    const result = await exportPng(session, deck, { outDir: out, scale: 1, fragments: 'final', timeoutMs: 30_000 });
    expect(result.files).toHaveLength(2);
    // Read the PNG back in Chromium and sample the bottom-right corner (reveal's controls) and the
    // bottom edge (its progress bar): both must be the colour of the slide's top-left corner.
    const samples = await session.withPage(async (page) => {
      const data = `data:image/png;base64,${readFileSync(result.files[0] ?? '').toString('base64')}`;
      return page.evaluate(async (src: string) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no canvas');
        ctx.drawImage(img, 0, 0);
        const at = (x: number, y: number): string => [...ctx.getImageData(x, y, 1, 1).data].join(',');
        const corner: string[] = [];
        for (let x = img.width - 110; x < img.width - 10; x += 10)
          for (let y = img.height - 110; y < img.height - 10; y += 10) corner.push(at(x, y));
        const bar: string[] = [];
        for (let x = 5; x < img.width; x += 40) bar.push(at(x, img.height - 2));
        return { background: at(2, 2), corner, bar };
      }, data);
    });
    expect(new Set(samples.corner)).toEqual(new Set([samples.background]));
    expect(new Set(samples.bar)).toEqual(new Set([samples.background]));
  }, 60_000);

  it('replaces an earlier, longer run: the folder holds one consistent set', async () => {
    const dir = join(root, 'shorter');
    const out = join(dir, 'png');
    const long = await makeDeck(dir, slides(4), { name: 'talk' });
    await exportPng(session, long, { outDir: out, scale: 1, fragments: 'final', timeoutMs: 30_000 });
    writeFileSync(join(out, 'keep-me.png'), 'not ours');
    const short = await makeDeck(dir, slides(2), { name: 'talk' });
    await exportPng(session, short, { outDir: out, scale: 1, fragments: 'final', timeoutMs: 30_000 });
    expect(readdirSync(out).sort()).toEqual(['keep-me.png', 'talk-001.png', 'talk-002.png']);
  }, 60_000);
});
