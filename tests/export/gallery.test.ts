/**
 * Every built-in theme × every layout, in real Chromium: the sample talk of
 * `decksmith themes --preview` is built in each theme, each slide is screenshot, and we check
 * that nothing overflows its slide and that every piece of text meets its contrast target
 * (WCAG AA for `contrast`, at least AA-large — 3:1 — everywhere else).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { requiredContrast } from '../../src/browser/measure.js';
import { previewThemes, type ThemePreview } from '../../src/export/gallery.js';
import { builtinThemeNames } from '../../src/build/theme.js';
import { SAMPLE_SLIDES } from '../../src/export/gallery-sample.js';
import { cli, tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-gallery-');
let session: BrowserSession;
let previews: ThemePreview[];
const themes = builtinThemeNames();

beforeAll(async () => {
  session = await BrowserSession.launch();
  previews = await previewThemes({ themes, outDir: join(dir, 'gallery'), session });
}, 120_000);

afterAll(async () => {
  await session?.close();
  cleanup();
});

describe.each(themes)('theme %s', (theme) => {
  const preview = () => {
    const found = previews.find((p) => p.theme === theme);
    if (found === undefined) throw new Error(`no preview for ${theme}`);
    return found;
  };

  it('renders every layout to a PNG and a contact sheet', () => {
    const p = preview();
    expect(p.slides.map((s) => s.slide)).toEqual([...SAMPLE_SLIDES]);
    expect(new Set(p.slides.map((s) => s.layout))).toEqual(
      new Set(['title', 'section', 'default', 'compare', 'quote', 'image', 'closing']),
    );
    for (const file of [...p.slides.map((s) => s.png), p.sheet]) {
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
  });

  it('fits every slide: nothing overflows or is cut off', () => {
    const problems = preview().slides.flatMap((s) => s.overflow.map((o) => `${s.slide}: ${o}`));
    expect(problems).toEqual([]);
  });

  it(`meets ${theme === 'contrast' ? 'WCAG AA' : 'WCAG AA-large'} contrast for every piece of text`, () => {
    const level = theme === 'contrast' ? 'AA' : 'AA-large';
    const slides = preview().slides;
    const texts = slides.flatMap((s) => s.texts.map((t) => ({ ...t, slide: s.slide })));
    expect(texts.length).toBeGreaterThan(60);
    const failing = texts
      .filter((t) => t.ratio < requiredContrast(level, t.large))
      .map((t) => `${t.slide}: "${t.text}" ${t.fg} on ${t.bg} = ${t.ratio}:1`);
    expect(failing).toEqual([]);
  });
});

describe('reveal.js chrome', () => {
  it.each(themes)('%s: controls and progress bar take the accent colour', async (theme) => {
    const deck = previews.find((p) => p.theme === theme)?.deck ?? '';
    const colours = await session.withPage(async (page) => {
      await page.goto(`file://${deck}`);
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
      return page.evaluate(() => {
        const probe = document.createElement('span');
        probe.style.color = 'var(--ds-accent)';
        document.body.append(probe);
        const accent = getComputedStyle(probe).color;
        const get = (selector: string) => getComputedStyle(document.querySelector(selector) as Element).color;
        return { accent, controls: get('.reveal .controls'), progress: get('.reveal .progress') };
      });
    });
    expect(colours.controls).toBe(colours.accent);
    expect(colours.progress).toBe(colours.accent);
  });
});

describe('decksmith themes --preview', () => {
  it('writes the gallery page for the themes it is given', async () => {
    const out = join(dir, 'cli-gallery');
    const { code, stdout, stderr } = await cli(['themes', 'contrast', '--preview', '--out', out]);
    expect(stderr).not.toContain('below WCAG AA');
    expect(code).toBe(0);
    expect(stdout).toContain(join(out, 'contrast.png'));
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'contrast', '04-compare.png'))).toBe(true);
  }, 60_000);
});
