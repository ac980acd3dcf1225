#!/usr/bin/env node
// Entry point of the `decksmith` command: the bundled CLI that `npm run build` writes.
import '../dist/cli/decksmith.js';
