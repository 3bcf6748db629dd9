import { ANY_KEY_PATTERN } from './goSchema.js';
import { MAX_DEPTH, isPlainObject } from './schemaIssues.js';

// The first check every validation makes: does the value pass its schema and is it JSON data? It
// runs once per document sent to HCS or the GCS, so it is one walk over the value, compiled into
// JavaScript per schema: no regular expression per key, no second walk for JSON-ness. It only
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
    check = new Generator().generate(schema as Schema);
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

/**
 * Writes one JavaScript function per object, array or union of the schema, as TypeBox does: a
 * struct's keys are cases of a `switch`, so each field is read by name (a monomorphic load) rather
 * than looked up in a map. Scalars are checked inline. Keys and constants enter the source only
 * through JSON.stringify; regular expressions are passed in, never written out.
 */
class Generator {
  private readonly functions: string[] = [];
  private readonly regexes: RegExp[] = [];
  /** Function index per schema object and scope of definitions (a recursive `$ref` finds its own). */
  private readonly indexes = new Map<ReadonlyMap<string, Schema>, Map<Schema, number>>();

  generate(schema: Schema): Check {
    const root = this.functionFor(schema, new Map());
    const source = `"use strict";\n${this.functions.join('\n')}\nreturn f${root};`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from our own schemas, as TypeBox's Compile does
    const make = new Function('MAX_DEPTH', 'isJsonData', 'R', source) as (maxDepth: number, json: typeof isJsonData, regexes: readonly RegExp[]) => Check;
    return make(MAX_DEPTH, isJsonData, this.regexes);
  }

  /** The index of the function `f<i>(v, d)` that checks `schema`, written on first use. */
  private functionFor(schema: Schema, defs: ReadonlyMap<string, Schema>): number {
    let inScope = this.indexes.get(defs);
    if (inScope === undefined) {
      inScope = new Map();
      this.indexes.set(defs, inScope);
    }
    const known = inScope.get(schema);
    if (known !== undefined) return known;
    const index = this.functions.length;
    inScope.set(schema, index);
    this.functions.push('');
    this.functions[index] = `function f${index}(v, d) {\n${this.body(schema, withDefs(schema, defs))}\n}`;
    return index;
  }

  /** An expression, true when the value in variable `v` at depth `d` passes `schema`. */
  private test(schema: Schema, defs: ReadonlyMap<string, Schema>, v: string, d: string): string {
    const inline = this.scalarTest(schema, v);
    return inline ?? `f${this.functionFor(schema, defs)}(${v}, ${d})`;
  }

  /** The inline test of a scalar schema, or undefined for one that needs a function. */
  private scalarTest(schema: Schema, v: string): string | undefined {
    const type = schema.type;
    if (type === undefined && schema.anyOf === undefined && schema.$ref === undefined && (schema.enum !== undefined || 'const' in schema)) {
      checkKeywords(schema);
      return `(${this.valueTests(schema, v).join(' && ')})`;
    }
    if (type !== 'string' && type !== 'integer' && type !== 'number' && type !== 'boolean' && type !== 'null') return undefined;
    checkKeywords(schema);
    const tests = this.valueTests(schema, v);
    switch (type) {
      case 'string':
        tests.push(`typeof ${v} === "string"`);
        if (schema.pattern !== undefined) {
          if (typeof schema.pattern !== 'string') throw new Unsupported();
          tests.push(`R[${this.regex(schema.pattern)}].test(${v})`);
        }
        break;
      case 'integer':
      case 'number': {
        tests.push(`typeof ${v} === "number"`, type === 'integer' ? `Number.isInteger(${v})` : `Number.isFinite(${v})`);
        const min = optionalNumber(schema.minimum);
        const max = optionalNumber(schema.maximum);
        if (min !== undefined) tests.push(`${v} >= ${numberLiteral(min)}`);
        if (max !== undefined) tests.push(`${v} <= ${numberLiteral(max)}`);
        break;
      }
      case 'boolean':
        tests.push(`typeof ${v} === "boolean"`);
        break;
      default:
        tests.push(`${v} === null`);
    }
    return `(${tests.join(' && ')})`;
  }

