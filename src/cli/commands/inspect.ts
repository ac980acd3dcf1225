import { parseDeck } from '../../parse/index.js';
import { dirname, relative, resolve } from 'node:path';
import { readSource } from '../../build/read.js';
import { slidevImports } from '../../build/imports.js';
import { DEFAULT_THEME } from '../../build/theme.js';
import type { Deck, DialectName } from '../../types.js';
import type { CliIO } from '../io.js';

/** The `inspect --json` contract (README "inspect"). */
export function inspectJson(deck: Deck) {
  return {
    title: deck.title,
    theme: deck.config.theme ?? DEFAULT_THEME,
    dialect: deck.dialect.name,
    slides: deck.slides.map((s) => ({
      index: s.index,
      h: s.h,
      v: s.v,
      title: s.title,
      layout: s.layout,
      lines: s.lines,
      notes: s.notes,
      classes: s.classes,
    })),
    diagnostics: deck.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.line === undefined ? {} : { line: d.line }),
      ...(d.column === undefined ? {} : { column: d.column }),
    })),
  };
}

export async function inspectCommand(io: CliIO, input: string, flags: { dialect?: DialectName } = {}): Promise<number> {
  const path = resolve(input);
  const deck = parseDeck(await readSource(input), {
    file: input,
    dialect: flags.dialect,
    readImport: slidevImports(path, dirname(path)),
    importChain: [relative(process.cwd(), path) || path],
  });
  io.stdout(`${JSON.stringify(inspectJson(deck), null, 2)}\n`);
  return 0;
}
