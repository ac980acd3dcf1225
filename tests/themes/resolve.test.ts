/** Theme lookup, fonts and overrides, without a browser. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { isDecksmithError } from '../../src/errors.js';
import { cssUrls } from '../../src/build/fonts.js';
import { builtinThemeNames, listThemes, resolveTheme } from '../../src/build/theme.js';
import { cli, tempDir } from '../helpers.js';

const { dir, cleanup } = tempDir('decksmith-themes-');
afterAll(cleanup);

function deck(name: string, frontMatter: string, body = '# Hello\n\n---\n\n## Slide\n\n- one\n'): string {
  const file = join(dir, name, 'deck.md');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `---\n${frontMatter}\n---\n\n${body}`);
  return file;
}

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isDecksmithError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('theme list', () => {
  it('has the five designed themes, each with a description, and reveal.js themes after them', () => {
    const themes = listThemes();
    expect(builtinThemeNames()).toEqual(expect.arrayContaining(['paper', 'midnight', 'editorial', 'contrast', 'handout']));
    for (const theme of themes.filter((t) => t.source === 'decksmith')) expect(theme.description.length).toBeGreaterThan(15);
    expect(themes.map((t) => t.name)).toEqual(expect.arrayContaining(['black', 'white', 'league']));
  });

  it('`decksmith themes` prints every theme with its description', async () => {
    const { code, stdout } = await cli(['themes']);
    expect(code).toBe(0);
    for (const theme of listThemes()) expect(stdout).toContain(theme.name);
    expect(stdout).toMatch(/paper\s+Clean light theme/);
  });
});

describe('unknown themes', () => {
  it('names the closest theme and lists them all', () => {
    const error = thrown(() => resolveTheme('midnigth', dir));
    expect(error.code).toBe('unknown-theme');
    expect(error.message).toContain('did you mean "midnight"?');
    for (const name of ['paper', 'midnight', 'editorial', 'contrast', 'handout', 'black']) expect(error.hint).toContain(name);
  });

  it('in the front matter: a warning at its line, built with the default theme; --strict fails it', async () => {
    const file = deck('unknown', 'title: T\ntheme: midnigt');
    const out = join(dir, 'out-unknown');
    const { code, stderr } = await cli(['build', file, '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      `${file}:3: warning: unknown theme "midnigt" (did you mean "midnight"?); the deck is built with the default theme "paper" instead`,
    );
    expect(stderr).toContain('[unknown-theme]');
    expect(readFileSync(join(out, 'deck', 'index.html'), 'utf8')).toContain('assets/theme/paper/theme.css');
    const strict = await cli(['build', file, '--out', out, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${file}: 1 warning(s) with --strict`);
  });

  it('a front-matter path that is missing is a warning too; a broken theme folder is an error at the theme: line', async () => {
    const missing = deck('missing-path', 'title: T\ntheme: ./nowhere');
    const warned = await cli(['build', missing, '--out', join(dir, 'out-missing')]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(`${missing}:3: warning: theme "./nowhere" is neither a theme name nor an existing path`);
    const broken = deck('broken-theme', 'title: T\ntheme: ./empty-folder');
    mkdirSync(join(dirname(broken), 'empty-folder'));
    const failed = await cli(['build', broken, '--out', join(dir, 'out-broken')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${broken}:3: theme folder "./empty-folder" has no theme.css`);
  });

  it('on the command line (--theme, themes --preview): bad usage, exit 2, on every command', async () => {
    const file = deck('cli-theme', 'title: T');
    for (const argv of [
      ['build', file, '--out', join(dir, 'out-cli'), '--theme', 'papr'],
      ['pdf', file, '--theme', 'papr'],
      ['serve', file, '--theme', 'papr', '--port', '0'],
      ['themes', '--preview', 'papr', '--out', join(dir, 'out-cli')],
      ['init', join(dir, 'cli-init'), '--theme', 'papr'],
    ]) {
      const { code, stderr } = await cli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toContain('"papr"');
    }
    expect(existsSync(join(dir, 'out-cli'))).toBe(false);
  });

  it('never resolves a name outside the theme folders, and says how to use a local folder', () => {
    mkdirSync(join(dir, 'local-theme'), { recursive: true });
    writeFileSync(join(dir, 'local-theme', 'theme.css'), ':root { --ds-accent: red; }');
    const error = thrown(() => resolveTheme('local-theme', dir));
    expect(error.code).toBe('unknown-theme');
    expect(error.hint).toContain('"./local-theme"');
    expect(resolveTheme('./local-theme', dir).styles.map((s) => s.target)).toContain('assets/theme/user/theme.css');
    // "extends" takes a built-in name only: no paths, no parent folders.
    mkdirSync(join(dir, 'sneaky'), { recursive: true });
    writeFileSync(join(dir, 'sneaky', 'theme.css'), '');
    writeFileSync(join(dir, 'sneaky', 'theme.json'), JSON.stringify({ extends: '../local-theme' }));
    expect(thrown(() => resolveTheme('./sneaky', dir)).code).toBe('theme-json-invalid');
  });

  it('reports a folder without theme.css, a non-CSS file and an uninstalled font', () => {
    mkdirSync(join(dir, 'empty-theme'), { recursive: true });
    expect(thrown(() => resolveTheme('./empty-theme', dir)).code).toBe('theme-css-missing');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(thrown(() => resolveTheme('./notes.txt', dir)).code).toBe('theme-not-css');
    mkdirSync(join(dir, 'font-theme'), { recursive: true });
    writeFileSync(join(dir, 'font-theme', 'theme.css'), '');
    writeFileSync(join(dir, 'font-theme', 'theme.json'), JSON.stringify({ fonts: ['@fontsource/not-a-real-font-xyz/400.css'] }));
    const error = thrown(() => resolveTheme('./font-theme', dir));
    expect(error.code).toBe('font-not-installed');
    expect(error.hint).toContain('npm install @fontsource/not-a-real-font-xyz');
  });
});

describe('built themes', () => {
  it.each(builtinThemeNames())('%s: every url() in its stylesheets is a file in the output', async (theme) => {
    const built = await buildDeck(deck(`fonts-${theme}`, `title: T\ntheme: ${theme}`), { outDir: join(dir, 'out-fonts') });
    const html = readFileSync(built.htmlPath, 'utf8');
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1] ?? '');
    expect(links).toContain(`assets/theme/${theme}/theme.css`);
    let fonts = 0;
    for (const link of links) {
      const css = join(built.outDir, link);
      expect(existsSync(css), link).toBe(true);
      for (const url of cssUrls(readFileSync(css, 'utf8'))) {
        if (url.startsWith('data:')) continue;
        expect(url, `${link} refers to a remote file`).not.toMatch(/^[a-z]+:|^\/\//i);
        expect(existsSync(resolve(dirname(css), url)), `${link} → ${url}`).toBe(true);
        if (url.endsWith('.woff2')) fonts++;
      }
    }
    expect(fonts).toBeGreaterThan(0);
  });

  it('keeps reveal.js themes selectable, offline: remote @import is dropped', async () => {
    const built = await buildDeck(deck('league', 'title: T\ntheme: league'), { outDir: join(dir, 'out-league') });
    const html = readFileSync(built.htmlPath, 'utf8');
    expect(html).toMatch(/assets\/theme\/base\.css[\s\S]*assets\/theme\/reveal-league\.css[\s\S]*assets\/theme\/reveal-bridge\.css/);
    const css = readFileSync(join(built.outDir, 'assets/theme/reveal-league.css'), 'utf8');
    expect(css).not.toMatch(/@import[^;]*https?:/);
    expect(html).toContain('class="ds-theme-league"');
  });

  it('shows a user theme by path, themeVars and css: in the HTML', async () => {
    const file = deck('user', 'title: T\ntheme: ./brand\nthemeVars:\n  accent: "#ff00aa"\n  stamp: "\\"VARS\\""\ncss: extra.css');
    const base = dirname(file);
    mkdirSync(join(base, 'brand', 'img'), { recursive: true });
    writeFileSync(join(base, 'brand', 'theme.json'), JSON.stringify({ extends: 'midnight', description: 'brand' }));
    writeFileSync(join(base, 'brand', 'theme.css'), ':root { --ds-bg: #101010; } .reveal h1 { background: url(img/dot.png); }');
    writeFileSync(join(base, 'brand', 'img', 'dot.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(join(base, 'extra.css'), '.reveal h2 { text-decoration: underline; }');
    const built = await buildDeck(file, { outDir: join(dir, 'out-user') });
    const html = readFileSync(built.htmlPath, 'utf8');
    expect(html).toMatch(/assets\/theme\/midnight\/theme\.css[\s\S]*assets\/theme\/user\/theme\.css[\s\S]*css\/extra\.css/);
    expect(html).toContain('--ds-accent: #ff00aa;');
    expect(html).toContain('--ds-stamp: "VARS";');
    expect(html).toContain('class="ds-theme-brand"');
    for (const f of ['assets/theme/user/theme.css', 'assets/theme/user/img/dot.png', 'css/extra.css'])
      expect(existsSync(join(built.outDir, f)), f).toBe(true);
  });
});

describe('templates', () => {
  it('overrides one layout file by file and names a missing partial', async () => {
    const templates = join(dir, 'tpl');
    mkdirSync(join(templates, 'layouts'), { recursive: true });
    writeFileSync(join(templates, 'layouts', 'default.hbs'), '<div class="my-layout">{{{body}}}</div>');
    const file = deck('tpl', 'title: T');
    const built = await buildDeck(file, { outDir: join(dir, 'out-tpl'), templates });
    const html = readFileSync(built.htmlPath, 'utf8');
    expect(html).toContain('<div class="my-layout"><h2');
    expect(html).toContain('ds-title-block');
    writeFileSync(join(templates, 'layouts', 'default.hbs'), '{{> nowhere}}');
    const { code, stderr } = await cli(['build', file, '--templates', templates, '--out', join(dir, 'out-tpl2')]);
    expect(code).toBe(1);
    expect(stderr).toContain('partial "nowhere"');
  });
});
