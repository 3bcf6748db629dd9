import { ANY_KEY_PATTERN } from './goSchema.js';
import { MAX_DEPTH, isPlainObject } from './schemaIssues.js';

// The first check every validation makes: does the value pass its schema and is it JSON data? It
// runs once per document sent to HCS or the GCS, so it is one walk over the value, compiled into
// closures per schema node: no regular expression per key, no second walk for JSON-ness. It only
// ever says "passes" for a value that the compiled TypeBox check and `isJsonData` both accept;
// where it cannot be sure (a keyword it does not model, an Object.prototype someone changed) it
// says "not sure" and the caller asks them.

type Schema = Readonly<Record<string, unknown>>;
type Check = (value: unknown, depth: number) => boolean;

/** A compiled check: true only for a value that passes the schema and is JSON data. */
export type FastCheck = (value: unknown) => boolean;

/** Keywords that say nothing about validity (TypeBox keeps its markers in hidden `~` keys). */
const ANNOTATIONS = new Set(['title', 'description', 'x-go', '$id', '$defs', '~kind', '~optional', '~readonly']);
/** Keywords each type may carry beside the annotations. */
const KEYWORDS_OF_TYPE: Readonly<Record<string, ReadonlySet<string>>> = {
  object: new Set(['type', 'properties', 'required', 'additionalProperties', 'patternProperties']),
  array: new Set(['type', 'items', 'minItems', 'maxItems']),
  string: new Set(['type', 'pattern', 'enum', 'const']),
  integer: new Set(['type', 'minimum', 'maximum', 'enum', 'const']),
  number: new Set(['type', 'minimum', 'maximum', 'enum', 'const']),
  boolean: new Set(['type', 'enum', 'const']),
  null: new Set(['type', 'enum', 'const']),
};
const KEYWORDS_WITHOUT_TYPE = new Set(['anyOf', '$ref', 'enum', 'const']);

/** Thrown while compiling a schema this check does not model. */
class Unsupported extends Error {}

/**
 * Compiles `schema` into a {@link FastCheck}, or returns undefined when the schema uses a keyword
 * this check does not model (the caller then relies on the TypeBox check alone).
 */
export function compileFastCheck(schema: object): FastCheck | undefined {
  let check: Check;
  try {
    check = new Compiler().compile(schema as Schema, new Map());
  } catch {
    // Unsupported, or a pattern that is no regular expression (TypeBox cannot compile it either).
    return undefined;
  }
  return (value) => {
    if (!prototypeUntouched()) return false;
    try {
      return check(value, 0);
    } catch {
      // A getter threw or a cycle overflowed the stack: not sure, the full check decides.
      return false;
    }
  };
}

class Compiler {
  /**
   * One check per schema object and scope of definitions, so a recursive `$ref` reuses the check
   * being built.
   */
  private readonly compiled = new Map<ReadonlyMap<string, Schema>, Map<Schema, Check>>();

  compile(schema: Schema, defs: ReadonlyMap<string, Schema>): Check {
    let inScope = this.compiled.get(defs);
    if (inScope === undefined) {
      inScope = new Map();
      this.compiled.set(defs, inScope);
    }
    const known = inScope.get(schema);
    if (known !== undefined) return known;
    // Placed before building, so a cycle through `$ref` finds it.
    const slot: Check[] = [];
    inScope.set(schema, (value, depth) => (slot[0] as Check)(value, depth));
    const built = this.build(schema, withDefs(schema, defs));
    slot[0] = built;
    inScope.set(schema, built);
    return built;
  }

