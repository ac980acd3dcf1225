import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { load } from 'cheerio';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createProgram } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/io.js';
import { configFileSchema, jsonSchemaFiles } from '../../src/cli/config/schema.js';
import { CONFIG_KEYS, frontMatterSchema } from '../../src/parse/config.js';
import { pageTexts } from '../export/read-pdf.js';
import { cli, tempDir } from '../helpers.js';

const repo = dirname(dirname(import.meta.dirname));
const bin = join(repo, 'bin', 'decksmith.js');

let root: string;
let cleanup: () => void;
/** Writes `files` under the temp project; `.git` marks it as a repository root. */
function project(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}
const deck = '# Hello\n\nSome text\n';
const themeOf = (htmlFile: string) => load(readFileSync(htmlFile, 'utf8'))('body').attr('class');

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('decksmith-config-'));
  mkdirSync(join(root, '.git'));
});
afterEach(() => cleanup());

describe('config file: lookup and precedence', () => {
  test('found from a subfolder; its values replace the defaults; relative paths resolve against its folder', async () => {
    project({ 'decksmith.config.yaml': 'theme: midnight\nout: built\n', 'talks/deck.md': deck, 'talks/sub/.keep': '' });
    const cwd = join(root, 'talks', 'sub');
    const r = await cli(['build', join(root, 'talks', 'deck.md')], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(themeOf(join(root, 'built', 'deck', 'index.html'))).toContain('ds-theme-midnight');
    expect(existsSync(join(cwd, 'built'))).toBe(false);
  });

  test('a flag on the command line beats the config file', async () => {
    project({ 'decksmith.config.yaml': 'theme: midnight\nout: built\n', 'deck.md': deck });
    const out = join(root, 'flagged');
    const r = await cli(['build', join(root, 'deck.md'), '--out', out, '--theme', 'editorial'], root);
    expect(r.code).toBe(0);
    expect(themeOf(join(out, 'deck', 'index.html'))).toContain('ds-theme-editorial');
    expect(existsSync(join(root, 'built'))).toBe(false);
  });

  test('a theme path and a root folder in the config are relative to the config file, not the working directory', async () => {
    project({
      'decksmith.config.yaml': 'theme: look/mine.css\nroot: .\nout: built\n',
      'look/mine.css': '.reveal { --config-file-marker: 1; }\n',
      'shared/pic.png': 'not really a png',
      'talks/deck.md': '# Hello\n\n![a picture](../shared/pic.png)\n',
    });
    const r = await cli(['build', join(root, 'talks', 'deck.md')], join(root, 'talks'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'built', 'deck', 'assets', 'theme', 'user.css'), 'utf8')).toContain('--config-file-marker');
    // Without the config's root the picture is outside the deck's folder and is refused.
    const elsewhere = tempDir('decksmith-config-cwd-');
    try {
      const without = await cli(['build', join(root, 'talks', 'deck.md'), '--out', join(root, 'plain')], elsewhere.dir);
      expect(without.stderr).toContain('[file-outside-root]');
    } finally {
      elsewhere.cleanup();
    }
  });

  test('a "decksmith" key in package.json works, and its errors name package.json and the line', async () => {
    project({ 'package.json': JSON.stringify({ name: 'talks', decksmith: { out: 'pkg-out' } }, null, 2), 'deck.md': deck });
    const ok = await cli(['build', join(root, 'deck.md')], root);
    expect(ok.code).toBe(0);
    expect(existsSync(join(root, 'pkg-out', 'deck', 'index.html'))).toBe(true);

    project({ 'package.json': JSON.stringify({ name: 'talks', decksmith: { out: 'pkg-out', theem: 'paper' } }, null, 2) });
    const bad = await cli(['build', join(root, 'deck.md')], root);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('package.json:5: unknown key "theem"; did you mean "theme"?');
  });

  test('decksmith.config.yaml next to a package.json "decksmith" key wins, with a warning at the key', async () => {
    project({
      'package.json': JSON.stringify({ name: 'talks', decksmith: { out: 'pkg-out' } }, null, 2),
      'decksmith.config.yaml': 'out: yaml-out\n',
      'deck.md': deck,
    });
    const r = await cli(['build', join(root, 'deck.md')], root);
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'yaml-out', 'deck', 'index.html'))).toBe(true);
    expect(existsSync(join(root, 'pkg-out'))).toBe(false);
    expect(r.stderr).toMatch(
      /^package\.json:3: warning: the "decksmith" key is ignored because decksmith\.config\.yaml is next to it.*\[config-ignored\]$/m,
    );
  });

  test('decksmith.config.yml works alone; next to a .yaml it is ignored with a warning', async () => {
    project({ 'decksmith.config.yml': 'out: yml-out\n', 'deck.md': deck });
    expect((await cli(['build', join(root, 'deck.md')], root)).code).toBe(0);
    expect(existsSync(join(root, 'yml-out', 'deck', 'index.html'))).toBe(true);

    project({ 'decksmith.config.yaml': 'out: yaml-out\n' });
    const r = await cli(['build', join(root, 'deck.md')], root);
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'yaml-out', 'deck', 'index.html'))).toBe(true);
    expect(r.stderr).toContain('decksmith.config.yml:1: warning: this file is ignored because decksmith.config.yaml is next to it');
  });

  test('the search stops at the repository root (the folder with .git)', async () => {
    // Read, the file above would stop the build (unknown key).
    project({ 'decksmith.config.yaml': 'theem: paper\n', 'repo/.git/HEAD': '', 'repo/talks/deck.md': deck });
    const r = await cli(
      ['build', join(root, 'repo', 'talks', 'deck.md'), '--out', join(root, 'repo', 'output')],
      join(root, 'repo', 'talks'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('pdf and serve read their sections; the top-level out becomes the PDF folder; a flag still wins', async () => {
    project({
      'decksmith.config.yaml': 'out: pdfs\npdf:\n  notes: page\n  handout: 3\n  timeout: 30\nserve:\n  port: 9090\n  host: 0.0.0.0\n',
    });
    const seen = await optionsSeen(['pdf', 'talk.md', '--notes', 'below']);
    expect(seen).toMatchObject({
      notes: 'below',
      handout: 3,
      timeout: 30,
      fragments: 'final',
      out: join(root, 'pdfs', 'talk-handout.pdf'),
    });
    expect(await optionsSeen(['serve', 'talk.md'])).toMatchObject({ port: 9090, host: '0.0.0.0' });
    expect(await optionsSeen(['serve', 'talk.md', '--port', '0'])).toMatchObject({ port: 0, host: '0.0.0.0' });
  });

  test("build --pdf prints with the pdf: section's notes; its handout keeps its own layout", async () => {
    project({
      'decksmith.config.yaml': 'pdf:\n  notes: page\n',
      'deck.md': '# One\n\nNote: alpha remarks\n\n---\n\n## Two\n\nNote: beta remarks\n',
    });
    const r = await cli(['build', join(root, 'deck.md'), '--out', join(root, 'out'), '--pdf'], root);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const pages = await pageTexts(join(root, 'out', 'deck.pdf'));
    // A notes page after each slide: 2 slides, 4 pages, the notes on pages 2 and 4.
    expect(pages).toHaveLength(4);
    expect(pages[1]).toContain('alpha remarks');
    expect(pages[3]).toContain('beta remarks');
  });

  /** The options a command's action would receive, with the action itself replaced. */
  async function optionsSeen(argv: string[]): Promise<Record<string, unknown>> {
    const io: CliIO = { stdout: () => {}, stderr: () => {}, isTTY: false, cwd: root, env: {} };
    const program = createProgram(io, () => {});
    let seen: Record<string, unknown> = {};
    for (const command of program.commands)
      command.action((...args: unknown[]) => {
        seen = args.at(-2) as Record<string, unknown>;
      });
    await program.parseAsync(argv, { from: 'user' });
    return seen;
  }
});

describe('config file: mistakes are exit 1 with file:line and the fix', () => {
  test('an unknown key names the file, the line and the closest key (real process, no stack trace)', () => {
    project({ 'decksmith.config.yaml': 'theme: paper\npdf:\n  notes: page\n  fragmens: steps\n', 'sub/deck.md': deck });
    const r = spawnSync(process.execPath, [bin, 'build', 'deck.md'], { cwd: join(root, 'sub'), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'decksmith: ../decksmith.config.yaml:4: unknown key "fragmens" under "pdf:"; did you mean "fragments"?\n' +
        '  The README section "Config file" lists every key and its values (--no-config ignores the file).\n',
    );
    expect(existsSync(join(root, 'sub', 'output'))).toBe(false);
  });

  test.each([
    ['notes: page\n', 1, 'unknown key "notes": it belongs in the "pdf:" section'],
    ['build:\n  theme: paper\n', 2, '"theme" applies to every command, so it goes at the top level'],
    ['slideNumber: true\n', 1, '"slideNumber" is a front-matter key'],
    ['pdf:\n  notes: pages\n', 2, '"pdf.notes": Invalid option: expected one of "none"|"page"|"below"'],
    ['serve:\n  port: 70000\n', 2, '"serve.port"'],
    ['out: built\ntheme: midnigth\n', 2, 'there is no theme "midnigth"; did you mean "midnight"?'],
    ['templates: nowhere\n', 1, '"templates": folder "nowhere" does not exist'],
    ['- theme\n', 1, 'must be a mapping of keys to values'],
    ['out: built\ntheme: "midnight\nroot: .\n', 2, 'Missing closing "quote'],
  ])('%j → line %i', async (yaml, line, message) => {
    project({ 'decksmith.config.yaml': yaml, 'deck.md': deck });
    const r = await cli(['build', join(root, 'deck.md')], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`decksmith: decksmith.config.yaml:${line}: `);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(root, 'built'))).toBe(false);
    expect(existsSync(join(root, 'output'))).toBe(false);
  });

  test('a custom tag such as !!js/function is refused: the file is data only', async () => {
    project({ 'decksmith.config.yaml': 'out: built\ntheme: !!js/function "function () { return 1 }"\n', 'deck.md': deck });
    const r = await cli(['build', join(root, 'deck.md')], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('decksmith.config.yaml:2: the config file is not valid YAML: Unresolved tag: tag:yaml.org,2002:js/function');
    expect(r.stderr).toContain('custom tags such as !!js/function are not allowed');
  });

  test('an unrelated YAML error does not blame custom tags', async () => {
    project({ 'decksmith.config.yaml': 'out: a\nout: b\n', 'deck.md': deck });
    const r = await cli(['build', join(root, 'deck.md')], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('decksmith.config.yaml:2: ');
    expect(r.stderr).not.toContain('!!js/function');
  });

  test('--no-config ignores the file, before or after the command', async () => {
    project({ 'decksmith.config.yaml': 'out: built\ntheem: paper\n', 'deck.md': deck });
    for (const argv of [
      ['--no-config', 'build', join(root, 'deck.md')],
      ['build', join(root, 'deck.md'), '--no-config'],
    ]) {
      const r = await cli([...argv, '--out', join(root, 'plain')], root);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(existsSync(join(root, 'plain', 'deck', 'index.html'))).toBe(true);
  });

  test('commands that take no config (inspect, init) still run next to a broken one', async () => {
    project({ 'decksmith.config.yaml': 'theem: paper\n', 'deck.md': deck });
    expect((await cli(['inspect', join(root, 'deck.md')], root)).code).toBe(0);
  });
});

describe('JSON Schemas', () => {
  test('schema/*.json are what `npm run schema` writes now', () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(join(repo, 'schema', name), 'utf8'), `schema/${name} is stale: run npm run schema`).toBe(text);
    }
  });

  test("the README's example config is valid and shows every key", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const block = /## Config file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const example = parse(block.replace(/^(\s*)# (handout:)/m, '$1$2')) as Record<string, unknown>;
    expect(configFileSchema.safeParse(example).success).toBe(true);
    const shown = Object.entries(example).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? Object.keys(v).map((s) => `${k}.${s}`) : [k],
    );
    const schema = JSON.parse(jsonSchemaFiles()['config.schema.json'] ?? '{}') as JsonSchema;
    const every = Object.entries(schema.properties ?? {}).flatMap(([k, v]) =>
      v.properties === undefined ? [k] : Object.keys(v.properties).map((s) => `${k}.${s}`),
    );
    expect(shown.sort()).toEqual(every.sort());
  });

  test('the front-matter schema lists every key with a description, and its enums', () => {
    const schema = JSON.parse(jsonSchemaFiles()['front-matter.schema.json'] ?? '{}') as JsonSchema;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual([...CONFIG_KEYS].sort());
    for (const [key, property] of Object.entries(schema.properties ?? {})) expect(property.description, key).toBeTruthy();
    expect(schema.properties?.transition?.enum).toEqual(['none', 'fade', 'slide', 'convex', 'concave', 'zoom']);
    expect(schema.properties?.size?.enum).toEqual(['16:9', '4:3']);
    expect(schema.additionalProperties).toBe(false);
  });

  // No JSON Schema validator is installed; this checks the subset of draft-07 the two schemas use,
  // so a sample the zod schema accepts is accepted by the JSON Schema too, and one it refuses is not.
  test.each([
    [
      'front-matter.schema.json',
      {
        title: 'Talk',
        date: '2024-05-01',
        keywords: ['a', 2],
        theme: 'midnight',
        size: '4:3',
        themeVars: { accent: '#0a84ff' },
        slideNumber: true,
      },
      true,
    ],
    ['front-matter.schema.json', { transition: 'spin' }, false],
    ['front-matter.schema.json', { slideNumber: 'yes' }, false],
    ['front-matter.schema.json', { themeVars: { Accent: 'red' } }, false],
    [
      'config.schema.json',
      {
        theme: 'paper',
        out: 'built',
        build: { pdf: true, handout: 3 },
        pdf: { notes: 'page', size: 'a4', timeout: 30 },
        serve: { port: 8080 },
      },
      true,
    ],
    ['config.schema.json', { pdf: { notes: 'pages' } }, false],
    ['config.schema.json', { pdf: { handout: 5 } }, false],
    ['config.schema.json', { serve: { port: 1.5 } }, false],
    ['config.schema.json', { theem: 'paper' }, false],
  ])('%s: %j valid=%s, as zod says', (name, sample, valid) => {
    const zodSchema = name === 'config.schema.json' ? configFileSchema : frontMatterSchema;
    expect(zodSchema.safeParse(sample).success).toBe(valid);
    expect(validates(JSON.parse(jsonSchemaFiles()[name] ?? '{}') as JsonSchema, sample)).toBe(valid);
  });
});

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  description?: string;
}

function validates(schema: JsonSchema, value: unknown): boolean {
  const typeOf = (v: unknown) =>
    Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
  const types = schema.type === undefined ? undefined : [schema.type].flat();
  if (types !== undefined && !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer'))) return false;
  if (schema.enum !== undefined && !schema.enum.includes(value)) return false;
  if (schema.const !== undefined && schema.const !== value) return false;
  if (schema.anyOf !== undefined && !schema.anyOf.some((s) => validates(s, value))) return false;
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
  }
  if (Array.isArray(value) && schema.items !== undefined) return value.every((v) => validates(schema.items ?? {}, v));
  if (typeOf(value) === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (schema.propertyNames !== undefined && !validates(schema.propertyNames, key)) return false;
      const property = schema.properties?.[key];
      if (property !== undefined) {
        if (!validates(property, v)) return false;
      } else if (schema.additionalProperties === false) return false;
      else if (typeof schema.additionalProperties === 'object' && !validates(schema.additionalProperties, v)) return false;
    }
  }
  return true;
}
