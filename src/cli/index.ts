/**
 * The command line: `run(argv, io) → exit code`. 0 ok, 1 the input or the build failed, 2 bad
 * usage. A user's mistake prints one `file:line: message` line (stack traces only with --debug).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { decksmithVersion } from '../build.js';
import { isDecksmithError, UsageError } from '../errors.js';
import { processIO, type CliIO } from './io.js';
import { themesCommand } from './commands/themes.js';
import { buildCommand } from './commands/build.js';
import { initCommand } from './commands/init.js';
import { checkCommand } from './commands/check.js';
import { inspectCommand } from './commands/inspect.js';
import { serveCommand } from './commands/serve.js';
import { parseSize, parseTimeout, pdfCommand } from './commands/pdf.js';

export type CommandAction = (io: CliIO, ...args: unknown[]) => Promise<number>;

export function intOption(allowed: readonly number[]) {
  return (value: string): number => {
    const n = Number(value);
    if (!allowed.includes(n)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return n;
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('decksmith')
    .description('Markdown → reveal.js decks that work offline, PDFs and handouts')
    .version(decksmithVersion(), '-v, --version')
    .option('--debug', 'print stack traces for unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const action = (fn: (...args: never[]) => Promise<number>) =>
    async (...args: unknown[]) => setExit(await (fn as (...a: unknown[]) => Promise<number>)(...args));

  program
    .command('build')
    .description('build decks (files or folders) into --out')
    .argument('[inputs...]', 'Markdown files or folders of them', ['content'])
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--theme <name|path>', 'theme name, or a theme folder or .css file')
    .option('--templates <dir>', 'folder of template overrides')
    .option('--pdf', 'also export <deck>.pdf')
    .addOption(new Option('--handout <n>', 'also export <deck>-handout.pdf with n slides a page').argParser(intOption([1, 2, 3, 4, 6])))
    .option('--single-file', 'also write <deck>.html with everything inlined')
    .option('--strict', 'treat warnings as errors')
    .action(action((inputs: string[], opts: Record<string, unknown>) => buildCommand(io, inputs, opts)));

  program
    .command('pdf')
    .description('export a deck to PDF (slides, notes or a handout)')
    .argument('<input>', 'Markdown file')
    .option('-o, --out <file>', 'PDF file (default output/<deck>.pdf, or output/<deck>-handout.pdf)')
    .addOption(new Option('--notes <where>', 'speaker notes: none, a page after each slide, or below each slide').choices(['none', 'page', 'below']).default('none'))
    .addOption(new Option('--fragments <mode>', 'final state only, or a page per fragment step').choices(['final', 'steps']).default('final'))
    .addOption(new Option('--handout <n>', 'a handout with n slides a page').argParser(intOption([1, 2, 3, 4, 6])))
    .addOption(new Option('--size <size>', 'page size: 16:9, 4:3, a4 or letter (default: the deck size; handouts A4)').argParser(parseSize))
    .option('--range <slides>', 'slide numbers, e.g. 1-5,8')
    .addOption(new Option('--timeout <seconds>', 'give up after this long').argParser(parseTimeout).default(120))
    .option('--theme <name|path>', 'theme name, or a theme folder or .css file')
    .option('--templates <dir>', 'folder of template overrides')
    .action(action((input: string, opts: Record<string, unknown>) => pdfCommand(io, input, opts)));

  program
    .command('serve')
    .description('live-reloading preview on 127.0.0.1')
    .argument('<input>', 'Markdown file')
    .addOption(new Option('-p, --port <port>', 'port (0 picks a free one)').argParser(parsePort).default(8000))
    .option('--host <address>', 'address to listen on; other machines can connect only if you widen it', '127.0.0.1')
    .option('--open', 'open the deck in your browser')
    .option('--theme <name|path>', 'theme name, or a theme folder or .css file')
    .option('--templates <dir>', 'folder of template overrides')
    .action(action((input: string, opts: Record<string, unknown>) => serveCommand(io, input, opts)));

  program
    .command('check')
    .description('lint decks: overflowing slides (measured in Chromium), missing images, empty slides')
    .argument('[inputs...]', 'Markdown files or folders of them', ['content'])
    .action(action((inputs: string[]) => checkCommand(io, inputs)));

  program
    .command('inspect')
    .description('print the parsed deck')
    .argument('<input>', 'Markdown file')
    .option('--json', 'print JSON (the default)')
    .action(action((input: string) => inspectCommand(io, input)));

  program
    .command('themes')
    .description('list themes; --preview renders each one to PNG and writes a gallery page')
    .argument('[themes...]', 'themes to preview (names or paths; default: every decksmith theme)')
    .option('--preview', 'render the sample slides in each theme to PNG')
    .option('-o, --out <dir>', 'gallery folder for --preview', 'output/themes')
    .action(action((themes: string[], opts: Record<string, unknown>) => themesCommand(io, themes, opts)));

  program
    .command('init')
    .description('scaffold a new talk: deck.md, a theme of your own, and a README')
    .argument('[dir]', 'folder for the talk', '.')
    .option('--theme <name>', 'built-in theme your theme extends', 'paper')
    .action(action((dir: string, opts: Record<string, unknown>) => initCommand(io, dir, opts)));

  return program;
}

export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isDecksmithError(error)) {
      io.stderr(`decksmith: ${error.format()}\n`);
      if (debug) io.stderr(`${error.stack ?? ''}\n`);
      return error instanceof UsageError ? 2 : error.exitCode;
    }
    const err = error as Error;
    io.stderr(`decksmith: unexpected error: ${err.message}\n`);
    io.stderr(debug ? `${err.stack ?? ''}\n` : 'This is a bug in decksmith; run again with --debug and report the output.\n');
    return 1;
  }
}
