import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  CwcowBlockCimMountsSchema,
  CwcowCombinedLayersSchema,
  GCS_NULL_CONTAINER_ID,
  gcsModifySettingsRequestSchema,
  GuestRequestType,
  GuestResourceType,
  guestResourceSettingsSchema,
  HostComputeNamespaceSchema,
  HvSocketAddressSchema,
  LcowContainerConstraintsSchema,
  LcowMappedVirtualDiskSchema,
  LcowNetworkAdapterSchema,
  LINUX_GCS_RESOURCE_SUPPORT,
  MappedDirectorySchema,
  toGoJson,
  validateWith,
  WcowMappedVirtualDiskSchema,
  WcowNetworkModifyRequestSchema,
} from '@uvm/types';

const NULL = GCS_NULL_CONTAINER_ID;

describe('guestResourceSettingsSchema', () => {
  it('gives the LCOW or WCOW variant of a resource by guest OS', () => {
    expect(guestResourceSettingsSchema('MappedVirtualDisk', 'linux')).toBe(LcowMappedVirtualDiskSchema);
    expect(guestResourceSettingsSchema('MappedVirtualDisk', 'windows')).toBe(WcowMappedVirtualDiskSchema);
    expect(guestResourceSettingsSchema('MappedVirtualDiskForContainerScratch', 'windows')).toBe(WcowMappedVirtualDiskSchema);
    expect(guestResourceSettingsSchema('MappedDirectory', 'windows')).toBe(MappedDirectorySchema);
    expect(guestResourceSettingsSchema('Network', 'linux')).toBe(LcowNetworkAdapterSchema);
    expect(guestResourceSettingsSchema('Network', 'windows')).toBe(WcowNetworkModifyRequestSchema);
    expect(guestResourceSettingsSchema('HvSocket', 'windows')).toBe(HvSocketAddressSchema);
    expect(guestResourceSettingsSchema('NetworkNamespace', 'windows')).toBe(HostComputeNamespaceSchema);
  });

  it('covers every resource type on at least one OS, and exactly the §4.2 guests', () => {
    const linux = Object.values(GuestResourceType).filter((t) => guestResourceSettingsSchema(t, 'linux') !== undefined);
    const windows = Object.values(GuestResourceType).filter((t) => guestResourceSettingsSchema(t, 'windows') !== undefined);
    expect(linux.sort()).toEqual(
      ['MappedVirtualDisk', 'SCSIDevice', 'MappedDirectory', 'VPMemDevice', 'VPCIDevice', 'CombinedLayers', 'Network', 'ContainerConstraints', 'SecurityPolicy', 'SecurityPolicyFragment', 'PodCgroupMemoryLimit'].sort(),
    );
    expect(windows.sort()).toEqual(
      ['MappedVirtualDisk', 'MappedVirtualDiskForContainerScratch', 'MappedDirectory', 'CombinedLayers', 'CWCOWCombinedLayers', 'WCOWBlockCims', 'Network', 'NetworkNamespace', 'HvSocket', 'SecurityPolicy', 'SecurityPolicyFragment'].sort(),
    );
    expect(new Set([...linux, ...windows]).size).toBe(Object.values(GuestResourceType).length);
  });

  it('returns undefined for unknown resources, unknown OSes and inherited property names', () => {
    expect(guestResourceSettingsSchema('Bogus', 'linux')).toBeUndefined();
    expect(guestResourceSettingsSchema('HvSocket', 'linux')).toBeUndefined();
    expect(guestResourceSettingsSchema('toString', 'linux')).toBeUndefined();
    expect(guestResourceSettingsSchema('MappedVirtualDisk', 'macos' as 'linux')).toBeUndefined();
  });

  it('accepts anything for PodCgroupMemoryLimit, whose settings the Linux GCS ignores', () => {
    const schema = guestResourceSettingsSchema('PodCgroupMemoryLimit', 'linux')!;
    expect(Compile(schema).Check(undefined)).toBe(true);
    expect(Compile(schema).Check({ anything: 1 })).toBe(true);
  });
});

describe('LINUX_GCS_RESOURCE_SUPPORT', () => {
  it('lists the request types of §4.2 per resource and the scope of each', () => {
    const summary = Object.fromEntries(Object.entries(LINUX_GCS_RESOURCE_SUPPORT).map(([type, s]) => [type, s.ignoresRequestType ? `any/${s.scope}` : `${s.requestTypes.join('+')}/${s.scope}`]));
    expect(summary).toEqual({
      MappedVirtualDisk: 'Add+Remove/uvm',
      SCSIDevice: 'Remove/uvm',
      MappedDirectory: 'Add+Remove/uvm',
      VPMemDevice: 'Add+Remove/uvm',
      VPCIDevice: 'Add/uvm',
      CombinedLayers: 'Add+Remove/uvm',
      Network: 'Add+Remove/uvm',
      PodCgroupMemoryLimit: 'Update/uvm',
      SecurityPolicy: 'any/uvm',
      SecurityPolicyFragment: 'any/uvm',
      ContainerConstraints: 'any/container',
    });
    expect(LINUX_GCS_RESOURCE_SUPPORT.ContainerConstraints?.requestTypes).toEqual(Object.values(GuestRequestType));
  });

  it('has an entry exactly for the resources the Linux settings lookup knows', () => {
    const withSettings = Object.values(GuestResourceType).filter((t) => guestResourceSettingsSchema(t, 'linux') !== undefined);
    expect(Object.keys(LINUX_GCS_RESOURCE_SUPPORT).sort()).toEqual(withSettings.sort());
  });
});

