/**
 * Text from reports on its way to the editor: C0 control characters (other than
 * tab and newline) and C1 controls become visible symbols, so a report cannot
 * hide text or drive a terminal through a client that prints messages raw, and
 * long text is cut at a bound so one finding cannot flood the wire.
 */

/** Largest diagnostic message, in UTF-16 code units. */
export const MAX_MESSAGE = 4000;
/** Most related locations one diagnostic carries. */
export const MAX_RELATED = 50;

/** `text` with controls made visible and at most `max` code units (plus a note of what was cut). */
export function cleanText(text: string, max = MAX_MESSAGE): string {
  // eslint-disable-next-line no-control-regex
  let clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    // U+2400.. are the Control Pictures: ESC shows as ␛, so the reader sees what was there.
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
  if (clean.length > max) {
    let cut = max;
    // Never split a surrogate pair.
    if (/[\ud800-\udbff]/.test(clean[cut - 1] ?? '')) cut--;
    clean = `${clean.slice(0, cut)}… (${clean.length - cut} more characters)`;
  }
  return clean;
}

/** Largest line or character number LSP allows (a 32-bit unsigned integer read as signed by some clients). */
export const MAX_POSITION = 2 ** 31 - 1;

/** `n` as a valid LSP line or character: an integer in [0, 2^31-1]. */
export function clampPosition(n: number): number {
  if (!Number.isFinite(n)) return n > 0 ? MAX_POSITION : 0;
  return Math.min(Math.max(Math.trunc(n), 0), MAX_POSITION);
}
