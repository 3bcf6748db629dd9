import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import * as types from '@uvm/types';
import { ComputeSystemSchema, MemoryMigrationTransferThrottleParamsSchema, ModifySettingRequestSchema, validateWith } from '@uvm/types';

// validateWith answers "valid" for exactly the values that pass the schema's compiled TypeBox check
// and are JSON data (plain objects and arrays, no undefined, finite numbers). These tests hold it
// to that definition over generated documents of every exported schema and their mutations, and
// over the odd values a JavaScript caller can hand in.

type Schema = Readonly<Record<string, unknown>>;

const schemas = Object.entries(types).filter(
  (entry): entry is [string, TSchema] => entry[0].endsWith('Schema') && typeof entry[1] === 'object',
);

/** The JSON-data rule, written out independently of the implementation. */
function isJson(value: unknown, depth = 0): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null) return true;
  if (typeof value !== 'object' || depth >= 256) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] === undefined || !isJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(value).every((key) => {
    const item = (value as Record<string, unknown>)[key];
    return item !== undefined && isJson(item, depth + 1);
  });
}

function openStructs(schema: unknown): TSchema {
  return JSON.parse(JSON.stringify(schema), (_key, node: unknown) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node) && 'properties' in node && 'additionalProperties' in node) {
      const { additionalProperties: _dropped, ...rest } = node as Record<string, unknown>;
      return rest;
    }
    return node;
  }) as TSchema;
}

const references = new Map<TSchema, { strict: (v: unknown) => boolean; loose: (v: unknown) => boolean }>();

/** What validateWith must answer, from TypeBox's own compiled check. */
function expected(schema: TSchema, value: unknown, strict: boolean): boolean {
  let reference = references.get(schema);
  if (reference === undefined) {
    const closed = Compile(schema);
    const open = Compile(openStructs(schema));
    reference = { strict: (v) => closed.Check(v), loose: (v) => open.Check(v) };
    references.set(schema, reference);
  }
  try {
    return (strict ? reference.strict : reference.loose)(value) && isJson(value);
  } catch {
    return false;
  }
}

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES: Readonly<Record<string, readonly string[]>> = {
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': ['0110f83b-de10-5172-a266-78bca56bf50a', 'ACEF5661-84A1-4E44-856B-6245E69F4620'],
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': ['305891a9-b251-5dfe-91a2-c25d9212275b'],
  '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$': ['aGVsbG8=', ''],
  '^(?:0|[1-9][0-9]{0,9})$': ['0', '7', '1234567890'],
  '^(?:[0-9]|[1-5][0-9]|6[0-3])$': ['0', '9', '63'],
  '^.*$': ['', 'key', 'ünïcode'],
  '^[\\s\\S]*$': ['', 'any key', 'line\nbreak'],
};

/** A value meant to pass `schema` (it may not, where a sample falls short; the oracle decides). */
function generate(schema: Schema, next: () => number, defs: ReadonlyMap<string, Schema>, depth: number): unknown {
  const scope = new Map(defs);
  if (typeof schema.$defs === 'object' && schema.$defs !== null) for (const [name, def] of Object.entries(schema.$defs as Record<string, Schema>)) scope.set(name, def);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  if (typeof schema.$ref === 'string') {
    const target = scope.get(schema.$ref);
    return target === undefined || depth > 6 ? {} : generate(target, next, scope, depth + 1);
  }
  if (Array.isArray(schema.anyOf)) return generate(pick(schema.anyOf as Schema[]), next, scope, depth + 1);
  if (Array.isArray(schema.enum)) return pick(schema.enum);
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (required.has(key) || (depth < 8 && next() < 0.6)) out[key] = generate(sub, next, scope, depth + 1);
      }
      for (const [pattern, sub] of Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>)) {
        const count = depth < 8 ? Math.floor(next() * 3) : 0;
        for (let i = 0; i < count; i++) out[pick(SAMPLES[pattern] ?? ['k'])] = generate(sub, next, scope, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const count = depth < 8 ? min + Math.floor(next() * 3) : min;
      const items = (schema.items ?? {}) as Schema;
      return Array.from({ length: count }, () => generate(items, next, scope, depth + 1));
    }
    case 'string':
      return typeof schema.pattern === 'string' ? pick(SAMPLES[schema.pattern] ?? ['']) : pick(['', 'text', 'C:\\path', 'ünï']);
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
      return pick([min, max, Math.max(min, Math.min(max, 0)), Math.floor(min + next() * (max - min))]);
    }
    case 'number':
      return pick([0, 1.5, -2.25, 1e300]);
    case 'boolean':
      return next() < 0.5;
    case 'null':
      return null;
    default:
      return pick([{ any: [1, 'two', null] }, 'json', 3, false]);
  }
}

class Instance {
  readonly Field = 1;
}

/** Values a caller can get wrong, each a replacement for one node of a document. */
const REPLACEMENTS: ReadonlyArray<() => unknown> = [
  () => undefined,
  () => null,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => 1.5,
  () => -1,
  () => 2 ** 53,
  () => 4294967296,
  () => '1',
  () => 'true',
  () => true,
  () => [],
  () => ({}),
  () => ({ Bogus: 1 }),
  () => [undefined],
  () => new Date(0),
  () => new Instance(),
  () => 1n,
  () => Symbol('s'),
  () => () => 1,
  () => new Map(),
  () => '{0110f83b-de10-5172-a266-78bca56bf50a}',
];

/** Every object or array inside `value`, with the value itself first. */
function nodes(value: unknown, out: object[] = []): object[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(value);
  for (const item of Object.values(value)) nodes(item, out);
  return out;
}

