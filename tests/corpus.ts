/**
 * The shared corpus of real decks written for other tools (third-party files, read in place,
 * never copied into the repository): $DECKSMITH_CORPUS, else `../shared/corpus` beside this
 * checkout, else the workspace's own copy at /work/shared/corpus (where a clone or worktree
 * elsewhere finds it). A missing corpus fails the tests that read it, with this message.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

function findCorpus(): string {
  const env = process.env['DECKSMITH_CORPUS'];
  const candidates = env !== undefined && env !== '' ? [resolve(env)] : [join(repo, '..', 'shared', 'corpus'), '/work/shared/corpus'];
  const found = candidates.find((dir) => existsSync(join(dir, 'README.md')));
  if (found === undefined) throw new Error(`the shared corpus is not at ${candidates.join(' or ')}; set DECKSMITH_CORPUS to its folder`);
  return found;
}

export const CORPUS = findCorpus();

/** Every deck of the corpus (Markdown files other than README.md and SOURCE.md), sorted. */
export function corpusDecks(): string[] {
  const decks: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md') && name !== 'README.md' && name !== 'SOURCE.md') decks.push(path);
    }
  };
  walk(CORPUS);
  return decks;
}
