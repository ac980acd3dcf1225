/** Argument parsers for commander: they validate at the edge and say what was expected. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DIALECTS, PDF_SIZES, type DeckOptions, type PdfSize } from '../types.js';

export function intOption(allowed: readonly number[]) {
  return (value: string): number => {
    const n = Number(value);
    if (!allowed.includes(n)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return n;
  };
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return seconds;
}

export function parseSize(value: string): PdfSize {
  if (!(PDF_SIZES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PDF_SIZES.join(', ')}`);
  return value as PdfSize;
}

/**
 * `--json` and `-q, --quiet`, the same on every command that reports on decks (see Reporter in
 * io.ts for where each kind of line goes).
 */
export function addOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print one JSON document on stdout (results and diagnostics); notices stay on stderr')
    .option('-q, --quiet', 'print errors only: no result lines, notices or warnings');
}

const DECK_OPTIONS: Record<keyof DeckOptions, [flags: string, description: string]> = {
  theme: ['--theme <name|path>', 'theme name, or a theme folder or .css file'],
  templates: ['--templates <dir>', 'folder of template overrides'],
  html: ['--html', 'keep raw HTML in the Markdown as written (scripts, frames, event handlers); only for decks you trust'],
  dialect: ['--dialect <tool>', 'read decks as written for this tool (default: detected from the deck)'],
  fit: ['--fit', 'shrink every slide whose content overflows (code first), down to half size; as front matter fit: true'],
  root: ['--root <dir>', "folder the deck's images and css: files must be in (default: the deck's folder)"],
};

/**
 * The flags of DeckOptions (src/types.ts), declared once for every command that builds a deck;
 * `only` limits them to those a command takes (check has no theme or templates).
 */
export function addDeckOptions(
  command: Command,
  only: readonly (keyof DeckOptions)[] = ['html', 'root', 'theme', 'templates', 'dialect', 'fit'],
): Command {
  for (const key of only) {
    const [flags, description] = DECK_OPTIONS[key];
    // A dialect name that does not exist is a usage error (exit 2) that lists the names.
    if (key === 'dialect') command.addOption(new Option(flags, description).choices(DIALECTS));
    else command.option(flags, description);
  }
  return command;
}
