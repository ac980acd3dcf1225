/**
 * What a terminal user meets first: folder builds that go on past a broken deck, exit codes for
 * bad arguments, --json / --quiet, colours, --help examples and init's next steps. Exit codes and
 * terminal output are read from a real `node bin/decksmith.js` process (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asUnprivileged, cli, tempDir } from '../helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'decksmith.js');
const { dir, cleanup } = tempDir('decksmith-cli-behaviour-');
afterAll(cleanup);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` (the first word is the program) to its end and collects what it printed. */
function runProcess(command: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const [program = '', ...args] = command;
    const child = spawn(program, args, { cwd: options.cwd ?? dir, env: options.env ?? plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const decksmith = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> =>
  runProcess([process.execPath, BIN, ...args], options);

/** The environment without colour settings, so each test chooses its own. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['FORCE_COLOR', 'NO_COLOR']) if (!(key in extra)) delete env[key];
  return env;
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const twelveSlides = Array.from({ length: 12 }, (_, i) => `## Slide ${i + 1}`).join('\n\n---\n\n');

describe('several decks: one failing deck never stops the others', () => {
  const folder = join(dir, 'talks');
  write(join(folder, 'a-good.md'), '# Good one\n\n---\n\n## More\n');
  write(join(folder, 'b-broken.md'), '---\ntitle: [oops\n---\n# Broken\n');
  write(join(folder, 'c-good.md'), '---\ntitle: Third\ntheme: midnigt\n---\n# Third\n\n![gone](gone.png)\n');

  it('build: prints the error at file:line, builds the rest (HTML and PDFs), exits 1', async () => {
    const out = join(dir, 'out-folder');
    const { code, stdout, stderr } = await cli(['build', folder, '--out', out, '--pdf']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(folder, 'b-broken.md')}:2: front matter is not valid YAML`);
    expect(stderr).toContain(`${join(folder, 'c-good.md')}:3: warning: unknown theme "midnigt"`);
    for (const name of ['a-good', 'c-good']) {
      expect(existsSync(join(out, name, 'index.html')), name).toBe(true);
      expect(
        readFileSync(join(out, `${name}.pdf`))
          .subarray(0, 5)
          .toString(),
        name,
      ).toBe('%PDF-');
      expect(stdout).toContain(join(out, `${name}.pdf`));
    }
    expect(existsSync(join(out, 'b-broken'))).toBe(false);
  }, 90_000);

  it('check: reports every deck, the broken one as an error, exits 1', async () => {
    const { code, stdout, stderr } = await cli(['check', folder]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(folder, 'b-broken.md')}:2: front matter is not valid YAML`);
    expect(stderr).toContain(`${join(folder, 'c-good.md')}:7: warning: image "gone.png" not found`);
    expect(stdout).toContain(`${join(folder, 'a-good.md')}: 2 slides, no problems`);
  }, 90_000);
});

describe('bad arguments are bad usage: exit 2', () => {
  it('--range beyond the deck names its slide count; a backwards range too', async () => {
    const file = write(join(dir, 'range', 'twelve.md'), `${twelveSlides}\n`);
    const beyond = await decksmith(['pdf', file, '--range', '20-30', '--out', join(dir, 'range', 'x.pdf')]);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain('--range "20-30": the deck has 12 slides, so 20-30 is out of range.');
    expect(beyond.stderr).toContain('Use slide numbers from 1 to 12');
    const backwards = await decksmith(['pdf', file, '--range', '3-1', '--out', join(dir, 'range', 'x.pdf')]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('"3-1" runs backwards');
    expect(existsSync(join(dir, 'range', 'x.pdf'))).toBe(false);
  }, 60_000);
});

describe('an output folder that cannot be written', () => {
  it('under a file: an OutputError naming the path and why, exit 1, not "a bug"', async () => {
    const file = write(join(dir, 'out-file', 'deck.md'), '# A\n');
    const blocker = write(join(dir, 'out-file', 'notes.txt'), 'a file, not a folder');
    const { code, stderr } = await decksmith(['build', file, '--out', join(blocker, 'out')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`decksmith: cannot write to ${join(blocker, 'out', 'deck')}: ${blocker} is a file, not a folder`);
    expect(stderr).toContain('Pass --out with a folder you can write to.');
    expect(stderr).not.toContain('bug in decksmith');
  });

  it('without write permission: says so, exit 1', async () => {
    const folder = join(dir, 'locked');
    const file = write(join(folder, 'deck.md'), '# A\n');
    mkdirSync(join(folder, 'ro'));
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o755);
    chmodSync(join(folder, 'ro'), 0o555);
    // root may write anywhere: run as "nobody" then.
    const user = asUnprivileged();
    const { code, stderr } = await runProcess(
      [...user.prefix, process.execPath, user.bin, 'build', file, '--out', join(folder, 'ro', 'out')],
      { cwd: folder },
    ).finally(user.cleanup);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `decksmith: cannot write to ${join(folder, 'ro', 'out', 'deck')}: ${join(folder, 'ro')} is not writable (permission denied)`,
    );
  });
});

describe('themes --preview with a theme folder of your own', () => {
  it("renders the init scaffold's theme from outside the repository", async () => {
    const talk = join(dir, 'preview-talk');
    mkdirSync(talk);
    expect((await cli(['init', 'my-talk'], talk)).code).toBe(0);
    const out = join(talk, 'gallery');
    const { code, stdout, stderr } = await cli(['themes', '--preview', './my-talk/theme', '--out', out], talk);
    expect(stderr).not.toContain('outside');
    expect(code).toBe(0);
    expect(stdout).toContain(join(out, 'my-talk_theme.png'));
    expect(existsSync(join(out, 'my-talk_theme', '04-compare.png'))).toBe(true);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('my-talk_theme/01-title.png');
  }, 90_000);
});

interface Finding {
  file: string | null;
  severity: string;
  code: string;
  slide: { index: number; h: number; v: number } | null;
  line: number | null;
  column: number | null;
  message: string;
}

describe('--json', () => {
  const folder = join(dir, 'json');
  const good = write(
    join(folder, 'good.md'),
    '---\ntitle: J\ntitel: typo\n---\n# J\n\n---\n\n## Two\n\n----\n\n## Under two\n\n![gone](gone.png)\n',
  );
  const broken = write(join(folder, 'broken.md'), '---\ntitle: [oops\n---\n# Broken\n');

  it('check --json: findings with severity, code, slide, line, column, message and file; nothing else on stdout', async () => {
    const { code, stdout } = await decksmith(['check', good, broken, '--json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { findings: Finding[] };
    expect(Object.keys(json)).toEqual(['findings']);
    for (const f of json.findings)
      expect(Object.keys(f).sort()).toEqual(['code', 'column', 'file', 'line', 'message', 'severity', 'slide']);
    expect(json.findings.find((f) => f.code === 'missing-image')).toMatchObject({
      file: good,
      severity: 'warning',
      line: 15,
      slide: { index: 2, h: 1, v: 1 },
    });
    expect(json.findings.find((f) => f.code === 'unknown-key')).toMatchObject({ file: good, line: 3, slide: null });
    expect(json.findings.find((f) => f.file === broken)).toMatchObject({ severity: 'error', line: 2, slide: null });
  }, 60_000);

  it('build --json: every deck with its outputs and diagnostics; progress stays on stderr', async () => {
    const out = join(folder, 'out');
    const { code, stdout, stderr } = await decksmith([
      'build',
      good,
      broken,
      '--out',
      out,
      '--json',
      '--pdf',
      '--handout',
      '2',
      '--single-file',
    ]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as {
      decks: { file: string; slides: number | null; outputs: Record<string, string>; diagnostics: Finding[]; error: Finding | null }[];
    };
    expect(json.decks.map((d) => d.file)).toEqual([good, broken]);
    const [built, failed] = json.decks;
    expect(built?.outputs).toEqual({
      html: join(out, 'good', 'index.html'),
      singleFile: join(out, 'good.html'),
      pdf: join(out, 'good.pdf'),
      handout: join(out, 'good-handout.pdf'),
    });
    for (const path of Object.values(built?.outputs ?? {})) expect(existsSync(path), path).toBe(true);
    expect(built).toMatchObject({ slides: 3, error: null });
    expect(built?.diagnostics.map((d) => d.code).sort()).toEqual(['missing-image', 'unknown-key']);
    expect(failed).toMatchObject({ slides: null, outputs: {}, error: { severity: 'error', line: 2, file: broken } });
    expect(stderr).toContain(`${broken}:2:`);
  }, 90_000);
});

describe('--quiet and colours', () => {
  const file = write(join(dir, 'quiet', 'deck.md'), '# Q\n\n![gone](gone.png)\n');
  const out = join(dir, 'quiet', 'out');

  it('--quiet prints nothing for a build with warnings, and still prints errors', async () => {
    const ok = await decksmith(['build', file, '--out', out, '--quiet']);
    expect(ok).toEqual({ code: 0, stdout: '', stderr: '' });
    const broken = write(join(dir, 'quiet', 'broken.md'), '---\ntitle: [oops\n---\n# Broken\n');
    const failed = await decksmith(['build', broken, file, '--out', out, '--quiet']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`${broken}:2: front matter is not valid YAML`);
    expect(failed.stderr).not.toContain('warning');
  });

  it('warnings yellow and errors red with FORCE_COLOR; plain when piped or with NO_COLOR', async () => {
    const broken = join(dir, 'quiet', 'broken.md');
    const forced = await decksmith(['build', file, broken, '--out', out], { env: plainEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stderr).toContain(`\u001b[1m${file}:3:\u001b[22m \u001b[33mwarning:\u001b[39m`);
    expect(forced.stderr).toContain(`\u001b[31mfront matter is not valid YAML`);
    const piped = await decksmith(['build', file, broken, '--out', out]);
    expect(piped.stderr).toContain(`${file}:3: warning: image "gone.png"`);
    expect(piped.stderr).not.toContain('\u001b[');
    const noColor = await decksmith(['build', file, broken, '--out', out], { env: plainEnv({ NO_COLOR: '1' }) });
    expect(noColor.stderr).not.toContain('\u001b[');
  });

  it('pdf: --quiet prints nothing but errors; its warnings take colours too', async () => {
    const pdf = join(dir, 'quiet', 'q.pdf');
    const quiet = await decksmith(['pdf', file, '--out', pdf, '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(pdf)).toBe(true);
    const forced = await decksmith(['pdf', file, '--out', pdf], { env: plainEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stderr).toContain(`\u001b[1m${file}:3:\u001b[22m \u001b[33mwarning:\u001b[39m`);
    expect(forced.stdout).toContain(pdf);
  });

  it('on a terminal: colours, unless NO_COLOR', async () => {
    // script(1) runs the command on a pseudo-terminal and copies what it printed to stdout.
    const command = `${process.execPath} ${BIN} build ${file} --out ${out}`;
    // The environment is set, not inherited: CI may run with NO_COLOR or TERM=dumb. CI=true as on
    // a CI runner: decksmith's own rules decide, and they do not look at CI.
    const tty = await runProcess(['script', '-qec', command, '/dev/null'], { env: plainEnv({ TERM: 'xterm', CI: 'true' }) });
    expect(tty.stdout).toContain('\u001b[33mwarning:');
    const off = await runProcess(['script', '-qec', command, '/dev/null'], {
      env: plainEnv({ TERM: 'xterm', NO_COLOR: '1' }),
    });
    expect(off.stdout).toContain(`${file}:3: warning:`);
    expect(off.stdout).not.toContain('\u001b[33m');
  });
});

describe('--help', () => {
  it.each(['build', 'pdf', 'serve', 'check', 'inspect', 'themes', 'init'])('%s --help ends with an example', async (command) => {
    const { code, stdout } = await cli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`\\nExamples?:\\n  \\$ decksmith ${command} `));
  });
});

describe('init', () => {
  it('prints next steps that work as printed, without npm link', async () => {
    const home = join(dir, 'fresh');
    mkdirSync(home);
    // A PATH without any decksmith on it, as on a fresh clone.
    const env = plainEnv({ PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter) });
    const init = await decksmith(['init', 'my-talk'], { cwd: home, env });
    expect(init.code).toBe(0);
    const steps = init.stdout
      .slice(init.stdout.indexOf('Next steps:'))
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '');
    const commands = steps.map((l) => l.replace(/#.*$/, '').trim());
    expect(commands).toEqual([`node ${BIN} serve my-talk/deck.md`, `node ${BIN} build my-talk/deck.md --pdf`]);
    const build = await runProcess(['sh', '-c', commands[1] ?? ''], { cwd: home, env });
    expect(build.stderr).not.toContain('error');
    expect(build.code).toBe(0);
    expect(existsSync(join(home, 'output', 'deck', 'index.html'))).toBe(true);
    expect(
      readFileSync(join(home, 'output', 'deck.pdf'))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  }, 90_000);
});
