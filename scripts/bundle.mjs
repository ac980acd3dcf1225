#!/usr/bin/env node
/**
 * Bundles the command line into dist/cli/decksmith.js (plus lazily loaded chunks), which
 * bin/decksmith.js runs. One bundle instead of ~600 small modules takes ~150 ms off every start,
 * which matters for a tool whose PDF export is measured in seconds. The library (dist/index.js)
 * stays unbundled for importers. Run by `npm run build` after tsc.
 *
 * It also writes dist/templates.cjs: the built-in Handlebars templates precompiled, keyed by
 * their text (src/build/templates.ts loads it, src/render/index.ts uses an entry only for a
 * template whose text is the same). Compiling them took ~50 ms of every build.
 */
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// Chunk names carry a content hash: clear the old ones.
rmSync(join(root, 'dist/cli/chunks'), { recursive: true, force: true });
await build({
  entryPoints: { decksmith: join(root, 'src/cli/main.ts') },
  outdir: join(root, 'dist/cli'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // `open` finds its xdg-open script next to its own module file.
  external: ['open'],
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __decksmithRequire } from 'node:module'; const require = __decksmithRequire(import.meta.url);" },
  logLevel: 'warning',
});

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
