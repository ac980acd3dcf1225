/** The examples `decksmith <command> --help` ends with: one or two real command lines each. */
import type { Command } from 'commander';

const EXAMPLES: Record<string, string[]> = {
  build: [
    'decksmith build talk.md --pdf --handout 3     # HTML, PDF and a 3-up handout in output/',
    'decksmith build content/ --json               # every deck in a folder; results as JSON',
  ],
  pdf: ['decksmith pdf talk.md --notes below --range 1-5', 'decksmith pdf talk.md --handout 3 --out talk-handout.pdf'],
  serve: ['decksmith serve talk.md --open          # preview on http://127.0.0.1:8000, reloads on save'],
  check: [
    'decksmith check content/                # exit 1 if any deck has a finding (CI)',
    'decksmith check talk.md --json          # findings with slide, line and column',
  ],
  inspect: ['decksmith inspect talk.md --json'],
  themes: ['decksmith themes                        # list the themes', 'decksmith themes --preview midnight ./my-theme --out gallery'],
  init: ['decksmith init my-talk --theme midnight'],
  png: ['decksmith png talk.md --scale 2 --out slides/   # slides/talk-001.png, … at 2560x1440', 'decksmith png talk.md --og-image'],
  convert: [
    'decksmith convert marp-talk.md              # writes marp-talk.decksmith.md beside it',
    'decksmith convert slides.md --out talk.md   # lines that did not come over are listed with file:line',
  ],
  pptx: [
    'decksmith pptx talk.md                  # output/talk.pptx, editable',
    'decksmith pptx talk.md --pictures --out talk-pictures.pptx',
  ],
};

export function addExamples(program: Command): void {
  for (const command of program.commands) {
    const lines = EXAMPLES[command.name()];
    if (lines !== undefined)
      command.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  }
}
