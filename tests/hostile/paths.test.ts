/**
 * Hostile inputs, class "nothing outside the deck's folder reaches an output" and "read only
 * regular files, with a size cap": every syntax by which a deck names a local file, pointing out
 * of the deck's folder by `../`, by an absolute path and by a symlink, and at special files (a
 * FIFO, /dev/zero, a file far over any size cap). See harness.ts for what each case asserts.
 */
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../../src/export/index.js';
import {
  build,
  Canary,
  expectEnded,
  expectNoLeak,
  expectNothingRan,
  expectNoTextLost,
  launchBrowser,
  pdf,
  workspaces,
  type RunResult,
  type Workspace,
} from './harness.js';

const spaces = workspaces('paths');
let session: BrowserSession;
let canary: Canary;
beforeAll(async () => {
  [session, canary] = await Promise.all([launchBrowser(), Canary.start()]);
});
afterAll(async () => {
  await Promise.all([session?.close(), canary?.close()]);
  spaces.cleanup();
});

const MARKERS = ['MARKER-TITLE', 'MARKER-BEFORE', 'MARKER-AFTER'];

/** A deck whose second slide uses `body` (a slide's Markdown), or whose front matter has `front`. */
const deckWith = ({ front = '', body = '' }: { front?: string; body?: string }): string =>
  `---\ntitle: Hostile\n${front}---\n\n# MARKER-TITLE\n\nMARKER-BEFORE\n\n---\n\n${body}\n\n## Second\n\nMARKER-AFTER\n`;

type PrivateFile = 'private.png' | 'private.css' | 'private.txt';

interface Syntax {
  file: PrivateFile;
  deck: (ref: string) => string;
}

/** Every way a deck names a local file (issue #10), with the private file each one would pull in. */
const SYNTAXES: Record<string, Syntax> = {
  '<!-- background: -->': { file: 'private.png', deck: (ref) => deckWith({ body: `<!-- background: ${ref} -->` }) },
  '<!-- .slide: data-background-image -->': {
    file: 'private.png',
    deck: (ref) => deckWith({ body: `<!-- .slide: data-background-image="${ref}" -->` }),
  },
  '<!-- .slide: data-background-iframe -->': {
    file: 'private.txt',
    deck: (ref) => deckWith({ body: `<!-- .slide: data-background-iframe="${ref}" -->` }),
  },
  'raw <img src>': { file: 'private.png', deck: (ref) => deckWith({ body: `<img src="${ref}" alt="picture">` }) },
  'raw <img srcset>': { file: 'private.png', deck: (ref) => deckWith({ body: `<img src="inside.png" srcset="${ref} 2x" alt="picture">` }) },
  'raw <video poster>': { file: 'private.png', deck: (ref) => deckWith({ body: `<video poster="${ref}" src="${ref}"></video>` }) },
  'markdown image': { file: 'private.png', deck: (ref) => deckWith({ body: `![picture](${ref})` }) },
  'style="…url(…)"': {
    file: 'private.png',
    deck: (ref) => deckWith({ body: `<div style="background-image: url('${ref}'); height: 40px">styled</div>` }),
  },
  'themeVars url()': { file: 'private.png', deck: (ref) => deckWith({ front: `themeVars:\n  bg: "url('${ref}')"\n` }) },
  'reveal: parallaxBackgroundImage': {
    file: 'private.png',
    deck: (ref) => deckWith({ front: `reveal:\n  parallaxBackgroundImage: "${ref}"\n  parallaxBackgroundSize: "100px 100px"\n` }),
  },
  'css:': { file: 'private.css', deck: (ref) => deckWith({ front: `css: ["${ref}"]\n` }) },
};

type Variant = 'relative ../' | 'absolute' | 'file: URL' | 'symlink leading out';

function reference(ws: Workspace, variant: Variant, file: PrivateFile): string {
  switch (variant) {
    case 'relative ../':
      return `../${file}`;
    case 'absolute':
      return join(ws.root, file);
    case 'file: URL':
      return `file://${join(ws.root, file)}`;
    case 'symlink leading out':
      ws.symlink(`../${file}`, `deck/linked-${file}`);
      return `linked-${file}`;
  }
}

async function expectSafeBuild(ws: Workspace, r: RunResult, tag: string): Promise<void> {
  expectEnded(r);
  await expectNoLeak(ws, r);
  expectNoTextLost(ws, r, MARKERS);
  await expectNothingRan(session, canary, tag, ws);
}

describe("a path out of the deck's folder, in every syntax, reaches no output", () => {
  const variants: Variant[] = ['relative ../', 'absolute', 'symlink leading out'];
  const cases = Object.entries(SYNTAXES).flatMap(([syntax, spec]) => variants.map((variant) => [syntax, variant, spec] as const));
  it.each(cases)('%s with a %s path', async (syntax, variant, spec) => {
    const ws = spaces.make(`${syntax}-${variant}`);
    ws.deck(spec.deck(reference(ws, variant, spec.file)));
    await expectSafeBuild(ws, await build(ws), `${syntax}-${variant}`);
  });

  // file: URLs are refused as links; as image and background addresses they must be too.
  it.each(['markdown image', '<!-- background: -->', 'raw <img src>'])('%s with a file: URL', async (syntax) => {
    const spec = SYNTAXES[syntax] as Syntax;
    const ws = spaces.make(`${syntax}-file-url`);
    ws.deck(spec.deck(reference(ws, 'file: URL', spec.file)));
    await expectSafeBuild(ws, await build(ws), `${syntax}-file-url`);
  });
});

