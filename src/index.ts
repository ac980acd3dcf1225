/** decksmith's library API. Importing it has no side effects. */
export { parseDeck, normalizeSource } from './parse/index.js';
export { renderDeck } from './render/index.js';
export { buildDeck, expandInputs, type BuildOptions } from './build.js';
export { loadTemplates } from './theme/templates.js';
export { resolveTheme, listThemes } from './theme/resolve.js';
export * from './errors.js';
export type * from './types.js';
export { LAYOUTS, SLIDE_SIZES, SPLIT_LEVELS, PDF_SIZES, HANDOUT_COUNTS } from './types.js';
