// Field schemas for the Go types the GCS bodies use, so every body states ranges the same way.
import Type from 'typebox';
import { goField } from '../goJson.js';

export const Int32 = Type.Integer({ minimum: -0x80000000, maximum: 0x7fffffff });
export const Uint8 = Type.Integer({ minimum: 0, maximum: 0xff });
export const Uint16 = Type.Integer({ minimum: 0, maximum: 0xffff });
export const Uint32 = Type.Integer({ minimum: 0, maximum: 0xffffffff });
/** Go int64/int: JavaScript numbers cannot carry more than 53 bits. */
export const Int64 = Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
/** Go uint64: JavaScript numbers cannot carry more than 53 bits. */
export const Uint64 = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A GUID as Go's guid.GUID writes it: lower-case, 36 characters, no braces. */
export const Guid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });

export const NULL_GUID_TEXT = '00000000-0000-0000-0000-000000000000';

/** A Go field without `omitempty` (or a struct, which `omitempty` never drops): always written. */
export function kept<T extends object>(schema: T): T {
  return goField(schema, { keep: true });
}

/** A Go pointer field with `omitempty`: nil is omitted, any present value (even false or 0) written. */
export function pointer<T extends object>(schema: T): T {
  return goField(schema, { pointer: true });
}

/**
 * A field whose Go type marshals as text holding JSON (hcsshim's AnyInString and the property
 * query/properties wrappers). `zero` is what Go writes when the field is absent and always written.
 */
export function jsonInString<T extends object>(schema: T, options: { readonly keep: boolean; readonly zero?: string }): T {
  return goField(schema, options.keep ? { keep: true, jsonInString: true, ...(options.zero === undefined ? {} : { zero: options.zero }) } : { jsonInString: true });
}

/** A string field that takes one of `values`. */
export function literalUnion<const V extends string>(values: readonly V[]) {
  // An array (not a tuple) of literals would give TypeBox no static type; state it.
  return Type.Unsafe<V>(Type.Union(values.map((v) => Type.Literal(v))));
}
