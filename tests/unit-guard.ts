/**
 * Setup of the `unit` test project: a unit test that starts a child process (a decksmith run,
 * Chromium) fails at once, so a slow test cannot slip into `npm run test:unit` unnoticed. Such a
 * test belongs in a `*.process.test.ts` file, which runs in the `browser` project.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const refuse = (name: string) => () => {
  throw new Error(`unit tests start no processes (child_process.${name}); name the file *.process.test.ts`);
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.defineProperty(childProcess, name, { value: refuse(name), configurable: true, writable: true });
}
syncBuiltinESMExports();