describe("--single-file and PDF export take nothing from outside the deck's folder", () => {
  it.each(['markdown image', '<!-- background: -->', 'raw <img src>', 'style="…url(…)"', 'css:'])(
    '--single-file: %s with a ../ path',
    async (syntax) => {
      const spec = SYNTAXES[syntax] as Syntax;
      const ws = spaces.make(`single-${syntax}`);
      ws.deck(spec.deck(`../${spec.file}`));
      await expectSafeBuild(ws, await build(ws, ['--single-file']), `single-${syntax}`);
    },
  );

  it.each(['<!-- background: -->', 'raw <img src>', 'reveal: parallaxBackgroundImage', 'themeVars url()'])(
    'decksmith pdf: %s with an absolute path',
    async (syntax) => {
      const spec = SYNTAXES[syntax] as Syntax;
      const ws = spaces.make(`pdf-${syntax}`);
      ws.deck(spec.deck(join(ws.root, spec.file)));
      const r = await pdf(ws);
      expectEnded(r);
      await expectNoLeak(ws, r);
    },
  );
});

describe('special files are refused, not read', () => {
  type Special = 'FIFO' | 'file over the size cap' | '/dev/zero (under --root /)';
  const make = (ws: Workspace, special: Special, name: string): { ref: string; flags: string[] } => {
    switch (special) {
      case 'FIFO':
        ws.mkfifo(`deck/${name}`);
        return { ref: name, flags: [] };
      case 'file over the size cap': {
        // Sparse: 200 MB on paper, no disk space; over any cap an image or stylesheet could need.
        const path = ws.write(`deck/${name}`, '');
        truncateSync(path, 200 * 1024 * 1024);
        return { ref: name, flags: [] };
      }
      case '/dev/zero (under --root /)':
        return { ref: '/dev/zero', flags: ['--root', '/'] };
    }
  };
  const specials: Special[] = ['FIFO', 'file over the size cap', '/dev/zero (under --root /)'];
  const syntaxes = ['markdown image', '<!-- background: -->', 'css:', 'raw <img src>', 'style="…url(…)"'];
  const cases = syntaxes.flatMap((syntax) => specials.map((special) => [syntax, special] as const));
  it.each(cases)('%s naming a %s', async (syntax, special) => {
    const spec = SYNTAXES[syntax] as Syntax;
    const ws = spaces.make(`special-${syntax}-${special}`);
    const { ref, flags } = make(ws, special, spec.file === 'private.css' ? 'special.css' : 'special.png');
    ws.deck(spec.deck(ref));
    const r = await build(ws, flags);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expectNoTextLost(ws, r, MARKERS);
    // The refusal names the file, whichever way it went.
    expect(r.stderr, r.stderr).toMatch(/deck\.md:\d+/);
  });
});

describe('theme folders', () => {
  it('a theme folder whose theme.css and subfolder are symlinks leading out', async () => {
    const ws = spaces.make('theme-symlink-out');
    ws.write('deck/brand/theme.json', '{ "extends": "paper" }\n');
    ws.symlink('../../private-dir/theme.css', 'deck/brand/theme.css');
    ws.symlink('../../private-dir', 'deck/brand/assets');
    ws.deck(deckWith({ front: 'theme: ./brand\n' }));
    await expectSafeBuild(ws, await build(ws), 'theme-symlink-out');
  });

  it('a theme folder with a subfolder symlinked to a folder outside', async () => {
    const ws = spaces.make('theme-subfolder-out');
    ws.write('deck/brand/theme.css', ':root { --ds-accent: #345; }\n');
    ws.symlink('../../private-dir', 'deck/brand/images');
    ws.deck(deckWith({ front: 'theme: ./brand\n' }));
    await expectSafeBuild(ws, await build(ws), 'theme-subfolder-out');
  });

  it('a theme folder with a symlink loop', async () => {
    const ws = spaces.make('theme-loop');
    ws.write('deck/brand/theme.css', ':root { --ds-accent: #345; }\n');
    ws.symlink('loop-b', 'deck/brand/loop-a');
    ws.symlink('loop-a', 'deck/brand/loop-b');
    ws.symlink('.', 'deck/brand/self');
    ws.deck(deckWith({ front: 'theme: ./brand\n' }));
    await expectSafeBuild(ws, await build(ws), 'theme-loop');
  });

  it('a theme: path that is itself a symlink to a folder outside', async () => {
    const ws = spaces.make('theme-link');
    ws.symlink('../private-dir', 'deck/brand');
    ws.deck(deckWith({ front: 'theme: ./brand\n' }));
    await expectSafeBuild(ws, await build(ws), 'theme-link');
  });
});

describe("files inside the deck's folder still work in every syntax", () => {
  it.each(['raw <img src>', '<!-- .slide: data-background-image -->', 'style="…url(…)"', '<!-- background: -->', 'markdown image'])(
    '%s naming inside.png is copied and shows',
    async (syntax) => {
      const spec = SYNTAXES[syntax] as Syntax;
      const ws = spaces.make(`inside-${syntax}`);
      ws.deck(spec.deck('inside.png'));
      const r = await build(ws);
      expectEnded(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, 'no warning for a file inside the folder').not.toMatch(/warning/);
      await expectNoLeak(ws, r);
      const [seen] = await expectNothingRan(session, canary, `inside-${syntax}`, ws);
      expect(seen?.failedFiles, 'the image was copied and its address rewritten').toEqual([]);
    },
  );
});
