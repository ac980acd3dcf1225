/** decksmith's library API. Importing it has no side effects. */
export { parseDeck, normalizeSource } from './parse/index.js';
export { renderDeck } from './render/index.js';
export { buildDeck, expandInputs, type BuildOptions } from './build/index.js';
export { loadTemplates } from './build/templates.js';
export { resolveTheme, listThemes } from './build/theme.js';
export * from './errors.js';
export type * from './types.js';
export { LAYOUTS, SLIDE_SIZES, SPLIT_LEVELS, PDF_SIZES, HANDOUT_COUNTS } from './types.js';
