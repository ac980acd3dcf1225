/**
 * Output names. A deck's output folder is named after its file, and that name is joined to paths
 * that are later replaced whole, so it must name one ordinary entry of the output folder: never
 * `.` or `..` (a deck file `..md` or `...md`), never a path separator, never a control character.
 */

/** C0/C1 controls and DEL, and the bidirectional overrides that make a name read differently. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\]/g;

/**
 * A folder name for `base` that stays inside the folder it is joined to: unsafe characters become
 * `_`, and a name of dots only (`.`, `..`) becomes as many `_`. The result equals `base` for every
 * ordinary name, so today's output paths do not change.
 */
export function safeOutputName(base: string): string {
  const cleaned = base.replace(UNSAFE, '_');
  if (/^\.*$/.test(cleaned)) return '_'.repeat(Math.max(1, cleaned.length));
  return cleaned;
}

/** Shows a name with its control characters escaped, for messages. */
export function printableName(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}
