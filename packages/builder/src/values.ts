// Guards for reading a document whose shape is not yet known to be valid: the builder's rules run
// beside the schema validator, so a value of the wrong type must be skipped here, not trusted.

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** The own entries of a record, or none when `v` is not one. */
export function entriesOf(v: unknown): [string, unknown][] {
  return isRecord(v) ? Object.entries(v) : [];
}

/** The elements of an array, or none when `v` is not one. */
export function elementsOf(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

/** An object without its `undefined` members, typed as the object it describes. */
export function withoutUndefined<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  const source = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // for-in over an object literal: the builder calls this for every node of every document.
  for (const k in source) {
    const v = source[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** `Array.isArray` that keeps the element type of a typed list (plain `Array.isArray` widens to `any[]`). */
export function isList<T>(v: readonly T[] | null | undefined): v is readonly T[] {
  return Array.isArray(v);
}
