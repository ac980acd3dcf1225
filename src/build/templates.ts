/**
 * Loads the Handlebars templates: the built-in set, overridden file by file by a user folder
 * (`--templates DIR`): `deck.hbs`, `layouts/<name>.hbs`, `partials/<name>.hbs`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TemplateError } from '../errors.js';
import { builtinTemplatesDir } from './paths.js';
import type { TemplateSet } from '../types.js';

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
