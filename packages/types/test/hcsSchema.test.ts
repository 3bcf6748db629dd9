import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as types from '@uvm/types';
import {
  GO_FIELD,
  MemoryBackingType,
  Plan9ShareFlags,
  RequestType,
  SchemaVersion,
  ValidationError,
  WindowsBuild,
  isSchemaVersionSupported,
  schemaVersionForBuild,
  toHcsJson,
  validateWith,
  VersionSchema,
  type GoField,
} from '@uvm/types';

interface SpecField {
  readonly json: string;
  readonly go: string;
  readonly omitempty: boolean;
  readonly omitemptyNoEffect?: boolean;
}
interface SpecEnum {
  readonly underlying: string;
  readonly values: ReadonlyArray<{ readonly name: string; readonly value: string | number }>;
}
interface Spec {
  readonly types: Record<string, { readonly fields: SpecField[]; readonly note?: string }>;
  readonly enums: Record<string, SpecEnum>;
}

const spec = JSON.parse(readFileSync(new URL('./fixtures/spec/hcs-schema2-fields.json', import.meta.url), 'utf8')) as Spec;
const SWAGGER_HELPERS = new Set(['APIKey', 'BasicAuth', 'Configuration']);
const structTypes = Object.entries(spec.types).filter(([name]) => !SWAGGER_HELPERS.has(name));

type Schema = Readonly<Record<string, unknown>>;
const exported = types as unknown as Record<string, unknown>;

function schemaOf(name: string): Schema {
  const schema = exported[`${name}Schema`];
  if (typeof schema !== 'object' || schema === null) throw new Error(`@uvm/types does not export ${name}Schema`);
  return schema as Schema;
}

/** The struct behind a schema, following TypeBox's Cyclic wrapper. */
function structOf(schema: Schema): Schema {
  if (typeof schema.$ref === 'string' && typeof schema.$defs === 'object') {
    return (schema.$defs as Record<string, Schema>)[schema.$ref]!;
  }
  return schema;
}

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  uint8: [0, 255],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  Plan9ShareFlags: [-2147483648, 2147483647],
};

/** Asserts that a field schema models the Go type `go` (without its leading `*`). */
function expectGoType(field: Schema, go: string, where: string): void {
  const range = INTEGER_RANGES[go];
  if (range !== undefined) {
    expect(field.type, where).toBe('integer');
    expect([field.minimum, field.maximum], where).toEqual(range);
  } else if (go === 'string') {
    expect(field.type === 'string' || Array.isArray(field.enum), where).toBe(true);
  } else if (go === 'bool') {
    expect(field.type, where).toBe('boolean');
  } else if (go === 'float64') {
    expect(field.type, where).toBe('number');
  } else if (go === '[]byte') {
    expect(field.type, where).toBe('string');
    expect(field.pattern, where).toBe(BASE64);
  } else if (go === 'time.Time') {
    expect(field.type, where).toBe('string');
    expect(typeof field.pattern, where).toBe('string');
  } else if (go === 'interface{}' || go === 'json.RawMessage' || go === 'v1.Metrics') {
    expect(field.properties, where).toBeUndefined();
    expect(field.type === undefined || field.patternProperties !== undefined, where).toBe(true);
  } else if (go.startsWith('[]')) {
    expect(field.type, where).toBe('array');
    expectGoType(field.items as Schema, go.slice(2), `${where}[]`);
  } else if (go.startsWith('map[string]')) {
    expect(field.type, where).toBe('object');
    const values = Object.values(field.patternProperties as Record<string, Schema>);
    expect(values, where).toHaveLength(1);
    expect(field.additionalProperties, where).toBe(false);
    expectGoType(values[0]!, go.slice('map[string]'.length), `${where}{}`);
  } else if (go.startsWith('guestrequest.')) {
    expect(Array.isArray(field.enum), where).toBe(true);
  } else if (spec.enums[go] !== undefined) {
    const values = spec.enums[go].values.map((v) => v.value);
    expect(field.enum, where).toEqual(values);
  } else if (spec.types[go] !== undefined) {
    // Inside a recursive type the field refers to the type by name.
    if (typeof field.$ref === 'string' && field.$defs === undefined) expect(field.$ref, where).toBe(go);
    else expect(structOf(field).title, where).toBe(go);
  } else {
    throw new Error(`${where}: no rule for Go type ${go}`);
  }
}

