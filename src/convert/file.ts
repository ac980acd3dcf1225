/**
 * The file side of `decksmith convert`: read the deck as build reads it (the same tool files beside
 * it and the same folder rule for Slidev's `src:` imports), convert it (index.ts), and write the
 * result atomically (src/build/atomic.ts): a failure leaves no file, half-written or otherwise.
 */
import { existsSync } from 'node:fs';
import { dirname, join, parse as parsePath, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../build/atomic.js';
import { slidevImports } from '../build/imports.js';
import { toolFilesNear } from '../build/index.js';
import { readSource } from '../build/read.js';
import { UsageError } from '../errors.js';
import type { DialectName } from '../types.js';
import { convertDeck, type ConvertResult } from './index.js';

export interface ConvertFileOptions {
  /** The converted deck's file; `-` for standard output. @defaultValue `<name>.decksmith.md` beside the input */
  out?: string | undefined;
  /** Read the deck in this dialect instead of the detected one. */
  dialect?: DialectName | undefined;
  /** Folder the deck's imports must come from. @defaultValue the deck's folder */
  root?: string | undefined;
  /** Allow `out` to be the input file itself. */
  force?: boolean | undefined;
  /** The working directory paths are resolved against. @defaultValue process.cwd() */
  cwd?: string | undefined;
}

export interface ConvertedFile extends ConvertResult {
  /** Absolute path written, or undefined when nothing was (`-`, or the deck already in our dialect). */
  written: string | undefined;
}

/** The default output: `talk.md` → `talk.decksmith.md` beside it. */
export function defaultConvertOut(input: string): string {
  const { dir, name } = parsePath(input);
  return join(dir, `${name}.decksmith.md`);
}

/**
 * @throws UsageError `convert-would-overwrite` when `out` is the input and `force` is not set;
 *   InputError for a deck that cannot be read; OutputError when the file cannot be written.
 */
export async function convertFile(input: string, options: ConvertFileOptions = {}): Promise<ConvertedFile> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, input);
  const toStdout = options.out === '-';
  const out = toStdout ? undefined : resolve(cwd, options.out ?? defaultConvertOut(input));
  if (out !== undefined && out === path && options.force !== true) {
    throw new UsageError('convert-would-overwrite', `--out ${options.out ?? out} is the deck being converted; it is left as it is`, {
      file: input,
      hint: 'Write the converted deck to another file, or add --force to replace the original.',
    });
  }
  const source = await readSource(path);
  const deckDir = dirname(path);
  const root = options.root === undefined ? deckDir : resolve(cwd, options.root);
  const result = convertDeck(source, {
    file: input,
    dialect: options.dialect,
    toolFiles: toolFilesNear(deckDir, root),
    readImport: slidevImports(path, root),
    importChain: [relative(cwd, path) || path],
    sourceDir: deckDir,
    outDir: out === undefined ? deckDir : dirname(out),
    exists: existsSync,
  });
  if (result.unchanged || out === undefined) return { ...result, written: undefined };
  await writeFileAtomic(out, async () => new TextEncoder().encode(result.text));
  return { ...result, written: out };
}
