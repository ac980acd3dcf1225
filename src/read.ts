/** Reading a deck's source: UTF-8 text only, with clear errors for anything else. */
import { readFile, stat } from 'node:fs/promises';
import { InputError } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes as UTF-8 text; binary data and other encodings are an InputError. */
export function decodeSource(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw notText(file, 'it is UTF-16 encoded', 'Save it as UTF-8.');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) throw notText(file, 'it is UTF-16 encoded', 'Save it as UTF-8.');
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notText(file, 'it holds binary data (a NUL byte)', 'Pass a Markdown file.', lineAt(bytes, nul));
  try {
    return decoder.decode(bytes);
  } catch {
    throw notText(file, 'it is not valid UTF-8', 'Save it as UTF-8.', lineAt(bytes, firstInvalid(bytes)));
  }
}

function notText(file: string, why: string, hint: string, line?: number): InputError {
  return new InputError('not-text', `not a UTF-8 text file: ${why}`, { file, line, hint });
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalid(bytes: Uint8Array): number {
  // Binary search for the shortest prefix that fails to decode.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export async function readSource(file: string): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new InputError('input-not-found', `input "${file}" does not exist`, { hint: 'Check the path, or run "decksmith init" to start a talk.' });
  }
  if (!info.isFile()) throw new InputError('input-not-file', `input "${file}" is not a file`);
  return decodeSource(await readFile(file), file);
}