const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

describe('schema v2 against hcs-schema2-fields.json', () => {
  it('covers every struct type except the swagger helpers', () => {
    expect(structTypes).toHaveLength(141);
    for (const [name] of structTypes) expect(exported[`${name}Schema`], name).toBeTypeOf('object');
    for (const name of SWAGGER_HELPERS) expect(exported[`${name}Schema`], name).toBeUndefined();
  });

  it.each(structTypes)('%s has exactly the JSON keys of the Go struct, in declaration order', (name, type) => {
    const struct = structOf(schemaOf(name));
    expect(struct.title).toBe(name);
    expect(struct.additionalProperties).toBe(false);
    expect(Object.keys(struct.properties as object)).toEqual(type.fields.map((f) => f.json));
  });

  it.each(structTypes)('%s models each field with its Go type and omitempty behaviour', (name, type) => {
    const struct = structOf(schemaOf(name));
    const properties = struct.properties as Record<string, Schema>;
    const required = new Set((struct.required ?? []) as string[]);
    for (const f of type.fields) {
      const field = properties[f.json]!;
      const where = `${name}.${f.json} (${f.go})`;
      const go = (field[GO_FIELD] ?? {}) as GoField;
      const alwaysWritten = f.omitemptyNoEffect === true || !f.omitempty;
      expect(required.has(f.json), `${where} is required`).toBe(alwaysWritten);
      expect(go.keep === true, `${where} keep`).toBe(alwaysWritten);
      const pointerToScalar = f.go.startsWith('*') && spec.types[f.go.slice(1)] === undefined && f.go !== '*interface{}' && f.go !== '*v1.Metrics';
      expect(go.pointer === true, `${where} pointer`).toBe(pointerToScalar);
      if (f.go === 'time.Time') expect(go.zero, where).toBe('0001-01-01T00:00:00Z');
      expectGoType(field, f.go.startsWith('*') ? f.go.slice(1) : f.go, where);
    }
  });

  it.each(Object.entries(spec.enums))('enum %s lists exactly the Go constants', (name, e) => {
    const values = Object.values(exported[name] as object);
    expect(values).toEqual(e.values.map((v) => v.value));
  });

  it('keeps the spellings HCS insists on', () => {
    const memory = Object.keys(structOf(schemaOf('VirtualMachineMemory')).properties as object);
    expect(memory).toEqual(expect.arrayContaining(['LowMmioGapInMB', 'HighMmioBaseInMB', 'HighMmioGapInMB', 'SizeInMB']));
    expect(Object.keys(structOf(schemaOf('NumaProcessors')).properties as object)).toEqual(['count_per_node', 'node_per_socket']);
    expect(Object.keys(structOf(schemaOf('Range')).properties as object)).toEqual(['max']);
    expect(Object.keys(structOf(schemaOf('Devices')).properties as object)).toContain('VirtualPci');
    expect(Object.keys(structOf(schemaOf('Properties')).properties as object)).toContain('SystemGUID');
    expect(Object.keys(structOf(schemaOf('HvSocket2')).properties as object)).toEqual(['HvSocketConfig']);
    expect(Object.values(exported.PropertyType as object)).toContain('SystemGUID');
  });

  it('validates GUIDs where HCS expects them, and LUNs as SCSI attachment keys', () => {
    const prop = (type: string, key: string) => (structOf(schemaOf(type)).properties as Record<string, Schema>)[key]!;
    const keyPattern = (schema: Schema) => Object.keys(schema.patternProperties as object)[0];
    for (const [type, key] of [
      ['CpuGroup', 'Id'],
      ['VirtualMachine', 'ResourcePartitionId'],
      ['Uefi', 'SecureBootTemplateId'],
      ['HvSocketAddress', 'LocalAddress'],
      ['HvSocketAddress', 'ParentAddress'],
      ['CpuGroupConfig', 'GroupId'],
    ] as const) {
      expect(prop(type, key).pattern, `${type}.${key}`).toBe(GUID);
    }
    expect(keyPattern(prop('HvSocketSystemConfig', 'ServiceTable'))).toBe(GUID);
    expect(keyPattern(prop('Devices', 'VirtualPci'))).toBe(GUID);
    expect(keyPattern(prop('Scsi', 'Attachments'))).toBe('^(?:[0-9]|[1-5][0-9]|6[0-3])$');
  });

  it('uses the value sets the spec fixes for plain string fields', () => {
    const prop = (type: string, key: string) => (structOf(schemaOf(type)).properties as Record<string, Schema>)[key]!;
    expect(prop('Uefi', 'ApplySecureBootTemplate').enum).toEqual(['Apply', 'Skip']);
    expect(prop('RegistryKey', 'Hive').enum).toEqual(['System', 'Software', 'Security', 'Sam']);
    expect(prop('ModifySettingRequest', 'RequestType').enum).toEqual(['Add', 'Remove', 'PreAdd', 'Update']);
    expect(prop('IsolationSettings', 'IsolationType').enum).toEqual(['SecureNestedPaging', 'VirtualizationBasedSecurity', 'GuestStateOnly']);
    expect(prop('CloseHandle', 'Handle').enum).toEqual(['StdIn', 'StdOut', 'StdErr', 'All']);
    expect(RequestType.PreAdd).toBe('PreAdd');
    expect(MemoryBackingType.Physical).toBe('Physical');
    expect(Plan9ShareFlags.LinuxMetadata | Plan9ShareFlags.ReadOnly).toBe(5);
  });
});

