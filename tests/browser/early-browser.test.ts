/**
 * The executable starts Chromium before the command line loads and passes it into the command:
 * `run(argv, io, { browser })`. The command prints on that browser and closes it; no module
 * variable carries it from one to the other.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import type { StartedBrowser } from '../../src/cli/browser-start.js';
import type { CliIO } from '../../src/cli/io.js';
import { BrowserSession } from '../../src/browser/session.js';
import { tempDir } from '../helpers.js';
import { pageTexts } from '../export/read-pdf.js';

const { dir, cleanup } = tempDir('decksmith-early-browser-');

function quietIO(): CliIO {
  return { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir, env: process.env };
}

it('pdf prints on the browser passed to run, and closes it', async () => {
  const deck = join(dir, 'talk.md');
  writeFileSync(deck, '## Passed in EARLYBROWSER\n');
  const session = await BrowserSession.launch();
  let closes = 0;
  const browser: StartedBrowser = {
    session: Promise.resolve(session),
    close: async () => {
      closes++;
      await session.close();
    },
  };
  try {
    const out = join(dir, 'talk.pdf');
    expect(await run(['pdf', deck, '--out', out], quietIO(), { browser })).toBe(0);
    expect((await pageTexts(out))[0]).toContain('EARLYBROWSER');
    // The command used it and closed it when done.
    expect(closes).toBeGreaterThan(0);
    expect(session.browser.connected).toBe(false);
    // A second command in the same process is not handed the closed browser: it starts its own.
    const again = join(dir, 'again.pdf');
    expect(await run(['pdf', deck, '--out', again], quietIO())).toBe(0);
    expect(existsSync(again)).toBe(true);
  } finally {
    await session.close();
    cleanup();
  }
});
