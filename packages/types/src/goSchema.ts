import Type, { type TEnum, type TSchema } from 'typebox';
import { goField } from './goJson.js';

// TypeBox building blocks for Go types, shared by the HCS schema and the GCS protocol bodies: how a
// Go struct, map, enum or field of a given type is declared. Integer ranges follow the Go type;
// 64-bit integers are limited to what a JS number holds exactly.

/** A Go struct: closed (unknown keys are reported), named by its Go type in `title`. */
export function struct<P extends Record<string, TSchema>>(title: string, properties: P) {
  return Type.Object(properties, { title, additionalProperties: false });
}

/** An opaque JSON object whose keys are not modelled (for example containerd's cgroup metrics). */
export function openObject() {
  return Type.Record(Type.String(), Type.Unknown(), { additionalProperties: true });
}

/** A Go `map[string]V`; `key` constrains the key strings. */
export function map<V extends TSchema>(key: TSchema & { pattern?: string }, value: V) {
  return Type.Record(Type.String({ pattern: key.pattern ?? ANY_KEY_PATTERN }), value, { additionalProperties: false });
}

/** Matches every string, newlines included (`.` would not). */
export const ANY_KEY_PATTERN = '^[\\s\\S]*$';

/** A map key with no constraint. */
export function anyKey() {
  return Type.String({ pattern: ANY_KEY_PATTERN });
}

/** An `omitempty` field: absent when zero. */
export function opt<T extends TSchema>(schema: T) {
  return Type.Optional(schema);
}

/** A pointer-to-scalar field: absent when nil, written whenever present (so `false` and `0` reach HCS). */
export function ptr<T extends TSchema>(schema: T) {
  return goField(Type.Optional(schema), { pointer: true });
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const UINT32_MAX = 4294967295;

export const uint8 = () => Type.Integer({ minimum: 0, maximum: 255 });
export const uint16 = () => Type.Integer({ minimum: 0, maximum: 65535 });
export const int32 = () => Type.Integer({ minimum: INT32_MIN, maximum: INT32_MAX });
export const uint32 = () => Type.Integer({ minimum: 0, maximum: UINT32_MAX });
/** Go int64, limited to the integers a JS number represents exactly. */
export const int64 = () => Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
/** Go uint64, limited to the integers a JS number represents exactly. */
export const uint64 = () => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const float64 = () => Type.Number();

/** A Go string enum: the schema accepts exactly the values of `values` (an `as const` object). */
export function stringEnum<const E extends Readonly<Record<string, string>>>(title: string, values: E): TEnum<E[keyof E][]> {
  return Type.Enum(Object.values(values) as E[keyof E][], { title });
}
