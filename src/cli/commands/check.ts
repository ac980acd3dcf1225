import { buildDeck, expandInputs } from '../../build.js';
import { checkDeck } from '../../check/index.js';
import { BrowserSession } from '../../export/browser.js';
import { tempDirectory } from '../../write/temp.js';
import { formatDiagnostic, type CliIO } from '../io.js';

/** Lints decks: build diagnostics (missing images, empty slides, …) plus overflow in Chromium. Exit 1 on any finding. */
export interface CheckFlags {
  root?: string;
  html?: boolean;
}

export async function checkCommand(io: CliIO, inputs: string[], flags: CheckFlags = {}): Promise<number> {
  const files = expandInputs(inputs);
  await using temp = tempDirectory('decksmith-check-');
  await using session = await BrowserSession.launch();
  let findings = 0;
  for (const file of files) {
    const built = await buildDeck(file, { outDir: temp.path, ...(flags.root === undefined ? {} : { root: flags.root }), ...(flags.html === true ? { html: true } : {}) });
    const diagnostics = [...built.deck.diagnostics, ...built.rendered.diagnostics, ...(await checkDeck(session, built))];
    for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    findings += diagnostics.length;
    io.stdout(`${file}: ${built.deck.slides.length} slides, ${diagnostics.length === 0 ? 'no problems' : `${diagnostics.length} problem(s)`}\n`);
  }
  return findings === 0 ? 0 : 1;
}
