// `decksmith pdf <file> --out <pdf>` done with the library from dist/, starting Chromium while the
// deck builds (the overlap the CLI can adopt): `node bench/pdf-bench.mjs --driver` times this.
import { resolve } from 'node:path';

const [file, out, outDir] = process.argv.slice(2);
const { BrowserSession, exportDecks } = await import(resolve('dist/export/index.js'));
const launching = BrowserSession.launch();
launching.catch(() => undefined);
try {
  const { buildDeck } = await import(resolve('dist/build.js'));
  const built = await buildDeck(file, { outDir });
  const [outcome] = await exportDecks([built], { notes: 'none', fragments: 'final', timeoutMs: 600_000, out }, { session: launching });
  if (outcome?.error) {
    console.error(outcome.error.format());
    process.exitCode = 1;
  } else console.log(`${outcome?.result?.file} (${outcome?.result?.pages} pages)`);
} finally {
  await (await launching.catch(() => undefined))?.close();
}
