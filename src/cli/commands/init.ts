/**
 * `decksmith init [dir] [--theme NAME]`: scaffolds a talk from templates/init/: deck.md (a tour
 * of the dialect), theme/ (a theme that extends a built-in one), images/ and a README saying how
 * to build, serve and export. Never overwrites: if any file it would write exists, it writes
 * nothing and says which.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { builtinTemplatesDir, packageRoot } from '../../build/paths.js';
import { builtinThemeNames, DEFAULT_THEME } from '../../build/theme.js';
import type { CliIO } from '../io.js';

export interface InitFlags {
  /** Built-in theme the scaffolded theme extends. @defaultValue "paper" */
  theme?: string;
}

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel))
    .sort()
    .flatMap((name) => {
      const path = rel === '' ? name : `${rel}/${name}`;
      return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
    });
}

/** "my-talk" → "My talk"; anything odd becomes "My talk". */
export function titleFromDir(dir: string): string {
  const words = basename(resolve(dir))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (words === '') return 'My talk';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export async function initCommand(io: CliIO, dir: string | undefined, flags: InitFlags): Promise<number> {
  const target = resolve(io.cwd, dir ?? '.');
  const theme = flags.theme ?? DEFAULT_THEME;
  const themes = builtinThemeNames();
  if (!themes.includes(theme)) {
    throw new UsageError('unknown-theme', `--theme "${theme}" is not one of decksmith's themes`, {
      hint: `Choose one of: ${themes.join(', ')}.`,
    });
  }
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new InputError('init-not-a-folder', `"${dir}" exists and is not a folder`, { hint: 'Give a new or existing folder.' });
  }
  const source = join(builtinTemplatesDir(), 'init');
  const files = filesUnder(source);
  const clashes = files.filter((f) => existsSync(join(target, ...f.split('/'))));
  if (clashes.length > 0) {
    throw new InputError(
      'init-would-overwrite',
      `${relative(io.cwd, target) || '.'} already has ${clashes.join(', ')}; nothing was written`,
      {
        hint: 'Run "decksmith init NEW-FOLDER" to start a talk somewhere else.',
      },
    );
  }
  const title = titleFromDir(target);
  const values: Record<string, string> = { title, theme };
  for (const file of files) {
    const out = join(target, ...file.split('/'));
    await mkdir(dirname(out), { recursive: true });
    const text = await readFile(join(source, ...file.split('/')), 'utf8');
    // Only {{title}} and {{theme}} are filled in; the title is letters, digits and spaces only.
    await writeFile(
      out,
      text.replace(/\{\{(title|theme)\}\}/g, (_, key: string) => values[key] ?? ''),
      { flag: 'wx' },
    );
    io.stdout(`created ${relative(io.cwd, out)}\n`);
  }
  const rel = relative(io.cwd, target) || '.';
  const deck = shellQuote(rel === '.' ? 'deck.md' : `${rel}/deck.md`);
  const run = commandPrefix(io);
  io.stdout(
    `\nNext steps:\n  ${run} serve ${deck}              # live preview, reloads on save\n  ${run} build ${deck} --pdf        # HTML and PDF in output/\n`,
  );
  return 0;
}

/**
 * How to run this decksmith from `io.cwd`, as the user can type it: `decksmith` when that name on
 * PATH is this very program (npm link, a global install), `npx decksmith` when the folder's
 * node_modules has it, else `node /abs/path/bin/decksmith.js` (a fresh clone, nothing linked).
 */
export function commandPrefix(io: Pick<CliIO, 'cwd' | 'env'>): string {
  const bin = join(packageRoot(), 'bin', 'decksmith.js');
  const ours = realpathOrUndefined(bin);
  const isOurs = (candidate: string): boolean => ours !== undefined && realpathOrUndefined(candidate) === ours;
  const onPath = (io.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  if (onPath.some((dir) => isOurs(join(dir, 'decksmith')))) return 'decksmith';
  if (isOurs(join(io.cwd, 'node_modules', '.bin', 'decksmith'))) return 'npx decksmith';
  return `node ${shellQuote(bin)}`;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** A POSIX shell word: as is when it is safe, else in single quotes. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
