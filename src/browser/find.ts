import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { BrowserError } from '../errors.js';

/** Where a browser was found, for messages and `--debug`. */
export type BrowserSource = 'env' | 'puppeteer-cache' | 'system' | 'path';

export interface FoundBrowser {
  executablePath: string;
  source: BrowserSource;
  /** The environment variable that chose it, when `source` is `env`. */
  envVar?: string;
  /** chrome-headless-shell needs Puppeteer's `headless: 'shell'`. */
  headlessShell: boolean;
}

/** Environment variables that name a browser explicitly, in order of precedence. */
export const BROWSER_ENV_VARS = ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const;

/**
 * Headless shells first: the same engine, printing the same pages, without the desktop browser's
 * start-up. Debian's chromium-headless-shell answers on its DevTools pipe ~80 ms after it is
 * spawned where /usr/bin/chromium takes ~270 ms (quiet machine, 2 cores), and a PDF export waits
 * for that on every run. (/usr/bin/chromium-headless-shell is a shell script around this file.)
 */
const SYSTEM_PATHS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: [
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
  ],
  win32: [
    join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google\\Chrome\\Application\\chrome.exe'),
    join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google\\Chrome\\Application\\chrome.exe'),
    join(process.env['LOCALAPPDATA'] ?? join(homedir(), 'AppData\\Local'), 'Google\\Chrome\\Application\\chrome.exe'),
    join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft\\Edge\\Application\\msedge.exe'),
  ],
};

const PATH_NAMES = [
  'chromium-headless-shell',
  'chrome-headless-shell',
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
  'chrome',
  'msedge',
];

export const INSTALL_HINT =
  'Install Chromium or Google Chrome (Debian/Ubuntu: `apt-get install chromium`), or run ' +
  '`npx puppeteer browsers install chrome-headless-shell`, or set CHROME_PATH to a Chrome/Chromium executable.';

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chrome's and Debian's headless shells take no `--headless` switch (they are headless only). */
export function isHeadlessShell(file: string): boolean {
  return /(chrome|chromium)-headless-shell(\.exe)?$/i.test(file);
}

/** Newest browser in Puppeteer's cache (`PUPPETEER_CACHE_DIR`, else ~/.cache/puppeteer), headless shell first. */
async function findInPuppeteerCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = env['PUPPETEER_CACHE_DIR'] ?? join(homedir(), '.cache', 'puppeteer');
  let installed: { browser: string; buildId: string; executablePath: string }[];
  // Most machines have no cache; skip loading @puppeteer/browsers for nothing.
  if (!existsSync(cacheDir)) return undefined;
  try {
    const browsers = await import('@puppeteer/browsers');
    installed = await browsers.getInstalledBrowsers({ cacheDir });
  } catch {
    return undefined;
  }
  const rank = (name: string): number => (name === 'chrome-headless-shell' ? 0 : name === 'chrome' ? 1 : 2);
  const candidates = installed
    .filter((b) => rank(b.browser) < 2)
    .sort((a, b) => rank(a.browser) - rank(b.browser) || b.buildId.localeCompare(a.buildId, 'en', { numeric: true }));
  return candidates.map((b) => b.executablePath).find(isExecutableFile);
}

function findOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const file = join(dir, name + ext);
        if (isExecutableFile(file)) return file;
      }
    }
  }
  return undefined;
}

/**
 * Finds a Chrome/Chromium to print with, in this order: CHROME_PATH, PUPPETEER_EXECUTABLE_PATH,
 * Puppeteer's browser cache, the usual install locations, then PATH. A variable that is set but
 * does not name an executable file is an error rather than silently skipped: the user asked for it.
 *
 * @throws BrowserError `browser-not-found` naming what to install and the variable to set.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  for (const envVar of BROWSER_ENV_VARS) {
    const value = env[envVar];
    if (value === undefined || value === '') continue;
    if (!isExecutableFile(value)) {
      throw new BrowserError('browser-not-found', `${envVar} is set to "${value}", which is not an executable file.`, {
        hint: `Point ${envVar} at a Chrome/Chromium executable, or unset it to let decksmith search. ${INSTALL_HINT}`,
      });
    }
    return { executablePath: value, source: 'env', envVar, headlessShell: isHeadlessShell(value) };
  }
  const cached = await findInPuppeteerCache(env);
  if (cached !== undefined) return { executablePath: cached, source: 'puppeteer-cache', headlessShell: isHeadlessShell(cached) };
  const system = (SYSTEM_PATHS[process.platform] ?? []).find(isExecutableFile);
  if (system !== undefined) return { executablePath: system, source: 'system', headlessShell: isHeadlessShell(system) };
  const onPath = findOnPath(env);
  if (onPath !== undefined) return { executablePath: onPath, source: 'path', headlessShell: isHeadlessShell(onPath) };
  throw new BrowserError('browser-not-found', 'No Chrome or Chromium found to export PDFs with.', { hint: INSTALL_HINT });
}
