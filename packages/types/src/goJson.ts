/**
 * Writes values the way Go's encoding/json writes the structs hcsshim and the GCS use (hcs-host.md
 * §5.0): struct fields in declaration order, zero values omitted where the field has `omitempty`,
 * map keys sorted, a present struct written even when empty. The schema drives it, so one
 * serializer serves the HCS schema and the GCS bodies.
 *
 * A TypeBox object schema with `properties` is a Go struct; one with `patternProperties` (from
 * `Type.Record`) is a Go map. Per-field deviations from plain `omitempty` are declared with the
 * {@link GO_FIELD} schema option.
 */

/** The schema option key that carries {@link GoField}. */
export const GO_FIELD = 'x-go';

/** How Go writes one struct field, when it is not a plain `omitempty` field. */
export interface GoField {
  /**
   * The key is always written: the field has no `omitempty`, or it is a non-pointer struct (which
   * `omitempty` never drops). When the value is absent, Go's zero value is written: `""`, `0`,
   * `false`, the struct with its own kept fields, or `null` for pointers, slices, maps and interfaces.
   */
  readonly keep?: true;
  /**
   * The Go field is a pointer: absent means nil (omitted, or `null` with `keep`), and any present
   * value is written, including `false`, `0` and `""`.
   */
  readonly pointer?: true;
  /** The value written when the field is absent and `keep` is set (for example a zero time). */
  readonly zero?: unknown;
  /** The value travels as a JSON string holding a JSON document (gcs-bridge.md §2.1). */
  readonly jsonInString?: true;
}

/**
 * A copy of `schema` carrying {@link GoField} options. The copy keeps TypeBox's hidden markers
 * (optional, kind), so `goField(Type.Optional(X), …)` stays optional and `X` itself is untouched.
 */
export function goField<T extends object>(schema: T, field: GoField): T {
  const copy = Object.create(Object.getPrototypeOf(schema) as object | null, Object.getOwnPropertyDescriptors(schema)) as T;
  Object.defineProperty(copy, GO_FIELD, { value: field, enumerable: true, configurable: true, writable: true });
  return copy;
}

type Schema = Readonly<Record<string, unknown>>;
type Writer = (value: unknown) => string;
type Kind = 'struct' | 'map' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'any';

interface FieldPlan {
  readonly key: string;
  readonly prefix: string;
  readonly kind: Kind;
  readonly keep: boolean;
  readonly pointer: boolean;
  readonly zero: string | undefined;
  readonly write: Writer;
}

const writers = new WeakMap<object, Writer>();

/**
 * Serializes `value` as Go's encoding/json would serialize the struct that `schema` describes.
 * Keys the schema does not know (allowed by non-strict validation) follow the declared ones in
 * their own order. Values are not validated here: validate first.
 */
export function toGoJson(value: unknown, schema: object): string {
  return writerFor(schema as Schema)(value);
}

type Defs = ReadonlyMap<string, Schema>;
const noDefs: Defs = new Map();

function writerFor(schema: Schema, defs: Defs = noDefs): Writer {
  let writer = writers.get(schema);
  if (writer === undefined) {
    // A recursive schema meets itself while compiling: leave a forwarder that finds the result later.
    writers.set(schema, (v) => writerFor(schema, defs)(v));
    writer = compile(schema, defs);
    writers.set(schema, writer);
  }
  return writer;
}

/** The definitions visible below `schema`: its own `$defs` (TypeBox's Cyclic) over the outer ones. */
function scopeOf(schema: Schema, defs: Defs): Defs {
  const own = schema.$defs;
  if (typeof own !== 'object' || own === null) return defs;
  const scope = new Map(defs);
  for (const [name, def] of Object.entries(own as Record<string, Schema>)) {
    scope.set(name, def);
    scope.set(`#/$defs/${name}`, def);
  }
  return scope;
}

function resolve(schema: Schema, defs: Defs): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? (scopeOf(schema, defs).get(ref) ?? schema) : schema;
}

