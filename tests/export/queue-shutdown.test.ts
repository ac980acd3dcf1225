/**
 * The last export lets Chromium go as soon as it has printed (exportQueue's onBrowserDone), while
 * its tab may still be closing: the export must still settle. It once did not, about one
 * `npm start` in 25 on a loaded machine: the tab's close had its answer but Chromium was gone
 * before it said the tab was destroyed, the close waited for ever, and Node ended the process
 * with exit code 13 before the last deck's PDFs were listed.
 */
import { expect, it } from 'vitest';
import { BrowserSession } from '../../src/export/index.js';

interface Sender {
  send: (...args: unknown[]) => Promise<unknown>;
}

it('a page whose tab is closing when Chromium is shut down still settles', async () => {
  const session = await BrowserSession.launch();
  try {
    const result = await session.withPage(async (page) => {
      await page.setContent('<p>printed</p>');
      // Puppeteer's connection to Chromium (no public handle to it: its own internals).
      const connection = (page as unknown as { _client(): { connection(): Sender } })._client().connection();
      const send = connection.send.bind(connection);
      // Chromium goes right after it answers the tab's close, before it says the tab is gone.
      connection.send = async (...args: unknown[]) => {
        if (args[0] !== 'Target.closeTarget') return send(...args);
        const answer = await send(...args);
        void session.close();
        return answer;
      };
      return 'printed';
    });
    expect(result).toBe('printed');
  } finally {
    await session.close();
  }
}, 60_000);
