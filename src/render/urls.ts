/** URL and HTML-text helpers shared by the renderer. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Links and images may point at http(s), mailto, in-page anchors, relative paths and
 * `data:image/…`; `javascript:`, `vbscript:`, `file:` and `data:text/html` are refused.
 */
export function isSafeUrl(href: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme; so must we.
  const compact = href.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
  if (scheme === undefined) return true;
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto' || scheme === 'tel') return true;
  return scheme === 'data' && compact.startsWith('data:image/') && !compact.startsWith('data:image/svg');
}

/**
 * The file a relative URL names: the query and fragment (an unescaped `?` or `#`) dropped, then
 * each segment decoded, so `img/a%20b%231.svg` is the file `img/a b#1.svg`. A malformed escape is
 * left as written.
 */
export function decodePath(href: string): string {
  const path = href.split(/[?#]/)[0] ?? href;
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}
