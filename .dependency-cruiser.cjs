/**
 * The import rules of src/ (CONTRIBUTING.md, "Map of the code"), checked by `npm run lint`:
 * each folder imports only folders earlier in the pipeline, parse and render never import each
 * other, types.ts and errors.ts import no folder, and there are no cycles.
 */
const PIPELINE = ['markdown', 'parse', 'render', 'build', 'convert', 'browser', 'figures', 'export', 'check', 'serve', 'cli'];

const laterThan = PIPELINE.slice(0, -1).map((folder, i) => ({
  name: `${folder}-imports-later-stage`,
  comment: `src/${folder}/ may import only ${PIPELINE.slice(0, i).join(', ') || 'types.ts and errors.ts'} (and types.ts, errors.ts)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: `^src/(${PIPELINE.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...laterThan,
    {
      name: 'render-imports-parse',
      comment: 'render works on the tokens parse hands it; what both need lives in src/markdown/',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/parse/' },
    },
    {
      name: 'shared-files-import-stages',
      comment:
        'types.ts and errors.ts are what every stage imports; they import no stage (types.ts takes DeckConfig, a type only, from the front-matter schema in parse/config.ts)',
      severity: 'error',
      from: { path: '^src/(types|errors)\\.ts$' },
      to: { path: `^src/(${PIPELINE.join('|')})/`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'stages-import-only-shared-files-at-root',
      comment: 'at the root of src/ only types.ts and errors.ts are shared; anything else belongs in a stage',
      severity: 'error',
      from: { path: '^src/.+/' },
      to: { path: '^src/[^/]+\\.ts$', pathNot: '^src/(types|errors|index)\\.ts$' },
    },
    {
      name: 'no-stage-imports-the-api',
      comment: 'src/index.ts is the library entry point; stages do not import it',
      severity: 'error',
      from: { path: '^src/.+/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'a cycle through a type-only import (DeckConfig, see above) has no run-time effect',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
