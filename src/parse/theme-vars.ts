/**
 * The theme variables `themes/base.css` styles every layout with, without the leading `--ds-`:
 * the names `themeVars:` may set. tests/parse/mistakes.test.ts checks this list against
 * base.css, so a variable added there must be added here. (`column-count` and `chrome` are not
 * listed: the compare layout and the slide furniture set them per slide.)
 */
export const THEME_VARIABLES = [
  'accent', 'accent-2', 'accent-fg', 'bg', 'body-weight', 'border', 'bullet', 'chrome-fg', 'code-bg', 'code-border', 'code-fg',
  'fg', 'font-body', 'font-emoji', 'font-heading', 'font-mono', 'font-quote', 'gap', 'heading', 'heading-line-height',
  'heading-tracking', 'heading-transform', 'heading-weight', 'image-radius', 'inline-code-bg', 'inline-code-fg',
  'line-height', 'link', 'mark-bg', 'mark-fg', 'muted', 'pad', 'pad-x', 'quote-bg', 'quote-fg', 'quote-weight',
  'radius', 'rule', 'section-bg', 'section-fg', 'section-rule', 'size-body', 'size-code', 'size-h1', 'size-h2',
  'size-h3', 'size-small', 'strong', 'surface', 'surface-fg', 'title-bg', 'title-fg', 'title-muted',
] as const;
