/**
 * Hostile inputs, class "nothing outside the output is ever removed" and the crashes on names:
 * deck files called `..md`, `...md`, with separators and control characters in their names, two
 * decks with one base name, an --out that is a file, and names that are Object.prototype's own
 * (`constructor`, `__proto__`) as file names, fence info strings, directive and front-matter keys.
 * See harness.ts for what each case asserts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  build,
  expectEnded,
  expectNoLeak,
  expectNoTextLost,
  hasDotSegment,
  run,
  workspaces,
  type RunResult,
  type Workspace,
} from './harness.js';

const spaces = workspaces('names');
afterAll(() => spaces.cleanup());

const hostileDeck = '# MARKER-HOSTILE\n\nMARKER-HOSTILE-BODY\n';
const normalDeck = '# MARKER-NORMAL\n\nMARKER-NORMAL-BODY\n';

/** The text of every page built; each page must lie inside out/ under a name without . or .. */
function builtText(ws: Workspace): string {
  return ws
    .pages()
    .map((page) => {
      expect(hasDotSegment(page.slice(ws.out.length)), `a page written under a . or .. name: ${page}`).toBe(false);
      return readFileSync(page, 'utf8');
    })
    .join('\n');
}

/** Both decks built; or the hostile one refused with a message naming it, and the other built. */
async function expectBothOrRefused(ws: Workspace, r: RunResult): Promise<void> {
  expectEnded(r);
  await expectNoLeak(ws, r);
  const text = builtText(ws);
  expect(text, `the ordinary deck next to it was not built\n${r.stderr}`).toContain('MARKER-NORMAL-BODY');
  if (r.code === 0) expect(text, `the hostile deck's text is lost\n${r.stderr}`).toContain('MARKER-HOSTILE-BODY');
  else expect(r.stderr, 'the refusal names a deck file').toMatch(/\.md/);
}

const NAMES = [
  '..md',
  '...md',
  '....md',
  '.md',
  ' .md',
  'a\\b.md',
  'a:b.md',
  '-rf.md',
  'a\x1b[31mred.md',
  'a\nb.md',
  'a\rb.md',
  'bell\x07.md',
  '\u202egnp.md',
  'constructor.md',
  '__proto__.md',
  'toString.md',
];

describe('deck file names', () => {
  it.each(NAMES.map((n) => [JSON.stringify(n), n]))('a folder holding %s and an ordinary deck', async (_label, name) => {
    const ws = spaces.make(`folder-${NAMES.indexOf(name)}`);
    ws.deck(hostileDeck, name);
    ws.deck(normalDeck, 'deck.md');
    await expectBothOrRefused(ws, await build(ws, [], [ws.deckDir]));
  });

  it.each(['..md', '...md', 'a\x1b[31mred.md'].map((n) => [JSON.stringify(n), n]))('the file %s given on its own', async (_label, name) => {
    const ws = spaces.make(`file-${name.length}-${name.charCodeAt(1)}`);
    ws.deck(hostileDeck, name);
    const r = await build(ws, [], [join(ws.deckDir, name)]);
    expectEnded(r);
    await expectNoLeak(ws, r);
    if (r.code === 0) expect(builtText(ws)).toContain('MARKER-HOSTILE-BODY');
  });

  it.each(['..md', '...md'].map((n) => [JSON.stringify(n), n]))(
    'decksmith pdf %s with the default output and temp folders',
    async (_label, name) => {
      const ws = spaces.make(`pdf-${name.length}`);
      ws.deck(hostileDeck, name);
      ws.snapshot();
      const r = await run(ws, ['pdf', join('deck', name)]);
      expectEnded(r);
      await expectNoLeak(ws, r);
    },
  );

  it('two decks with the same base name in different folders both survive', async () => {
    const ws = spaces.make('same-base-name');
    ws.write('deck/a/deck.md', '# MARKER-A\n\nMARKER-A-BODY\n');
    ws.write('deck/b/deck.md', '# MARKER-B\n\nMARKER-B-BODY\n');
    const r = await build(ws, [], [join(ws.deckDir, 'a', 'deck.md'), join(ws.deckDir, 'b', 'deck.md')]);
    expectEnded(r);
    await expectNoLeak(ws, r);
    if (r.code === 0) {
      const text = builtText(ws);
      expect(text, 'a deck was replaced by the other').toContain('MARKER-A-BODY');
      expect(text, 'a deck was replaced by the other').toContain('MARKER-B-BODY');
    } else {
      expect(r.stderr).toMatch(/deck\.md/);
    }
  });

  it('an --out inside a file is a clear error, not a crash', async () => {
    const ws = spaces.make('out-is-file');
    ws.deck(normalDeck);
    ws.snapshot();
    const r = await run(ws, ['build', join(ws.deckDir, 'deck.md'), '--out', join(ws.root, 'sentinel.txt', 'x')]);
    expectEnded(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sentinel\.txt/);
    await expectNoLeak(ws, r);
  });
});