function kindOf(schema: Schema, defs: Defs = noDefs): Kind {
  const target = resolve(schema, defs);
  if (target !== schema) return kindOf(target, scopeOf(schema, defs));
  if (typeof schema.properties === 'object' && schema.properties !== null) return 'struct';
  if (typeof schema.patternProperties === 'object' && schema.patternProperties !== null) return 'map';
  const type = schema.type;
  if (type === 'array') return 'array';
  if (type === 'string') return 'string';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'null') return 'null';
  const values = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
  if (values !== undefined && values.length > 0) {
    const kinds = new Set(values.map(kindOfValue));
    if (kinds.size === 1) return [...kinds][0] ?? 'any';
  }
  const variants = Array.isArray(schema.anyOf) ? (schema.anyOf as Schema[]) : undefined;
  if (variants !== undefined && variants.length > 0) {
    const kinds = new Set(variants.map((v) => kindOf(v, defs)));
    if (kinds.size === 1) return [...kinds][0] ?? 'any';
  }
  return 'any';
}

function kindOfValue(value: unknown): Kind {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'any';
  }
}

function compile(schema: Schema, outer: Defs): Writer {
  const defs = scopeOf(schema, outer);
  const target = resolve(schema, outer);
  if (target !== schema) return writerFor(target, defs);
  switch (kindOf(schema, defs)) {
    case 'struct':
      return compileStruct(schema, defs);
    case 'map': {
      const patterns = schema.patternProperties as Record<string, Schema>;
      const valueSchema = Object.values(patterns)[0] ?? {};
      const writeValue = writerFor(valueSchema, defs);
      return (value) => {
        if (!isPlainObject(value)) return writeAny(value);
        const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort(compareGo);
        let out = '{';
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i] as string;
          out += (i === 0 ? '' : ',') + JSON.stringify(k) + ':' + writeValue(value[k]);
        }
        return out + '}';
      };
    }
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const writeItem = writerFor(items, defs);
      return (value) => {
        if (!Array.isArray(value)) return writeAny(value);
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + writeItem(value[i]);
        return out + ']';
      };
    }
    case 'string':
      return writeString;
    case 'number':
      return writeNumber;
    case 'boolean':
      return writeBoolean;
    default:
      return writeAny;
  }
}

function compileStruct(schema: Schema, defs: Defs): Writer {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const fields: FieldPlan[] = Object.entries(properties).map(([key, fieldSchema]) => {
    const go = (fieldSchema[GO_FIELD] ?? {}) as GoField;
    const kind = kindOf(fieldSchema, defs);
    const write = go.jsonInString === true ? jsonInString(writerFor(fieldSchema, defs)) : writerFor(fieldSchema, defs);
    const keep = go.keep === true;
    const pointer = go.pointer === true;
    let zero: string | undefined;
    if (keep) {
      if (go.zero !== undefined) zero = JSON.stringify(go.zero);
      else if (pointer) zero = 'null';
      else zero = zeroOf(kind, fieldSchema, write);
    }
    return { key, prefix: JSON.stringify(key) + ':', kind, keep, pointer, zero, write };
  });
  return generateStructWriter(fields);
}

type StructWriterFactory = (writeAny: Writer, hasOwn: (o: object, k: PropertyKey) => boolean, isEmptyMap: (v: unknown) => boolean, ...writers: Writer[]) => Writer;

/**
 * A struct's writer as straight-line code, as TypeBox compiles its checks: each field is a read of
 * a constant key and a call site of its own, which the engine optimises, where a loop over a field
 * table reads every key through one polymorphic site. It writes exactly what that loop would:
 * declared fields in order (a `zero` when absent, `null` when kept and null, the value unless
 * `omitempty` drops it), then the own keys the schema does not know. Every string in the code is
 * a JSON.stringify literal.
 */
