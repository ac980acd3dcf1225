/**
 * The command line: `run(argv, io) → exit code`. 0 ok, 1 the input or the build failed, 2 bad
 * usage (ERROR_CODES in src/errors.ts), 128 + n when signal n (through `io.signal`) stopped a
 * command that does not run until stopped. A user's mistake prints one `file:line: message` line
 * (stack traces only with --debug).
 */
import { Command, CommanderError, Option } from 'commander';
import { escapeControl, interruption, isDecksmithError } from '../errors.js';
import { decksmithVersion } from '../build/version.js';
import type { BuildFlags } from './commands/build.js';
import { addExamples } from './help.js';
import { colorEnabled, formatError, painter, processIO, type CliIO } from './io.js';
import { addDeckOptions, addOutputOptions, intOption, parsePort, parseSize, parseTimeout } from './options.js';
import { parseScale } from './commands/png-options.js';
import { handOff, type BrowserHandOff, type StartedBrowser } from './browser-start.js';
import { DIALECTS } from '../types.js';

export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('decksmith')
    .description('Markdown → reveal.js decks that work offline, PDFs and handouts')
    .version(decksmithVersion(), '-v, --version')
    .option('--debug', 'print stack traces for unexpected errors')
    .option('--no-config', 'ignore decksmith.config.yaml and the "decksmith" key in package.json')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  // Each command's module loads only when that command runs, so `--help` and `inspect` stay quick
  // and `pdf` starts Chromium sooner.
  const lazy =
    <A extends unknown[]>(load: () => Promise<(io: CliIO, ...args: A) => Promise<number>>) =>
    async (...args: A) =>
      setExit(await (await load())(io, ...args));
  // Flags the user did not give take their value from decksmith.config.yaml, when there is one.
  program.hook('preAction', async (_program, command) => (await import('./config-file.js')).applyConfigFile(command, io));

  addOutputOptions(
    addDeckOptions(
      program
        .command('build')
        .description('build decks (files or folders) into --out')
        .argument('[inputs...]', 'Markdown files or folders of them', ['content'])
        .option('-o, --out <dir>', 'output folder', 'output'),
    )
      .option('--pdf', 'also export <deck>.pdf')
      .addOption(new Option('--handout <n>', 'also export <deck>-handout.pdf with n slides a page').argParser(intOption([1, 2, 3, 4, 6])))
      .option('--single-file', 'also write <deck>.html with everything inlined')
      .addOption(
        new Option('--pptx [mode]', 'also export <deck>.pptx (editable; "pictures": each slide as a picture)').choices([
          'editable',
          'pictures',
        ]),
      )
      .option('--strict', 'treat warnings as errors')
      .option('-w, --watch', 'rebuild when a deck or its files change, until Ctrl-C'),
  ).action(
    lazy(
      async () => async (io: CliIO, inputs: string[], flags: BuildFlags) =>
        flags.watch === true
          ? (await import('./commands/watch.js')).watchCommand(io, inputs, flags)
          : (await import('./commands/build.js')).buildCommand(io, inputs, flags),
    ),
  );

  addDeckOptions(
    program
      .command('pdf')
      .description('export a deck to PDF (slides, notes or a handout)')
      .argument('<input>', 'Markdown file')
      .option('-o, --out <file>', 'PDF file (default output/<deck>.pdf, or output/<deck>-handout.pdf)')
      .addOption(
        new Option('--notes <where>', 'speaker notes: none, a page after each slide, or below each slide')
          .choices(['none', 'page', 'below'])
          .default('none'),
      )
      .addOption(
        new Option('--fragments <mode>', 'final state only, or a page per fragment step').choices(['final', 'steps']).default('final'),
      )
      .addOption(new Option('--handout <n>', 'a handout with n slides a page').argParser(intOption([1, 2, 3, 4, 6])))
      .addOption(
        new Option('--size <size>', 'page size: 16:9, 4:3, a4 or letter (default: the deck size; handouts A4)').argParser(parseSize),
      )
      .option('--range <slides>', 'slide numbers, e.g. 1-5,8')
      .addOption(new Option('--timeout <seconds>', 'give up after this long').argParser(parseTimeout).default(120)),
  )
    .option('-q, --quiet', 'print errors only: no result line, notices or warnings')
    .action(lazy(async () => (await import('./commands/pdf.js')).pdfCommand));

  addDeckOptions(
    program
      .command('png')
      .description('export each slide to <deck>-001.png, … (or --og-image: the title slide at 1200x630)')
      .argument('<input>', 'Markdown file')
      .option('-o, --out <dir>', 'folder for the PNGs', 'output')
      .addOption(new Option('--scale <n>', 'device pixels per slide pixel (2: 2560x1440 for 16:9)').argParser(parseScale).default(1))
      .option('--range <slides>', 'slide numbers, e.g. 1-5,8')
      .addOption(
        new Option('--fragments <mode>', 'final state only, or a PNG per fragment step').choices(['final', 'steps']).default('final'),
      )
      .option('--og-image', 'write only <deck>-og.png: the title slide at 1200x630, for link previews')
      .addOption(new Option('--timeout <seconds>', 'give up after this long').argParser(parseTimeout).default(120)),
  )
    .option('-q, --quiet', 'print errors only: no result line, notices or warnings')
    .action(lazy(async () => (await import('./commands/png.js')).pngCommand));

  addDeckOptions(
    program
      .command('pptx')
      .description('export a deck to PowerPoint: editable text, tables, pictures and notes (or --pictures)')
      .argument('<input>', 'Markdown file')
      .option('-o, --out <file>', '.pptx file (default output/<deck>.pptx)')
      .option('--pictures', 'each slide as one picture (plus notes), for when looks matter more than editing')
      .option('--safe-fonts', 'name widely installed fonts (Arial, Georgia, Courier New) instead of the theme fonts')
      .addOption(new Option('--timeout <seconds>', 'give up after this long').argParser(parseTimeout).default(120)),
  )
    .option('-q, --quiet', 'print errors only: no result line, notices or warnings')
    .action(lazy(async () => (await import('./commands/pptx.js')).pptxCommand));

  addDeckOptions(
    program
      .command('serve')
      .description('live-reloading preview on 127.0.0.1')
      .argument('<input>', 'Markdown file')
      .addOption(new Option('-p, --port <port>', 'port (0 picks a free one)').argParser(parsePort).default(8000))
      .option('--host <address>', 'address to listen on; other machines can connect only if you widen it', '127.0.0.1')
      .option('--open', 'open the deck in your browser'),
  ).action(lazy(async () => (await import('./commands/serve.js')).serveCommand));

  addOutputOptions(
    addDeckOptions(
      program
        .command('check')
        .description('lint decks: overflowing slides (measured in Chromium), missing images, empty slides')
        .argument('[inputs...]', 'Markdown files or folders of them', ['content']),
      ['html', 'root', 'fit'],
    ),
  ).action(lazy(async () => (await import('./commands/check.js')).checkCommand));

  program
    .command('inspect')
    .description('print the parsed deck')
    .argument('<input>', 'Markdown file')
    .option('--json', 'print JSON (the default)')
    .addOption(new Option('--dialect <tool>', 'read the deck as written for this tool (default: detected from the deck)').choices(DIALECTS))
    .action(lazy(async () => (await import('./commands/inspect.js')).inspectCommand));

  program
    .command('convert')
    .description("rewrite a deck written for another tool (Marp, reveal-md, Slidev, remark, Deckset, pandoc) in decksmith's dialect")
    .argument('<input>', 'Markdown file')
    .option('-o, --out <file>', 'converted deck ("-" for standard output; default <name>.decksmith.md beside the input)')
    .addOption(new Option('--dialect <tool>', 'read the deck as written for this tool (default: detected from the deck)').choices(DIALECTS))
    .option('--root <dir>', "folder a Slidev deck's src: imports must come from (default: the deck's folder)")
    .option('--force', 'allow --out to be the input file itself (replaces the original)')
    .option('-q, --quiet', 'print errors only: no result line or warnings')
    .action(lazy(async () => (await import('./commands/convert.js')).convertCommand));

  program
    .command('themes')
    .description('list themes; --preview renders each one to PNG and writes a gallery page')
    .argument('[themes...]', 'themes to preview (names or paths; default: every decksmith theme)')
    .option('--preview', 'render the sample slides in each theme to PNG')
    .option('-o, --out <dir>', 'gallery folder for --preview', 'output/themes')
    .action(lazy(async () => (await import('./commands/themes.js')).themesCommand));

  program
    .command('init')
    .description('scaffold a new talk: deck.md, a theme of your own, and a README')
    .argument('[dir]', 'folder for the talk', '.')
    .option('--theme <name>', 'built-in theme your theme extends', 'paper')
    .action(lazy(async () => (await import('./commands/init.js')).initCommand));

  // A --theme that does not exist is a bad argument (exit 2) on every command, caught before any
  // deck is built. (init takes only built-in names and checks them itself.)
  program.hook('preAction', async (_, command) => {
    const theme: unknown = command.opts()['theme'];
    if (typeof theme !== 'string' || command.name() === 'init') return;
    const { resolveThemeOption } = await import('../build/theme.js');
    resolveThemeOption(theme, io.cwd);
  });
  addExamples(program);
  return program;
}

