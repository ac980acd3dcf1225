/**
 * Template errors name the template file they come from: an override in a --templates folder,
 * or decksmith's own file. Handlebars compiles partials only when a template first uses them,
 * and its parse errors name no template, so these go through a real `decksmith build` process.
 * Runs the compiled CLI (npm test builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/build/templates.js';
import { builtinTemplatesDir } from '../../src/build/paths.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { resolveTheme } from '../../src/build/theme.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { tempDir } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');

function build(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, 'build', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('template errors', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const deck = join(tmp.dir, 'talk.md');
  writeFileSync(deck, '# Talk\n\n---\n\n## Two\n');

  it('a broken partial in --templates is reported at its file and line, and nothing is written', () => {
    const templates = join(tmp.dir, 'broken-partial');
    mkdirSync(join(templates, 'partials'), { recursive: true });
    const partial = join(templates, 'partials', 'slide.hbs');
    writeFileSync(partial, '<section>\n{{#if title}}\n{{title}}\n</section>\n');
    const out = join(tmp.dir, 'out-partial');
    const { code, stdout, stderr } = build(tmp.dir, deck, '--templates', templates, '--out', out);
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`decksmith: ${partial}:5: template "partials/slide" (${partial}) does not compile: Parse error on line 5:`);
    expect(stderr).toContain('Fix the Handlebars syntax in that template file.');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(existsSync(join(out, 'talk'))).toBe(false);
  });

  it('a broken layout in --templates names the layout file', () => {
    const templates = join(tmp.dir, 'broken-layout');
    mkdirSync(join(templates, 'layouts'), { recursive: true });
    const layout = join(templates, 'layouts', 'title.hbs');
    writeFileSync(layout, '{{#each}}\n');
    const { code, stderr } = build(tmp.dir, deck, '--templates', templates, '--out', join(tmp.dir, 'out-layout'));
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`decksmith: ${layout}:`);
    expect(stderr).toContain(`template "layouts/title" (${layout}) does not compile`);
  });

  it('a partial the templates use that exists nowhere names the file that uses it', () => {
    const templates = join(tmp.dir, 'missing-partial');
    mkdirSync(templates, { recursive: true });
    const deckTemplate = join(templates, 'deck.hbs');
    writeFileSync(deckTemplate, '<html>{{> nowhere}}</html>\n');
    const { code, stderr } = build(tmp.dir, deck, '--templates', templates, '--out', join(tmp.dir, 'out-missing'));
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`decksmith: ${deckTemplate}: template "deck" (${deckTemplate}) uses partial "nowhere", which does not exist`);
  });

  it('loadTemplates records where each template comes from: the override, else the built-in file', () => {
    const templates = join(tmp.dir, 'one-override');
    mkdirSync(join(templates, 'partials'), { recursive: true });
    writeFileSync(join(templates, 'partials', 'slide.hbs'), '<section>{{{html}}}</section>\n');
    const set = loadTemplates(templates);
    expect(set.files?.['partials/slide']).toBe(join(templates, 'partials', 'slide.hbs'));
    expect(set.files?.['partials/scripts']).toBe(join(builtinTemplatesDir(), 'partials', 'scripts.hbs'));
    expect(set.files?.['deck']).toBe(join(builtinTemplatesDir(), 'deck.hbs'));
    expect(set.files?.['layouts/title']).toBe(join(builtinTemplatesDir(), 'layouts', 'title.hbs'));
  });
});

describe('precompiled templates (npm run build writes them)', () => {
  const every = (set: ReturnType<typeof loadTemplates>) => [set.deck, ...Object.values(set.layouts), ...Object.values(set.partials)];

  it('cover every built-in template, and a changed template is not among them', () => {
    const set = loadTemplates();
    const specs = set.precompiled?.specs ?? {};
    for (const text of every(set)) expect(Object.hasOwn(specs, text)).toBe(true);
    expect(Object.hasOwn(specs, `${set.deck}<!-- changed -->`)).toBe(false);
  });

  it('render every layout to the same bytes as templates compiled at run time', () => {
    const layouts = ['title', 'section', 'default', 'compare', 'image', 'quote', 'closing'];
    const made = layouts.map(
      (layout) =>
        `<!-- layout: ${layout} -->\n\n## A ${layout} slide\n\n### Left\n\n- one\n\n### Right\n\n![x](https://example.com/x.png)\n\nNote: said aloud`,
    );
    const decks = [
      `---\ntitle: Every layout\nauthor: A. Author\nfooter: foot\nslideNumber: true\n---\n\n${made.join('\n\n---\n\n')}\n`,
      ...['intelligent-systems-team', 'ml-engineer-vs-data-scientist', 'roles-handbook'].map((name) =>
        readFileSync(join(import.meta.dirname, '..', '..', 'content', `${name}.md`), 'utf8'),
      ),
    ];
    const ahead = loadTemplates();
    const { precompiled: _, ...compiled } = ahead;
    expect(ahead.precompiled).toBeDefined();
    for (const source of decks) {
      const deck = parseDeck(source, { file: 'deck.md' });
      const context = { theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
      const a = renderDeck(deck, { ...context, templates: ahead });
      const b = renderDeck(deck, { ...context, templates: compiled });
      expect(a.html).toBe(b.html);
      expect(a.slides.map((s) => s.html)).toEqual(b.slides.map((s) => s.html));
    }
  });
});
