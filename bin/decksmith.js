#!/usr/bin/env node
// Entry point of the `decksmith` command: runs the compiled CLI (npm run build writes dist/).
import { run } from '../dist/cli/index.js';

process.exitCode = await run(process.argv.slice(2));
