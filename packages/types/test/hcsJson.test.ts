import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ContainerSchema,
  IovSettingsSchema,
  MemoryMigrationTransferThrottleParamsSchema,
  ModifySettingRequestSchema,
  NumaProcessorsSchema,
  PropertyQuerySchema,
  StatisticsSchema,
  ValidationError,
  VersionSchema,
  VirtualPciDeviceSchema,
  assertComputeSystem,
  toHcsJson,
  type ComputeSystem,
} from '@uvm/types';

const read = (name: string) => readFileSync(new URL(`../../../docs/examples/${name}`, import.meta.url), 'utf8');

describe('toHcsJson round trips the fixtures', () => {
  it.each(['lcow-default.json', 'lcow-full.json'])('%s: JSON.parse(toHcsJson(doc)) equals the document, key order included', (name) => {
    const text = read(name);
    const doc = assertComputeSystem(JSON.parse(text));
    const json = toHcsJson(doc);
    expect(JSON.parse(json)).toEqual(doc);
    // The fixtures are toHcsJson output indented by two spaces, so the text matches exactly too.
    expect(`${JSON.stringify(JSON.parse(json), null, 2)}\n`).toBe(text);
  });
});

describe('toHcsJson follows Go encoding/json', () => {
  it('writes Version{2,0} as {"Major":2}', () => {
    expect(toHcsJson({ Major: 2, Minor: 0 }, VersionSchema)).toBe('{"Major":2}');
  });

  it('writes a ComputeSystem in declaration order whatever order the object was built in', () => {
    const doc: ComputeSystem = { ShouldTerminateOnLastHandleClosed: true, VirtualMachine: { StopOnReset: true }, SchemaVersion: { Minor: 1, Major: 2 }, Owner: 'o' };
    expect(toHcsJson(doc)).toBe('{"Owner":"o","SchemaVersion":{"Major":2,"Minor":1},"VirtualMachine":{"StopOnReset":true},"ShouldTerminateOnLastHandleClosed":true}');
  });

  it('leaves out zero values: false, 0, "", empty arrays and maps', () => {
    const doc: ComputeSystem = {
      Owner: '',
      VirtualMachine: {
        StopOnReset: false,
        ComputeTopology: { Memory: { SizeInMB: 0, AllowOvercommit: false, LowMmioGapInMB: 0 }, Numa: { PreferredPhysicalNodes: [] } },
        Devices: { Scsi: {}, ComPorts: {}, Plan9: { Shares: [] } },
      },
    };
    expect(toHcsJson(doc)).toBe('{"VirtualMachine":{"ComputeTopology":{"Memory":{},"Numa":{}},"Devices":{"Plan9":{}}}}');
  });

  it('drops an empty Attachments map but keeps the controller as {}', () => {
    const doc: ComputeSystem = { VirtualMachine: { Devices: { Scsi: { 'df6d0690-79e5-55b6-a5ec-c1e2f77f580a': { Attachments: {} } } } } };
    expect(toHcsJson(doc)).toBe('{"VirtualMachine":{"Devices":{"Scsi":{"df6d0690-79e5-55b6-a5ec-c1e2f77f580a":{}}}}}');
  });

  it('keeps pointer scalars when they are false or 0', () => {
    expect(toHcsJson({ PropagateNumaAffinity: false }, VirtualPciDeviceSchema)).toBe('{"PropagateNumaAffinity":false}');
    expect(toHcsJson({ OffloadWeight: 0, QueuePairsRequested: 0 }, IovSettingsSchema)).toBe('{"OffloadWeight":0,"QueuePairsRequested":0}');
    expect(toHcsJson({ SkipThrottling: false, ThrottlingScale: 0, MinimumThrottlePercentage: 0 }, MemoryMigrationTransferThrottleParamsSchema)).toBe(
      '{"SkipThrottling":false,"ThrottlingScale":0,"MinimumThrottlePercentage":0}',
    );
    expect(toHcsJson({}, VirtualPciDeviceSchema)).toBe('{}');
  });

  it('always writes count_per_node, as {} when max is 0', () => {
    expect(toHcsJson({ count_per_node: {} }, NumaProcessorsSchema)).toBe('{"count_per_node":{}}');
    expect(toHcsJson({ count_per_node: { max: 0 }, node_per_socket: 0 }, NumaProcessorsSchema)).toBe('{"count_per_node":{}}');
    expect(toHcsJson({ count_per_node: { max: 4 } }, NumaProcessorsSchema)).toBe('{"count_per_node":{"max":4}}');
  });

  it('always writes the time fields, with Go\'s zero time when unset', () => {
    expect(toHcsJson({ Uptime100ns: 5 }, StatisticsSchema)).toBe('{"Timestamp":"0001-01-01T00:00:00Z","ContainerStartTime":"0001-01-01T00:00:00Z","Uptime100ns":5}');
  });

  it('sorts map keys', () => {
    const doc: ComputeSystem = {
      VirtualMachine: { Devices: { ComPorts: { '1': { NamedPipe: 'b' }, '0': { NamedPipe: 'a' } } } },
    };
    expect(toHcsJson(doc)).toBe('{"VirtualMachine":{"Devices":{"ComPorts":{"0":{"NamedPipe":"a"},"1":{"NamedPipe":"b"}}}}}');
  });

  it('writes untyped settings as given and keeps null map values of a property query', () => {
    expect(toHcsJson({ ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 2048 }, ModifySettingRequestSchema)).toBe(
      '{"ResourcePath":"VirtualMachine/ComputeTopology/Memory/SizeInMB","Settings":2048}',
    );
    expect(toHcsJson({ Queries: { CompatibilityInfo: null } }, PropertyQuerySchema)).toBe('{"Queries":{"CompatibilityInfo":null}}');
  });

  it('writes nested object directories in declaration order', () => {
    const container = {
      AdditionalDeviceNamespace: { device_extension: [{ namespace: { ob: { objdir: [{ objdir: [{ shadow: 's', name: 'inner' }], name: 'outer' }] } } }] },
    };
    expect(toHcsJson(container, ContainerSchema)).toBe(
      '{"AdditionalDeviceNamespace":{"device_extension":[{"namespace":{"ob":{"objdir":[{"name":"outer","objdir":[{"name":"inner","shadow":"s"}]}]}}}]}}',
    );
  });

  it('throws a ValidationError, not a TypeError, for values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.again = cyclic;
    expect(() => toHcsJson({ HostedSystem: cyclic })).toThrow(ValidationError);
    expect(() => toHcsJson({ HostedSystem: { n: 1n } })).toThrow(/\/HostedSystem\/n: must be a JSON value/);
  });
});
