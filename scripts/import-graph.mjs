/**
 * The import graph of src/, folder by folder, as a Mermaid flowchart in CONTRIBUTING.md (between
 * the `import-graph` comments). `node scripts/import-graph.mjs` rewrites it; with `--check` it
 * only fails (exit 1) when the file is out of date. The rules themselves (pipeline order, no
 * cycles) are in .dependency-cruiser.cjs; `npm run lint` runs both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const PIPELINE = ['markdown', 'parse', 'render', 'build', 'convert', 'browser', 'figures', 'export', 'check', 'serve', 'cli'];
const SHARED = new Set(['types.ts', 'errors.ts']);

const { output } = await cruise(['src'], {
  includeOnly: '^src/',
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
});
/** `src/parse/index.ts` → `parse`; `src/types.ts` → `types.ts`. */
const node = (path) => path.split('/')[1] ?? path;
const edges = new Set();
for (const module of output.modules) {
  const from = node(module.source);
  for (const dependency of module.dependencies) {
    const to = node(dependency.resolved);
    if (from === to || SHARED.has(to) || SHARED.has(from) || from === 'index.ts') continue;
    edges.add(`${from}|${to}`);
  }
}
const stages = [...new Set([...PIPELINE, ...output.modules.map((m) => node(m.source))])].filter(
  (name) => !SHARED.has(name) && name !== 'index.ts',
);
const id = (name) => name.replace(/\W/g, '_');
const lines = [
  '```mermaid',
  'flowchart LR',
  ...stages.map((name) => `  ${id(name)}[${name.endsWith('.ts') ? name : `${name}/`}]`),
  ...[...edges]
    .sort((a, b) => {
      const [fa, ta] = a.split('|');
      const [fb, tb] = b.split('|');
      return stages.indexOf(fa) - stages.indexOf(fb) || stages.indexOf(ta) - stages.indexOf(tb);
    })
    .map((edge) => {
      const [from, to] = edge.split('|');
      return `  ${id(from)} --> ${id(to)}`;
    }),
  '```',
];
const graph = `<!-- import-graph: written by scripts/import-graph.mjs, do not edit -->\n${lines.join('\n')}\n<!-- /import-graph -->`;

const file = join(root, 'CONTRIBUTING.md');
const text = readFileSync(file, 'utf8');
const pattern = /<!-- import-graph:[\s\S]*?<!-- \/import-graph -->/;
if (!pattern.test(text)) {
  console.error('CONTRIBUTING.md has no <!-- import-graph: … --> block to update');
  process.exit(1);
}
const updated = text.replace(pattern, graph);
if (process.argv.includes('--check')) {
  if (updated !== text) {
    console.error('CONTRIBUTING.md: the import graph is out of date; run `node scripts/import-graph.mjs`');
    process.exit(1);
  }
} else if (updated !== text) {
  writeFileSync(file, updated);
  console.log('CONTRIBUTING.md: import graph updated');
}
