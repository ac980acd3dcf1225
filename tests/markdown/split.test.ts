/**
 * Lexing a deck in two parts (src/markdown/split.ts) gives what lexing it whole gives: the whole
 * slide model (tokens, positions, notes, diagnostics) and the HTML, for every deck of the shared
 * corpus, the content decks, the fixtures and a bench-like deck, cut at every place the cut may
 * be made; and a cut that would change anything (a fence, an HTML block, a comment, a `:::`
 * block or display math open across it, link definitions on either side) is refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMarked, lexDocument } from '../../src/markdown/lexer.js';
import { locate, textPlace } from '../../src/markdown/positions.js';
import { chooseCut, cutCandidates, lexBody, localTail, SPLIT_MIN_CHARS } from '../../src/markdown/split.js';
import { parseDeck } from '../../src/parse/index.js';
import { renderDeck } from '../../src/render/index.js';
import { resolveTheme } from '../../src/build/theme.js';
import { loadTemplates } from '../../src/build/templates.js';
import { resolveRuntime } from '../../src/build/runtime.js';
import { corpusDecks } from '../corpus.js';

const repo = resolve(import.meta.dirname, '../..');
const context = { templates: loadTemplates(), theme: resolveTheme('paper', '.'), runtime: resolveRuntime(), version: '0.0.0-test' };

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return markdownFiles(path);
      return name.endsWith('.md') ? [path] : [];
    });
}

/** A deck like bench/run.mjs writes: headings, lists, tables, code and notes on every slide. */
function benchDeck(slides: number): string {
  const parts = ['---\ntitle: Bench\n---\n\n# Part 1\n\nA section opener.\n\nNote: Introduce it.\n'];
  for (let i = 2; i <= slides; i++) {
    parts.push(
      `## Slide ${i}: where the time goes\n\n- First point with **bold** and \`code\`\n- Second with a [link](https://example.com) and *emphasis*\n\n| Metric | Value |\n| --- | --- |\n| slide | ${i} |\n\n\`\`\`js\nconst slide = ${i};\n\`\`\`\n\nNote: Say why slide ${i} matters.\n`,
    );
  }
  return parts.join('\n---\n\n');
}

/** At most `n` candidates, spread over the deck (every one when there are fewer). */
function spread(candidates: number[], n: number): number[] {
  if (candidates.length <= n) return candidates;
  return Array.from({ length: n }, (_, i) => candidates[Math.floor((i * candidates.length) / n)] as number);
}

const options = { file: 'deck.md' };

/** Parses `source` whole and cut at `at`: both decks, and whether the cut was taken. */
function bothWays(source: string, at: number) {
  let taken = false;
  const local = localTail(source, at);
  const tail = {
    ...local,
    take: () => {
      taken = true;
      return local.take();
    },
  };
  return { whole: parseDeck(source, options), cut: parseDeck(source, { ...options, tail }), taken: () => taken };
}

