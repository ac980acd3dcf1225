/**
 * Error and diagnostic codes: one table each, one spelling (kebab-case), one exit code per error
 * code, and the exit code the CLI ends with is the table's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { DecksmithError, ERROR_CODES, InterruptedError, TemplateError, UsageError, type ErrorCode } from '../../src/errors.js';
import { DIAGNOSTIC_CODES } from '../../src/types.js';
import { cli, tempDir } from '../helpers.js';

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

describe('error and diagnostic codes', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('are kebab-case in both tables', () => {
    expect(Object.keys(ERROR_CODES).filter((c) => !KEBAB.test(c))).toEqual([]);
    expect(Object.keys(DIAGNOSTIC_CODES).filter((c) => !KEBAB.test(c))).toEqual([]);
  });

  it("give every error its table's exit code, whatever its class", () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      if (code === 'interrupted') continue;
      expect(new DecksmithError(code, 'x').exitCode, code).toBe(ERROR_CODES[code]);
      expect(new TemplateError(code, 'x').exitCode, code).toBe(ERROR_CODES[code]);
    }
    expect(new UsageError('bad-range', 'x').exitCode).toBe(2);
    expect([
      new InterruptedError('SIGINT').exitCode,
      new InterruptedError('SIGTERM').exitCode,
      new InterruptedError('SIGHUP').exitCode,
    ]).toEqual([130, 143, 129]);
  });

  // It was exit 1 from the library's TemplateError and 2 from the CLI's UsageError.
  it('an unknown --theme is unknown-theme with exit code 2, from the library as from the CLI', async () => {
    const deck = join(tmp.dir, 'talk.md');
    writeFileSync(deck, '# Talk\n');
    const error = await buildDeck(deck, { theme: 'no-such-theme', outDir: join(tmp.dir, 'out') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecksmithError);
    expect((error as DecksmithError).code).toBe('unknown-theme');
    expect((error as DecksmithError).exitCode).toBe(2);
    const result = await cli(['build', deck, '--theme', 'no-such-theme', '--out', join(tmp.dir, 'out')], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown theme "no-such-theme"');
  });
});
