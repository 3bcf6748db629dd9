import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ComputeSystemSchema,
  PropertiesSchema,
  ValidationError,
  assertComputeSystem,
  assertModifySettingRequest,
  assertProcessParameters,
  assertPropertyQuery,
  assertWith,
  toHcsJson,
  validateComputeSystem,
  validateModifySettingRequest,
  validateProcessParameters,
  validatePropertyQuery,
  validateWith,
  type ValidationIssue,
} from '@uvm/types';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../docs/examples/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const lcowDefault = fixture('lcow-default.json');
const lcowFull = fixture('lcow-full.json');

function issuesOf(doc: unknown, options?: { strict?: boolean }): readonly ValidationIssue[] {
  const result = validateComputeSystem(doc, options);
  return result.ok ? [] : result.issues;
}

function issueAt(doc: unknown, path: string, options?: { strict?: boolean }): ValidationIssue {
  const issues = issuesOf(doc, options);
  const issue = issues.find((i) => i.path === path);
  if (issue === undefined) throw new Error(`no issue at ${path}; got ${JSON.stringify(issues)}`);
  return issue;
}

/** A deep copy of `doc` with `path` (a JSON pointer) set to `value`, or deleted when `value` is `DELETE`. */
const DELETE = Symbol('delete');
function withValue(doc: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === DELETE) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return copy;
}

