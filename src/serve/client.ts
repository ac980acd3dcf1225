/**
 * What `decksmith serve` adds to the pages it serves: the live-reload client, and the page shown
 * while the deck has no good build.
 */
import { escapeHtml, scriptJson } from '../render/index.js';

/** Server-sent events: `reload` after a good build, `failed` with the error text after a bad one. */
export const EVENTS_PATH = '/__decksmith/events';
/** sessionStorage key for the position to restore after a reload (when the URL hash cannot). */
const POSITION_KEY = 'decksmith-serve-position';

/**
 * Injected into served pages only; the built file on disk stays untouched. On `reload` it keeps
 * the slide and fragment: from the URL hash when the deck has one (`hash: true`), else from
 * sessionStorage.
 */
export function clientScript(): string {
  return `<script>
(function () {
  var key = ${scriptJson(POSITION_KEY)};
  var saved = null;
  try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}
  if (saved !== null && window.Reveal) {
    var restore = function () {
      var at = JSON.parse(saved);
      var now = Reveal.getIndices();
      if (now.h !== at.h || now.v !== at.v || now.f !== at.f) Reveal.slide(at.h, at.v, at.f);
    };
    if (Reveal.isReady()) restore(); else Reveal.on('ready', restore);
  }
  var source = new EventSource(${scriptJson(EVENTS_PATH)});
  source.addEventListener('reload', function () {
    try { if (window.Reveal && Reveal.isReady()) sessionStorage.setItem(key, JSON.stringify(Reveal.getIndices())); } catch (e) {}
    window.location.reload();
  });
  source.addEventListener('failed', function (event) {
    var box = document.getElementById('decksmith-error');
    if (box === null) {
      box = document.createElement('pre');
      box.id = 'decksmith-error';
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;margin:0;padding:16px 20px;z-index:9999;background:#3b0d0d;color:#ffd7d7;font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;border-top:4px solid #ff5c5c';
      document.body.appendChild(box);
    }
    box.textContent = JSON.parse(event.data);
  });
})();
</script>`;
}

/** The page while there is no good build: the error, and the client that reloads once it is fixed. */
export function errorPage(file: string, error: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>decksmith: ${escapeHtml(file)} does not build</title>
<style>body{margin:0;padding:32px;background:#1d1f21;color:#e6e6e6;font:16px/1.5 system-ui,sans-serif}h1{font-size:20px;margin:0 0 16px}pre{margin:0;padding:16px 20px;background:#3b0d0d;color:#ffd7d7;font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;border-left:4px solid #ff5c5c}p{color:#a0a0a0}</style>
</head>
<body>
<h1>${escapeHtml(file)} does not build yet</h1>
<pre id="decksmith-error">${escapeHtml(error)}</pre>
<p>Fix the file and save it: this page turns into the deck by itself.</p>
${clientScript()}
</body>
</html>
`;
}
