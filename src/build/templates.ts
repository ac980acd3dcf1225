/**
 * Loads the Handlebars templates: the built-in set, overridden file by file by a user folder
 * (`--templates DIR`): `deck.hbs`, `layouts/<name>.hbs`, `partials/<name>.hbs`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { TemplateError } from '../errors.js';
import { builtinTemplatesDir, packageRoot } from './paths.js';
import type { PrecompiledTemplates, TemplateSet } from '../types.js';

/** The file scripts/bundle.mjs writes: the built-in templates compiled by `npm run build`. */
export const PRECOMPILED_FILE = 'dist/templates.cjs';

let precompiled: PrecompiledTemplates | null | undefined;

/**
 * The precompiled built-in templates, read once per process; undefined when the build has not
 * written them (running from src/ before a build) or they cannot be read: everything is then
 * compiled as before, to the same output, only slower.
 */
function precompiledTemplates(): PrecompiledTemplates | undefined {
  if (precompiled === undefined) {
    try {
      const loaded: unknown = createRequire(import.meta.url)(join(packageRoot(), PRECOMPILED_FILE));
      const { handlebars, specs } = (loaded ?? {}) as Partial<PrecompiledTemplates>;
      precompiled = typeof handlebars === 'string' && typeof specs === 'object' && specs !== null ? { handlebars, specs } : null;
    } catch {
      precompiled = null;
    }
  }
  return precompiled ?? undefined;
}

/** The `.hbs` files in `dir` by name; each one's path goes into `files` under `<prefix>/<name>`. */
function readFolder(dir: string, prefix: string, files: Record<string, string>): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.hbs')) continue;
    const path = join(dir, name);
    out[basename(name, '.hbs')] = readFileSync(path, 'utf8');
    files[`${prefix}/${basename(name, '.hbs')}`] = path;
  }
  return out;
}

export function loadTemplates(overrideDir?: string): TemplateSet {
  const builtin = builtinTemplatesDir();
  const files: Record<string, string> = { deck: join(builtin, 'deck.hbs') };
  const set: TemplateSet = {
    deck: readFileSync(join(builtin, 'deck.hbs'), 'utf8'),
    layouts: readFolder(join(builtin, 'layouts'), 'layouts', files),
    partials: readFolder(join(builtin, 'partials'), 'partials', files),
    files,
  };
  const ahead = precompiledTemplates();
  if (ahead !== undefined) set.precompiled = ahead;
  if (overrideDir === undefined) return set;
  if (!existsSync(overrideDir) || !statSync(overrideDir).isDirectory()) {
    throw new TemplateError('templates-not-found', `templates folder "${overrideDir}" does not exist`, {
      hint: 'Pass a folder that holds deck.hbs, layouts/*.hbs or partials/*.hbs.',
    });
  }
  const deck = join(overrideDir, 'deck.hbs');
  if (existsSync(deck)) {
    set.deck = readFileSync(deck, 'utf8');
    files['deck'] = deck;
  }
  Object.assign(set.layouts, readFolder(join(overrideDir, 'layouts'), 'layouts', files));
  Object.assign(set.partials, readFolder(join(overrideDir, 'partials'), 'partials', files));
  return set;
}
