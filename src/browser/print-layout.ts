/**
 * decksmith's own print layout: the deck's page laid out as one CSS page per slide without
 * running reveal.js. Passed to `page.evaluateOnNewDocument`, so it must be self-contained (no
 * imports, no helpers from outside the function).
 *
 * It stands in for `window.Reveal` before the deck's scripts run (the page's request for
 * reveal.js itself is refused, see `loadPrintView`), so the template's own script runs unchanged:
 * `Reveal.on('pdf-ready')`, then `Reveal.initialize(config)`, then its fit passes. `initialize`
 * builds, in one synchronous pass once the DOM is parsed, the DOM reveal.js's print view builds
 * (html.reveal-print, `.pdf-page` wrappers holding each slide's `.slide-background`, its section,
 * its notes and slide number; one page per fragment step with `pdfSeparateFragments`), so the
 * themes' print rules, reveal.css's print rules and the later layout scripts (`layoutPages`,
 * `layoutHandout`) apply as before. What it skips is everything reveal does for presenting, and
 * the animation frames and whole-deck style passes reveal's print view spends in between.
 * The print options come from the config the template derives from the URL (`printUrl`); the
 * page is always printed with margin 0 and one page per slide.
 *
 * With `holdVeil`, the finished pages stay hidden when `pdf-ready` fires (html[data-ds-veiled]) until
 * the caller runs `window.decksmithShowPages(keep)`: loadPrintView switches the page to print media
 * in between, while no slide has a style to recompute, so the renderer styles the pages once,
 * under print media, and `page.pdf` finds nothing in the media change to restyle.
 */