/** Changes one place of `value` (already a private copy) in one of the ways a caller gets it wrong. */
function mutate(value: unknown, next: () => number): unknown {
  const all = nodes(value);
  if (all.length === 0) return (REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)] as () => unknown)();
  const target = all[Math.floor(next() * all.length)] as Record<string, unknown>;
  const keys = Object.keys(target);
  const key = keys.length === 0 ? 'Bogus' : (keys[Math.floor(next() * keys.length)] as string);
  switch (Math.floor(next() * 9)) {
    case 0:
      Reflect.deleteProperty(target, key);
      break;
    case 1:
      target.Bogus = 1;
      break;
    case 2:
      Object.defineProperty(target, 'Hidden', { value: 1, enumerable: false });
      break;
    case 3:
      if (keys.length > 0) Object.defineProperty(target, key, { value: 'not what it was', enumerable: false });
      break;
    case 4: {
      const bare = Object.assign(Object.create(null) as object, target[key]);
      if (typeof target[key] === 'object' && target[key] !== null && !Array.isArray(target[key])) target[key] = bare;
      break;
    }
    case 5:
      Object.defineProperty(target, key, {
        get() {
          throw new Error('unreadable');
        },
        enumerable: true,
      });
      break;
    case 6:
      if (Array.isArray(target)) target.length += 2;
      else target[`${key}\n`] = target[key];
      break;
    default:
      target[key] = (REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)] as () => unknown)();
  }
  return value;
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../docs/examples/${name}`, import.meta.url), 'utf8'));
}

describe('validateWith', () => {
  it.each([true, false])('accepts exactly the generated documents of every schema that TypeBox accepts as JSON data (strict: %s)', (strict) => {
    const next = random(strict ? 1 : 2);
    let checked = 0;
    let valid = 0;
    for (const [name, schema] of schemas) {
      for (let round = 0; round < 40; round++) {
        const value = round === 0 ? generate(schema as Schema, next, new Map(), 0) : mutate(generate(schema as Schema, next, new Map(), 0), next);
        const want = expected(schema, value, strict);
        const got = validateWith(schema, value, { strict }).ok;
        if (got !== want) throw new Error(`${name}, round ${round}: validateWith said ${String(got)}, TypeBox and the JSON rule say ${String(want)}`);
        checked++;
        if (want) valid++;
      }
    }
    // Both answers occur often, so the comparison means something.
    expect(checked).toBe(schemas.length * 40);
    expect(valid).toBeGreaterThan(checked / 5);
    expect(checked - valid).toBeGreaterThan(checked / 5);
  });

  it('accepts exactly the mutated example documents that TypeBox accepts as JSON data', () => {
    const next = random(3);
    for (const file of ['lcow-default.json', 'lcow-full.json']) {
      for (let round = 0; round < 400; round++) {
        const value = mutate(fixture(file), next);
        for (const strict of [true, false]) {
          const want = expected(ComputeSystemSchema, value, strict);
          expect({ file, round, strict, ok: validateWith(ComputeSystemSchema, value, { strict }).ok }).toEqual({ file, round, strict, ok: want });
        }
      }
    }
  });

  it.each([
    ['a key hidden from enumeration that the schema does not declare', () => Object.defineProperty(fixture('lcow-default.json') as object, 'Hidden', { value: 1 }), false],
    ['an object without a prototype', () => Object.assign(Object.create(null) as object, fixture('lcow-default.json')), true],
    ['a "__proto__" key parsed from JSON', () => JSON.parse('{"Owner":"o","__proto__":{"x":1}}') as unknown, false],
    ['a class instance for a struct', () => ({ ...(fixture('lcow-default.json') as object), SchemaVersion: new (class { Major = 2; Minor = 1 })() }), false],
    ['a proxy whose getter throws', () => new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } }), false],
    ['an array nested past the depth limit', () => ({ Owner: 'o', HostedSystem: JSON.parse(`${'['.repeat(300)}${']'.repeat(300)}`) as unknown }), false],
    ['a cycle in an untyped field', () => { const loop: Record<string, unknown> = {}; loop.self = loop; return { HostedSystem: loop }; }, false],
  ])('judges %s as TypeBox and the JSON rule do', (_what, make, valid) => {
    expect(expected(ComputeSystemSchema, make(), true)).toBe(valid);
    expect(validateWith(ComputeSystemSchema, make()).ok).toBe(valid);
  });

  it.each([
    ['a finite fraction', 0.5, true],
    ['infinity', Number.POSITIVE_INFINITY, false],
    ['NaN', Number.NaN, false],
  ])('takes %s for a Go float64 field only when it is a finite number', (_what, scale, valid) => {
    expect(validateWith(MemoryMigrationTransferThrottleParamsSchema, { ThrottlingScale: scale }).ok).toBe(valid);
  });

  it('judges a document by its own keys even when Object.prototype has gained an enumerable key', () => {
    const request = { ResourcePath: 'VirtualMachine/Devices/Plan9/Shares', RequestType: 'Add' };
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.Settings = 5;
    try {
      expect(validateWith(ModifySettingRequestSchema, request).ok).toBe(expected(ModifySettingRequestSchema, request, true));
      polluted.RequestType = 'NotAType';
      expect(validateWith(ModifySettingRequestSchema, { ResourcePath: 'x' }).ok).toBe(expected(ModifySettingRequestSchema, { ResourcePath: 'x' }, true));
    } finally {
      delete polluted.Settings;
      delete polluted.RequestType;
    }
  });
});