export interface RunContext {
  /** A browser the caller started early (src/cli/main.ts); the first command that prints uses it. */
  browser?: StartedBrowser;
}

export async function run(argv: readonly string[], io: CliIO = processIO(), context: RunContext = {}): Promise<number> {
  let exitCode = 0;
  const commandIO: CliIO & BrowserHandOff = context.browser === undefined ? io : { ...io, earlyBrowser: handOff(context.browser) };
  const program = createProgram(commandIO, (code) => {
    exitCode = code;
  });
  const debug = argv.includes('--debug');
  // A command the signal made fail ends as the signal would have ended it; one that finished
  // (serve and build --watch stop with 0) keeps its code.
  const signalled = (code: number): number => (code !== 0 && io.signal?.aborted === true ? interruption(io.signal).exitCode : code);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return signalled(exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isDecksmithError(error)) {
      io.stderr(`${formatError(error, painter(colorEnabled(io)))}\n`);
      if (debug) io.stderr(`${error.stack ?? ''}\n`);
      return signalled(error.exitCode);
    }
    const err = error as Error;
    io.stderr(`decksmith: unexpected error: ${escapeControl(err.message)}\n`);
    io.stderr(debug ? `${err.stack ?? ''}\n` : 'This is a bug in decksmith; run again with --debug and report the output.\n');
    return 1;
  }
}
