/**
 * What `decksmith serve` adds to the pages it serves: the live-reload client, and the page shown
 * while the deck has no good build.
 */
import { escapeHtml, scriptJson } from '../render/index.js';

/**
 * Server-sent events: `build` on connecting (the number of the build on show), `update` after a
 * good build (data: `{"html": bool, "css": [targets], "build": n}`: whether the page changed, the
 * stylesheets that did; when only slide contents changed, also `"from": n, "patch": SlidePatch`,
 * the changed slides of build `from`, see patch.ts), or ahead of the build when only stylesheets
 * were saved (same `build`, `html` false), `failed` with the error text after a bad one.
 */
export const EVENTS_PATH = '/__decksmith/events';
/** sessionStorage key for the position to restore after a reload (when the URL hash cannot). */
const POSITION_KEY = 'decksmith-serve-position';

/**
 * Injected into served pages only; the built file on disk stays untouched.
 *
 * On `update` with a patch the server made from the build this page shows, the page replaces
 * the slides it names in place. Otherwise it fetches the new build and compares it with the build it shows (its own
 * HTML, fetched once at load, before reveal.js touched anything): when only slide contents
 * changed, it replaces those slides in place (no reload, so the slide, fragment and speaker
 * view stay); when a stylesheet changed, it swaps the stylesheet links. Anything else (slides
 * added or removed, a slide's attributes, the head, the scripts) reloads the page, keeping the
 * slide and fragment: from the URL hash when the deck has one (`hash: true`), else from
 * sessionStorage.
 */
