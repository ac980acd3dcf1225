#!/usr/bin/env node
/**
 * Writes the JSON Schemas for the front matter and the config file into schema/, generated from
 * the zod schemas that validate them (src/cli/config/schema.ts). Run by `npm run schema` after the
 * build; tests/cli/config-file.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../dist/cli/config/schema.js';

const outDir = join(dirname(dirname(fileURLToPath(import.meta.url))), 'schema');
mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(join(outDir, name), text);
  console.log(`schema/${name}`);
}
