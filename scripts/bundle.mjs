#!/usr/bin/env node
/**
 * Bundles the command line into one CommonJS file, dist/cli/decksmith.cjs, which bin/decksmith.js
 * runs, and writes the V8 code cache it runs with. One bundle instead of ~600 small modules takes
 * ~150 ms off every start; one CommonJS file instead of ESM chunks also skips the ESM loader
 * (Node 20 resolves and links each chunk asynchronously), and, unlike an ES module, a script can
 * be compiled from a code cache: V8 then neither parses nor compiles the functions a build runs.
 * The modules a command loads lazily (`await import()`) are still evaluated only when it does.
 * The library (dist/index.js) stays unbundled for importers. Run by `npm run build` after tsc.
 *
 * It also writes dist/templates.cjs: the built-in Handlebars templates precompiled, keyed by
 * their text (src/build/templates.ts loads it, src/render/index.ts uses an entry only for a
 * template whose text is the same). Compiling them took ~50 ms of every build.
 */
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist/cli/decksmith.cjs');
// What earlier builds wrote: the ESM entry and its chunks, and a code cache for another bundle.
rmSync(join(root, 'dist/cli/chunks'), { recursive: true, force: true });
rmSync(join(root, 'dist/cli/vendor'), { recursive: true, force: true });
rmSync(join(root, 'dist/cli/decksmith.js'), { force: true });
rmSync(`${bundle}.cache`, { force: true });

/**
 * Big packages only some commands load (with `await import()`: PDF export, pptx, charts) stay
 * out of the CommonJS bundle, so an HTML build does not read and compile them. They are bundled
 * as ES modules under dist/cli/vendor/ as before, split into chunks, and vendor.js `load`s each
 * one by the same import() it had in the bundle, so it arrives in the same shape.
 */
const LAZY_PACKAGES = [
  // Puppeteer without its launcher, and its environment module (src/browser/session.ts).
  'puppeteer-core/internal/puppeteer-core-browser.js',
  'puppeteer-core/internal/environment.js',
  '@puppeteer/browsers',
  'pdf-lib',
  'pptxgenjs',
  'vega',
  'vega-lite',
  'vega-interpreter',
  'fontkit',
];

/**
 * Node modules two bundled packages require when they load, though a build never uses them:
 * commander's node:child_process (for subcommands that are executables of their own; decksmith
 * has none; it loads node:net too) and cli-progress's readline (for drawing a bar). Loading them
 * took ~6 ms of every start. The bundled copies require each on first use of the functions
 * listed; if a package's line changes, it is bundled as it is (only slower).
 */
