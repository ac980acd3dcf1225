/**
 * Vega's SVG made fit to sit inline in a slide next to other figures: an accessible name
 * (`role="img"`, `aria-label`, a `<title>`), and ids that are unique to the figure and the same on
 * every build. Vega numbers its clip paths and gradients with counters that live as long as the
 * process, so the same chart would come out as `clip1` in one build and `clip7` in `serve`'s
 * next; here they are renumbered in order of appearance under the figure's own prefix.
 *
 * Vega's SVG writer escapes `&`, `<` and `>` in text and `"` in attribute values, so every tag
 * below is a real tag and every `id="…"` inside one is an attribute.
 */
import { escapeUTF8 } from 'entities';

/** `id` as a prefix safe inside an XML id and a CSS selector. */
export function idPrefix(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `f${safe}`;
}

export function finishSvg(svg: string, id: string, label: string): string {
  const prefix = idPrefix(id);
  const names = new Map<string, string>();
  const rename = (name: string) => {
    let renamed = names.get(name);
    if (renamed === undefined) {
      renamed = `${prefix}-${names.size + 1}`;
      names.set(name, renamed);
    }
    return renamed;
  };
  // Links are refused (index.ts): Vega still wraps a linked mark in an <a> with no address.
  const unlinked = svg.replace(/<a\b[^>]*>|<\/a>/g, '');
  const renamed = unlinked.replace(/<[^>]+>/g, (tag) =>
    tag
      .replace(/ id="([^"]*)"/g, (_, name: string) => ` id="${rename(name)}"`)
      .replace(/url\(#([^)"]*)\)/g, (_, name: string) => `url(#${rename(name)})`)
      .replace(/ (xlink:)?href="#([^"]*)"/g, (_, ns: string | undefined, name: string) => ` ${ns ?? ''}href="#${rename(name)}"`),
  );
  const name = escapeUTF8(label.replace(/\s+/g, ' ').trim());
  return renamed.replace(/^<svg\b([^>]*)>/, (_, attrs: string) => `<svg${attrs} role="img" aria-label="${name}"><title>${name}</title>`);
}
