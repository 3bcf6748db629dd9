// Go's strconv parsing rules, which hcsshim applies to every annotation value (hcs-host.md §4 intro):
// a value that Go would reject is one the builder must reject the same way, so that a shim ported
// from Go reads the same annotations into the same document.

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's `strconv.ParseBool`. */
export function parseGoBool(text: string): ParseResult<boolean> {
  if (TRUE_WORDS.has(text)) return { ok: true, value: true };
  if (FALSE_WORDS.has(text)) return { ok: true, value: false };
  return { ok: false, reason: 'is not a boolean (Go accepts 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False)' };
}

export type IntegerKind = 'int32' | 'uint32' | 'uint64';

const RANGES: Readonly<Record<IntegerKind, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/**
 * Go's `strconv.ParseInt(text, 10, 32)` for `int32` and `strconv.ParseUint(text, 10, bits)` for the
 * unsigned kinds: base-10 digits only (a sign only for the signed kind), range-checked. A uint64
 * above 2^53 − 1 parses in Go but has no exact JavaScript number, so it is rejected here.
 */
export function parseGoInteger(text: string, kind: IntegerKind): ParseResult<number> {
  const signed = kind === 'int32';
  const pattern = signed ? /^[+-]?[0-9]+$/ : /^[0-9]+$/;
  if (!pattern.test(text)) {
    return { ok: false, reason: `is not a base-10 ${signed ? 'integer' : 'unsigned integer'} (${kind})` };
  }
  const big = BigInt(text);
  const [min, max] = RANGES[kind];
  if (big < min || big > max) return { ok: false, reason: `is out of the ${kind} range ${min} to ${max}` };
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, reason: `is larger than ${Number.MAX_SAFE_INTEGER}, the largest integer a JavaScript number holds exactly` };
  }
  return { ok: true, value: Number(big) };
}

/** A comma-separated list of integers; one bad element rejects the whole list, as hcsshim does. */
export function parseGoIntegerList(text: string, kind: IntegerKind): ParseResult<number[]> {
  if (text === '') return { ok: true, value: [] };
  const values: number[] = [];
  for (const [index, part] of text.split(',').entries()) {
    const parsed = parseGoInteger(part, kind);
    if (!parsed.ok) return { ok: false, reason: `has element ${index} ${JSON.stringify(part)} that ${parsed.reason}` };
    values.push(parsed.value);
  }
  return { ok: true, value: values };
}
