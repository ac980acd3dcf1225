/**
 * Makes pptxgenjs's package reproducible and consistent. pptxgenjs (4.0.1) stamps the current time
 * into docProps/core.xml and every zip entry, adds empty folder entries, and lists in
 * [Content_Types].xml a slide master per slide where only slideMaster1.xml exists (PowerPoint then
 * offers to repair the file). This rewrites the package: the same parts in a fixed order, fixed
 * dates (SOURCE_DATE_EPOCH or 1980-01-01, as for PDFs), and content types naming exactly the
 * parts present, compressed.
 */
import JSZip from 'jszip';
import { reproducibleDate } from '../finish-pdf.js';

/** Content types by file extension, for the `Default` entries of the parts present. */
const EXTENSION_TYPES: Record<string, string> = {
  rels: 'application/vnd.openxmlformats-package.relationships+xml',
  xml: 'application/xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Parts whose type is not their extension's (every XML part but the relationships). */
const PART_TYPES: [RegExp, string][] = [
  [/^ppt\/presentation\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'],
  [/^ppt\/slides\/slide\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.slide+xml'],
  [/^ppt\/slideLayouts\/slideLayout\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml'],
  [/^ppt\/slideMasters\/slideMaster\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml'],
  [/^ppt\/notesMasters\/notesMaster\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml'],
  [/^ppt\/notesSlides\/notesSlide\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml'],
  [/^ppt\/theme\/theme\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.theme+xml'],
  [/^ppt\/presProps\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.presProps+xml'],
  [/^ppt\/viewProps\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml'],
  [/^ppt\/tableStyles\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.tableStyles+xml'],
  [/^ppt\/charts\/chart\d+\.xml$/, 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml'],
  [/^docProps\/core\.xml$/, 'application/vnd.openxmlformats-package.core-properties+xml'],
  [/^docProps\/app\.xml$/, 'application/vnd.openxmlformats-officedocument.extended-properties+xml'],
];

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** [Content_Types].xml for exactly `parts` (zip paths without a leading slash). */
export function contentTypes(parts: readonly string[]): string {
  const extensions = new Set<string>();
  const overrides: string[] = [];
  for (const part of parts) {
    const type = PART_TYPES.find(([pattern]) => pattern.test(part))?.[1];
    if (type !== undefined) {
      overrides.push(`<Override PartName="/${escapeXml(part)}" ContentType="${type}"/>`);
      continue;
    }
    const extension = /\.([^./]+)$/.exec(part)?.[1]?.toLowerCase();
    if (extension !== undefined) extensions.add(extension);
  }
  extensions.add('xml');
  extensions.add('rels');
  const defaults = [...extensions]
    .sort()
    .map((ext) => `<Default Extension="${ext}" ContentType="${EXTENSION_TYPES[ext] ?? 'application/octet-stream'}"/>`);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${defaults.join('')}${overrides.join('')}</Types>`
  );
}

/** Part order: content types and package relationships first, as Office writes them, then by name. */
function partOrder(a: string, b: string): number {
  const rank = (p: string): number => (p === '[Content_Types].xml' ? 0 : p === '_rels/.rels' ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Rewrites pptxgenjs's zip as described above. */
export async function reproduciblePackage(bytes: Uint8Array, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  const input = await JSZip.loadAsync(bytes);
  const date = reproducibleDate(env);
  const stamp = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const parts = new Map<string, Uint8Array>();
  for (const entry of Object.values(input.files)) {
    if (entry.dir || entry.name === '[Content_Types].xml') continue;
    let data = await entry.async('uint8array');
    if (entry.name === 'docProps/core.xml') {
      const xml = Buffer.from(data)
        .toString('utf8')
        .replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g, `$1${stamp}$2`);
      data = Buffer.from(xml, 'utf8');
    }
    parts.set(entry.name, data);
  }
  parts.set('[Content_Types].xml', Buffer.from(contentTypes([...parts.keys()]), 'utf8'));
  const output = new JSZip();
  for (const name of [...parts.keys()].sort(partOrder)) {
    output.file(name, parts.get(name) ?? new Uint8Array(), { date, createFolders: false, binary: true });
  }
  return output.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}