const LAZY_REQUIRES = [
  { file: /[\\/]commander[\\/]lib[\\/]command\.js$/, name: 'childProcess', module: 'node:child_process', uses: ['spawn'] },
  {
    file: /[\\/]cli-progress[\\/]lib[\\/]terminal\.js$/,
    name: '_readline',
    module: 'readline',
    uses: ['cursorTo', 'moveCursor', 'clearLine', 'clearScreenDown'],
  },
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    for (const { file, name, module, uses } of LAZY_REQUIRES) {
      build.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const eager = `const ${name} = require('${module}');`;
        const lazy = `const ${name} = { ${uses.map((use) => `${use}: (...args) => require('${module}').${use}(...args)`).join(', ')} };`;
        return { contents: text.replace(eager, lazy), loader: 'js' };
      });
    }
  },
};

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  plugins: [lazyRequires],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // `open` finds its xdg-open script next to its own module file (and is ESM only: import()ed).
  external: ['open', ...LAZY_PACKAGES],
  // bin/decksmith.js calls this function with the CommonJS module's variables, the URL the bundled
  // modules' `import.meta.url` stands for (the bundle's own, so paths resolve as before) and the
  // loader of LAZY_PACKAGES.
  banner: { js: '(function (exports, require, module, __filename, __dirname, __decksmithUrl, __decksmithLazy) {' },
  footer: { js: '})' },
  define: { 'import.meta.url': '__decksmithUrl' },
  logLevel: 'warning',
});
await build({
  stdin: {
    contents: `export const load = {\n${LAZY_PACKAGES.map((name) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(name)}),`).join('\n')}\n};\n`,
    resolveDir: root,
    sourcefile: 'vendor.js',
  },
  outdir: join(root, 'dist/cli/vendor'),
  entryNames: 'vendor',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['open'],
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __decksmithRequire } from 'node:module'; const require = __decksmithRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The bundle loads each of LAZY_PACKAGES only by import(), which becomes a call of the loader.
// bin/decksmith.js reads the bundle as latin1, the fastest decoding, and V8 keeps it as one byte
// per character: it must be ASCII. esbuild escapes non-ASCII characters everywhere but in
// comments, where an escape is as good as the character.
{
  let code = readFileSync(bundle, 'utf8');
  for (const name of LAZY_PACKAGES) {
    const quoted = JSON.stringify(name);
    code = code.replaceAll(`import(${quoted})`, `__decksmithLazy(${quoted})`);
    if (code.includes(`require(${quoted})`) || code.includes(`from ${quoted}`) || code.includes(`import(${quoted}`))
      throw new Error(`scripts/bundle.mjs: the CLI loads ${name} other than by import("${name}"); load it so, or bundle it`);
  }
  code = code.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  writeFileSync(bundle, code);
}

// The same options render compiles with (tsc has written dist/ by now), so the output is the same.
const { TEMPLATE_OPTIONS } = await import(pathToFileURL(join(root, 'dist/render/index.js')).href);
const templatesDir = join(root, 'templates');
const sources = [
  join(templatesDir, 'deck.hbs'),
  ...['layouts', 'partials'].flatMap((folder) =>
    readdirSync(join(templatesDir, folder))
      .filter((name) => name.endsWith('.hbs'))
      .sort()
      .map((name) => join(templatesDir, folder, name)),
  ),
];
const specs = sources.map((file) => {
  const source = readFileSync(file, 'utf8');
  return `    ${JSON.stringify(source)}: ${Handlebars.precompile(source, { ...TEMPLATE_OPTIONS })},`;
});
writeFileSync(
  join(root, 'dist/templates.cjs'),
  `// Written by scripts/bundle.mjs (npm run build): templates/*.hbs precompiled. Do not edit.\n'use strict';\nmodule.exports = {\n  handlebars: ${JSON.stringify(Handlebars.VERSION)},\n  specs: {\n${specs.join('\n')}\n  },\n};\n`,
);

// The code cache: bin/decksmith.js writes it after building a sample deck, so it holds every
// function an HTML build compiles. It is only valid for this Node version and V8 flags; V8
// rejects it otherwise and the bundle is compiled as usual (slower, same output).
{
  const dir = mkdtempSync(join(tmpdir(), 'decksmith-warmup-'));
  try {
    const deck = join(dir, 'deck.md');
    writeFileSync(deck, sampleDeck());
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    execFileSync(process.execPath, [join(root, 'bin/decksmith.js'), 'build', deck, '--out', join(dir, 'out'), '--quiet'], {
      env: { ...env, DECKSMITH_WRITE_CODE_CACHE: '1' },
      stdio: 'inherit',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A deck of what most decks hold: headings, lists, inline marks, tables, code, quotes, notes. */
function sampleDeck() {
  const slides = ['---\ntitle: Warm-up\n---\n\n# Warm-up deck\n\nA title slide.\n\nNote: Say hello.\n'];
  for (let i = 2; i <= 12; i++) {
    slides.push(
      [
        `## Slide ${i}: what it shows`,
        '',
        `- A point with **bold**, *emphasis*, \`code\` and a [link](https://example.com/${i})`,
        '- A second point',
        '  1. nested, ordered',
        '',
        '| Metric | Value |',
        '| --- | ---: |',
        `| slide | ${i} |`,
        '',
        '```js',
        `const slide = ${i};`,
        'console.log(slide * 2);',
        '```',
        '',
        '> A quote, with a line break  ',
        '> and a second line.',
        '',
        `Note: What to say about slide ${i}.`,
        '',
      ].join('\n'),
    );
  }
  return slides.join('\n---\n\n');
}
