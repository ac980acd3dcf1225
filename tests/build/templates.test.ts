/**
 * Template errors name the template file they come from: an override in a --templates folder,
 * or decksmith's own file. Handlebars compiles partials only when a template first uses them,
 * and its parse errors name no template, so these go through a real `decksmith build` process.
 * Runs the compiled CLI (npm test builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/build/templates.js';
import { builtinTemplatesDir } from '../../src/build/paths.js';
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