export function clientScript(build = 0): string {
  return `<script data-decksmith-build="${build}">
(function () {
  var shownBuild = ${JSON.stringify(String(build))};
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
  function reload() {
    try { if (window.Reveal && Reveal.isReady()) sessionStorage.setItem(key, JSON.stringify(Reveal.getIndices())); } catch (e) {}
    window.location.reload();
  }
  function fetchPage() {
    return fetch(window.location.pathname, { cache: 'no-store' }).then(function (response) {
      if (!response.ok) throw new Error('status ' + response.status);
      return response.text();
    }).then(function (text) { return new DOMParser().parseFromString(text, 'text/html'); });
  }
  function buildOf(doc) {
    var script = doc.querySelector('script[data-decksmith-build]');
    return script === null ? null : script.getAttribute('data-decksmith-build');
  }
  // The build this page shows, as served: what the next build is compared with. Fetched again
  // here, so it may already be a newer build than the page shows: then the next update reloads.
  var shown = null;
  var ready = window.Reveal && document.querySelector('.reveal .slides') !== null
    ? fetchPage().then(function (doc) { if (buildOf(doc) === shownBuild) shown = doc; }, function () {})
    : Promise.resolve();
  var updating = Promise.resolve();

  // Top-level slides and their vertical children, as [section, [children]] pairs.
  function stacks(doc) {
    var slides = doc.querySelector('.reveal .slides');
    if (slides === null) return null;
    var out = [];
    for (var i = 0; i < slides.children.length; i++) {
      var top = slides.children[i];
      if (top.tagName !== 'SECTION') return null;
      var inner = [];
      for (var j = 0; j < top.children.length; j++) if (top.children[j].tagName === 'SECTION') inner.push(top.children[j]);
      out.push([top, inner]);
    }
    return out;
  }
  function attributes(el) {
    var list = [];
    for (var i = 0; i < el.attributes.length; i++) list.push(el.attributes[i].name + '=' + el.attributes[i].value);
    return list.sort().join('\\n');
  }
  // The page without its slides' contents and without stylesheet links: what must not change for a patch.
  function frame(doc) {
    var copy = doc.documentElement.cloneNode(true);
    var slides = copy.querySelector('.reveal .slides');
    if (slides !== null) slides.textContent = '';
    var links = copy.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) links[i].removeAttribute('href');
    var client = copy.querySelector('script[data-decksmith-build]');
    if (client !== null) client.remove();
    return copy.outerHTML;
  }
  function hrefs(doc) {
    return Array.prototype.map.call(doc.querySelectorAll('link[rel="stylesheet"]'), function (l) { return l.getAttribute('href'); }).join('\\n');
  }
  // The slides to replace, as [live, next] pairs; null when the change is more than contents.
  function changedSlides(before, after) {
    var a = stacks(before), b = stacks(after);
    if (a === null || b === null || a.length !== b.length) return null;
    var live = stacks(document);
    if (live === null || live.length !== a.length) return null;
    var pairs = [];
    for (var i = 0; i < a.length; i++) {
      if (a[i][1].length !== b[i][1].length || live[i][1].length !== a[i][1].length) return null;
      if (attributes(a[i][0]) !== attributes(b[i][0])) return null;
      if (a[i][1].length === 0) {
        if (a[i][0].innerHTML !== b[i][0].innerHTML) pairs.push([live[i][0], b[i][0]]);
        continue;
      }
      for (var j = 0; j < a[i][1].length; j++) {
        if (attributes(a[i][1][j]) !== attributes(b[i][1][j])) return null;
        if (a[i][1][j].innerHTML !== b[i][1][j].innerHTML) pairs.push([live[i][1][j], b[i][1][j]]);
      }
    }
    return pairs;
  }
  // targets: the output paths of the stylesheets to load again (as the links write them), or null for all.
  function swapStylesheets(targets) {
    var links = Array.prototype.filter.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
      // The page is served at /: a link's path without its leading slash is its output target.
      return targets === null || targets.indexOf(new URL(link.href).pathname.replace(/^\\//, '')) >= 0;
    });
    var stamp = String(Date.now());
    return Promise.all(links.map(function (link) {
      return new Promise(function (done) {
        var next = link.cloneNode();
        var base = link.href.replace(/[?&]decksmith-v=\\d+$/, '');
        next.href = base + (base.indexOf('?') < 0 ? '?' : '&') + 'decksmith-v=' + stamp;
        next.onload = next.onerror = function () { link.remove(); done(); };
        link.after(next);
      });
    }));
  }
  function settled() {
    var box = document.getElementById('decksmith-error');
    if (box !== null) box.remove();
  }
  // The slides of a page in document order (a stack's slides in place of the stack), when its
  // top-level sections have this shape (0: a slide; n: a stack of n); else null.
  function slidesShaped(doc, shape) {
    var list = stacks(doc);
    if (list === null || list.length !== shape.length) return null;
    var out = [];
    for (var i = 0; i < list.length; i++) {
      if (list[i][1].length !== shape[i]) return null;
      if (shape[i] === 0) out.push(list[i][0]);
      else for (var j = 0; j < shape[i]; j++) out.push(list[i][1][j]);
    }
    return out;
  }
  // The slides the server says changed, with their new contents (patch.ts): applied when this
  // page shows the build the patch was made from, with slides of the same shape. null: it does
  // not, the slower path decides.
  function applyPatch(change) {
    if (shown === null || change.from !== shownBuild) return null;
    var live = slidesShaped(document, change.patch.shape);
    var base = slidesShaped(shown, change.patch.shape);
    var slides = change.patch.slides;
    if (live === null || base === null) return null;
    for (var i = 0; i < slides.length; i++) if (!(slides[i].at < live.length)) return null;
    var at = Reveal.getIndices();
    for (var k = 0; k < slides.length; k++) {
      live[slides[k].at].innerHTML = slides[k].html;
      base[slides[k].at].innerHTML = slides[k].html;
    }
    settled();
    shownBuild = String(change.build);
    // Only the replaced slides need reveal.js's attention (their fragments, background, lazy
    // media): the slides around them and their attributes are as they were. Reveal.sync() would
    // redo every slide, which costs tens of milliseconds on a deck of fifty.
    var refresh = function () {
      if (slides.length === 0) return;
      var current = Reveal.getCurrentSlide();
      var others = false;
      for (var j = 0; j < slides.length; j++) {
        var slide = live[slides[j].at];
        Reveal.syncSlide(slide);
        if (window.decksmithFit) window.decksmithFit(slide);
        if (slide !== current) others = true;
      }
      // Slides off screen get their fragments shown or hidden (past or future) by going to the
      // slide on screen again; when only that slide changed, showing its fragments is enough.
      if (others) Reveal.slide(at.h, at.v, at.f);
      else {
        if (at.f !== undefined) Reveal.navigateFragment(at.f);
        if (current.querySelector('.r-stretch, .stretch') !== null) Reveal.layout();
      }
    };
    // A changed stylesheet may change what fits: fit once it has loaded.
    if (change.css === null || change.css.length > 0) return swapStylesheets(change.css).then(refresh);
    refresh();
    return Promise.resolve();
  }
  function update(change) {
    var patched = change.html && change.patch ? applyPatch(change) : null;
    if (patched !== null) return patched.catch(reload);
    // The page is as it was: only stylesheets to swap, if any.
    if (!change.html && shown !== null) {
      settled();
      shownBuild = String(change.build);
      return swapStylesheets(change.css);
    }
    return fetchPage().then(function (next) {
      if (shown === null || frame(shown) !== frame(next) || hrefs(shown) !== hrefs(next)) return reload();
      var pairs = changedSlides(shown, next);
      if (pairs === null) return reload();
      var at = Reveal.getIndices();
      for (var i = 0; i < pairs.length; i++) {
        pairs[i][0].replaceChildren.apply(pairs[i][0], Array.prototype.map.call(pairs[i][1].childNodes, function (n) { return document.importNode(n, true); }));
      }
      settled();
      shown = next;
      shownBuild = buildOf(next);
      return (change.css === null || change.css.length > 0 ? swapStylesheets(change.css) : Promise.resolve()).then(function () {
        if (pairs.length === 0) return;
        Reveal.sync();
        for (var j = 0; j < pairs.length; j++) if (window.decksmithFit) window.decksmithFit(pairs[j][0]);
        Reveal.slide(at.h, at.v, at.f);
      });
    }).catch(reload);
  }
  function queue(change) {
    updating = updating.then(function () { return ready; }).then(function () { return update(change); });
  }
  var source = new EventSource(${scriptJson(EVENTS_PATH)});
  source.addEventListener('update', function (event) { queue(JSON.parse(event.data)); });
  // Sent on connecting: a build this page has not seen (made while it loaded) is an update too.
  source.addEventListener('build', function (event) {
    if (JSON.parse(event.data) !== shownBuild && document.querySelector('.reveal .slides') !== null) queue({ html: true, css: null });
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
