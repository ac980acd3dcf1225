/**
 * A deck is data: no file from outside the deck's folder reaches any output (HTML, copied files,
 * --single-file, PDF), whatever syntax names it, and nothing a deck writes runs, in the deck or
 * while `pdf`, `check` or the theme gallery load it. Outside files carry a canary string; script
 * vectors make a request to a local HTTP server, which must never receive one.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { serveDeck } from '../../src/serve/index.js';
import { previewThemes } from '../../src/export/gallery.js';
import { pageTexts } from '../export/read-pdf.js';
import { cli, tempDir, until } from '../helpers.js';

const CANARY = 'CANARY7731';
const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">${body}</svg>\n`;

let tmp: ReturnType<typeof tempDir>;
let session: BrowserSession;
let server: Server;
let origin: string;
const hits: string[] = [];

beforeAll(async () => {
  tmp = tempDir('decksmith-reach-');
  mkdirSync(join(tmp.dir, 'secret'));
  writeFileSync(join(tmp.dir, 'secret', 'secret.svg'), svg(`<text x="4" y="24" font-size="14">${CANARY}</text>`));
  writeFileSync(join(tmp.dir, 'secret', 'secret.css'), `body::after { content: "${CANARY}"; }\n`);
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/svg+xml', 'access-control-allow-origin': '*' });
    response.end(svg('<rect width="120" height="40" fill="blue"/>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  session = await BrowserSession.launch();
}, 60_000);

afterAll(async () => {
  await session?.[Symbol.asyncDispose]();
  await new Promise((resolve) => server?.close(resolve));
  tmp?.cleanup();
});

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The text of a file plus every base64 data: URL in it, decoded. */
function withInlined(text: string): string {
  const decoded = [...text.matchAll(/data:[^;,"']*;base64,([A-Za-z0-9+/=]+)/g)].map((m) =>
    Buffer.from(m[1] ?? '', 'base64').toString('latin1'),
  );
  return [text, ...decoded].join('\n');
}

/** A deck file whose body is built line by line, recording the line of each case. */
class DeckWriter {
  lines: string[] = [];
  at = new Map<string, number>();
  add(text: string, name?: string): void {
    if (name !== undefined) this.at.set(name, this.lines.length + 1);
    this.lines.push(...text.split('\n'));
  }
  write(file: string): void {
    writeFileSync(file, `${this.lines.join('\n')}\n`);
  }
}

/** The slide syntaxes that can name a file; `ref` is the address as the author writes it. */
const BODY_SYNTAXES: Record<string, (ref: string) => string> = {
  'markdown image': (ref) => `![pic](${ref.includes(' ') ? `<${ref}>` : ref})`,
  'background directive': (ref) => `<!-- background: ${ref} -->`,
  '.slide data-background-image': (ref) => `<!-- .slide: data-background-image="${ref}" -->`,
  '.slide data-background': (ref) => `<!-- .slide: data-background="${ref}" -->`,
  '.slide style url()': (ref) => `<!-- .slide: style="background-image: url('${ref}')" -->`,
  'raw <img src>': (ref) => `<img src="${ref}" alt="pic">`,
  'raw <img srcset>': (ref) => `<img srcset="${ref} 1x" alt="pic">`,
  'raw <video poster>': (ref) => `<video poster="${ref}"></video>`,
  'raw style url()': (ref) => `<div style="background-image: url(&quot;${ref}&quot;); width: 120px; height: 40px">box</div>`,
  'raw data-src': (ref) => `<img data-src="${ref}" alt="lazy">`,
  '.element style url()': (ref) => `A paragraph\n<!-- .element: style="background: url(${ref})" -->`,
};

/** Writes a deck at `dir/deck.md` using `ref(kind)` for every syntax; returns the line of each case. */
function hostileDeck(dir: string, ref: (ext: 'svg' | 'css') => string): { file: string; at: Map<string, number> } {
  const deck = new DeckWriter();
  deck.add('---');
  deck.add('title: Reach');
  deck.add(`css: ["${ref('css')}"]`, 'css:');
  deck.add('themeVars:', 'themeVars url()');
  deck.add(`  accent: url("${ref('svg')}")`);
  deck.add('reveal:', 'reveal parallaxBackgroundImage');
  deck.add(`  parallaxBackgroundImage: "${ref('svg')}"`);
  deck.add('---');
  deck.add('# Reach\n');
  for (const [name, make] of Object.entries(BODY_SYNTAXES)) {
    deck.add('---\n');
    // Directives apply to the slide and warn at its first line.
    if (name.startsWith('.slide') || name === 'background directive') {
      deck.add(make(ref('svg')), name);
      deck.add(`# ${name}`);
    } else {
      deck.add(`# ${name.replace(/[<>]/g, '')}\n`);
      deck.add(make(ref('svg')), name);
    }
    deck.add('');
  }
  const file = join(dir, 'deck.md');
  deck.write(file);
  return { file, at: deck.at };
}

/** Slide directives warn at their slide's first line (just after its `---`); the rest at their own line. */
function warningLine(at: Map<string, number>, name: string): number {
  const line = at.get(name) ?? 0;
  if (name.startsWith('.element')) return line + 1;
  return name.startsWith('.slide') || name === 'background directive' ? line - 1 : line;
}

const VARIANTS: Record<string, (dir: string) => (ext: 'svg' | 'css') => string> = {
  '../ path': () => (ext) => `../secret/secret.${ext}`,
  'absolute path': () => (ext) => join(tmp.dir, 'secret', `secret.${ext}`),
  'symlinked file': (dir) => {
    symlinkSync('../secret/secret.svg', join(dir, 'link.svg'));
    symlinkSync('../secret/secret.css', join(dir, 'link.css'));
    return (ext) => `link.${ext}`;
  },
  'file in a symlinked folder': (dir) => {
    symlinkSync('../secret', join(dir, 'shared'));
    return (ext) => `shared/secret.${ext}`;
  },
};

describe("nothing outside the deck's folder reaches an output", () => {
  for (const [variant, setup] of Object.entries(VARIANTS)) {
    it(`${variant}: every syntax is left out with a file:line warning; no canary in the HTML, assets, single file or PDF`, async () => {
      const dir = join(tmp.dir, variant.replace(/\W+/g, '-'));
      mkdirSync(dir);
      const { file, at } = hostileDeck(dir, setup(dir));
      const out = join(dir, 'out');
      const built = await cli(['build', file, '--out', out, '--single-file']);
      expect(built.code, built.stderr).toBe(0);
      const warned = built.stderr.split('\n').filter((l) => l.includes('[file-outside-root]'));
      for (const name of at.keys()) {
        const line = warningLine(at, name);
        // The column follows the line where the warning comes from a token (not for slide directives).
        const where = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}(?::\\d+)?: warning: `);
        expect(
          warned.some((l) => where.test(l)),
          `${name} at line ${line}:\n${built.stderr}`,
        ).toBe(true);
      }
      for (const path of files(out)) expect(withInlined(readFileSync(path, 'latin1')), path).not.toContain(CANARY);
      const html = readFileSync(join(out, 'deck', 'index.html'), 'utf8');
      expect(html).not.toContain('secret.');
      expect(html).not.toContain(tmp.dir);

      const pdf = join(dir, 'deck.pdf');
      const printed = await cli(['pdf', file, '--out', pdf]);
      expect(printed.code, printed.stderr).toBe(0);
      expect((await pageTexts(pdf)).join(' ')).not.toContain(CANARY);
    }, 120_000);
  }

  it('a symlink inside the folder to a file inside it, and a wider --root, are let in', async () => {
    const dir = join(tmp.dir, 'wide');
    mkdirSync(join(dir, 'talk', 'img'), { recursive: true });
    writeFileSync(join(dir, 'talk', 'img', 'in.svg'), svg('<rect width="120" height="40" fill="red"/>'));
    symlinkSync('img/in.svg', join(dir, 'talk', 'alias.svg'));
    writeFileSync(join(dir, 'talk', 'deck.md'), '# T\n\n![a](alias.svg) ![b](../../secret/secret.svg)\n');
    const narrow = await cli(['build', join(dir, 'talk', 'deck.md'), '--out', join(dir, 'out')]);
    expect(narrow.stderr).not.toContain('alias.svg');
    expect(narrow.stderr).toContain('[file-outside-root]');
    expect(readFileSync(join(dir, 'out', 'deck', 'media', 'alias.svg'), 'utf8')).toContain('fill="red"');
    const wide = await cli(['build', join(dir, 'talk', 'deck.md'), '--out', join(dir, 'out'), '--root', tmp.dir]);
    expect(wide.stderr).not.toContain('[file-outside-root]');
    expect(readFileSync(join(dir, 'out', 'deck', 'media', '_up', '_up', 'secret', 'secret.svg'), 'utf8')).toContain(CANARY);
  });

  it('CSS escapes and image-set() strings in a style, which could spell an outside address, are left out', async () => {
    const dir = join(tmp.dir, 'css-escapes');
    mkdirSync(dir);
    const secret = join(tmp.dir, 'secret', 'secret.svg');
    const file = join(dir, 'deck.md');
    writeFileSync(
      file,
      `# Escapes\n\n<div style="background: \\75 rl(${secret}); height: 40px">a</div>\n\n<div style="background: image-set('${secret}' 1x); height: 40px">b</div>\n`,
    );
    const built = await cli(['build', file, '--out', join(dir, 'out'), '--single-file']);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toContain(`${file}:3:1: warning: style "background: \\75 rl(`);
    expect(built.stderr).toContain(`${file}:5:1: warning: style "background: image-set(`);
    for (const path of files(join(dir, 'out'))) expect(readFileSync(path, 'utf8'), path).not.toContain(secret);
  });
});

/** Opens a built deck in Chromium and waits until reveal.js has started. */
async function openDeck(page: Page, htmlPath: string): Promise<void> {
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation', timeout: 30_000 });
}

describe('files inside the folder work by every syntax', () => {
  it('each syntax copies and rewrites an inside image, and Chromium loads it', async () => {
    const dir = join(tmp.dir, 'inside');
    mkdirSync(join(dir, 'img'), { recursive: true });
    writeFileSync(join(dir, 'img', 'in.svg'), svg('<rect width="120" height="40" fill="red"/>'));
    writeFileSync(join(dir, 'own.css'), '.reveal h1 { letter-spacing: 3px; }\n');
    const { file } = hostileDeck(dir, (ext) => (ext === 'css' ? 'own.css' : 'img/in.svg'));
    const out = join(dir, 'out');
    const built = await cli(['build', file, '--out', out]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toMatch(/file-outside-root|missing-image|unsafe-url/);
    expect(readFileSync(join(out, 'deck', 'css', 'own.css'), 'utf8')).toContain('letter-spacing');
    const html = readFileSync(join(out, 'deck', 'index.html'), 'utf8');
    expect(html).not.toMatch(/["'(]img\/in\.svg/);
    const loaded = await session.withPage(async (page) => {
      await openDeck(page, join(out, 'deck', 'index.html'));
      return page.evaluate(async () => {
        const urls: Record<string, string> = {};
        const take = (name: string, value: string | null | undefined) => {
          const url = /url\(["']?([^"')]+)["']?\)/.exec(value ?? '')?.[1] ?? value ?? '';
          if (url !== '') urls[name] = new URL(url, document.baseURI).href;
        };
        const slide = (i: number) => document.querySelector(`section[data-ds-index="${i}"]`);
        take('markdown image', slide(1)?.querySelector('img')?.getAttribute('src'));
        take('background directive', slide(2)?.getAttribute('data-background-image'));
        take('.slide data-background-image', slide(3)?.getAttribute('data-background-image'));
        take('.slide data-background', slide(4)?.getAttribute('data-background'));
        take('.slide style url()', (slide(5) as HTMLElement | null)?.style.backgroundImage);
        take('raw <img src>', slide(6)?.querySelector('img')?.getAttribute('src'));
        take('raw <img srcset>', slide(7)?.querySelector('img')?.getAttribute('srcset')?.split(' ')[0]);
        take('raw <video poster>', slide(8)?.querySelector('video')?.getAttribute('poster'));
        take('raw style url()', slide(9)?.querySelector<HTMLElement>('div[style]')?.style.backgroundImage);
        take('raw data-src', slide(10)?.querySelector('img')?.getAttribute('data-src'));
        take('.element style url()', slide(11)?.querySelector<HTMLElement>('p[style]')?.style.backgroundImage);
        take('themeVars url()', getComputedStyle(document.documentElement).getPropertyValue('--ds-accent'));
        const widths: Record<string, number> = {};
        for (const [name, url] of Object.entries(urls)) {
          const image = new Image();
          image.src = url;
          await image.decode().catch(() => undefined);
          widths[name] = image.naturalWidth;
        }
        return { urls, widths };
      });
    });
    const expected = Object.keys(BODY_SYNTAXES).concat('themeVars url()');
    for (const name of expected) {
      expect(loaded.urls[name], name).toMatch(/\/out\/deck\/media\/img\/in\.svg$/);
      expect(loaded.widths[name], name).toBeGreaterThan(0);
    }
    expect(html).toContain('"parallaxBackgroundImage":"media/img/in.svg"');
  }, 60_000);
});

describe('nothing a deck writes runs', () => {
  function scriptDeck(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const beacon = (name: string) => `void(new Image().src='${origin}/${name}')`;
    const file = join(dir, 'deck.md');
    writeFileSync(
      file,
      [
        '# Scripts',
        '',
        '---',
        `<!-- .slide: data-background-iframe="javascript:${beacon('iframe-js')}" -->`,
        '# javascript: frame',
        '',
        '---',
        `<!-- .slide: data-background-iframe="data:text/html,<script>${beacon('iframe-data')}</script>" -->`,
        '# data: frame',
        '',
        '---',
        `<!-- .slide: data-preview-link="javascript:${beacon('preview-js')}" -->`,
        '# preview link',
        '',
        '<a id="jsl">',
        'click me',
        '</a>',
        '',
        `<!-- .element: href="javascript:${beacon('href-js')}" -->`,
        '',
        `[md link](<javascript:${beacon('md-href')}>)`,
        '',
        '---',
        `<!-- .slide: data-background-iframe="${origin}/control-frame" -->`,
        '# control',
        '',
      ].join('\n'),
    );
    return file;
  }

  /** Opens the deck at `url`, shows every slide and clicks the javascript: link; returns the hits it caused. */
  async function visit(url: string): Promise<string[]> {
    hits.length = 0;
    await session.withPage(async (page) => {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', { polling: 'mutation', timeout: 30_000 });
      // Every slide in turn; the last one's allowed http frame is the control that proves frames load.
      const show = (n: number) => page.evaluate((i) => (window as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(i), n);
      for (const n of [1, 2, 3]) await show(n);
      await page.evaluate(() => document.querySelector<HTMLElement>('#jsl')?.click());
      await page.evaluate((control) => {
        new Image().src = control;
      }, `${origin}/control-after-click`);
      // Stays on the last slide until the control frame has loaded: reveal.js unloads a frame when
      // its slide is left, and the page closes when this callback returns.
      await show(4);
      await until(() => hits.includes('/control-frame') && hits.includes('/control-after-click'), 20_000);
    });
    return hits.filter((h) => !h.startsWith('/control'));
  }

  it('no directive vector runs in the built deck: javascript: and data:text/html frames, href set by .element', async () => {
    const dir = join(tmp.dir, 'scripts');
    const file = scriptDeck(dir);
    const built = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(built.code, built.stderr).toBe(0);
    expect(await visit(pathToFileURL(join(dir, 'out', 'deck', 'index.html')).href)).toEqual([]);
    expect(built.stderr).toContain(`${file}:4: warning: data-background-iframe= address "javascript:`);
    expect(built.stderr).toContain(`${file}:8: warning: data-background-iframe= address "data:text/html`);
    expect(built.stderr).toContain(`${file}:19:1: warning: href= address "javascript:`);
    expect(readFileSync(join(dir, 'out', 'deck', 'index.html'), 'utf8')).not.toMatch(/href="javascript/i);
  }, 60_000);

  it('nor when the deck is served over http by serve, which has no outside file to hand out', async () => {
    const dir = join(tmp.dir, 'served');
    const file = scriptDeck(dir);
    writeFileSync(
      file,
      `---\ncss: ["${join(tmp.dir, 'secret', 'secret.css')}"]\n---\n${readFileSync(file, 'utf8')}\n![x](../secret/secret.svg)\n`,
    );
    await using server = await serveDeck(file, { port: 0 });
    expect(await visit(server.url)).toEqual([]);
    for (const path of [`css${join(tmp.dir, 'secret', 'secret.css')}`, 'media/_up/secret/secret.svg']) {
      const response = await fetch(new URL(path, server.url));
      expect(await response.text()).not.toContain(CANARY);
    }
  }, 60_000);

  it('pdf, check and the theme gallery fetch nothing outside the built deck, even with --html', async () => {
    const dir = join(tmp.dir, 'print');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'deck.md');
    writeFileSync(
      file,
      [
        '# Print',
        '',
        `![remote](${origin}/pdf-image.svg)`,
        '',
        `<img src="${join(tmp.dir, 'secret', 'secret.svg')}" alt="outside">`,
        '',
        `<script>new Image().src = '${origin}/pdf-script';</script>`,
        '',
        `<iframe src="data:text/html,<script>new Image().src='${origin}/pdf-frame'</script>"></iframe>`,
        '',
        `<link rel="stylesheet" href="${pathToFileURL(join(tmp.dir, 'secret', 'secret.css')).href}">`,
        '',
      ].join('\n'),
    );
    hits.length = 0;
    const pdf = join(dir, 'deck.pdf');
    const printed = await cli(['pdf', file, '--html', '--out', pdf]);
    expect(printed.code, printed.stderr).toBe(0);
    expect((await pageTexts(pdf)).join(' ')).not.toContain(CANARY);
    const checked = await cli(['check', file, '--html']);
    expect([0, 1]).toContain(checked.code);
    // A theme from a path whose CSS reaches for the network and for a file outside.
    const theme = join(dir, 'theme');
    mkdirSync(theme);
    writeFileSync(
      join(theme, 'theme.css'),
      `.reveal { background: url("${origin}/gallery-theme.svg"); } .reveal h1::after { content: url("${pathToFileURL(join(tmp.dir, 'secret', 'secret.svg')).href}"); }\n`,
    );
    await previewThemes({ themes: [theme], outDir: join(dir, 'gallery'), session });
    expect(hits).toEqual([]);
  }, 180_000);
});

describe('raw HTML and reveal options stay bounded', () => {
  it('an unclosed raw <table> is closed at the end of its slide (warning at its line); the next slides and the scripts stay out of it', async () => {
    const dir = join(tmp.dir, 'table');
    mkdirSync(dir);
    const file = join(dir, 'deck.md');
    writeFileSync(file, '# One\n\n---\n\n# Two\n\n<table><tr><td>open cell\n\n---\n\n# Three\n\nstill here\n');
    const built = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(built.code).toBe(0);
    expect(built.stderr).toContain(`${file}:7:1: warning: raw <table> is never closed`);
    const shape = await session.withPage(async (page) => {
      await openDeck(page, join(dir, 'out', 'deck', 'index.html'));
      return page.evaluate(() => ({
        slides: document.querySelectorAll('.reveal .slides > section').length,
        scriptsInTables: document.querySelectorAll('table script').length,
        tableInSlide2: document.querySelectorAll('section[data-ds-index="1"] table').length,
        third: document.querySelector('section[data-ds-index="2"]')?.closest('table') === null,
      }));
    });
    expect(shape).toEqual({ slides: 3, scriptsInTables: 0, tableInSlide2: 1, third: true });
  }, 60_000);

  it('stray closing tags cannot break out of the slide', async () => {
    const dir = join(tmp.dir, 'stray');
    mkdirSync(dir);
    const file = join(dir, 'deck.md');
    writeFileSync(file, '# One\n\n</div></section></div>\n\n<p>after</p>\n\n---\n\n# Two\n');
    const built = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(built.code).toBe(0);
    const html = readFileSync(join(dir, 'out', 'deck', 'index.html'), 'utf8');
    expect(html.match(/<section/g)?.length).toBe(html.match(/<\/section>/g)?.length);
    expect(built.stderr).toMatch(/deck\.md:3:1: warning: removed <\/div> that closes nothing/);
  });

  it('reveal options that load code are refused at their line, and the deck starts', async () => {
    const dir = join(tmp.dir, 'deps');
    mkdirSync(dir);
    const file = join(dir, 'deck.md');
    writeFileSync(file, '---\nreveal:\n  controls: false\n  dependencies: "plugin/x.js"\n  plugins: "RevealX"\n---\n# Starts\n');
    const built = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toContain(`${file}:4: warning: reveal option "dependencies"`);
    expect(built.stderr).toContain(`${file}:5: warning: reveal option "plugins"`);
    const html = readFileSync(join(dir, 'out', 'deck', 'index.html'), 'utf8');
    expect(html).not.toContain('dependencies');
    expect(html).toContain('"controls":false');
    await session.withPage((page) => openDeck(page, join(dir, 'out', 'deck', 'index.html')));
    const array = join(dir, 'array.md');
    writeFileSync(array, '---\nreveal:\n  dependencies:\n    - src: x.js\n---\n# Starts\n');
    const refused = await cli(['build', array, '--out', join(dir, 'out')]);
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stderr).toContain(`${array}:3: warning: reveal option "dependencies" loads code`);
  }, 60_000);
});

describe('theme folders are self-contained', () => {
  it('a theme entry that links outside the theme stops the build at the theme: line, copying nothing', async () => {
    const dir = join(tmp.dir, 'theme-link');
    mkdirSync(join(dir, 'corp'), { recursive: true });
    writeFileSync(join(dir, 'corp', 'theme.css'), '.reveal { color: black; }\n');
    symlinkSync(join(tmp.dir, 'secret'), join(dir, 'corp', 'shared'));
    const file = join(dir, 'deck.md');
    writeFileSync(file, '---\ntheme: ./corp\n---\n# T\n');
    const result = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2`);
    expect(result.stderr).toMatch(/"shared" is a symbolic link to .*secret, outside the theme folder/);
    expect(() => readdirSync(join(dir, 'out', 'deck'))).toThrow();
  });

  it('a symbolic link loop in a theme folder is a clear error, not a crash', async () => {
    const dir = join(tmp.dir, 'theme-loop');
    mkdirSync(join(dir, 'corp'), { recursive: true });
    writeFileSync(join(dir, 'corp', 'theme.css'), '.reveal { color: black; }\n');
    symlinkSync('loop', join(dir, 'corp', 'loop'));
    const file = join(dir, 'deck.md');
    writeFileSync(file, '---\ntheme: ./corp\n---\n# T\n');
    const result = await cli(['build', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2`);
    expect(result.stderr).toContain('"loop" is a symbolic link loop');
    expect(result.stderr).not.toMatch(/unexpected|ELOOP/);
  });
});
