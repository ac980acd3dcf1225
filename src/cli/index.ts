/**
 * The command line: `run(argv, io) → exit code`. 0 ok, 1 the input or the build failed, 2 bad
 * usage. A user's mistake prints one `file:line: message` line (stack traces only with --debug).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { decksmithVersion } from '../build.js';
import { isDecksmithError, UsageError } from '../errors.js';
import { processIO, type CliIO } from './io.js';
import { buildCommand } from './commands/build.js';
import { inspectCommand } from './commands/inspect.js';

export type CommandAction = (io: CliIO, ...args: unknown[]) => Promise<number>;

export function intOption(allowed: readonly number[]) {
  return (value: string): number => {
    const n = Number(value);
    if (!allowed.includes(n)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return n;
  };
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
    .command('inspect')
    .description('print the parsed deck')
    .argument('<input>', 'Markdown file')
    .option('--json', 'print JSON (the default)')
    .action(action((input: string) => inspectCommand(io, input)));

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