  /** Tests of `enum` and `const`: the value is one of the given JSON scalars. */
  private valueTests(schema: Schema, v: string): string[] {
    const tests: string[] = [];
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum) || schema.enum.length === 0) throw new Unsupported();
      tests.push(oneOf(schema.enum, v));
    }
    if ('const' in schema) tests.push(oneOf([schema.const], v));
    return tests;
  }

  private body(schema: Schema, defs: ReadonlyMap<string, Schema>): string {
    const type = checkKeywords(schema);
    switch (type) {
      case 'object':
        return this.objectBody(schema, defs);
      case 'array':
        return this.arrayBody(schema, defs);
      case undefined:
        break;
      default:
        return `return ${this.scalarTest(schema, 'v') ?? 'false'};`;
    }
    const tests = this.valueTests(schema, 'v');
    if (Array.isArray(schema.anyOf)) {
      const variants = schema.anyOf.map((variant) => {
        if (typeof variant !== 'object' || variant === null) throw new Unsupported();
        return this.test(variant as Schema, defs, 'v', 'd');
      });
      tests.push(`(${variants.join(' || ')})`);
    }
    if (schema.$ref !== undefined) {
      const target = typeof schema.$ref === 'string' ? defs.get(schema.$ref) : undefined;
      if (target === undefined) throw new Unsupported();
      tests.push(this.test(target, defs, 'v', 'd'));
    }
    // Nothing else (TypeBox's Unknown, Go's interface{}): any JSON value.
    if (tests.length === 0) tests.push('isJsonData(v, d)');
    return `return ${tests.join(' && ')};`;
  }

  private objectBody(schema: Schema, defs: ReadonlyMap<string, Schema>): string {
    const properties = schema.properties ?? {};
    if (!isSchemaMap(properties)) throw new Unsupported();
    const required = schema.required ?? [];
    if (!Array.isArray(required) || !required.every((key): key is string => typeof key === 'string' && Object.hasOwn(properties, key))) throw new Unsupported();
    const patternProperties = schema.patternProperties ?? {};
    if (!isSchemaMap(patternProperties)) throw new Unsupported();
    const patterns = Object.entries(patternProperties).map(([source, sub]) => ({
      // TypeBox's Record of any string key: every key matches, no need to ask the pattern.
      regex: source === ANY_KEY_PATTERN ? undefined : new RegExp(source, 'u'),
      test: this.test(sub, defs, 'x', 'd + 1'),
    }));
    const additional = schema.additionalProperties;
    let extra: string | undefined;
    if (additional === false) extra = undefined;
    else if (additional === undefined || additional === true) extra = 'isJsonData(x, d + 1)';
    else if (typeof additional === 'object' && additional !== null) extra = this.test(additional as Schema, defs, 'x', 'd + 1');
    else throw new Unsupported();

    const lines = [
      'if (typeof v !== "object" || v === null || Array.isArray(v) || d >= MAX_DEPTH) return false;',
      'const p = Object.getPrototypeOf(v);',
      'if (p !== Object.prototype && p !== null) return false;',
    ];
    for (const key of required) lines.push(`if (v[${JSON.stringify(key)}] === undefined) return false;`);
    // Own names, enumerable or not, as TypeBox's closed-struct check sees them.
    lines.push('const names = Object.getOwnPropertyNames(v);', 'for (let i = 0; i < names.length; i++) {', 'const k = names[i];');
    const cases: string[] = [];
    for (const [key, sub] of Object.entries(properties)) {
      // TypeBox reads declared keys with `in`, which sees Object.prototype's members.
      if (key in Object.prototype) throw new Unsupported();
      const name = JSON.stringify(key);
      // Patterns apply to declared keys too; which ones is known now.
      const patternTests = patterns.filter((pattern) => pattern.regex === undefined || pattern.regex.test(key)).map((pattern) => pattern.test);
      cases.push(`case ${name}: { const x = v[${name}]; if (x === undefined || !${this.test(sub, defs, 'x', 'd + 1')}${patternTests.map((t) => ` || !${t}`).join('')}) return false; continue; }`);
    }
    const fallback = ['const x = v[k];', 'if (x === undefined) return false;'];
    if (patterns.length === 0 && extra === undefined) {
      // A closed struct: a key no case took is unknown.
      fallback.splice(0, 2, 'return false;');
    } else if (patterns.length > 0) {
      fallback.push('let matched = false;');
      for (const pattern of patterns) {
        const applies = pattern.regex === undefined ? 'true' : `R[${this.regexes.push(pattern.regex) - 1}].test(k)`;
        fallback.push(`if (${applies}) { if (!${pattern.test}) return false; matched = true; }`);
      }
      fallback.push(extra === undefined ? 'if (!matched) return false;' : `if (!matched && !${extra}) return false;`);
    } else if (extra !== undefined) {
      fallback.push(`if (!${extra}) return false;`);
    }
    if (cases.length > 0) lines.push('switch (k) {', ...cases, '}');
    lines.push(...fallback, '}', 'return true;');
    return lines.join('\n');
  }

  private arrayBody(schema: Schema, defs: ReadonlyMap<string, Schema>): string {
    const items = schema.items;
    let item: string;
    if (items === undefined) item = 'isJsonData(x, d + 1)';
    else if (typeof items === 'object' && items !== null && !Array.isArray(items)) item = this.test(items as Schema, defs, 'x', 'd + 1');
    else throw new Unsupported();
    const min = optionalNumber(schema.minItems);
    const max = optionalNumber(schema.maxItems);
    return [
      'if (!Array.isArray(v) || d >= MAX_DEPTH) return false;',
      'const n = v.length;',
      ...(min === undefined ? [] : [`if (n < ${numberLiteral(min)}) return false;`]),
      ...(max === undefined ? [] : [`if (n > ${numberLiteral(max)}) return false;`]),
      'for (let i = 0; i < n; i++) {',
      'const x = v[i];',
      `if (x === undefined || !${item}) return false;`,
      '}',
      'return true;',
    ].join('\n');
  }

  private regex(source: string): number {
    return this.regexes.push(new RegExp(source, 'u')) - 1;
  }
}

/** Checks that `schema` uses only keywords this check models; returns its type. */
function checkKeywords(schema: Schema): string | undefined {
  const type = schema.type;
  const allowed = type === undefined ? KEYWORDS_WITHOUT_TYPE : typeof type === 'string' ? KEYWORDS_OF_TYPE[type] : undefined;
  if (allowed === undefined) throw new Unsupported();
  // Hidden keys count too: TypeBox's `~refine` holds checks of its own.
  for (const key of Reflect.ownKeys(schema)) if (typeof key !== 'string' || (!allowed.has(key) && !ANNOTATIONS.has(key))) throw new Unsupported();
  return type as string | undefined;
}

/** The value is one of `values`, JSON scalars compared with === as TypeBox compares them. */
function oneOf(values: readonly unknown[], v: string): string {
  const literals = values.map((value) => {
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value)) return numberLiteral(value);
    throw new Unsupported();
  });
  return `(${literals.map((literal) => `${v} === ${literal}`).join(' || ')})`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Unsupported();
  // String(-0) is "0", and -0 === 0 anyway.
  return String(value);
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
