#!/usr/bin/env node
// Makes sure a headless Chrome/Chromium exists for PDF export. Tries, in order: CHROME_PATH /
// PUPPETEER_EXECUTABLE_PATH, an installed Chrome/Chromium, Puppeteer's cache, Puppeteer's
// download of chrome-headless-shell, and (Debian/Ubuntu, as root) `apt-get install chromium`.
// Whatever happens it exits 0: a missing browser must not fail `npm install`; decksmith says
// what to do when a PDF is asked for. Plain Node, no dependencies beyond Puppeteer's own.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const DOWNLOAD_TIMEOUT_MS = 120_000;
const APT_TIMEOUT_MS = 600_000;
const log = (message) => console.log(`decksmith: ${message}`);

const SYSTEM_PATHS = {
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
  ],
  win32: [
    join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google\\Chrome\\Application\\chrome.exe'),
    join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google\\Chrome\\Application\\chrome.exe'),
    join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft\\Edge\\Application\\msedge.exe'),
  ],
};
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findInstalled() {
  for (const name of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH']) {
    const value = process.env[name];
    if (value) {
      if (isExecutable(value)) return `${value} (from ${name})`;
      log(`${name}=${value} is not an executable file; looking elsewhere.`);
    }
  }
  const system = (SYSTEM_PATHS[process.platform] ?? []).find(isExecutable);
  if (system) return system;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of PATH_NAMES) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

async function loadBrowsersApi() {
  try {
    return await import('@puppeteer/browsers');
  } catch {
    return undefined;
  }
}

const cacheDir = () => process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');

async function findInCache(api) {
  if (!api) return undefined;
  try {
    const installed = await api.getInstalledBrowsers({ cacheDir: cacheDir() });
    return installed.map((b) => b.executablePath).find(isExecutable);
  } catch {
    return undefined;
  }
}

/** Puppeteer's own download; bounded, since many build machines have no route to it. */
async function download(api) {
  if (!api) return undefined;
  try {
    const platform = api.detectBrowserPlatform();
    if (!platform) return undefined;
    const browser = api.Browser.CHROMEHEADLESSSHELL;
    const work = (async () => {
      const buildId = await api.resolveBuildId(browser, platform, 'stable');
      const result = await api.install({ browser, buildId, cacheDir: cacheDir(), platform });
      return result.executablePath;
    })();
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(undefined), DOWNLOAD_TIMEOUT_MS);
    });
    const file = await Promise.race([work.catch(() => undefined), timeout]);
    clearTimeout(timer);
    return file && isExecutable(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

function aptInstall() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !isDebianLike() || !existsSync('/usr/bin/apt-get')) return undefined;
  log('installing Chromium with apt-get (Debian/Ubuntu, running as root)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env, timeout: APT_TIMEOUT_MS }).status === 0;
  if (!run(['update'])) return undefined;
  if (!run(['install', '-y', '--no-install-recommends', 'chromium']) && !run(['install', '-y', 'chromium-browser'])) return undefined;
  addHeadlessShell();
  return findInstalled();
}

/**
 * Debian's Chromium has a headless shell beside it (package chromium-headless-shell): the same
 * engine without the desktop browser, which starts in a third of the time every PDF export waits
 * for. Added when Debian's Chromium is there without it and this runs as root; skipped quietly
 * when apt does not know the package (Ubuntu's chromium is a snap).
 */
function addHeadlessShell() {
  const shell = '/usr/lib/chromium/chromium-headless-shell';
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !isDebianLike() || !existsSync('/usr/bin/apt-get')) return;
  if (isExecutable(shell) || !existsSync('/usr/lib/chromium/chromium')) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const known = () => spawnSync('apt-cache', ['show', 'chromium-headless-shell'], { stdio: 'ignore', env, timeout: 60_000 }).status === 0;
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium-headless-shell'], {
      stdio: 'inherit',
      env,
      timeout: APT_TIMEOUT_MS,
    }).status === 0;
  if (!known()) return;
  log("adding Chromium's headless shell with apt-get (faster PDF export)…");
  if (install()) return;
  // Stale package lists: refresh once and try again.
  if (spawnSync('apt-get', ['update'], { stdio: 'inherit', env, timeout: APT_TIMEOUT_MS }).status === 0 && install()) return;
  log('could not add the headless shell; PDF export uses Chromium itself.');
}

async function main() {
  if (process.env.DECKSMITH_SKIP_BROWSER_CHECK) return;
  addHeadlessShell();
  const installed = findInstalled();
  if (installed) return log(`PDF export will use ${installed}.`);
  const api = await loadBrowsersApi();
  const cached = await findInCache(api);
  if (cached) return log(`PDF export will use ${cached} (Puppeteer's cache).`);
  log("no Chrome/Chromium found; trying Puppeteer's chrome-headless-shell download…");
  const downloaded = await download(api);
  if (downloaded) return log(`PDF export will use ${downloaded}.`);
  const fromApt = aptInstall();
  if (fromApt) return log(`PDF export will use ${fromApt}.`);
  log(
    [
      'no headless Chrome/Chromium is available, so PDF export will not work yet. Install one of:',
      '  - Debian/Ubuntu: sudo apt-get install chromium',
      "  - Puppeteer's build: npx puppeteer browsers install chrome-headless-shell",
      '  - Google Chrome from your usual source',
      'or set CHROME_PATH to an existing Chrome/Chromium executable. HTML builds work without it.',
    ].join('\n'),
  );
}

try {
  await main();
} catch (error) {
  log(`browser check skipped: ${error instanceof Error ? error.message : String(error)}`);
}
process.exit(0);
