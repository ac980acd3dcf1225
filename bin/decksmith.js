#!/usr/bin/env node
/**
 * Entry point of the `decksmith` command: runs the bundled CLI that `npm run build` writes
 * (dist/cli/decksmith.cjs, see scripts/bundle.mjs), compiled from the V8 code cache written next
 * to it when V8 accepts that cache. A missing or rejected cache (another Node version, other V8
 * flags) only makes the start slower. `DECKSMITH_WRITE_CODE_CACHE=1` (the build's warm-up run)
 * writes the cache once the command has finished, with every function it compiled.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

// No V8 flag is changed here, though a few would make a short build cheaper (a later TurboFan
// budget, regular expressions compiled straight to machine code): Node documents that changing
// V8's flags once it runs may crash, and with them this process died of a segmentation fault in
// about 1 of 500 builds.

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'decksmith.cjs');
const cacheFile = `${bundle}.cache`;
const writeCache = process.env.DECKSMITH_WRITE_CODE_CACHE === '1';
let cachedData;
if (!writeCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
// The bundle is ASCII (the build checks), so latin1 reads it as written.
const script = new vm.Script(readFileSync(bundle, 'latin1'), {
  filename: bundle,
  cachedData,
  // The bundle import()s only packages left out of it (`open`): the usual loader finds them.
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier)),
});
if (process.env.DECKSMITH_TRACE !== undefined && process.env.DECKSMITH_TRACE !== '') {
  const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  process.stderr.write(`decksmith trace: ${performance.now().toFixed(0).padStart(5)} ms  code cache ${state}\n`);
}
const module = { exports: {} };
// The big packages some commands need are ES modules beside the bundle (scripts/bundle.mjs).
const vendor = pathToFileURL(join(dirname(bundle), 'vendor', 'vendor.js')).href;
const lazy = (name) => import(vendor).then(({ load }) => load[name]());
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href, lazy);
await module.exports.main();
if (writeCache) {
  writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
  renameSync(`${cacheFile}.tmp`, cacheFile);
}
