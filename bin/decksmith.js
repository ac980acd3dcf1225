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
import v8 from 'node:v8';
import vm from 'node:vm';
// Loaded now for the build to find loaded, before V8's flags change (see below).
import 'node:fs/promises';
import 'node:os';
import 'node:worker_threads';

// A build is over in well under a second, too soon for most of what TurboFan optimizes to pay for
// its compiling: with V8's default budget a 500-slide build spends ~0.45 s of CPU on background
// threads (nearly all optimizing compiles, on the cores the build itself needs) and takes ~25%
// longer. A budget ~15 times V8's default leaves short work to the unoptimized tiers and still
// optimizes what runs long (serve, a folder of decks). Set before the bundle is compiled: V8 takes
// its code cache only with the flags it was written with (the build's warm-up run).
//
// The first run of each of marked's big block rules (lheading, paragraph, blockquote, html, table)
// compiles it to regexp bytecode, and V8's peephole pass over that bytecode took most of the time:
// ~65-105 ms for those five on a 2-core VM, 27-38 ms without it. The bytecode runs once or twice
// before V8 compiles the rule to machine code, so the pass has nothing to repay it.
//
// Node documents that changing V8's flags once V8 runs may crash. These two are read only when V8
// gives a function its budget and when it writes a regexp's bytecode (valid with the pass or
// without; V8's own tests switch it between two compiles); no other flag is changed here. One
// that was, --no-regexp-tier-up, crashed a build (SIGSEGV) about once in 250 runs; the budget has
// run thousands of builds without one (see CHANGELOG), and the pair 600 more. Only on the V8
// versions known to have the flags: V8 prints an error for a flag it does not know.
//
// V8 takes Node's own code cache (its built-in modules) only under V8's default flags, so the
// built-in modules a build loads are imported above, before the flag is set; and a highlight
// worker boots under the defaults (src/render/highlight.ts sets them while it does, and the worker
// sets ours back): for that it finds the flags and V8's default values of them under
// Symbol.for('decksmith.v8-flags'), where V8's defaults are known.
const v8Major = Number(process.versions.v8.split('.')[0]);
const FLAGS = '--interrupt-budget=1000000 --no-regexp-peephole-optimization';
if (v8Major <= 13) {
  v8.setFlagsFromString(FLAGS);
  // V8's own budget is 66 KB in V8 11.3 (Node 20), and its peephole pass is on; other versions are
  // not swapped (a worker then boots slower, as before).
  const defaults = process.versions.v8.startsWith('11.3.') ? '--interrupt-budget=67584 --regexp-peephole-optimization' : undefined;
  if (defaults !== undefined) globalThis[Symbol.for('decksmith.v8-flags')] = { flags: FLAGS, defaults };
}

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
