/**
 * Page functions (passed to `page.evaluate`, so self-contained) that let one loaded print view
 * print a slides PDF and then a handout: the state before the slides PDF's layout is kept, and
 * put back before the handout's layout runs, so the handout is laid out from the very DOM a fresh
 * load would give it.
 */

/** The print view's mutable state that `layoutPages` changes when it only sizes the pages. */
export interface PrintViewSnapshot {
  /** Each page of `.reveal .slides` with its `style` attribute. */
  pages: [Element, string | null][];
  /** The children of <head> (layoutPages appends a style sheet). */
  head: Element[];
  bodyStyle: string | null;
}

export function snapshotPrintView(): PrintViewSnapshot {
  const container = document.querySelector('.reveal .slides');
  const pages = container === null ? [] : [...container.children].map((el): [Element, string | null] => [el, el.getAttribute('style')]);
  return { pages, head: [...document.head.children], bodyStyle: document.body.getAttribute('style') };
}

export function restorePrintView(snapshot: PrintViewSnapshot): void {
  const put = (element: Element, style: string | null): void => {
    if (style === null) element.removeAttribute('style');
    else element.setAttribute('style', style);
  };
  for (const [element, style] of snapshot.pages) put(element, style);
  for (const element of [...document.head.children]) if (!snapshot.head.includes(element)) element.remove();
  put(document.body, snapshot.bodyStyle);
}
