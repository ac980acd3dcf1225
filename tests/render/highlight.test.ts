/**
 * A large deck's code blocks are highlighted on a worker thread while the deck is parsed
 * (prehighlight); the renderer then finds them in its memo. The worker must produce the HTML the
 * renderer would have: same languages, aliases, embedded languages, unknown languages left to it.
 */
import { describe, expect, it } from 'vitest';
import { createHighlighter, fencedCode, forgetHighlights, prehighlight } from '../../src/render/highlight.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveTheme } from '../../src/build/theme.js';
import { resolveRuntime } from '../../src/build/runtime.js';

const SAMPLES: [string, string][] = [
  ['js', 'const a = "x" + 1; // note'],
  ['JS', 'function f(a, b) { return a < b && "s"; }'],
  ['ts', 'interface A { b?: number }\nexport const c: A = {};'],
  ['python', 'def f(x):\n    return [i for i in x if i > 2]  # comment'],
  ['html', '<div class="a"><style>p { color: red }</style><script>let x = 1 < 2;</script></div>'],
  ['markdown', '# Title\n\n- item with `code`\n\n<b>bold</b>'],
  ['css', '.a > b::before { content: "\\201C"; color: #fff }'],
  ['sh', 'echo "$HOME" | grep -v x && ls -la'],
  ['console', '$ npm install\nadded 1 package'],
  ['c++', 'template <class T> int f(T t) { return 0; }'],
  ['yaml', 'a: 1\nb: [x, y]\n# c'],
  ['nosuchlanguage', 'plain <text> & more'],
  ['constructor', 'x'],
  ['mermaid', 'graph TD; A-->B'],
];

function deckOf(run: string): { markdown: string; blocks: [string, string][] } {
  const blocks: [string, string][] = [];
  for (let i = 0; i < 10; i++) for (const [lang, code] of SAMPLES) blocks.push([lang, `${code}\n// ${run} ${i}`]);
  const markdown = blocks.map(([lang, code], i) => `## Slide ${i}\n\n\`\`\`${lang} title="x"\n${code}\n\`\`\`\n`).join('\n---\n\n');
  return { markdown, blocks };
}

describe('prehighlight', () => {
  it('finds the fenced blocks as the lexer reads them', () => {
    const { markdown, blocks } = deckOf('find');
    expect(fencedCode(markdown)).toEqual(blocks);
    // Inside a longer fence, a ``` line is code, not a block of its own.
    expect(fencedCode('````md\n```js\nx\n```\n````\n')).toEqual([['md', '```js\nx\n```']]);
    // Unclosed, or with escapes in the language: not guessed.
    expect(fencedCode('```js\nx\n')).toEqual([]);
    expect(fencedCode('```c\\+\\+\nx\n```\n')).toEqual([]);
  });

  it('fills the memo with what the renderer would have highlighted', async () => {
    const { markdown, blocks } = deckOf(`worker-${Date.now()}`);
    forgetHighlights();
    const direct = blocks.map(([lang, code]) => createHighlighter().highlight(code, lang));
    forgetHighlights();
    // Every block but those of unknown languages (nosuchlanguage, constructor, mermaid).
    expect(await prehighlight(markdown)).toBe(110);
    const viaWorker = blocks.map(([lang, code]) => createHighlighter().highlight(code, lang));
    expect(viaWorker).toEqual(direct);
    expect(direct.filter((html) => html !== undefined).length).toBe(110);
  });

  it('a deck renders to the same HTML with and without it', async () => {
    const { markdown } = deckOf(`deck-${Date.now()}`);
    const deck = parseDeck(markdown, { file: 'deck.md' });
    const context = {
      templates: loadTemplates(),
      theme: resolveTheme(undefined, '.'),
      runtime: resolveRuntime(),
      version: 'test',
      rawHtml: false,
    };
    forgetHighlights();
    const alone = renderDeck(deck, context).html;
    forgetHighlights();
    expect(await prehighlight(markdown)).toBeGreaterThan(100);
    expect(renderDeck(deck, context).html).toBe(alone);
  });

  it('leaves a small deck to the renderer', () => {
    expect(prehighlight('```js\nx\n```\n')).toBeUndefined();
  });
});

describe('highlighting', () => {
  it('does not depend on the blocks before it', () => {
    forgetHighlights();
    const alone = createHighlighter().highlight('$ ls -la\nfile', 'console');
    forgetHighlights();
    const highlighter = createHighlighter();
    highlighter.highlight('ls', 'sh');
    // shell hands its commands to bash: loaded by the block before, it used to be highlighted here.
    expect(highlighter.highlight('$ ls -la\nfile', 'console')).toBe(alone);
  });
});
