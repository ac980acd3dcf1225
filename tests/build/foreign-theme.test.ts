/**
 * Themes named by decks written for other tools (issue #12, item 3). A front-matter theme that
 * is another tool's built-in (Marp `gaia`, Slidev `seriph`, …) is a `foreign-theme` warning at
 * the value's line and column, and the deck gets the closest decksmith theme, which Chromium is
 * asked to confirm; any other unknown name stays an `unknown-theme` warning with the default
 * theme; a folder build goes on past all of them; `--theme` on the command line stays strict.
 * Exit codes and terminal output come from a real `node bin/decksmith.js` (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { tempDir } from '../helpers.js';
import { browserForFile } from '../browser-for-file.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const { dir, cleanup } = tempDir('decksmith-foreign-theme-');
const session = browserForFile(cleanup);

/** A deck whose `theme:` value is on line 3, column 8. */
function deck(path: string, theme: string | undefined): string {
  const file = join(dir, path);
  mkdirSync(resolve(file, '..'), { recursive: true });
  const front = theme === undefined ? 'title: T\nauthor: A' : `title: T\ntheme: ${theme}`;
  writeFileSync(file, `---\n${front}\n---\n\n# Title\n\n---\n\n## Second\n\n- one\n`);
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function decksmith(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The theme stylesheets the page loaded and the page colour its theme sets, read in Chromium. */
function shownTheme(htmlPath: string): Promise<{ sheets: string[]; background: string }> {
  return session().withPage(async (page) => {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
    return page.evaluate(() => ({
      sheets: [...document.styleSheets]
        .map((s) => s.href ?? '')
        .filter((href) => href.includes('/assets/theme/'))
        .map((href) => href.replace(/^.*\/assets\/theme\//, '')),
      background: getComputedStyle(document.documentElement).getPropertyValue('--ds-bg').trim().toLowerCase(),
    }));
  });
}

const PAGE = { paper: '#ffffff', editorial: '#faf6ef', midnight: '#0b1120' } as const;

describe("another tool's built-in theme in the front matter", () => {
  const cases: { theme: string; tool: string; ours: keyof typeof PAGE }[] = [
    { theme: 'default', tool: 'Marp and Slidev', ours: 'paper' },
    { theme: 'gaia', tool: 'Marp', ours: 'editorial' },
    { theme: 'uncover', tool: 'Marp', ours: 'paper' },
    { theme: 'seriph', tool: 'Slidev', ours: 'editorial' },
    { theme: 'apple-basic', tool: 'Slidev', ours: 'paper' },
    { theme: '"@slidev/theme-seriph"', tool: 'Slidev', ours: 'editorial' },
    { theme: 'slidev-theme-apple-basic', tool: 'Slidev', ours: 'paper' },
    { theme: 'Gaia', tool: 'Marp', ours: 'editorial' },
    { theme: 'dark', tool: 'Quarto', ours: 'midnight' },
  ];
  for (const { theme, tool, ours } of cases) {
    it(`"${theme}" (${tool}) builds with "${ours}" and warns at 3:8`, async () => {
      const file = deck(`map-${theme.replace(/\W/g, '_')}/deck.md`, theme);
      const built = await buildDeck(file, { outDir: join(dir, 'out-map') });
      const warnings = built.rendered.diagnostics.filter((d) => d.code.endsWith('theme'));
      const name = theme.replace(/"/g, '');
      expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'foreign-theme', file, line: 3, column: 8 })]);
      expect(warnings[0]?.message).toContain(`theme "${name}" is a built-in theme of ${tool}`);
      expect(warnings[0]?.message).toContain(`the deck is built with "${ours}"`);
      const shown = await shownTheme(built.htmlPath);
      expect(shown.sheets).toContain(`${ours}/theme.css`);
      expect(shown.background).toBe(PAGE[ours]);
    });
  }

  it("reveal.js's own themes (black, white, league) are themes here: no warning", async () => {
    for (const theme of ['black', 'white', 'league']) {
      const built = await buildDeck(deck(`reveal-${theme}/deck.md`, theme), { outDir: join(dir, 'out-reveal') });
      expect(built.rendered.diagnostics.filter((d) => d.code.endsWith('theme'))).toEqual([]);
      expect((await shownTheme(built.htmlPath)).sheets).toContain(`reveal-${theme}.css`);
    }
  });
});

describe('on the command line', () => {
  it('prints file:line:column and the theme used, exits 0', async () => {
    const file = deck('cli/marp.md', 'gaia');
    const { code, stderr } = await decksmith(['build', file, '--out', join(dir, 'out-cli')]);
    expect(code).toBe(0);
    expect(stderr).toContain(`${file}:3:8: warning: theme "gaia" is a built-in theme of Marp`);
    expect(stderr).toContain('the deck is built with "editorial"');
    expect(stderr).toContain('[foreign-theme]');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a folder build goes on past foreign and unknown themes and builds every deck', async () => {
    const folder = join(dir, 'folder');
    const files = {
      marp: deck('folder/a-marp.md', 'gaia'),
      custom: deck('folder/b-custom.md', 'purplin'),
      slidev: deck('folder/c-slidev.md', 'seriph'),
      plain: deck('folder/d-plain.md', undefined),
    };
    const out = join(dir, 'out-folder');
    const { code, stdout, stderr } = await decksmith(['build', folder, '--out', out]);
    expect(code).toBe(0);
    for (const name of ['a-marp', 'b-custom', 'c-slidev', 'd-plain']) {
      expect(stdout).toContain(join(out, name, 'index.html'));
      expect(existsSync(join(out, name, 'index.html'))).toBe(true);
    }
    expect(stderr).toContain(`${files.marp}:3:8: warning: theme "gaia"`);
    expect(stderr).toContain(
      `${files.custom}:3: warning: unknown theme "purplin"; the deck is built with the default theme "paper" instead`,
    );
    expect(stderr).toContain(`${files.slidev}:3:8: warning: theme "seriph" is a built-in theme of Slidev`);
    expect(stderr).not.toContain(files.plain);
    expect((await shownTheme(join(out, 'c-slidev', 'index.html'))).sheets).toContain('editorial/theme.css');
  });

  for (const theme of ['nosuch', 'gaia']) {
    it(`--theme ${theme} stays a usage error: exit 2, nothing written`, async () => {
      const file = deck(`strict-${theme}/deck.md`, undefined);
      const out = join(dir, `out-strict-${theme}`);
      const { code, stdout, stderr } = await decksmith(['build', file, '--theme', theme, '--out', out]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`--theme: unknown theme "${theme}"`);
      if (theme === 'gaia')
        expect(stderr).toContain('--theme: unknown theme "gaia" (a built-in theme of Marp); the closest decksmith theme is "editorial"');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    });
  }
});