  private build(schema: Schema, defs: ReadonlyMap<string, Schema>): Check {
    const type = schema.type;
    const allowed = type === undefined ? KEYWORDS_WITHOUT_TYPE : typeof type === 'string' ? KEYWORDS_OF_TYPE[type] : undefined;
    if (allowed === undefined) throw new Unsupported();
    // Hidden keys count too: TypeBox's `~refine` holds checks of its own.
    for (const key of Reflect.ownKeys(schema)) if (typeof key !== 'string' || (!allowed.has(key) && !ANNOTATIONS.has(key))) throw new Unsupported();
    const checks: Check[] = [];
    if (Array.isArray(schema.enum)) checks.push(oneOfValues(schema.enum));
    if ('const' in schema) checks.push(oneOfValues([schema.const]));
    switch (type) {
      case 'object':
        checks.push(this.object(schema, defs));
        break;
      case 'array':
        checks.push(this.array(schema, defs));
        break;
      case 'string':
        checks.push(stringCheck(schema));
        break;
      case 'integer':
      case 'number':
        checks.push(numberCheck(schema, type === 'integer'));
        break;
      case 'boolean':
        checks.push((value) => typeof value === 'boolean');
        break;
      case 'null':
        checks.push((value) => value === null);
        break;
      default:
        if (Array.isArray(schema.anyOf)) checks.push(this.anyOf(schema.anyOf, defs));
        if (schema.$ref !== undefined) checks.push(this.ref(schema.$ref, defs));
        // Nothing else (TypeBox's Unknown, Go's interface{}): any JSON value.
        if (checks.length === 0) checks.push(isJsonData);
    }
    return allOf(checks);
  }

  private object(schema: Schema, defs: ReadonlyMap<string, Schema>): Check {
    const declared = new Map<string, Check>();
    const properties = schema.properties ?? {};
    if (!isSchemaMap(properties)) throw new Unsupported();
    for (const [key, sub] of Object.entries(properties)) {
      // TypeBox reads declared keys with `in`, which sees Object.prototype's members.
      if (key in Object.prototype) throw new Unsupported();
      declared.set(key, this.compile(sub, defs));
    }
    const required = schema.required ?? [];
    if (!Array.isArray(required) || !required.every((key): key is string => typeof key === 'string' && declared.has(key))) throw new Unsupported();
    const patternProperties = schema.patternProperties ?? {};
    if (!isSchemaMap(patternProperties)) throw new Unsupported();
    const keyPatterns: Array<RegExp | undefined> = [];
    const patternChecks: Check[] = [];
    for (const [source, sub] of Object.entries(patternProperties)) {
      // TypeBox's Record of any string key: every key matches, no need to ask the pattern.
      keyPatterns.push(source === ANY_KEY_PATTERN ? undefined : new RegExp(source, 'u'));
      patternChecks.push(this.compile(sub, defs));
    }
    const patternCount = patternChecks.length;
    const additional = schema.additionalProperties;
    let extra: Check | false;
    if (additional === false) extra = false;
    else if (additional === undefined || additional === true) extra = isJsonData;
    else if (typeof additional === 'object' && additional !== null) extra = this.compile(additional as Schema, defs);
    else throw new Unsupported();
    return (value, depth) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || depth >= MAX_DEPTH) return false;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      for (const key of required) if (record[key] === undefined) return false;
      // Own names, enumerable or not, as TypeBox's closed-struct check sees them.
      const names = Object.getOwnPropertyNames(value);
      for (let i = 0; i < names.length; i++) {
        const key = names[i] as string;
        const item = record[key];
        if (item === undefined) return false;
        let matched = false;
        for (let p = 0; p < patternCount; p++) {
          const regex = keyPatterns[p];
          if (regex !== undefined && !regex.test(key)) continue;
          if (!(patternChecks[p] as Check)(item, depth + 1)) return false;
          matched = true;
        }
        const check = declared.get(key);
        if (check !== undefined) {
          if (!check(item, depth + 1)) return false;
        } else if (!matched) {
          if (extra === false || !extra(item, depth + 1)) return false;
        }
      }
      return true;
    };
  }

  private array(schema: Schema, defs: ReadonlyMap<string, Schema>): Check {
    const items = schema.items;
    let item: Check;
    if (items === undefined) item = isJsonData;
    else if (typeof items === 'object' && items !== null && !Array.isArray(items)) item = this.compile(items as Schema, defs);
    else throw new Unsupported();
    const min = optionalNumber(schema.minItems);
    const max = optionalNumber(schema.maxItems);
    return (value, depth) => {
      if (!Array.isArray(value) || depth >= MAX_DEPTH) return false;
      const length = value.length;
      if ((min !== undefined && length < min) || (max !== undefined && length > max)) return false;
      for (let i = 0; i < length; i++) {
        const element: unknown = value[i];
        if (element === undefined || !item(element, depth + 1)) return false;
      }
      return true;
    };
  }

  private anyOf(variants: unknown[], defs: ReadonlyMap<string, Schema>): Check {
    const checks = variants.map((variant) => {
      if (typeof variant !== 'object' || variant === null) throw new Unsupported();
      return this.compile(variant as Schema, defs);
    });
    return (value, depth) => checks.some((check) => check(value, depth));
  }

  private ref(ref: unknown, defs: ReadonlyMap<string, Schema>): Check {
    const target = typeof ref === 'string' ? defs.get(ref) : undefined;
    if (target === undefined) throw new Unsupported();
    return this.compile(target, defs);
  }
}

