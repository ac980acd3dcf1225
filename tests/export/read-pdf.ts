/** Reads a PDF back the way a reader would: pages, text per page, info and outline. */
import { readFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
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

/** A structure element of a tagged PDF: its type (H1, TD…), and the pages its content is drawn on. */
export interface StructElement {
  dict: PDFDict;
  type: string;
  /** 0-based pages of its own /Pg and of its descendants', its own first. */
  pages: Set<number>;
}

/** Every structure element under the StructTreeRoot, in tree order (none for an untagged PDF). */
export function structElements(doc: PDFDocument): StructElement[] {
  const pages = doc.getPages().map((page) => page.ref.toString());
  const elements: StructElement[] = [];
  const seen = new Set<PDFObject>();
  const walk = (value: PDFObject | undefined): Set<number> => {
    const object = value instanceof PDFRef ? doc.context.lookup(value) : value;
    const on = new Set<number>();
    if (object === undefined || seen.has(object)) return on;
    seen.add(object);
    if (object instanceof PDFArray) {
      for (const item of object.asArray()) for (const page of walk(item)) on.add(page);
      return on;
    }
    if (!(object instanceof PDFDict)) return on;
    const pg = object.get(PDFName.of('Pg'));
    if (pg !== undefined && pages.includes(pg.toString())) on.add(pages.indexOf(pg.toString()));
    const type = object.lookup(PDFName.of('S'));
    const element = type instanceof PDFName ? { dict: object, type: type.decodeText(), pages: on } : undefined;
    if (element !== undefined) elements.push(element);
    for (const page of walk(object.get(PDFName.of('K')))) on.add(page);
    return on;
  };
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'));
  if (root instanceof PDFDict) walk(root.get(PDFName.of('K')));
  return elements;
}