describe('schema versions and Windows builds', () => {
  it('writes the schema version constants as hcsshim does', () => {
    expect(toHcsJson(SchemaVersion.V1_0, VersionSchema)).toBe('{"Major":1}');
    expect(toHcsJson(SchemaVersion.V2_1, VersionSchema)).toBe('{"Major":2,"Minor":1}');
    expect(toHcsJson(SchemaVersion.V2_5, VersionSchema)).toBe('{"Major":2,"Minor":5}');
    expect(Object.isFrozen(SchemaVersion.V2_1)).toBe(true);
    expect(validateWith(VersionSchema, SchemaVersion.V2_5).ok).toBe(true);
  });

  it('names the build thresholds of hcs-host.md §5.1', () => {
    expect(WindowsBuild).toEqual({
      RS5: 17763,
      KERNEL_DIRECT: 18286,
      V19H1: 18362,
      COLD_DISCARD_HINT: 18967,
      V20H2: 19042,
      V21H1: 19043,
      LTSC2022: 20348,
      V25H1_SERVER: 26100,
    });
  });

  it('supports 1.0 everywhere, 2.1 from RS5 and 2.5 from LTSC2022', () => {
    expect(isSchemaVersionSupported(SchemaVersion.V1_0, 14393)).toBe(true);
    expect(isSchemaVersionSupported(SchemaVersion.V2_1, 17762)).toBe(false);
    expect(isSchemaVersionSupported(SchemaVersion.V2_1, 17763)).toBe(true);
    expect(isSchemaVersionSupported(SchemaVersion.V2_5, 20347)).toBe(false);
    expect(isSchemaVersionSupported({ Major: 2, Minor: 5 }, 20348)).toBe(true);
    expect(isSchemaVersionSupported({ Major: 2, Minor: 3 }, 26100)).toBe(false);
    expect(isSchemaVersionSupported({ Major: 1 }, 26100)).toBe(true);
  });

  it('picks 1.0 before RS5, 2.1 from RS5, or a requested version the build supports', () => {
    expect(schemaVersionForBuild(17134)).toBe(SchemaVersion.V1_0);
    expect(schemaVersionForBuild(17763)).toBe(SchemaVersion.V2_1);
    expect(schemaVersionForBuild(26100, SchemaVersion.V2_5)).toBe(SchemaVersion.V2_5);
    expect(schemaVersionForBuild(19041, SchemaVersion.V2_5)).toBe(SchemaVersion.V2_1);
    expect(schemaVersionForBuild(26100, { Major: 3, Minor: 0 })).toBe(SchemaVersion.V2_1);
  });

  it('rejects a build that is not a build number with a ValidationError', () => {
    for (const bad of [Number.NaN, -1, 1.5, Infinity]) {
      expect(() => schemaVersionForBuild(bad)).toThrow(ValidationError);
      expect(() => isSchemaVersionSupported(SchemaVersion.V2_1, bad)).toThrow(/non-negative integer/);
    }
  });
});
