import { relative } from 'node:path';
import { convertFile } from '../../convert/file.js';
import type { DialectName } from '../../types.js';
import { colorEnabled, formatDiagnostic, painter, type CliIO } from '../io.js';

export interface ConvertFlags {
  out?: string;
  dialect?: DialectName;
  root?: string;
  force?: boolean;
  quiet?: boolean;
}

/**
 * `decksmith convert <input>`: every line that did not come over is a warning on stderr at its
 * file:line; the result line says where the deck went. Exit 0 once written (warnings or not).
 */
export async function convertCommand(io: CliIO, input: string, flags: ConvertFlags = {}): Promise<number> {
  const result = await convertFile(input, { out: flags.out, dialect: flags.dialect, root: flags.root, force: flags.force, cwd: io.cwd });
  const paint = painter(colorEnabled(io));
  if (result.unchanged) {
    if (flags.out === '-') io.stdout(result.text);
    if (flags.quiet !== true)
      io.stderr(`${input} is already written in decksmith's dialect; nothing to convert${flags.out === '-' ? '' : ', nothing written'}\n`);
    return 0;
  }
  if (flags.quiet !== true) for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d, paint)}\n`);
  if (result.written === undefined) {
    io.stdout(result.text);
    return 0;
  }
  if (flags.quiet !== true) {
    const listed = result.diagnostics.filter((d) => d.code === 'not-converted').length;
    const where = relative(io.cwd, result.written) || result.written;
    io.stdout(
      `converted ${input} (${result.deck.dialect.name}, ${result.deck.slides.length} slide${result.deck.slides.length === 1 ? '' : 's'}) to ${where}${listed === 0 ? '' : `; ${listed} line${listed === 1 ? '' : 's'} kept unconverted (listed above)`}\n`,
    );
  }
  return 0;
}
