import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { PUPPETEER_DEFAULT_ARGS, withDisabledFeatures, withEnabledFeatures } from '../../src/browser/spawn.js';

describe('spawning Chromium without Puppeteer', () => {
  it("passes exactly Puppeteer's own default flags (tagged PDFs, outlines and colour depend on them)", () => {
    const theirs = puppeteer
      .defaultArgs({ headless: true, args: [], userDataDir: '/profile' })
      .filter((arg) => !arg.startsWith('--user-data-dir=') && !arg.startsWith('--headless') && arg !== 'about:blank');
    expect([...PUPPETEER_DEFAULT_ARGS].sort()).toEqual(theirs.sort());
  });

  it('merges features to disable into one --disable-features switch (Chromium keeps only the last)', () => {
    const args = withDisabledFeatures(['--a', '--disable-features=X,Y', '--b', '--disable-features=Z'], ['Y', 'W']);
    expect(args).toEqual(['--a', '--b', '--disable-features=X,Y,Z,W']);
    expect(withDisabledFeatures(['--a'], ['W'])).toEqual(['--a', '--disable-features=W']);
    // Enabled ones likewise, and the two lists stay apart.
    expect(withEnabledFeatures(['--enable-features=PdfOopif', '--disable-features=X'], ['N'])).toEqual([
      '--disable-features=X',
      '--enable-features=PdfOopif,N',
    ]);
  });
});