function generateStructWriter(fields: readonly FieldPlan[]): Writer {
  const put = (field: FieldPlan, text: string) => `{ out += sep + ${JSON.stringify(field.prefix)} + ${text}; sep = ","; }`;
  const lines = ['if (typeof value !== "object" || value === null || Array.isArray(value)) return writeAny(value);', 'let out = "{";', 'let sep = "";', 'let v;'];
  fields.forEach((field, i) => {
    lines.push(`v = value[${JSON.stringify(field.key)}];`);
    lines.push(`if (v === undefined) ${field.zero === undefined ? '{}' : put(field, JSON.stringify(field.zero))}`);
    lines.push(`else if (v === null) ${field.keep ? put(field, '"null"') : '{}'}`);
    const written = field.keep || field.pointer ? 'true' : nonEmptyTest(field.kind);
    lines.push(`else if (${written}) ${put(field, `w${i}(v)`)}`);
  });
  lines.push('for (const k in value) {');
  if (fields.length > 0) lines.push(`  switch (k) { ${fields.map((f) => `case ${JSON.stringify(f.key)}:`).join(' ')} continue; }`);
  lines.push('  if (!hasOwn(value, k)) continue;', '  const x = value[k];', '  if (x === undefined) continue;', '  out += sep + JSON.stringify(k) + ":" + writeAny(x);', '  sep = ",";', '}');
  lines.push('return out + "}";');
  const parameters = ['writeAny', 'hasOwn', 'isEmptyMap', ...fields.map((_, i) => `w${i}`)];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the schema's keys, each quoted by JSON.stringify
  const factory = new Function(...parameters, `return function writeStruct(value) {\n${lines.join('\n')}\n};`) as StructWriterFactory;
  return factory(writeAny, Object.hasOwn, isEmptyMap, ...fields.map((f) => f.write));
}

/** The condition under which `omitempty` keeps a present, non-null value of this kind. */
function nonEmptyTest(kind: Kind): string {
  switch (kind) {
    case 'string':
      return 'v !== ""';
    case 'number':
      return 'v !== 0';
    case 'boolean':
      return 'v !== false';
    case 'array':
      return '!(Array.isArray(v) && v.length === 0)';
    case 'map':
      return '!isEmptyMap(v)';
    default:
      // Structs: Go drops only nil pointers. Interfaces: only nil, so a bare 0 or false is written.
      return 'true';
  }
}

function isEmptyMap(v: unknown): boolean {
  return isPlainObject(v) && Object.keys(v).every((k) => v[k] === undefined);
}

/** Go's zero value of a kept field, as JSON. */
function zeroOf(kind: Kind, schema: Schema, write: Writer): string {
  switch (kind) {
    case 'string':
      return schema.const === undefined ? '""' : JSON.stringify(schema.const);
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'struct':
      return write({});
    default:
      return 'null';
  }
}

function jsonInString(inner: Writer): Writer {
  return (value) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(inner(value)));
}

// Leaf writers: the text JSON.stringify gives, without its general machinery for the common case.
// A value of another type (left to the caller's validation) falls back to writeAny.

/** Longer strings go to JSON.stringify, which scans them faster than a loop here would. */
const SHORT_STRING = 256;

function writeString(value: unknown): string {
  if (typeof value !== 'string') return writeAny(value);
  if (value.length > SHORT_STRING) return JSON.stringify(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // What JSON.stringify escapes: quote, backslash, control characters, lone surrogates (any
    // surrogate sends the string there, which tells lone ones from pairs).
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(value);
  }
  return '"' + value + '"';
}

function writeNumber(value: unknown): string {
  // String() and JSON.stringify agree on every finite number (-0 included); the others are null.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return writeAny(value);
}

function writeBoolean(value: unknown): string {
  if (value === true) return 'true';
  if (value === false) return 'false';
  return writeAny(value);
}

function writeAny(value: unknown): string {
  // JSON.stringify returns undefined for these; Go would have written null.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  return JSON.stringify(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go sorts map keys by their UTF-8 bytes; for the ASCII keys HCS uses that is code-unit order. */
function compareGo(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
