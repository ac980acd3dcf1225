/**
 * The one Marked configuration both parse and render tokenize with, so a slide is split and
 * rendered from the same tokens. A fresh instance per call: no global marked state.
 */
import { Marked, type MarkedExtension, type MarkedOptions, type Token, type TokenizerExtension, type Tokens } from 'marked';
import { BoundedLexer, positionExtension } from './bounded-lexer.js';
import { unclosedCommentExtension } from './comments.js';
import { containerExtension } from './containers.js';
import { blockMath, inlineMath } from './math.js';

type BlockTokenizer = TokenizerExtension['tokenizer'];
type BlockStart = NonNullable<TokenizerExtension['start']>;

/** The block extensions' tokenizers, in the order marked would try them registered one by one (the last registered first). */
const BLOCK_TOKENIZERS: BlockTokenizer[] = [
  positionExtension.tokenizer,
  unclosedCommentExtension.tokenizer,
  containerExtension.tokenizer,
  blockMath.tokenizer,
];
/** Their `start`s, in marked's order (the first registered first). */
const BLOCK_STARTS: BlockStart[] = [blockMath.start, containerExtension.start].filter((start) => start !== undefined);

/**
 * The block extensions as one: marked calls each block extension at every block (and each
 * `start` at every paragraph) with an object made for the call, so one extension that tries them
 * in marked's order, taking the first token, lexes the same with a quarter of the calls. Their
 * renderers are registered on their own, under their names.
 */
const blockExtensions: TokenizerExtension = {
  name: 'decksmithBlocks',
  level: 'block',
  tokenizer(src, tokens) {
    for (let i = 0; i < BLOCK_TOKENIZERS.length; i++) {
      const token = (BLOCK_TOKENIZERS[i] as BlockTokenizer).call(this, src, tokens);
      if (token) return token;
    }
    return undefined;
  },
  start(src) {
    // As marked takes several: the least non-negative number any of them gives.
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < BLOCK_STARTS.length; i++) {
      const at = (BLOCK_STARTS[i] as BlockStart).call(this, src);
      if (typeof at === 'number' && at >= 0) least = Math.min(least, at);
    }
    return least < Number.POSITIVE_INFINITY ? least : undefined;
  },
};

export function createMarked(...extra: MarkedExtension[]): Marked {
  const marked = new Marked(
    { gfm: true },
    {
      extensions: [
        inlineMath,
        { name: containerExtension.name, renderer: containerExtension.renderer },
        { name: unclosedCommentExtension.name, renderer: unclosedCommentExtension.renderer },
        blockExtensions,
      ],
    },
    // marked.parse() lexes through this hook, marked.lexer() below.
    { hooks: { provideLexer: (block?: boolean) => (block === false ? BoundedLexer.lexInline : BoundedLexer.lex) } },
    ...extra,
  );
  marked.lexer = (src: string, options?: MarkedOptions) => BoundedLexer.lex(src, options ?? marked.defaults);
  return marked;
}

/**
 * Top-level tokens of `src`, and where nesting went past the cap (see bounded-lexer.ts).
 * `links`: link definitions made elsewhere in the document, for a piece lexed on its own.
 */
export function lexDocument(
  src: string,
  options: MarkedOptions = createMarked().defaults,
  links?: BoundedLexer['tokens']['links'],
): { tokens: Token[]; lexer: BoundedLexer } {
  const lexer = new BoundedLexer(options);
  if (links !== undefined) Object.assign(lexer.tokens.links, links);
  return { tokens: lexer.lex(src), lexer };
}

/** Plain text of inline tokens: what a heading says, without its Markdown. */
export function plainText(tokens: readonly Token[] | undefined): string {
  if (tokens === undefined) return '';
  let out = '';
  for (const token of tokens) {
    const children = (token as Tokens.Generic).tokens;
    if (children !== undefined && children.length > 0) out += plainText(children);
    else if (token.type === 'br') out += ' ';
    else if (token.type === 'inlineMath') out += String((token as Tokens.Generic)['text'] ?? '');
    else if (token.type === 'html') continue;
    else if ('text' in token && typeof token.text === 'string') out += decodeEntities(token.text);
  }
  return out.replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ENTITIES[name] ?? '');
}
