/**
 * Config file validation: the one place where the file's untyped data becomes typed settings.
 * Unlike front matter, an unknown key is an error (a misspelt option would otherwise be silently
 * ignored on every run); the message names the file, the line and the closest valid key.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { CONFIG_KEYS as FRONT_MATTER_KEYS } from '../../parse/config.js';
import { isThemeName, listThemes } from '../../build/theme.js';
import { ConfigFileError, type RawConfig } from './read.js';
import { CONFIG_SECTIONS, SECTION_KEYS, SHARED_CONFIG_KEYS, configFileSchema, type ConfigFile, type ConfigSection } from './schema.js';

const HINT = 'The README section "Config file" lists every key and its values (--no-config ignores the file).';

/** Validated settings with `out`, `root`, `templates` and a theme path made absolute (relative to the file's folder). */
export function validateConfigFile(raw: RawConfig, display: (file: string) => string): ConfigFile {
  const file = display(raw.file);
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let n = path.length; n > 0; n--) {
      const line = raw.keyLines.get(path.slice(0, n).map(String).join('.'));
      if (line !== undefined) return line;
    }
    return raw.line;
  };
  if (typeof raw.data !== 'object' || raw.data === null || Array.isArray(raw.data)) {
    throw new ConfigFileError('config-not-mapping', 'the config file must be a mapping of keys to values', {
      file,
      line: raw.line,
      hint: `Write it as "key: value" lines, for example "theme: midnight". ${HINT}`,
    });
  }
  const result = configFileSchema.safeParse(raw.data);
  if (!result.success) {
    // A misspelt key first: it often explains a wrong value next to it.
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      throw new ConfigFileError('config-unknown-key', unknownKeyMessage(issue.path, key), {
        file,
        line: lineOf([...issue.path, key]),
        hint: HINT,
      });
    }
    const where = issue?.path.map(String).join('.') ?? '';
    throw new ConfigFileError('config-invalid', `"${where}": ${issue?.message ?? 'invalid value'}`, {
      file,
      line: lineOf(issue?.path ?? []),
      hint: `Fix the value at that line. ${HINT}`,
    });
  }
  return resolvePaths(result.data, raw, file, lineOf);
}

function unknownKeyMessage(path: readonly PropertyKey[], key: string): string {
  const at = path.length === 0 ? '' : ` under "${path.map(String).join('.')}:"`;
  const start = `unknown key "${key}"${at}`;
  const section = path.length === 1 ? (String(path[0]) as ConfigSection) : undefined;
  if (section === undefined) {
    const owner = CONFIG_SECTIONS.find((s) => SECTION_KEYS[s].includes(key));
    if (owner !== undefined) return `${start}: it belongs in the "${owner}:" section ("${owner}:" then "  ${key}: …" on the next line)`;
  } else if (SHARED_CONFIG_KEYS.includes(key)) {
    return `${start}: "${key}" applies to every command, so it goes at the top level, not under "${section}:"`;
  }
  if (FRONT_MATTER_KEYS.includes(key)) {
    return `${start}: "${key}" is a front-matter key; set it in each deck's front matter (this file holds command-line defaults)`;
  }
  const candidates = section === undefined ? [...SHARED_CONFIG_KEYS, ...CONFIG_SECTIONS] : [...SECTION_KEYS[section]];
  return `${start}; did you mean "${closest(key, candidates)}"?`;
}

function resolvePaths(config: ConfigFile, raw: RawConfig, file: string, lineOf: (path: readonly PropertyKey[]) => number): ConfigFile {
  const dir = resolve(raw.file, '..');
  const folder = (key: 'root' | 'templates', value: string | undefined): Partial<ConfigFile> => {
    if (value === undefined) return {};
    const path = resolve(dir, value);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new ConfigFileError('config-missing-folder', `"${key}": folder "${value}" does not exist (looked for ${path})`, {
        file,
        line: lineOf([key]),
        hint: 'Paths in the config file are relative to the folder the file is in.',
      });
    }
    return { [key]: path };
  };
  return {
    ...config,
    ...(config.out === undefined ? {} : { out: resolve(dir, config.out) }),
    ...folder('root', config.root),
    ...folder('templates', config.templates),
    ...(config.theme === undefined ? {} : { theme: checkTheme(config.theme, dir, file, lineOf(['theme'])) }),
  };
}

/** A theme name that exists, or an existing path made absolute; an error at the line otherwise. */
function checkTheme(theme: string, dir: string, file: string, line: number): string {
  const names = listThemes().map((t) => t.name);
  if (isThemeName(theme)) {
    if (names.includes(theme)) return theme;
    throw new ConfigFileError('config-unknown-theme', `"theme": there is no theme "${theme}"; did you mean "${closest(theme, names)}"?`, {
      file,
      line,
      hint: `Themes: ${names.join(', ')}. Or give a path to a theme folder or .css file, relative to the config file.`,
    });
  }
  const path = isAbsolute(theme) ? theme : resolve(dir, theme);
  if (existsSync(path)) return path;
  throw new ConfigFileError(
    'config-unknown-theme',
    `"theme": "${theme}" is neither a theme name nor an existing path (looked for ${path})`,
    {
      file,
      line,
      hint: 'A theme path in the config file is relative to the folder the file is in.',
    },
  );
}
