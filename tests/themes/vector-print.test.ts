/**
 * Slides print as vectors in every theme: Chromium turns what a PDF cannot draw (a blurred
 * shadow, a filter) into a 300 dpi bitmap, which prints soft, weighs more and takes time to
 * make (paper's blurred column shadow once cost 90 ms on a 19-slide deck). A deck without
 * images must print without images, in every layout our themes style.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFName, type PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../src/build/index.js';
import { builtinThemeNames } from '../../src/build/theme.js';
import { exportPdf } from '../../src/export/index.js';
import { tempDir } from '../helpers.js';
import { browserForFile } from '../browser-for-file.js';
import { loadPdf } from '../export/read-pdf.js';

const DECK = `---
title: Vectors
author: Ada Lovelace
footer: Footer text
slideNumber: true
---

<!-- layout: title -->
# Vectors

A subtitle

---

<!-- layout: section -->
# A section

---

<!-- layout: compare -->
## Two sides

### Left

- one
- two

### Right

- three
- four

---

## Table, code, quote

| a | b |
| --- | --- |
| 1 | 2 |
| 3 | 4 |

\`\`\`js
const x = 1;
\`\`\`

> A quotation with \`inline code\`.

---

<!-- layout: quote -->
> Quoted words

Someone

---

<!-- layout: closing -->
# Thanks
`;

const { dir, cleanup } = tempDir('decksmith-vector-print-');
const deck = join(dir, 'vectors.md');
writeFileSync(deck, DECK);
const browser = browserForFile(cleanup);

/**
 * Bitmaps each page draws, by page: image streams anywhere under the page's resources (its
 * XObjects, forms, patterns, and the soft masks in its graphics states, where Chromium puts
 * the bitmap of a blurred shadow).
 */
async function pageImages(file: string): Promise<number[]> {
  const doc = await loadPdf(file);
  const count = (value: PDFObject | undefined, seen: Set<PDFObject>): number => {
    const object = value instanceof PDFRef ? doc.context.lookup(value) : value;
    if (object === undefined || seen.has(object)) return 0;
    seen.add(object);
    if (object instanceof PDFStream) {
      if (object.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Image')) return 1;
      return count(object.dict, seen);
    }
    if (object instanceof PDFDict)
      return object.keys().reduce((sum, key) => (key === PDFName.of('Parent') ? sum : sum + count(object.get(key), seen)), 0);
    if (object instanceof PDFArray) return object.asArray().reduce((sum, item) => sum + count(item, seen), 0);
    return 0;
  };
  return doc.getPages().map((page) => count(page.node.Resources(), new Set()));
}

// decksmith's own themes; reveal.js's draw text shadows as their authors chose.
describe.each(builtinThemeNames())('theme %s printed', (theme) => {
  it('draws every slide as vectors: no bitmaps in a deck without images', async () => {
    const built = await buildDeck(deck, { outDir: join(dir, theme), theme });
    const result = await exportPdf(browser(), built, {
      notes: 'none',
      fragments: 'final',
      timeoutMs: 30_000,
      out: join(dir, `${theme}.pdf`),
    });
    const images = await pageImages(result.file);
    expect(images).toHaveLength(6);
    expect(images.flatMap((n, i) => (n === 0 ? [] : [`page ${i + 1}: ${n} images`]))).toEqual([]);
  });
});
