import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: the pure stages (markdown, parse, render) and config validation, in
 * process, with no browser and no child process (tests/unit-guard.ts makes starting one fail), so
 * `npm run test:unit` answers in seconds. `browser`: everything that launches Chromium or a real
 * decksmith process (in the unit folders such files are named `*.process.test.ts`), and the
 * slow growth tests (`*.slow.test.ts`, which measure their own process's CPU time). `npm test`
 * runs both.
 */
const UNIT = ['tests/{markdown,parse,render,cli/config}/**/!(*.process|*.slow).test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests share two cores; more workers only make Chromium slower.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, setupFiles: ['tests/unit-guard.ts'], pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'browser', include: ['tests/**/*.test.ts'], exclude: UNIT } },
    ],
  },
});
