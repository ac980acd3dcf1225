// Stand-in for `decksmith pdf <file> --out <pdf>` until the CLI wires the export stage: the same
// two library calls the CLI makes (build, then export on one browser), from the built dist/.
import { resolve } from 'node:path';

const [file, out, outDir] = process.argv.slice(2);
const { buildDeck } = await import(resolve('dist/build.js'));
const { exportDecks } = await import(resolve('dist/export/index.js'));
const built = await buildDeck(file, { outDir });
const [outcome] = await exportDecks([built], { notes: 'none', fragments: 'final', timeoutMs: 600_000, out });
if (outcome?.error) {
  console.error(outcome.error.format());
  process.exitCode = 1;
} else console.log(`${outcome?.result?.file} (${outcome?.result?.pages} pages)`);
