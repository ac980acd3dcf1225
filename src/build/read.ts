/** Reading a deck's source: UTF-8 text only, with clear errors for anything else. */
import { InputError } from '../errors.js';
import { describeSize, readRegularFile, RefusedFile, SIZE_CAPS } from './files.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes as UTF-8 text; binary data and other encodings are an InputError. */
export function decodeSource(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw notText(file, 'it is UTF-16 encoded', 'Save it as UTF-8.');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) throw notText(file, 'it is UTF-16 encoded', 'Save it as UTF-8.');
  const utf16 = utf16WithoutBom(bytes);
  if (utf16 !== undefined) throw notText(file, `it is UTF-16 (${utf16}) encoded, without a byte order mark`, 'Save it as UTF-8.');
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notText(file, 'it holds binary data (a NUL byte)', 'Pass a Markdown file.', lineAt(bytes, nul));
  try {
    return decoder.decode(bytes);
  } catch {
    throw notText(file, 'it is not valid UTF-8', 'Save it as UTF-8.', lineAt(bytes, firstInvalid(bytes)));
  }
}

/**
 * Text saved as UTF-16 without a byte order mark: most of its characters are ASCII, so every
 * other byte is NUL: the odd ones for little-endian, the even ones for big-endian. Binary data
 * has NULs too, but not in one position of nearly every pair.
 */
function utf16WithoutBom(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) even++;
    if (bytes[2 * i + 1] === 0) odd++;
  }
  if (odd >= pairs * 0.6 && even <= pairs * 0.05) return 'LE';
  if (even >= pairs * 0.6 && odd <= pairs * 0.05) return 'BE';
  return undefined;
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

/**
 * The deck's text. Only a regular file of at most SIZE_CAPS.deck is read: a FIFO or a device
 * given as the deck (or a folder's `x.md` that is one) is refused without blocking.
 */
export async function readSource(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, SIZE_CAPS.deck);
  } catch (error) {
    if (!(error instanceof RefusedFile)) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new InputError(
        'input-unreadable',
        `cannot read input "${file}": ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message}`,
        { cause: error },
      );
    }
    const { refusal } = error;
    if (refusal.reason === 'missing') {
      throw new InputError('input-not-found', `input "${file}" does not exist`, {
        hint: 'Check the path, or run "decksmith init" to start a talk.',
      });
    }
    if (refusal.reason === 'too-large') {
      throw new InputError('input-too-large', `input "${file}" is ${refusal.detail}`, {
        hint: `A deck's Markdown may be at most ${describeSize(SIZE_CAPS.deck)}; split it into several decks.`,
      });
    }
    throw new InputError('input-not-file', `input "${file}" is ${refusal.detail}`, { hint: 'Pass a Markdown file.' });
  }
  return decodeSource(bytes, file);
}