describe('settings that are always written', () => {
  it('CWCOWBlockCIMMounts writes VolumeGUID as the null GUID when it is unset', () => {
    expect(toGoJson({ BlockCIMs: [{ CimName: '', Lun: 0 }], MountFlags: 0 }, CwcowBlockCimMountsSchema)).toBe(`{"BlockCIMs":[{"CimName":"","Lun":0}],"VolumeGUID":"${NULL}"}`);
  });

  it('CWCOWCombinedLayers writes CombinedLayers as {} when it is unset', () => {
    expect(toGoJson({ ContainerID: 'c1' }, CwcowCombinedLayersSchema)).toBe('{"ContainerID":"c1","CombinedLayers":{}}');
  });

  it('a Linux container-constraints update carries "Windows":{} beside its Linux resources', () => {
    expect(toGoJson({ Linux: { memory: { limit: 1073741824 }, cpu: { shares: 512 } } }, LcowContainerConstraintsSchema)).toBe(
      '{"Windows":{},"Linux":{"memory":{"limit":1073741824},"cpu":{"shares":512}}}',
    );
    expect(toGoJson({}, LcowContainerConstraintsSchema)).toBe('{"Windows":{},"Linux":{}}');
  });

  it('an HCN namespace always writes its SchemaVersion, and a resource its Type and Data', () => {
    expect(toGoJson({ ID: 'ns', Type: 'GuestDefault', Resources: [{ Type: 'Endpoint' }] }, HostComputeNamespaceSchema)).toBe(
      '{"ID":"ns","Type":"GuestDefault","Resources":[{"Type":"Endpoint","Data":null}],"SchemaVersion":{"Major":0,"Minor":0}}',
    );
  });
});

describe('gcsModifySettingsRequestSchema', () => {
  it('validates the settings of the named resource and rejects what the guest would refuse', () => {
    const schema = Compile(gcsModifySettingsRequestSchema('MappedVirtualDisk', 'linux')!);
    const body = (settings: unknown) => ({ ContainerId: NULL, ActivityId: NULL, Request: { RequestType: 'Add', ResourceType: 'MappedVirtualDisk', Settings: settings } });
    expect(schema.Check(body({ MountPath: '/run/mounts/scsi/m0', Lun: 1, Controller: 3 }))).toBe(true);
    expect(schema.Check(body({ Lun: 256 }))).toBe(false);
    expect(schema.Check(body({ ReadOnly: 'yes' }))).toBe(false);
    expect(schema.Check({ ...body({}), ActivityId: 'not-a-guid' })).toBe(false);
    expect(schema.Check({ ...body({}), Request: { ResourceType: 'Bogus' } })).toBe(false);
  });

  it('reports a misspelled settings key with its full path and a suggestion', () => {
    const schema = gcsModifySettingsRequestSchema('MappedVirtualDisk', 'linux')!;
    const result = validateWith(schema, { ContainerId: NULL, ActivityId: NULL, Request: { ResourceType: 'MappedVirtualDisk', Settings: { Lunn: 1, MountPath: '/m' } } });
    expect(!result.ok && result.issues).toEqual([{ path: '/Request/Settings/Lunn', message: expect.stringContaining('"Lun"') as string }]);
  });

  it('writes a WCOW HvSocket update with the HCS HvSocketAddress shape', () => {
    const schema = gcsModifySettingsRequestSchema('HvSocket', 'windows')!;
    const local = '3f6a9c1e-7d2b-4e8f-9a0c-1b2d3e4f5a6b';
    const json = toGoJson(
      { ContainerId: NULL, ActivityId: NULL, Request: { RequestType: 'Update', ResourceType: 'HvSocket', Settings: { ParentAddress: '894cc2d6-9d79-424f-93fe-42969ae6d8d1', LocalAddress: local } } },
      schema,
    );
    expect(json).toBe(
      `{"ContainerId":"${NULL}","ActivityId":"${NULL}","Request":{"RequestType":"Update","ResourceType":"HvSocket","Settings":{"LocalAddress":"${local}","ParentAddress":"894cc2d6-9d79-424f-93fe-42969ae6d8d1"}}}`,
    );
  });

  it('is built once per resource and OS, and is undefined where the guest has no such resource', () => {
    expect(gcsModifySettingsRequestSchema('CombinedLayers', 'linux')).toBe(gcsModifySettingsRequestSchema('CombinedLayers', 'linux'));
    expect(gcsModifySettingsRequestSchema('CombinedLayers', 'linux')).not.toBe(gcsModifySettingsRequestSchema('CombinedLayers', 'windows'));
    expect(gcsModifySettingsRequestSchema('VPMemDevice', 'windows')).toBeUndefined();
  });
});
