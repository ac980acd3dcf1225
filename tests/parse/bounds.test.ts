/**
 * Hostile Markdown stays bounded: work grows linearly with the deck, nesting is capped (and the
 * text past the cap is kept), and deck text cannot crash the renderer or reach the terminal raw.
 * Growth is asserted as a ratio between two sizes, never as a time limit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import { afterAll, describe, expect, it } from 'vitest';
import { FrontMatterError } from '../../src/errors.js';
import { MAX_NESTING } from '../../src/markdown/bounded-lexer.js';
import { MAX_YAML_NESTING } from '../../src/parse/front-matter.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { cli, tempDir } from '../helpers.js';

const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };
const build = (source: string) => {
  const deck = parseDeck(source, { file: 'deck.md' });
  return { deck, rendered: renderDeck(deck, context) };
};

const { dir, cleanup } = tempDir('decksmith-bounds-');
afterAll(cleanup);

describe('nesting past the cap', () => {
  const levels = MAX_NESTING + 20;

  it.each([
    ['lists', (i: number) => `${'  '.repeat(i)}- level ${i}`],
    ['blockquotes', (i: number) => `${'>'.repeat(i + 1)} level ${i}`],
  ])('keeps deeply nested %s as text and warns at the line where the cap is crossed', (_, line) => {
    const source = `# Deep\n\n${Array.from({ length: levels }, (_, i) => line(i)).join('\n')}\n\n---\n\n# After\n`;
    const { deck, rendered } = build(source);
    const warnings = deck.diagnostics.filter((d) => d.code === 'too-deeply-nested');
    expect(warnings).toHaveLength(1);
    // Line 3 holds level 0: level MAX_NESTING is the first one not lexed.
    expect(warnings[0]?.line).toBe(3 + MAX_NESTING);
    expect(warnings[0]?.message).toContain(`deeper than ${MAX_NESTING} levels`);
    expect(deck.slides.map((s) => s.title)).toEqual(['Deep', 'After']);
    const text = load(rendered.slides[0]?.html ?? '').text();
    for (let i = 0; i < levels; i++) expect(text).toContain(`level ${i}`);
  });

  it.each([
    ['blockquotes', `# A\n\n${'>'.repeat(5000)} deep\n`],
    ['lists', `# A\n\n${'- '.repeat(5000)}deep\n`],
  ])('builds 5000 nested %s with a warning at the line, keeping the text', async (_, content) => {
    const file = join(dir, 'nested.md');
    writeFileSync(file, content);
    const result = await cli(['build', file, '--out', join(dir, 'out-nested')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`nested.md:3: warning: lists, blockquotes or ::: blocks nest deeper than ${MAX_NESTING} levels`);
    const html = readFileSync(join(dir, 'out-nested', 'nested', 'index.html'), 'utf8');
    expect(load(html)('section').text()).toContain('deep');
  });

  it('keeps ::: blocks nested past the cap as text', () => {
    const source = `# Deep\n\n${Array.from({ length: levels }, (_, i) => `::: box${i}\ninside ${i}\n`).join('\n')}${':::\n'.repeat(levels)}`;
    const { deck, rendered } = build(source);
    expect(deck.diagnostics.filter((d) => d.code === 'too-deeply-nested')).toHaveLength(1);
    const text = load(rendered.slides[0]?.html ?? '').text();
    for (let i = 0; i < levels; i++) expect(text).toContain(`inside ${i}`);
  });

  it('leaves nesting within the cap alone', () => {
    const source = `# Fine\n\n${Array.from({ length: MAX_NESTING }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n`;
    const { deck, rendered } = build(source);
    expect(deck.diagnostics.filter((d) => d.code === 'too-deeply-nested')).toEqual([]);
    expect(load(rendered.slides[0]?.html ?? '')('ul').length).toBe(MAX_NESTING);
  });
});

describe('deck text that once crashed the build', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('renders a code fence named %s as plain code', (name) => {
    const { rendered } = build(`# Code\n\n\`\`\`${name}\nlet x = 1 < 2;\n\`\`\`\n`);
    const $ = load(rendered.slides[0]?.html ?? '');
    expect($('pre code').text().trim()).toBe('let x = 1 < 2;');
  });

  it('stops at the line where front matter nests too deeply, for flow and block YAML', () => {
    const flow = `---\ntitle: T\nreveal: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n\n# Hi\n`;
    const block = `---\ntitle: T\nreveal:\n${Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')}\n---\n\n# Hi\n`;
    expect(() => parseDeck(flow, { file: 'deck.md' })).toThrow(FrontMatterError);
    for (const [source, line] of [
      [flow, 3],
      [block, 3 + MAX_YAML_NESTING],
    ] as const) {
      try {
        parseDeck(source, { file: 'deck.md' });
        expect.unreachable('deep front matter was accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(FrontMatterError);
        expect((error as FrontMatterError).line).toBe(line);
        expect((error as FrontMatterError).message).toBe(`front matter nests deeper than ${MAX_YAML_NESTING} levels`);
      }
    }
  });

  it('reports deep front matter as a file:line error through the CLI', async () => {
    const file = join(dir, 'deep-yaml.md');
    writeFileSync(file, `---\ntitle: T\nreveal: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n---\n\n# Hi\n`);
    const result = await cli(['build', file, '--out', join(dir, 'out-yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deep-yaml.md:3: front matter nests deeper than');
    expect(result.stderr).not.toContain('unexpected error');
  });
});
