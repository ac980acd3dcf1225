/**
 * `decksmith check [inputs...]`: lints decks: build diagnostics (missing images, empty slides, …)
 * plus overflow measured in Chromium. Every deck is checked even when one cannot be built. Exit 1
 * on any finding.
 */
import { buildDeck, deckOptions, expandInputs } from '../../build/index.js';
import { checkDeck } from '../../check/index.js';
import { isDecksmithError } from '../../errors.js';
import { BrowserSession } from '../../browser/session.js';
import { tempDirectory } from '../../build/temp.js';
import type { DeckOptions } from '../../types.js';
import { cliFigures } from '../figures.js';
import { errorFinding, Reporter, toFinding, type CliIO, type Finding, type OutputFlags } from '../io.js';

/** check builds each deck as build does, but takes neither --theme nor --templates. */
export interface CheckFlags extends OutputFlags, Pick<DeckOptions, 'root' | 'html'> {}

export async function checkCommand(io: CliIO, inputs: string[], flags: CheckFlags = {}): Promise<number> {
  const report = new Reporter(io, flags);
  const files = expandInputs(inputs);
  await using temp = tempDirectory('decksmith-check-');
  await using session = await BrowserSession.launch({ signal: io.signal, networkEvents: false });
  const findings: Finding[] = [];
  const figures = cliFigures(io, async () => session);
  for (const file of files) {
    try {
      const built = await buildDeck(file, { ...deckOptions(flags), outDir: temp.path, signal: io.signal, figures });
      const diagnostics = [...built.deck.diagnostics, ...built.rendered.diagnostics, ...(await checkDeck(session, built))];
      for (const d of diagnostics) report.diagnostic(d);
      findings.push(...diagnostics.map((d) => toFinding(d, built.deck)));
      report.result(
        `${file}: ${built.deck.slides.length} slides, ${diagnostics.length === 0 ? 'no problems' : `${diagnostics.length} problem(s)`}`,
      );
    } catch (error) {
      if (!isDecksmithError(error)) throw error;
      report.error(error);
      findings.push(errorFinding(error, file));
    }
  }
  await figures.close();
  if (report.json) report.document({ findings });
  return findings.length === 0 ? 0 : 1;
}
