/** Reads a PDF back the way a reader would: pages, text per page, info and outline. */
import { readFile } from 'node:fs/promises';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pageTexts(file: string): Promise<string[]> {
  const data = new Uint8Array(await readFile(file));
  const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false }).promise;
  const texts: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    texts.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await pdf.destroy();
  return texts;
}

export interface OutlineEntry {
  title: string;
  children: OutlineEntry[];
}

/** The bookmark tree, read from the catalog's /Outlines with pdf-lib. */
export function outline(doc: PDFDocument): OutlineEntry[] {
  const lookup = (dict: PDFDict, key: string): PDFDict | undefined => dict.lookupMaybe(PDFName.of(key), PDFDict);
  const level = (first: PDFDict | undefined): OutlineEntry[] => {
    const entries: OutlineEntry[] = [];
    for (let item = first; item !== undefined; item = lookup(item, 'Next')) {
      const title = item.lookup(PDFName.of('Title'));
      const text = title instanceof PDFHexString || title instanceof PDFString ? title.decodeText() : '';
      entries.push({ title: text, children: level(lookup(item, 'First')) });
    }
    return entries;
  };
  const root = lookup(doc.catalog, 'Outlines');
  return root === undefined ? [] : level(lookup(root, 'First'));
}

export async function loadPdf(file: string): Promise<PDFDocument> {
  return PDFDocument.load(await readFile(file), { updateMetadata: false });
}

/** The fonts each page draws with, by PostScript name without the subset tag (`Inter-Regular`). */
export async function pageFonts(file: string): Promise<string[][]> {
  const doc = await loadPdf(file);
  return doc.getPages().map((page) => {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    if (fonts === undefined) return [];
    return fonts.keys().map((key) => {
      const base = fonts.lookup(key, PDFDict).lookup(PDFName.of('BaseFont'));
      return base instanceof PDFName ? base.decodeText().replace(/^[A-Z]{6}\+/, '') : '';
    });
  });
}
