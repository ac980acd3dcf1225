import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { PUPPETEER_DEFAULT_ARGS } from '../../src/export/spawn.js';

describe('spawning Chromium without Puppeteer', () => {
  it("passes exactly Puppeteer's own default flags (tagged PDFs, outlines and colour depend on them)", () => {
    const theirs = puppeteer
      .defaultArgs({ headless: true, args: [], userDataDir: '/profile' })
      .filter((arg) => !arg.startsWith('--user-data-dir=') && !arg.startsWith('--headless') && arg !== 'about:blank');
    expect([...PUPPETEER_DEFAULT_ARGS].sort()).toEqual(theirs.sort());
  });
});