describe('lexing in two parts', () => {
  const decks = [...corpusDecks(), ...markdownFiles(join(repo, 'content')), ...markdownFiles(join(repo, 'tests/fixtures'))].map((path) => ({
    name: path,
    source: readFileSync(path, 'utf8'),
  }));
  decks.push({ name: 'bench-like, 120 slides', source: benchDeck(120) });

  it('gives every deck the same slide model and HTML at every place it may be cut', () => {
    let cuts = 0;
    let taken = 0;
    for (const { name, source } of decks) {
      let whole: ReturnType<typeof parseDeck>;
      try {
        whole = parseDeck(source, options);
      } catch (error) {
        // A deck parse refuses (invalid front matter) is refused alike when cut.
        for (const at of spread(cutCandidates(source), 3)) expect(() => bothWays(source, at)).toThrow((error as Error).message);
        continue;
      }
      const html = renderDeck(whole, context).html;
      for (const at of spread(cutCandidates(source), 8)) {
        const { cut, taken: wasTaken } = bothWays(source, at);
        cuts++;
        if (wasTaken()) taken++;
        expect(cut, `${name} cut at ${at}`).toStrictEqual(whole);
        expect(renderDeck(cut, context).html, `${name} cut at ${at}`).toBe(html);
      }
    }
    // Most candidates are safe cuts: the comparison above is of decks really lexed in two parts.
    expect(cuts).toBeGreaterThan(300);
    expect(taken).toBeGreaterThan(cuts / 2);
  }, 240_000);

  it('cuts a large plain deck past its middle, and lexes the parts to the same tokens', () => {
    const source = benchDeck(400);
    expect(source.length).toBeGreaterThan(SPLIT_MIN_CHARS);
    const at = chooseCut(source);
    expect(at).toBeDefined();
    expect(at).toBeGreaterThan(source.length / 2);
    const body = source.slice(source.indexOf('---\n', 4) + 4);
    const place = textPlace(body, 4);
    const markedOptions = createMarked().defaults;
    const whole = lexDocument(body, markedOptions).tokens;
    locate(whole, body, place);
    const split = lexBody(body, markedOptions, place, localTail(source, at ?? 0));
    expect(split.split).toBe(true);
    expect([...split.tokens]).toStrictEqual([...whole]);
  });

  it('does not cut a small deck, one with carriage returns, or one with link definitions', () => {
    expect(chooseCut(benchDeck(20))).toBeUndefined();
    expect(chooseCut(benchDeck(400).replaceAll('\n', '\r\n'))).toBeUndefined();
    expect(chooseCut(`${benchDeck(400)}\n[ref]: https://example.com\n`)).toBeUndefined();
    expect(chooseCut(`${benchDeck(200)}\n$$\nx\n$$\n\n---\n\n${benchDeck(200)}`)).toBeUndefined();
  });

  /** A deck cut at the line after `marker`'s `---`: whole and cut agree, and the cut was refused. */
  function refused(source: string, hostile = true) {
    const at = source.indexOf('\n---\n\nAFTER') + 6;
    expect(cutCandidates(source)).toContain(at);
    const { whole, cut } = bothWays(source, at);
    expect(cut).toStrictEqual(whole);
    expect(renderDeck(cut, context).html).toBe(renderDeck(whole, context).html);
    expect(lexBody(source, createMarked().defaults, textPlace(source, 1), localTail(source, at)).split).toBe(false);
    if (!hostile) return;
    // The cut is hostile: lexing the two parts apart reads the deck otherwise.
    const naive = [...lexDocument(source.slice(0, at)).tokens, ...lexDocument(source.slice(at)).tokens];
    expect(JSON.stringify(naive)).not.toBe(JSON.stringify([...lexDocument(source).tokens]));
  }

  it('refuses a cut inside a fenced code block, whatever its fence', () => {
    refused('# A\n\n````md\n```\n\n---\n\nAFTER\n```\n````\n\n---\n\n# B\n');
    refused('# A\n\n~~~\n\n---\n\nAFTER\n~~~\n');
  });

  it('refuses a cut inside an HTML block that runs past blank lines', () => {
    refused('# A\n\n<pre>\n\n---\n\nAFTER\n</pre>\n');
    refused('# A\n\n<script>\nlet a = 1;\n\n---\n\nAFTER = 2;\n</script>\n');
    refused('# A\n\n<!-- hidden slides\n\n---\n\nAFTER\n\n-->\n\n# B\n');
  });

  it('refuses a cut inside a ::: block or display math, and after a setext heading', () => {
    refused('# A\n\n::: columns\n\ntext\n\n---\n\nAFTER\n\n:::\n');
    refused('# A\n\n$$\nx\n\n---\n\nAFTER\n$$\n');
    refused('# A\n\ntext\n---\n\nAFTER\n', false);
  });

  it('refuses a cut when link definitions on either side apply across it', () => {
    refused('# A\n\n[site]: https://example.com\n\n---\n\nAFTER [site]\n');
    refused('# A\n\nSee [site].\n\n---\n\nAFTER\n\n[site]: https://example.com\n');
  });

  it('refuses a cut after a link left open by raw HTML', () => {
    refused('# A\n\n<a href="x">open\n\n---\n\nAFTER https://example.com\n');
  });
});