const deckWith = ({ front = '', body = '' }: { front?: string; body?: string }): string =>
  `---\ntitle: Names\n${front}---\n\n# MARKER-TITLE\n\nMARKER-BEFORE\n\n---\n\n${body}\n\n## Second\n\nMARKER-AFTER\n`;

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

describe("Object.prototype's names inside a deck", () => {
  const cases: [string, string][] = [
    ...PROTOTYPE_NAMES.map((n): [string, string] => [
      `a code fence with info "${n}"`,
      deckWith({ body: `\`\`\`${n}\nMARKER-CODE\n\`\`\`` }),
    ]),
    [
      'directives named constructor and __proto__',
      deckWith({ body: '<!-- constructor: x -->\n<!-- __proto__: y -->\n<!-- layout: constructor -->\n<!-- transition: __proto__ -->' }),
    ],
    ['front-matter keys __proto__ and constructor', deckWith({ front: '__proto__:\n  title: polluted\nconstructor: x\n' })],
    [
      'themeVars and reveal keys __proto__ and constructor',
      deckWith({ front: 'themeVars:\n  __proto__: red\n  constructor: blue\nreveal:\n  __proto__: 1\n  constructor: 2\n' }),
    ],
    ['theme: constructor, highlightStyle: __proto__', deckWith({ front: 'theme: constructor\nhighlightStyle: __proto__\n' })],
    ['a ::: container named constructor', deckWith({ body: '::: constructor\nMARKER-BOX\n:::\n\n::: __proto__\nMARKER-BOX2\n:::' })],
  ];
  it.each(cases)('%s', async (name, deck) => {
    const ws = spaces.make(`proto-${cases.findIndex((c) => c[0] === name)}`);
    ws.deck(deck);
    const r = await build(ws);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expectNoTextLost(ws, r, ['MARKER-TITLE', 'MARKER-BEFORE', 'MARKER-AFTER', ...(deck.includes('MARKER-CODE') ? ['MARKER-CODE'] : [])]);
  });
});

describe('terminal escapes from a deck are not echoed raw', () => {
  it.each([
    ['an unknown front-matter key holding ESC', deckWith({ front: '"ti\\e[31mtle\\e]0;pwned\\a": x\n' })],
    ['a directive name holding ESC', deckWith({ body: '<!-- \x1b[2J\x1b[31mlayuot: compare -->' })],
    ['a theme: name holding ESC', deckWith({ front: 'theme: "mid\\e[31mnight"\n' })],
    ['an image path holding ESC', deckWith({ body: '![x](gone\x1b[31m.png)' })],
  ])('%s', async (_name, deck) => {
    const ws = spaces.make(`escape-${deck.length}`);
    ws.deck(deck);
    const r = await build(ws);
    expectEnded(r);
    await expectNoLeak(ws, r);
    expectNoTextLost(ws, r, ['MARKER-TITLE', 'MARKER-AFTER']);
  });
});
