import { afterAll, beforeAll } from 'vitest';
import { BrowserSession } from '../src/browser/session.js';

/**
 * One Chromium for a whole test file: launched before its tests, closed after them, and then
 * `after` runs (a temp folder's cleanup). Call it at the top level of the file.
 */
export function browserForFile(after?: () => void): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await BrowserSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    after?.();
  });
  return () => {
    if (session === undefined) throw new Error('the browser for this file has not started');
    return session;
  };
}