function allOf(checks: readonly Check[]): Check {
  const [first, second] = checks;
  if (first === undefined) throw new Unsupported();
  if (checks.length === 1) return first;
  if (checks.length === 2 && second !== undefined) return (value, depth) => first(value, depth) && second(value, depth);
  return (value, depth) => checks.every((check) => check(value, depth));
}

function oneOfValues(values: readonly unknown[]): Check {
  // Only JSON scalars compare with ===, as TypeBox compares them.
  if (!values.every((v) => typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v)))) throw new Unsupported();
  return (value) => values.includes(value) && (typeof value !== 'number' || Number.isFinite(value));
}

function stringCheck(schema: Schema): Check {
  if (schema.pattern === undefined) return (value) => typeof value === 'string';
  if (typeof schema.pattern !== 'string') throw new Unsupported();
  const regex = new RegExp(schema.pattern, 'u');
  return (value) => typeof value === 'string' && regex.test(value);
}

function numberCheck(schema: Schema, integer: boolean): Check {
  const min = optionalNumber(schema.minimum) ?? -Infinity;
  const max = optionalNumber(schema.maximum) ?? Infinity;
  return integer
    ? (value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    : (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function optionalNumber(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Unsupported();
  return value;
}

function isSchemaMap(value: unknown): value is Record<string, Schema> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'object' && v !== null);
}

/** The definitions visible below `schema` (TypeBox's Cyclic puts them in `$defs`), as references name them. */
function withDefs(schema: Schema, defs: ReadonlyMap<string, Schema>): ReadonlyMap<string, Schema> {
  const own = schema.$defs;
  if (own === undefined) return defs;
  if (!isSchemaMap(own)) throw new Unsupported();
  const scope = new Map(defs);
  for (const [name, def] of Object.entries(own)) {
    scope.set(name, def);
    scope.set(`#/$defs/${name}`, def);
    if (typeof def.$id === 'string') scope.set(def.$id, def);
  }
  return scope;
}

const EMPTY: object = Object.freeze({});

/**
 * Whether Object.prototype has no enumerable keys, as it comes. A key someone put there would be
 * read through it by TypeBox for every object that lacks it, and not here. (Listing every member
 * would also catch non-enumerable additions, but costs more than the rest of a check.)
 */
function prototypeUntouched(): boolean {
  for (const _key in EMPTY) return false;
  return true;
}

/**
 * Whether `value` is JSON data: plain objects and arrays, no `undefined` values, finite numbers,
 * no BigInt, function or symbol, nested less than MAX_DEPTH deep (which also stops cycles).
 */
export function isJsonData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !isJsonData(item, depth + 1)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || !isJsonData(item, depth + 1)) return false;
  }
  return true;
}