describe('validateComputeSystem', () => {
  it('accepts the default LCOW document and returns the same object, typed', () => {
    const result = validateComputeSystem(lcowDefault);
    expect(result).toEqual({ ok: true, value: lcowDefault });
    expect(result.ok && result.value).toBe(lcowDefault);
  });

  it('accepts the full-featured LCOW document', () => {
    expect(issuesOf(lcowFull)).toEqual([]);
  });

  it('reports every problem at once, each at its JSON pointer', () => {
    let doc = withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Memory/SizeInMB', '1024');
    doc = withValue(doc, '/VirtualMachine/ComputeTopology/Processor/Count', -2);
    doc = withValue(doc, '/VirtualMachine/StopOnReset', 'true');
    expect(issuesOf(doc).map((i) => i.path)).toEqual([
      '/VirtualMachine/StopOnReset',
      '/VirtualMachine/ComputeTopology/Memory/SizeInMB',
      '/VirtualMachine/ComputeTopology/Processor/Count',
    ]);
  });

  it('says what was expected and what was found, with a hint for quoted numbers and booleans', () => {
    const size = issueAt(withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Memory/SizeInMB', '1024'), '/VirtualMachine/ComputeTopology/Memory/SizeInMB');
    expect(size.message).toBe(
      'must be an integer from 0 to 9007199254740991 (uint64; larger values cannot be represented exactly in JavaScript); found the string "1024". Write the number without quotes.',
    );
    const count = issueAt(withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Processor/Count', 2 ** 32), '/VirtualMachine/ComputeTopology/Processor/Count');
    expect(count.message).toBe('must be an integer from 0 to 4294967295 (uint32); found the number 4294967296.');
    const flag = issueAt(withValue(lcowDefault, '/VirtualMachine/StopOnReset', 'true'), '/VirtualMachine/StopOnReset');
    expect(flag.message).toBe('must be true or false; found the string "true". Write true without quotes.');
  });

  it.each([
    ['/VirtualMachine/ComputeTopology/Memory', 'SizeInMb', 'SizeInMB'],
    ['/VirtualMachine/ComputeTopology/Memory', 'LowMMIOGapInMB', 'LowMmioGapInMB'],
    ['/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings', 'count_per_Node', 'count_per_node'],
    ['/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings', 'countPerNode', 'count_per_node'],
    ['/VirtualMachine', 'StopOnRest', 'StopOnReset'],
    ['/VirtualMachine/Devices', 'VirtualPCI', 'VirtualPci'],
    ['', 'SchemaVerison', 'SchemaVersion'],
  ])('suggests the right key for a near miss under %s: %s → %s', (parent, wrong, right) => {
    const doc = withValue(lcowFull, `${parent}/${wrong}`, 1);
    const issue = issueAt(doc, `${parent}/${wrong}`);
    expect(issue.message).toContain(`did you mean "${right}"?`);
  });

  it('lists the known keys when an unknown key resembles none, and says how to allow it', () => {
    const issue = issueAt(withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Processor/Turbo', true), '/VirtualMachine/ComputeTopology/Processor/Turbo');
    expect(issue.message).toBe(
      'is not a key of VirtualMachineProcessor (its keys are Count, Limit, Weight, Reservation, CpuGroup, NumaProcessorsSettings). Remove it, or validate with { strict: false } to pass keys that newer Windows builds accept.',
    );
  });

  it('reports a missing count_per_node, which Go always writes', () => {
    const doc = withValue(lcowFull, '/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings', { node_per_socket: 1 });
    expect(issueAt(doc, '/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings/count_per_node').message).toBe(
      'is missing; NumaProcessors always carries this field (a Range object).',
    );
  });

  it('names the allowed values of an enum and suggests the one meant', () => {
    const doc = withValue(lcowFull, '/VirtualMachine/ComputeTopology/Memory/SlitType', 'firmwareFallbackMeasured');
    expect(issueAt(doc, '/VirtualMachine/ComputeTopology/Memory/SlitType').message).toBe(
      'must be one of "None", "Firmware", "Measured", "FirmwareFallbackMeasured"; found the string "firmwareFallbackMeasured". Did you mean "FirmwareFallbackMeasured"?',
    );
  });

  it('explains GUID, LUN and base64 formats', () => {
    const braces = withValue(lcowFull, '/VirtualMachine/ComputeTopology/Processor/CpuGroup/Id', '{8c1f2e4a-7b3d-4f6e-9a0b-1c2d3e4f5a6b}');
    expect(issueAt(braces, '/VirtualMachine/ComputeTopology/Processor/CpuGroup/Id').message).toMatch(/^must be a GUID: .*Remove the braces around the GUID\.$/);
    const lunPath = '/VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/64';
    expect(issueAt(withValue(lcowFull, lunPath, { Type: 'VirtualDisk' }), lunPath).message).toBe(
      'is not an allowed key of this map: keys must be a SCSI LUN written in decimal, "0" to "63" without leading zeros.',
    );
    const firmware = withValue(lcowDefault, '/VirtualMachine/Chipset/FirmwareFile', { Parameters: 'not base64!' });
    expect(issueAt(firmware, '/VirtualMachine/Chipset/FirmwareFile/Parameters').message).toMatch(/^must be standard padded base64/);
    const bytes = withValue(lcowDefault, '/VirtualMachine/Chipset/FirmwareFile', { Parameters: new Uint8Array([1, 2]) });
    expect(issueAt(bytes, '/VirtualMachine/Chipset/FirmwareFile/Parameters').message).toContain("Buffer.from(bytes).toString('base64')");
  });

  it('rejects null where Go would have omitted the field', () => {
    const issue = issueAt(withValue(lcowDefault, '/VirtualMachine/Chipset', null), '/VirtualMachine/Chipset');
    expect(issue.message).toBe('must be a Chipset object; found null. Leave the key out instead of writing null.');
  });

  it('rejects a document that is not an object', () => {
    for (const doc of [undefined, null, 'doc', 42, [], new Date()]) {
      const issues = issuesOf(doc);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('');
      expect(issues[0]!.message).toMatch(/^must be a ComputeSystem object/);
    }
  });
});

describe('strict and non-strict validation', () => {
  const extended = withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Memory/FutureKnob', { Level: 3 });

  it('reports unknown keys by default', () => {
    expect(issuesOf(extended).map((i) => i.path)).toEqual(['/VirtualMachine/ComputeTopology/Memory/FutureKnob']);
  });

  it('lets unknown keys through with strict: false, and toHcsJson writes them after the known keys', () => {
    const result = validateComputeSystem(extended, { strict: false });
    expect(result.ok).toBe(true);
    const memory = (JSON.parse(toHcsJson(extended)) as { VirtualMachine: { ComputeTopology: { Memory: object } } }).VirtualMachine.ComputeTopology.Memory;
    expect(Object.entries(memory)).toEqual([
      ['SizeInMB', 1024],
      ['AllowOvercommit', true],
      ['FutureKnob', { Level: 3 }],
    ]);
  });

  it('still checks known keys and the JSON-ness of unknown values when not strict', () => {
    const bad = withValue(extended, '/VirtualMachine/ComputeTopology/Memory/SizeInMB', -1);
    expect(issuesOf(bad, { strict: false }).map((i) => i.path)).toEqual(['/VirtualMachine/ComputeTopology/Memory/SizeInMB']);
    const notJson = withValue(extended, '/VirtualMachine/ComputeTopology/Memory/FutureKnob', { Level: 3n });
    expect(issuesOf(notJson, { strict: false }).map((i) => i.path)).toEqual(['/VirtualMachine/ComputeTopology/Memory/FutureKnob/Level']);
  });

  it('keeps map key rules when not strict: a bad SCSI LUN is not an unknown field', () => {
    const doc = withValue(lcowFull, '/VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/007', {});
    expect(issuesOf(doc, { strict: false }).map((i) => i.path)).toEqual(['/VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/007']);
  });
});

describe('validation never throws', () => {
  class Settings {
    Count = 2;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const throwingGetter = Object.defineProperty({}, 'Count', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  const hostileProxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('no keys for you');
      },
    },
  );
  const sparse: number[] = [];
  sparse[0] = 0;
  sparse[2] = 1;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 100_000; i++) deep = [deep];

  const processor = '/VirtualMachine/ComputeTopology/Processor';
  const cases: Array<[string, unknown, string]> = [
    ['a BigInt', withValue(lcowDefault, `${processor}/Count`, 2n), `${processor}/Count`],
    ['a function', withValue(lcowDefault, `${processor}/Count`, () => 2), `${processor}/Count`],
    ['a Symbol', withValue(lcowDefault, '/Owner', Symbol('owner')), '/Owner'],
    ['undefined', { ...lcowDefault, Owner: undefined }, '/Owner'],
    ['NaN', withValue(lcowDefault, `${processor}/Count`, Number.NaN), `${processor}/Count`],
    ['a class instance', withValue(lcowDefault, processor, new Settings()), processor],
    ['a Map', withValue(lcowDefault, '/VirtualMachine/Devices/Scsi', new Map()), '/VirtualMachine/Devices/Scsi'],
    ['a cycle in an untyped field', { ...lcowDefault, HostedSystem: cyclic }, '/HostedSystem/self'],
    ['a getter that throws', withValue(lcowDefault, processor, throwingGetter), `${processor}/Count`],
    ['a proxy whose ownKeys throws', withValue(lcowDefault, processor, hostileProxy), processor],
    ['100 000 nested arrays', { ...lcowDefault, HostedSystem: deep }, '/HostedSystem' + '/0'.repeat(255)],
    ['a BigInt in an untyped field', { ...lcowDefault, HostedSystem: { n: 1n } }, '/HostedSystem/n'],
    ['a non-enumerable extra property', Object.defineProperty({ ...lcowDefault }, 'hidden', { value: 1, enumerable: false }), '/hidden'],
    ['a sparse array', withValue(lcowFull, '/VirtualMachine/ComputeTopology/Numa/PreferredPhysicalNodes', sparse), '/VirtualMachine/ComputeTopology/Numa/PreferredPhysicalNodes/1'],
  ];

  it.each(cases)('reports %s as an issue', (_name, doc, path) => {
    const issues = issuesOf(doc);
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('describes non-JSON values in words', () => {
    expect(issueAt(cases[0]![1], `${processor}/Count`).message).toBe(
      'must be an integer from 0 to 4294967295 (uint32); found the BigInt 2n. JSON has no BigInt: pass a number.',
    );
    expect(issueAt(cases[3]![1], '/Owner').message).toBe('is undefined, which JSON cannot carry; delete the key to leave the field out.');
    expect(issueAt(cases[5]![1], processor).message).toBe('must be a VirtualMachineProcessor object written as a plain object literal; found an instance of Settings.');
    expect(issueAt(cases[7]![1], '/HostedSystem/self').message).toMatch(/circular reference/);
    expect(issueAt(cases[8]![1], `${processor}/Count`).message).toBe('could not be read: its getter threw Error: boom.');
  });

  it('caps a flood of problems and says that it did', () => {
    const doc = withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Numa', { PreferredPhysicalNodes: Array.from({ length: 100_000 }, () => 'x') });
    const issues = issuesOf(doc);
    expect(issues).toHaveLength(101);
    expect(issues.at(-1)).toEqual({ path: '', message: 'More problems were found but not listed; fix these 100 first.' });
  });

  it('accepts objects without a prototype, as JSON.parse with a reviver may produce', () => {
    const memory = Object.assign(Object.create(null) as object, { SizeInMB: 1024 });
    expect(issuesOf(withValue(lcowDefault, '/VirtualMachine/ComputeTopology/Memory', memory))).toEqual([]);
  });
});

describe('generated malformed documents', () => {
  type Case = { name: string; run: () => unknown; faults: string[] };
  const cases: Case[] = [];
  const add = (name: string, doc: unknown, faults: string[]) => {
    cases.push({ name, run: () => assertComputeSystem(doc), faults });
  };

  // Every leaf of the full document gets values of the wrong type; every struct an unknown key, a
  // near-miss key and a wrong shape.
  const mapPaths = /\/(Scsi|Attachments|ServiceTable|VirtualPci|NetworkAdapters|ComPorts|VirtualPMem\/Devices)$/;
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      add(`${path} as a string`, withValue(lcowFull, path, 'x'), [path]);
      node.forEach((item, i) => {
        walk(item, `${path}/${i}`);
      });
      return;
    }
    if (typeof node === 'object' && node !== null) {
      if (path !== '') add(`${path} as an array`, withValue(lcowFull, path, []), [path]);
      // In a struct NotAField is unknown; in a map its value 1 is not the value type.
      add(`${path} with an unknown key`, withValue(lcowFull, `${path}/NotAField`, 1), [`${path}/NotAField`]);
      for (const [key, value] of Object.entries(node)) {
        const keyPath = `${path}/${key}`;
        if (!mapPaths.test(path) && key !== key.toUpperCase()) {
          const nearMiss = withValue(withValue(lcowFull, keyPath, DELETE), `${path}/${key.toUpperCase()}`, value);
          const faults = [`${path}/${key.toUpperCase()}`];
          if (key === 'count_per_node') faults.push(keyPath);
          add(`${keyPath} misspelt`, nearMiss, faults);
        }
        walk(value, keyPath);
      }
      return;
    }
    if (typeof node === 'number') {
      add(`${path} quoted`, withValue(lcowFull, path, String(node)), [path]);
      add(`${path} fractional`, withValue(lcowFull, path, node + 0.5), [path]);
      add(`${path} too large`, withValue(lcowFull, path, 2 ** 64), [path]);
    } else if (typeof node === 'boolean') {
      add(`${path} quoted`, withValue(lcowFull, path, String(node)), [path]);
      add(`${path} as 1`, withValue(lcowFull, path, 1), [path]);
    } else if (typeof node === 'string') {
      add(`${path} as a number`, withValue(lcowFull, path, 42), [path]);
    }
    add(`${path} as null`, withValue(lcowFull, path, null), [path]);
  };
  walk(lcowFull, '');

  const memory = '/VirtualMachine/ComputeTopology/Memory';
  const vpci = '/VirtualMachine/Devices/VirtualPci';
  // [name, path, value, fault below path when the value is a containing object]
  const targeted: Array<[string, string, unknown, string?]> = [
    ['uint8 over 255', '/VirtualMachine/ComputeTopology/Numa/VirtualNodeCount', 256],
    ['uint16 over 65535', `${vpci}/1b2c3d4e-5f60-4718-829a-abcdef012345/Functions/0/VirtualFunction`, 65536],
    ['int32 over 2^31-1', '/VirtualMachine/StorageQoS/IopsMaximum', 2 ** 31],
    ['int32 under -2^31', '/VirtualMachine/StorageQoS/BandwidthMaximum', -(2 ** 31) - 1],
    ['negative uint32', '/VirtualMachine/ComputeTopology/Processor/Count', -1],
    ['uint64 beyond 2^53', `${memory}/SizeInMB`, 2 ** 53],
    ['negative uint64', `${memory}/SizeInMB`, -1024],
    ['Infinity', `${memory}/SizeInMB`, Infinity],
    ['a lower-case enum value', `${memory}/SlitType`, 'firmware'],
    ['an unknown enum value', '/VirtualMachine/ComputeTopology/Numa/Settings/0/MemoryBackingType', 'Persistent'],
    ['an InterruptModeration typo', '/VirtualMachine/Devices/NetworkAdapters/5f0b7e52-3c1a-4d8e-b2f4-6a7c8d9e0f12/IovSettings/InterruptModeration', 'Adaptiv'],
    ['an upper-case image format', '/VirtualMachine/Devices/VirtualPMem/Devices/0/ImageFormat', 'VHD1'],
    ['a GUID with braces', '/VirtualMachine/ComputeTopology/Processor/CpuGroup/Id', '{8c1f2e4a-7b3d-4f6e-9a0b-1c2d3e4f5a6b}'],
    ['a GUID without hyphens', '/VirtualMachine/ComputeTopology/Processor/CpuGroup/Id', '8c1f2e4a7b3d4f6e9a0b1c2d3e4f5a6b'],
    ['a GUID too short', '/VirtualMachine/ResourcePartitionId', '8c1f2e4a-7b3d-4f6e-9a0b-1c2d3e4f5a6'],
    ['a GUID with a non-hex digit', '/VirtualMachine/Chipset/Uefi', { SecureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc48342g' }, '/SecureBootTemplateId'],
    ['a secure boot template action typo', '/VirtualMachine/Chipset/Uefi', { ApplySecureBootTemplate: 'apply' }, '/ApplySecureBootTemplate'],
    ['base64 with bad characters', '/VirtualMachine/Chipset/FirmwareFile', { Parameters: 'a$b=' }, '/Parameters'],
    ['base64 without padding', '/VirtualMachine/Chipset/FirmwareFile', { Parameters: 'aGVsbG8' }, '/Parameters'],
    ['launch data that is not base64', '/VirtualMachine/SecuritySettings', { Isolation: { LaunchData: 'digest' } }, '/Isolation/LaunchData'],
    ['a registry hive typo', '/VirtualMachine/RegistryChanges', { AddValues: [{ Key: { Hive: 'HKLM', Name: 'x' }, Type: 'DWord' }] }, '/AddValues/0/Key/Hive'],
    ['an array as a boolean', '/VirtualMachine/GuestConnection/UseVsock', [80]],
    ['a SCSI LUN of 64', '/VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/64', {}],
    ['a SCSI LUN with a leading zero', '/VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/01', {}],
    ['a service table key that is not a GUID', '/VirtualMachine/Devices/HvSocket/HvSocketConfig/ServiceTable/gcs', {}],
    ['a vPCI key with braces', `${vpci}/{1b2c3d4e-5f60-4718-829a-abcdef012345}`, {}],
    ['a COM port named COM1', '/VirtualMachine/Devices/ComPorts/COM1', {}],
    ['a Date as a struct', '/VirtualMachine/Devices/Plan9', new Date(0)],
    ['a BigInt SizeInMB', `${memory}/SizeInMB`, 4096n],
    ['a function as Owner', '/Owner', () => 'owner'],
  ];
  for (const [name, path, value, below] of targeted) add(name, withValue(lcowFull, path, value), [path + (below ?? '')]);
  add('a missing count_per_node', withValue(lcowFull, '/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings/count_per_node', DELETE), [
    '/VirtualMachine/ComputeTopology/Processor/NumaProcessorsSettings/count_per_node',
  ]);
  const statistics = { Timestamp: '2026-01-31T12:00:00Z', ContainerStartTime: '2026-01-31T11:00:00Z', Uptime100ns: 36_000_000_000 };
  for (const [name, stats, fault] of [
    ['a missing Timestamp', { ContainerStartTime: statistics.ContainerStartTime }, '/Statistics/Timestamp'],
    ['a time without a zone', { ...statistics, Timestamp: '2026-01-31T12:00:00' }, '/Statistics/Timestamp'],
    ['a time with month 13', { ...statistics, ContainerStartTime: '2026-13-01T00:00:00Z' }, '/Statistics/ContainerStartTime'],
    ['a time as a Date', { ...statistics, Timestamp: new Date(0) }, '/Statistics/Timestamp'],
  ] as const) {
    cases.push({ name: `Properties with ${name}`, run: () => assertWith(PropertiesSchema, { Statistics: stats }, 'Properties'), faults: [fault] });
  }

  it('generates at least 100 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: one ValidationError whose issues point at the fault', (_name, c) => {
    let thrown: unknown;
    try {
      c.run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const issues = (thrown as ValidationError).issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const fault of c.faults) expect(issues.map((i) => i.path)).toContain(fault);
    for (const issue of issues) {
      expect(c.faults.some((f) => issue.path === f || issue.path.startsWith(`${f}/`)), `unexpected issue ${JSON.stringify(issue)}`).toBe(true);
      expect(issue.message).toMatch(/^[a-z].*[.?]$/);
    }
  });
});

describe('assert functions', () => {
  it('returns the document typed when it is valid', () => {
    const doc = assertComputeSystem(lcowDefault);
    expect(doc.VirtualMachine?.ComputeTopology?.Memory?.SizeInMB).toBe(1024);
  });

  it('throws one ValidationError listing every issue', () => {
    let doc = withValue(lcowDefault, '/Owner', 7);
    doc = withValue(doc, '/VirtualMachine/StopOnReset', 'yes');
    const error = (() => {
      try {
        assertComputeSystem(doc);
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('assertComputeSystem accepted an invalid document');
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('ERR_UVM_VALIDATION');
    expect(error.subject).toBe('ComputeSystem');
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      'ComputeSystem is invalid (2 problems):\n  /Owner: must be a string; found the number 7.\n  /VirtualMachine/StopOnReset: must be true or false; found the string "yes".',
    );
  });
});

describe('the other documents', () => {
  it('validates modify requests, with the request types HCS knows', () => {
    const request = { ResourcePath: 'VirtualMachine/Devices/Plan9/Shares', RequestType: 'Add', Settings: { Name: '0', Port: 564 } };
    expect(validateModifySettingRequest(request).ok).toBe(true);
    expect(assertModifySettingRequest({ ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 2048 })).toBeDefined();
    const bad = validateModifySettingRequest({ ...request, RequestType: 'add' });
    expect(bad.ok ? [] : bad.issues).toEqual([{ path: '/RequestType', message: 'must be one of "Add", "Remove", "PreAdd", "Update"; found the string "add". Did you mean "Add"?' }]);
  });

  it('validates property queries, including Queries values that are null', () => {
    expect(validatePropertyQuery({ PropertyTypes: ['Memory', 'Statistics'] }).ok).toBe(true);
    expect(assertPropertyQuery({ Queries: { CompatibilityInfo: null } })).toEqual({ Queries: { CompatibilityInfo: null } });
    const bad = validatePropertyQuery({ PropertyTypes: ['Memory', 'Stats'] });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['/PropertyTypes/1']);
  });

  it('validates process parameters, with a console size of exactly [height, width]', () => {
    const params = { CommandLine: 'cmd.exe', Environment: { PATH: 'C:\\Windows' }, CreateStdOutPipe: true, ConsoleSize: [25, 80] };
    expect(validateProcessParameters(params).ok).toBe(true);
    expect(() => assertProcessParameters({ ...params, ConsoleSize: [25] })).toThrow(/ConsoleSize: must have exactly 2 items; found 1\./);
    expect(() => assertProcessParameters({ ...params, Environment: { PATH: 1 } })).toThrow(/\/Environment\/PATH: must be a string/);
  });

  it('validates any schema the same way through validateWith', () => {
    expect(validateWith(ComputeSystemSchema, lcowFull).ok).toBe(true);
    expect(() => assertWith(PropertiesSchema, { Statistics: { Uptime100ns: 1 } }, 'Properties')).toThrow(ValidationError);
  });
});
