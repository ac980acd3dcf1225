/**
 * Fills in command options from the config file (decksmith.config.yaml or package.json's
 * "decksmith" key) before a command runs. Precedence: a flag on the command line, then the config
 * file, then the built-in default. Top-level keys apply to every command that has the flag; a
 * section (`build:`, `pdf:`, `serve:`) applies to its command only and wins over the top level.
 */
import { basename, extname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { readNearestConfig } from './config/read.js';
import type { ConfigFile, ConfigSection } from './config/schema.js';
import { formatDiagnostic, type CliIO } from './io.js';

/** Commands that read the config file; init, inspect and themes do not. */
const CONFIGURED = new Set(['build', 'pdf', 'serve', 'check']);

/** Where an option's value came from when the config file must not replace it. */
const GIVEN = new Set(['cli', 'env']);

/** @throws ConfigFileError (exit 1) for a config file that is not valid. */
export async function applyConfigFile(command: Command, io: CliIO): Promise<void> {
  const name = command.name();
  if (!CONFIGURED.has(name) || command.optsWithGlobals().config === false) return;
  const display = (file: string) => relative(io.cwd, file) || file;
  const raw = readNearestConfig(io.cwd, display);
  if (raw === undefined) return;
  for (const d of raw.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  // The schema (zod) loads only when there is a config file: most builds have none.
  const [{ CONFIG_SECTIONS, SHARED_CONFIG_KEYS }, { validateConfigFile }] = await Promise.all([
    import('./config/schema.js'),
    import('./config/validate.js'),
  ]);
  const config = validateConfigFile(raw, display);
  const section: Record<string, unknown> = (CONFIG_SECTIONS as readonly string[]).includes(name)
    ? { ...config[name as ConfigSection] }
    : {};
  for (const option of command.options) {
    const key = option.attributeName();
    if (GIVEN.has(command.getOptionValueSource(key) ?? '')) continue;
    // `pdf --out` names a file; the config's `out` is a folder (below).
    if (name === 'pdf' && key === 'out') continue;
    const value = section[key] ?? (SHARED_CONFIG_KEYS.includes(key) ? config[key as keyof ConfigFile] : undefined);
    if (value !== undefined) command.setOptionValueWithSource(key, value, 'config');
  }
  // `build --pdf` prints with the pdf: section's settings too (not its handout: build has --handout).
  if (name === 'build' && config.pdf !== undefined) {
    const { handout: _handout, ...printing } = config.pdf;
    command.setOptionValueWithSource('pdfDefaults', printing, 'config');
  }
  if (name === 'pdf' && config.out !== undefined && !GIVEN.has(command.getOptionValueSource('out') ?? '')) {
    command.setOptionValueWithSource('out', pdfFile(config.out, command), 'config');
  }
}

/** `<out>/<deck>.pdf` or `<out>/<deck>-handout.pdf`, the names `decksmith pdf` uses in output/. */
function pdfFile(outDir: string, command: Command): string {
  const input = String(command.args[0] ?? 'deck.md');
  const handout = command.getOptionValue('handout') !== undefined;
  return join(outDir, `${basename(input, extname(input))}${handout ? '-handout' : ''}.pdf`);
}
