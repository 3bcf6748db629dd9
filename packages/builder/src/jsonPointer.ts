const NEEDS_ESCAPE = /[~/]/;

/** A JSON pointer (RFC 6901) from its segments: `~` and `/` inside a segment are escaped. */
export function jsonPointer(...segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    const text = String(s);
    out += '/' + (NEEDS_ESCAPE.test(text) ? text.replaceAll('~', '~0').replaceAll('/', '~1') : text);
  }
  return out;
}