export function installPrintLayout(holdVeil = false): void {
  type Config = {
    width?: number | string;
    height?: number | string;
    center?: boolean;
    rtl?: boolean;
    transition?: string;
    transitionSpeed?: string;
    backgroundTransition?: string;
    slideNumber?: unknown;
    showSlideNumber?: string;
    showNotes?: boolean | string;
    pdfSeparateFragments?: boolean;
    showHiddenSlides?: boolean;
    display?: string;
  };
  type Rgb = { r: number; g: number; b: number; a?: number };
  const listeners = new Map<string, Array<(event: { type: string }) => void>>();
  let initialized = false;

  // reveal.js's colour parsing and brightness, for the has-dark/light-background classes themes key on.
  const toRgb = (color: string): Rgb | null => {
    const short = color.match(/^#([0-9a-f]{3})$/i)?.[1];
    if (short !== undefined)
      return { r: parseInt(short.charAt(0), 16) * 17, g: parseInt(short.charAt(1), 16) * 17, b: parseInt(short.charAt(2), 16) * 17 };
    const long = color.match(/^#([0-9a-f]{6})$/i)?.[1];
    if (long !== undefined)
      return { r: parseInt(long.slice(0, 2), 16), g: parseInt(long.slice(2, 4), 16), b: parseInt(long.slice(4, 6), 16) };
    const rgb = color.match(/^rgb\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i);
    if (rgb !== null) return { r: parseInt(rgb[1] ?? '0', 10), g: parseInt(rgb[2] ?? '0', 10), b: parseInt(rgb[3] ?? '0', 10) };
    const rgba = color.match(/^rgba\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*([\d]+|[\d]*.[\d]+)\s*\)$/i);
    if (rgba !== null)
      return {
        r: parseInt(rgba[1] ?? '0', 10),
        g: parseInt(rgba[2] ?? '0', 10),
        b: parseInt(rgba[3] ?? '0', 10),
        a: parseFloat(rgba[4] ?? '1'),
      };
    return null;
  };
  const brightness = (rgb: Rgb): number => (rgb.r * 299 + rgb.g * 587 + rgb.b * 114) / 1000;
  const encodeUri = (uri: string): string =>
    encodeURI(uri)
      .replace(/%5B/g, '[')
      .replace(/%5D/g, ']')
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const VIDEO_TYPES: Record<string, string> = {
    mp4: 'video/mp4',
    m4a: 'video/mp4',
    ogv: 'video/ogg',
    mpeg: 'video/mpeg',
    webm: 'video/webm',
  };

  // Fragments grouped by their order, as reveal.js numbers them (it renumbers the attribute).
  const sortFragments = (elements: Iterable<Element>): Element[][] => {
    let ordered: Element[][] = [];
    const unordered: Element[][] = [];
    for (const element of elements) {
      if (element.hasAttribute('data-fragment-index')) {
        const index = parseInt(element.getAttribute('data-fragment-index') ?? '0', 10);
        ordered[index] ??= [];
        ordered[index]?.push(element);
      } else unordered.push([element]);
    }
    ordered = ordered.concat(unordered);
    let index = 0;
    // forEach, like reveal.js: holes (unused indices) are skipped but keep their place.
    ordered.forEach((group) => {
      for (const element of group) element.setAttribute('data-fragment-index', String(index));
      index++;
    });
    return ordered;
  };

  // Starts the deck as reveal.js does for printing; returns the step that builds the print view.
  const layout = (config: Config): (() => void) => {
    const wrapper = document.querySelector<HTMLElement>('.reveal');
    const slidesElement = wrapper?.querySelector<HTMLElement>('.slides') ?? null;
    if (wrapper === null || slidesElement === null) throw new Error('The deck has no .reveal .slides element.');
    const width = Number(config.width ?? 960);
    const height = Number(config.height ?? 700);
    const html = document.documentElement;
    const body = document.body;
    html.classList.add('reveal-full-page');
    body.classList.add('reveal-viewport');
    if (config.showHiddenSlides !== true) {
      for (const hidden of slidesElement.querySelectorAll('section[data-visibility="hidden"]')) {
        const parent = hidden.parentElement;
        if (parent !== null && parent.childElementCount === 1 && /section/i.test(parent.nodeName)) parent.remove();
        else hidden.remove();
      }
    }
    const horizontal = [...slidesElement.querySelectorAll<HTMLElement>(':scope > section')];
    const slides = [...slidesElement.querySelectorAll<HTMLElement>('section')];
    let vertical = false;
    for (const section of horizontal) {
      if (section.querySelector('section') === null) continue;
      section.classList.add('stack');
      vertical = true;
    }
    wrapper.setAttribute('role', 'application');
    wrapper.classList.add(config.transition ?? 'slide', 'focused');
    if (config.center === true) wrapper.classList.add('center');
    if (config.rtl === true) wrapper.classList.add('rtl');
    if (horizontal.length > 1) wrapper.classList.add('has-horizontal-slides');
    if (vertical) wrapper.classList.add('has-vertical-slides');
    wrapper.classList.add('ready');
    wrapper.setAttribute('data-transition-speed', config.transitionSpeed ?? 'default');
    wrapper.setAttribute('data-background-transition', config.backgroundTransition ?? 'fade');
    body.style.setProperty('--slide-width', `${width}px`);
    body.style.setProperty('--slide-height', `${height}px`);

    // Slide backgrounds, made as reveal.js makes them: each copies its slide's classes, and the
    // first of each row is `present`, the rest `future` (what themes see in the print view).
    const backgroundsElement = document.createElement('div');
    backgroundsElement.className = 'backgrounds';
    wrapper.appendChild(backgroundsElement);
    const backgrounds = new Map<HTMLElement, { element: HTMLElement; content: HTMLElement }>();
    const createBackground = (section: HTMLElement, parent: HTMLElement): HTMLElement => {
      const element = document.createElement('div');
      element.className = `slide-background ${section.className.replace(/present|past|future/, '')}`;
      const content = document.createElement('div');
      content.className = 'slide-background-content';
      element.appendChild(content);
      parent.appendChild(element);
      const attr = (name: string): string | null => section.getAttribute(name);
      const background = attr('data-background');
      if (background !== null && background !== '') {
        if (/^(http|file|\/\/)/i.test(background) || /\.(svg|png|jpg|jpeg|gif|bmp|webp)([?#\s]|$)/i.test(background))
          section.setAttribute('data-background-image', background);
        else element.style.background = background;
      }
      const size = attr('data-background-size');
      const color = attr('data-background-color');
      const gradient = attr('data-background-gradient');
      if (size) element.setAttribute('data-background-size', size);
      if (color) element.style.backgroundColor = color;
      if (gradient) element.style.backgroundImage = gradient;
      const transition = attr('data-background-transition');
      if (transition) element.setAttribute('data-background-transition', transition);
      if (section.hasAttribute('data-preload')) element.setAttribute('data-preload', '');
      if (size) content.style.backgroundSize = size;
      const repeat = attr('data-background-repeat');
      if (repeat) content.style.backgroundRepeat = repeat;
      const position = attr('data-background-position');
      if (position) content.style.backgroundPosition = position;
      const opacity = attr('data-background-opacity');
      if (opacity) content.style.opacity = opacity;
      backgrounds.set(section, { element, content });
      return element;
    };
    for (const section of horizontal) {
      const row = createBackground(section, backgroundsElement);
      const inner = [...section.querySelectorAll<HTMLElement>('section')];
      for (const child of inner) createBackground(child, row);
      if (inner.length > 0) row.classList.add('stack');
      row.classList.add(row === backgroundsElement.firstElementChild ? 'present' : 'future');
      inner.forEach((child, i) => {
        backgrounds.get(child)?.element.classList.add(i === 0 ? 'present' : 'future');
      });
    }
    // The has-dark/light-background classes are read in the print view (see `contrast` there),
    // in the same style pass as the page background: this step only writes to the DOM.

    // Every slide stays visible to assistive technology (reveal.js hides all but the current one
    // while presenting): Chromium tags only what assistive technology sees, so each page of the
    // PDF gets the structure of its slide (headings, lists, tables) for a screen reader.

    // Content reveal.js loads lazily: every slide's is loaded in its print view.
    for (const section of slides) {
      section.classList.add('present');
      const display = config.display ?? 'block';
      if (display.includes('!important'))
        section.style.setProperty('display', display.replace(/\s*!important\s*$/, '').trim(), 'important');
      else section.style.display = display;
      for (const media of section.querySelectorAll('img[data-src], video[data-src], audio[data-src], iframe[data-src]')) {
        if (media.tagName === 'IFRAME' && !media.hasAttribute('data-preload')) continue;
        media.setAttribute('src', media.getAttribute('data-src') ?? '');
        media.setAttribute('data-lazy-loaded', '');
        media.removeAttribute('data-src');
      }
      for (const media of section.querySelectorAll<HTMLMediaElement>('video, audio')) {
        let sources = 0;
        for (const source of media.querySelectorAll('source[data-src]')) {
          source.setAttribute('src', source.getAttribute('data-src') ?? '');
          source.removeAttribute('data-src');
          source.setAttribute('data-lazy-loaded', '');
          sources++;
        }
        if (sources > 0) media.load();
      }
      const background = backgrounds.get(section);
      if (background === undefined) continue;
      background.element.style.display = 'block';
      background.element.setAttribute('data-loaded', 'true');
      const image = section.getAttribute('data-background-image');
      const video = section.getAttribute('data-background-video');
      const iframe = section.getAttribute('data-background-iframe');
      if (image) {
        background.content.style.backgroundImage = /^data:/.test(image.trim())
          ? `url(${image.trim()})`
          : image
              .split(',')
              .map((part) => `url(${encodeUri(decodeURI(part.trim()))})`)
              .join(',');
      } else if (video) {
        const element = document.createElement('video');
        if (section.hasAttribute('data-background-video-loop')) element.setAttribute('loop', '');
        if (section.hasAttribute('data-background-video-muted')) element.muted = true;
        for (const src of video.split(',')) {
          const source = document.createElement('source');
          source.setAttribute('src', src);
          const type = VIDEO_TYPES[src.split('.').pop() ?? ''];
          if (type !== undefined) source.setAttribute('type', type);
          element.appendChild(source);
        }
        background.content.appendChild(element);
      } else if (iframe) {
        const element = document.createElement('iframe');
        element.setAttribute('data-src', iframe);
        Object.assign(element.style, { width: '100%', height: '100%', maxHeight: '100%', maxWidth: '100%' });
        background.content.appendChild(element);
      }
    }
    // Before the print view: fragments numbered per slide, as reveal.js does when it starts.
    for (const section of horizontal) {
      const inner = [...section.querySelectorAll('section')];
      if (inner.length === 0) sortFragments(section.querySelectorAll('.fragment'));
      for (const child of inner) sortFragments(child.querySelectorAll('.fragment'));
    }

    // Contrast classes, read once every background exists (one style pass for all of them); with
    // the print classes already on <html> when the print view calls it, so that pass is the one
    // the pages are styled in. Only inline styles colour a .slide-background here (reveal.css
    // makes it transparent in both views), so its colour is the one reveal.js read.
    const contrast = (): Map<HTMLElement, string> => {
      const names = new Map<HTMLElement, string>();
      for (const [section, { element }] of backgrounds) {
        let color = section.getAttribute('data-background-color');
        if (color === null || color === '' || toRgb(color) === null) color = getComputedStyle(element).backgroundColor || color;
        const rgb = color === null || color === '' ? null : toRgb(color);
        if (rgb !== null && rgb.a !== 0) names.set(section, brightness(rgb) < 128 ? 'has-dark-background' : 'has-light-background');
      }
      return names;
    };

    // The print view proper (reveal.js's, at margin 0 and one page per slide). It writes the
    // whole view before it reads a style, so the renderer styles the document once for it.
    return () => {
      const addStyle = (css: string): void => {
        const style = document.createElement('style');
        style.textContent = css;
        document.head.appendChild(style);
      };
      addStyle(`@page{size:${Math.floor(width)}px ${Math.floor(height)}px; margin: 0px;}`);
      addStyle(`.reveal section>img, .reveal section>video, .reveal section>iframe{max-width: ${width}px; max-height:${height}px}`);
      html.classList.add('reveal-print', 'print-pdf');
      body.style.width = `${Math.floor(width)}px`;
      body.style.height = `${Math.floor(height)}px`;
      const centered = (section: HTMLElement): boolean => config.center === true || section.classList.contains('center');
      // Heights only where they place a slide (centred ones): reading them lays every slide out.
      const heights = slides.map((section) => (centered(section) ? section.scrollHeight : 0));
      const numbers = Boolean(config.slideNumber) && /all|print/i.test(config.showSlideNumber ?? 'all');
      const pages: HTMLElement[] = [];
      // Each .pdf-page (fragment steps' copies too) and the slide it shows, for what is read later.
      const slidePages: Array<{ page: HTMLElement; section: HTMLElement; original: HTMLElement }> = [];
      let number = 1;
      slides.forEach((section, index) => {
        if (section.classList.contains('stack')) return;
        const page = document.createElement('div');
        pages.push(page);
        page.className = 'pdf-page';
        // reveal.js's pdfPageHeightOffset (-1): a page a pixel short never spills onto a second sheet.
        page.style.height = `${Math.floor(height) - 1}px`;
        slidePages.push({ page, section, original: section });
        page.appendChild(section);
        section.style.left = '0px';
        section.style.top = `${centered(section) ? Math.max((Math.floor(height) - (heights[index] ?? 0)) / 2, 0) : 0}px`;
        section.style.width = `${width}px`;
        const background = backgrounds.get(section);
        if (background !== undefined) page.insertBefore(background.element, section);
        if (config.showNotes) {
          const notes = section.hasAttribute('data-notes')
            ? (section.getAttribute('data-notes') ?? '')
            : [...section.querySelectorAll('aside.notes')].map((aside) => aside.innerHTML).join('\n');
          if (notes) {
            const layoutName = typeof config.showNotes === 'string' ? config.showNotes : 'inline';
            const box = document.createElement('div');
            box.classList.add('speaker-notes', 'speaker-notes-pdf');
            box.setAttribute('data-layout', layoutName);
            box.innerHTML = notes;
            if (layoutName === 'separate-page') pages.push(box);
            else {
              box.style.left = '8px';
              box.style.bottom = '8px';
              box.style.width = `${Math.floor(width) - 16}px`;
              page.appendChild(box);
            }
          }
        }
        if (numbers) {
          const element = document.createElement('div');
          element.classList.add('slide-number', 'slide-number-pdf');
          element.innerHTML = String(number++);
          page.appendChild(element);
        }
        if (config.pdfSeparateFragments === true) {
          const groups = sortFragments(page.querySelectorAll('.fragment'));
          let previous: Element[] | undefined;
          groups.forEach((group, i) => {
            if (previous !== undefined) for (const element of previous) element.classList.remove('current-fragment');
            for (const element of group) element.classList.add('visible', 'current-fragment');
            const clone = page.cloneNode(true) as HTMLElement;
            const copy = clone.querySelector<HTMLElement>(':scope > section');
            if (copy !== null) slidePages.push({ page: clone, section: copy, original: section });
            if (numbers) {
              const numberElement = clone.querySelector('.slide-number-pdf');
              if (numberElement !== null) numberElement.innerHTML += `.${i + 1}`;
            }
            pages.push(clone);
            previous = group;
          });
          for (const group of groups) for (const element of group ?? []) element.classList.remove('visible', 'current-fragment');
        } else {
          // The final state, the slide after its last step: every fragment has had its step, so a
          // fade-out one (a Slidev v-click-hide) is gone. reveal.js's print view leaves those shown.
          for (const element of page.querySelectorAll('.fragment')) element.classList.add('visible');
        }
      });
      slidesElement.append(...pages);
      // The reads, after every write: one style pass. Then the writes they decide, which restyle
      // only the pages (an inline background) and the few slides with a contrast class.
      const viewportBackground = getComputedStyle(body).background;
      const names = contrast();
      // Before `present`, where reveal.js puts them: the same class lists as under reveal.js.
      const addContrast = (section: HTMLElement, name: string): void => {
        const present = section.classList.contains('present');
        if (present) section.classList.remove('present');
        section.classList.add(name);
        if (present) section.classList.add('present');
      };
      for (const { page, section, original } of slidePages) {
        if (viewportBackground) page.style.background = viewportBackground;
        const name = names.get(original);
        if (name !== undefined && section !== original) addContrast(section, name);
      }
      for (const [section, name] of names) addContrast(section, name);
    };
  };

  const hasCentredSlides = (config: Config): boolean =>
    config.center === true || document.querySelector('.reveal .slides section.center') !== null;

  // Builds the print view with the deck hidden, loads the web fonts its text needs, then shows
  // it: the renderer's first style and layout pass is of the finished pages in their final fonts
  // (a font that arrives after the first layout lays the text out again). Which faces: those of
  // the deck's @font-face rules whose unicode-range covers a character of its text; a face that
  // is not used costs a file read and is never drawn, and one missed still loads when laid out.
  const addVeil = (): HTMLStyleElement => {
    const veil = document.createElement('style');
    veil.textContent = '.reveal{display:none!important}';
    document.head.appendChild(veil);
    return veil;
  };
  // Lifts the veil now, or (holdVeil) leaves that to the caller once the media has changed.
  const showPages = (veil: HTMLStyleElement): void => {
    if (!holdVeil) {
      veil.remove();
      return;
    }
    const html = document.documentElement;
    // `keep` (reading-order slide indices): the pages of other slides are dropped before they
    // are ever styled, as layoutPages would drop them after (half of a deck printed in two tabs);
    // a notes page goes with the slide page before it. The pages of `blank` slides stay, emptied:
    // they hold the kept pages at the offsets they have when the whole deck prints (Skia's
    // coordinates lose precision deep in a long document; the same offsets, the same pixels),
    // and cost next to nothing to lay out. They are not printed (page.pdf's pageRanges).
    const show = (keep?: number[] | null, blank?: number[] | null): void => {
      if (keep !== undefined && keep !== null) {
        const kept = new Set(keep);
        const emptied = new Set(blank ?? []);
        let current = -1;
        const container = document.querySelector('.reveal .slides');
        for (const element of [...(container?.children ?? [])] as HTMLElement[]) {
          const isPage = element.classList.contains('pdf-page');
          if (!isPage && !element.classList.contains('speaker-notes-pdf')) continue;
          if (isPage) current = Number(element.querySelector<HTMLElement>('section[data-ds-index]')?.dataset['dsIndex'] ?? current + 1);
          if (kept.has(current)) continue;
          if (!emptied.has(current)) {
            element.remove();
            continue;
          }
          // Kept empty, with what layoutPages reads to place it: its slide's index.
          element.replaceChildren();
          if (isPage) {
            const marker = document.createElement('section');
            marker.dataset['dsIndex'] = String(current);
            marker.hidden = true;
            element.append(marker);
          }
        }
      }
      veil.remove();
      delete html.dataset['dsVeiled'];
    };
    Object.defineProperty(window, 'decksmithShowPages', { value: show, writable: false, configurable: true });
    html.dataset['dsVeiled'] = '';
  };

  const printOnce = (printView: () => void): Promise<void> => {
    const veil = addVeil();
    printView();
    const used = new Set<number>();
    for (const ch of document.body.textContent ?? '') used.add(ch.codePointAt(0) ?? 0);
    const covers = (range: string): boolean =>
      range.split(',').some((part) => {
        const m = part.trim().match(/^u\+([0-9a-f?]+)(?:-([0-9a-f]+))?$/i);
        if (m === null) return true;
        const first = m[1] ?? '0';
        const lo = parseInt(first.replace(/\?/g, '0'), 16);
        const hi = m[2] !== undefined ? parseInt(m[2], 16) : parseInt(first.replace(/\?/g, 'f'), 16);
        for (const code of used) if (code >= lo && code <= hi) return true;
        return false;
      });
    const loads: Promise<unknown>[] = [];
    document.fonts.forEach((face) => {
      // Loading too: a frame before DOMContentLoaded (the parser yields on a busy machine) may have
      // asked for a face already; load() then waits for that same load.
      if (face.status !== 'loaded' && covers(face.unicodeRange)) loads.push(face.load().catch(() => undefined));
    });
    return Promise.all(loads).then(() => {
      showPages(veil);
    });
  };

  const fire = (type: string): void => {
    for (const listener of listeners.get(type) ?? []) listener({ type });
  };
  const Reveal = {
    on(type: string, listener: (event: { type: string }) => void): void {
      const list = listeners.get(type) ?? [];
      list.push(listener);
      listeners.set(type, list);
    },
    off(type: string, listener: (event: { type: string }) => void): void {
      listeners.set(
        type,
        (listeners.get(type) ?? []).filter((l) => l !== listener),
      );
    },
    initialize(config: Config = {}): Promise<void> {
      if (initialized) return Promise.reject(new Error('Reveal.js has already been initialized.'));
      initialized = true;
      return new Promise<void>((resolve, reject) => {
        const run = (): void => {
          let printView: () => void;
          let early: Promise<void> | undefined;
          try {
            printView = layout(config);
            // A deck with nothing to fit (no <!-- fit -->, no fitted heading, no slide to centre
            // by its height) gets its print view at once: the template's fit passes then find
            // nothing to do, and the renderer styles and lays the deck out once, as pages,
            // instead of once as slides and again as pages.
            if (document.querySelector('section[data-ds-fit], .ds-fit-heading') === null && !hasCentredSlides(config)) {
              early = printOnce(printView);
              printView = () => undefined;
            }
          } catch (error) {
            reject(error);
            return;
          }
          // reveal.js is ready (and the template fits its slides, then sets html[data-ready])
          // before its print view is built: the same order here, so <!-- fit --> measures the
          // slides as it did under reveal.js, and the pages are built from fitted slides.
          const observer = new MutationObserver(() => {
            if (document.documentElement.dataset['ready'] !== 'true') return;
            observer.disconnect();
            printView();
            // The fitted deck's pages, built from slides laid out on screen: hidden for the
            // media change as well (after printView, whose reads need them shown).
            if (early === undefined && holdVeil) showPages(addVeil());
            if (early === undefined) fire('pdf-ready');
            else void early.then(() => fire('pdf-ready'));
          });
          observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-ready'] });
          fire('ready');
          resolve();
        };
        // The template calls this from the end of <body>: the slides are parsed, but the
        // DOMContentLoaded listeners (which number the slides) have not run yet.
        if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
        else run();
      });
    },
    isPrintView: (): boolean => true,
  };
  // Fixed, so a reveal.js the page still manages to run (a --single-file deck inlines it) cannot
  // replace it.
  Object.defineProperty(window, 'Reveal', { value: Object.freeze(Reveal), writable: false, configurable: false });
}
