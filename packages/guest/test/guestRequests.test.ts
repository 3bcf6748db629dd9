import { afterEach, describe, expect, it } from 'vitest';
import type { Guest } from '@uvm/guest';
import { StateError, ValidationError } from '@uvm/types';
import { connectScripted, NULL_GUID, UVM_BASE, type Scripted } from './support/connectScripted.js';

// Each expected body below is written from gcs-bridge.md §3–§5 and gcs-protocol-fields.json (key
// order = Go declaration order, omitempty fields absent when empty), not from the implementation.

let session: Scripted<'linux'> | Scripted<'windows'> | undefined;

afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function linux(): Promise<Scripted<'linux'>> {
  const s = await connectScripted('linux');
  session = s;
  return s;
}

async function windows(): Promise<Scripted<'windows'>> {
  const s = await connectScripted('windows');
  session = s;
  return s;
}

/** The text of the one ModifySettings request `action` sends. */
async function modifyText(s: Scripted<'linux'> | Scripted<'windows'>, action: () => Promise<void>): Promise<string> {
  const before = s.scripted.requests.filter((r) => r.procedure === 'ModifySettings').length;
  await action();
  const modifies = s.scripted.requests.filter((r) => r.procedure === 'ModifySettings');
  expect(modifies.length).toBe(before + 1);
  return modifies[modifies.length - 1]!.text;
}

const modify = (request: string) => `{${UVM_BASE},"Request":${request}}\n`;

describe('Guest ModifySettings bodies for a Linux guest', () => {
  it('addMappedVirtualDisk sends MappedVirtualDisk/Add with LCOWMappedVirtualDisk, zero fields omitted', async () => {
    const s = await linux();
    const text = await modifyText(s, () => s.guest.addMappedVirtualDisk({ MountPath: '/run/mounts/scsi/m1', Lun: 1, Controller: 0, ReadOnly: true, Options: ['ro'] }));
    expect(text).toBe(modify('{"RequestType":"Add","ResourceType":"MappedVirtualDisk","Settings":{"MountPath":"/run/mounts/scsi/m1","Lun":1,"ReadOnly":true,"Options":["ro"]}}'));
  });

  it('addMappedVirtualDisk matches the example of gcs-bridge.md §3.13 byte for byte', async () => {
    const s = await linux();
    const text = await modifyText(s, () => s.guest.addMappedVirtualDisk({ MountPath: '/run/mounts/scsi/m0', Lun: 1, ReadOnly: true }));
    expect(text).toBe(
      '{"ContainerId":"00000000-0000-0000-0000-000000000000","ActivityId":"00000000-0000-0000-0000-000000000000","Request":{"RequestType":"Add","ResourceType":"MappedVirtualDisk","Settings":{"MountPath":"/run/mounts/scsi/m0","Lun":1,"ReadOnly":true}}}\n',
    );
  });

  it('removeMappedVirtualDisk sends MappedVirtualDisk/Remove', async () => {
    const s = await linux();
    const text = await modifyText(s, () => s.guest.removeMappedVirtualDisk({ MountPath: '/run/mounts/scsi/m1', Lun: 1, Controller: 2 }));
    expect(text).toBe(modify('{"RequestType":"Remove","ResourceType":"MappedVirtualDisk","Settings":{"MountPath":"/run/mounts/scsi/m1","Lun":1,"Controller":2}}'));
  });

  it('removeScsiDevice sends SCSIDevice/Remove with Controller then Lun', async () => {
    const s = await linux();
    const text = await modifyText(s, () => s.guest.removeScsiDevice({ Controller: 1, Lun: 3 }));
    expect(text).toBe(modify('{"RequestType":"Remove","ResourceType":"SCSIDevice","Settings":{"Controller":1,"Lun":3}}'));
  });

  it('addMappedDirectory and removeMappedDirectory send a Plan 9 LCOWMappedDirectory', async () => {
    const s = await linux();
    const settings = { MountPath: '/run/mounts/m2', Port: 564, ShareName: 'share2', ReadOnly: false };
    expect(await modifyText(s, () => s.guest.addMappedDirectory(settings))).toBe(
      modify('{"RequestType":"Add","ResourceType":"MappedDirectory","Settings":{"MountPath":"/run/mounts/m2","Port":564,"ShareName":"share2"}}'),
    );
    expect(await modifyText(s, () => s.guest.removeMappedDirectory(settings))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"MappedDirectory","Settings":{"MountPath":"/run/mounts/m2","Port":564,"ShareName":"share2"}}'),
    );
  });

  it('addVpciDevice sends VPCIDevice/Add with the VMBus GUID', async () => {
    const s = await linux();
    const text = await modifyText(s, () => s.guest.addVpciDevice({ VMBusGUID: '5cc3b5a9-8ad9-4c4f-b2a0-1c5e0c1d2e3f' }));
    expect(text).toBe(modify('{"RequestType":"Add","ResourceType":"VPCIDevice","Settings":{"VMBusGUID":"5cc3b5a9-8ad9-4c4f-b2a0-1c5e0c1d2e3f"}}'));
  });

  it('addVpmemDevice and removeVpmemDevice send LCOWMappedVPMemDevice with its mapping info', async () => {
    const s = await linux();
    const settings = { DeviceNumber: 0, MountPath: '/run/layers/p0', MappingInfo: { DeviceOffsetInBytes: 4096, DeviceSizeInBytes: 1048576 } };
    expect(await modifyText(s, () => s.guest.addVpmemDevice(settings))).toBe(
      modify('{"RequestType":"Add","ResourceType":"VPMemDevice","Settings":{"MountPath":"/run/layers/p0","MappingInfo":{"DeviceOffsetInBytes":4096,"DeviceSizeInBytes":1048576}}}'),
    );
    expect(await modifyText(s, () => s.guest.removeVpmemDevice({ DeviceNumber: 3, MountPath: '/run/layers/p3' }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"VPMemDevice","Settings":{"DeviceNumber":3,"MountPath":"/run/layers/p3"}}'),
    );
  });

  it('addCombinedLayers and removeCombinedLayers send LCOWCombinedLayers (key ContainerID)', async () => {
    const s = await linux();
    const add = {
      ContainerID: 'c1',
      ContainerRootPath: '/run/gcs/c/c1/rootfs',
      Layers: [{ Path: '/run/layers/p0' }, { Path: '/run/layers/p1' }],
      ScratchPath: '/run/gcs/c/c1/scratch',
    };
    expect(await modifyText(s, () => s.guest.addCombinedLayers(add))).toBe(
      modify(
        '{"RequestType":"Add","ResourceType":"CombinedLayers","Settings":{"ContainerID":"c1","ContainerRootPath":"/run/gcs/c/c1/rootfs","Layers":[{"Path":"/run/layers/p0"},{"Path":"/run/layers/p1"}],"ScratchPath":"/run/gcs/c/c1/scratch"}}',
      ),
    );
    expect(await modifyText(s, () => s.guest.removeCombinedLayers({ ContainerRootPath: '/run/gcs/c/c1/rootfs' }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"CombinedLayers","Settings":{"ContainerRootPath":"/run/gcs/c/c1/rootfs"}}'),
    );
  });

  it('addNetworkInterface and removeNetworkInterface send LCOWNetworkAdapter in declaration order', async () => {
    const s = await linux();
    const nic = {
      NamespaceID: 'a7c1e5f0-1111-4222-8333-944455556666',
      ID: 'b8d2f6a1-2222-4333-8444-a55566667777',
      MacAddress: '00-15-5D-01-02-03',
      DNSSuffix: 'corp.example',
      DNSServerList: '10.0.0.10,10.0.0.11',
      EncapOverhead: 0,
      IPConfigs: [{ IPAddress: '10.0.0.5', PrefixLength: 24 }],
      Routes: [{ NextHop: '10.0.0.1', DestinationPrefix: '0.0.0.0/0', Metric: 0 }],
    };
    expect(await modifyText(s, () => s.guest.addNetworkInterface(nic))).toBe(
      modify(
        '{"RequestType":"Add","ResourceType":"Network","Settings":{"NamespaceID":"a7c1e5f0-1111-4222-8333-944455556666","ID":"b8d2f6a1-2222-4333-8444-a55566667777","MacAddress":"00-15-5D-01-02-03","DNSSuffix":"corp.example","DNSServerList":"10.0.0.10,10.0.0.11","IPConfigs":[{"IPAddress":"10.0.0.5","PrefixLength":24}],"Routes":[{"NextHop":"10.0.0.1","DestinationPrefix":"0.0.0.0/0"}]}}',
      ),
    );
    expect(await modifyText(s, () => s.guest.removeNetworkInterface({ NamespaceID: nic.NamespaceID, ID: nic.ID }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"Network","Settings":{"NamespaceID":"a7c1e5f0-1111-4222-8333-944455556666","ID":"b8d2f6a1-2222-4333-8444-a55566667777"}}'),
    );
  });

  it('updateCgroupMemoryLimits sends PodCgroupMemoryLimit/Update without settings', async () => {
    const s = await linux();
    expect(await modifyText(s, () => s.guest.updateCgroupMemoryLimits())).toBe(modify('{"RequestType":"Update","ResourceType":"PodCgroupMemoryLimit"}'));
  });

  it('addSecurityPolicy sends ConfidentialOptions and injectPolicyFragment a SecurityPolicyFragment', async () => {
    const s = await linux();
    expect(await modifyText(s, () => s.guest.addSecurityPolicy({ EnforcerType: 'rego', EncodedSecurityPolicy: 'cGFja2FnZQ==', EncodedUVMReference: 'dXZt' }))).toBe(
      modify('{"RequestType":"Add","ResourceType":"SecurityPolicy","Settings":{"EnforcerType":"rego","EncodedSecurityPolicy":"cGFja2FnZQ==","EncodedUVMReference":"dXZt"}}'),
    );
    expect(await modifyText(s, () => s.guest.injectPolicyFragment({ Fragment: 'ZnJhZw==' }))).toBe(
      modify('{"RequestType":"Add","ResourceType":"SecurityPolicyFragment","Settings":{"Fragment":"ZnJhZw=="}}'),
    );
  });

  it('a container-scoped modify carries the container id and a constraints body with both keys', async () => {
    const s = await linux();
    s.scripted.auto.set('Create', '{"Result":0}');
    const container = await s.guest.createContainer('c9', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: { ociVersion: '1.1.0' } });
    const text = await modifyText(s, () => container.modify({ RequestType: 'Update', ResourceType: 'ContainerConstraints', Settings: { Linux: { memory: { limit: 1048576 } } } }));
    expect(text).toBe(
      `{"ContainerId":"c9","ActivityId":"${NULL_GUID}","Request":{"RequestType":"Update","ResourceType":"ContainerConstraints","Settings":{"Windows":{},"Linux":{"memory":{"limit":1048576}}}}}\n`,
    );
  });

  it('rejects settings of the wrong shape with a ValidationError that names the field, sending nothing', async () => {
    const s = await linux();
    const before = s.scripted.requests.length;
    const error = await s.guest.addMappedVirtualDisk({ MountPath: '/m', Lun: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe('/Request/Settings/Lun');
    expect(s.scripted.requests.length).toBe(before);
  });

  it('refuses a method call without its settings object, sending nothing', async () => {
    const s = await linux();
    const before = s.scripted.requests.length;
    await expect(s.guest.addMappedVirtualDisk(undefined as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(s.guest.addCombinedLayers('layers' as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(s.guest.modifySettings(null as never)).rejects.toBeInstanceOf(ValidationError);
    expect(s.scripted.requests.length).toBe(before);
  });

  it('refuses Windows-only methods on a Linux guest with a StateError', async () => {
    const s = await linux();
    const asWindows = s.guest as unknown as Guest<'windows'>;
    await expect(asWindows.addBlockCims({ BlockCIMs: [], VolumeGUID: NULL_GUID })).rejects.toBeInstanceOf(StateError);
    await expect(s.guest.modifySettings({ RequestType: 'Update', ResourceType: 'HvSocket', Settings: {} })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('Guest ModifySettings bodies for a Windows guest', () => {
  it('addMappedVirtualDisk, removeMappedVirtualDisk and the container scratch variant send WCOWMappedVirtualDisk', async () => {
    const s = await windows();
    const disk = { ContainerPath: 'C:\\mounts\\scsi\\m1', Lun: 2 };
    expect(await modifyText(s, () => s.guest.addMappedVirtualDisk(disk))).toBe(
      modify('{"RequestType":"Add","ResourceType":"MappedVirtualDisk","Settings":{"ContainerPath":"C:\\\\mounts\\\\scsi\\\\m1","Lun":2}}'),
    );
    expect(await modifyText(s, () => s.guest.removeMappedVirtualDisk(disk))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"MappedVirtualDisk","Settings":{"ContainerPath":"C:\\\\mounts\\\\scsi\\\\m1","Lun":2}}'),
    );
    expect(await modifyText(s, () => s.guest.addMappedVirtualDiskForContainerScratch(disk))).toBe(
      modify('{"RequestType":"Add","ResourceType":"MappedVirtualDiskForContainerScratch","Settings":{"ContainerPath":"C:\\\\mounts\\\\scsi\\\\m1","Lun":2}}'),
    );
  });

  it('addMappedDirectory sends the HCS MappedDirectory', async () => {
    const s = await windows();
    expect(await modifyText(s, () => s.guest.addMappedDirectory({ HostPath: 'C:\\share', ContainerPath: 'C:\\in', ReadOnly: true }))).toBe(
      modify('{"RequestType":"Add","ResourceType":"MappedDirectory","Settings":{"HostPath":"C:\\\\share","ContainerPath":"C:\\\\in","ReadOnly":true}}'),
    );
  });

  it('addCombinedLayers sends WCOWCombinedLayers with its filter type', async () => {
    const s = await windows();
    const layers = { ContainerRootPath: 'C:\\c\\root', Layers: [{ Id: 'a1b2c3d4-0000-4000-8000-000000000001', Path: 'C:\\layers\\1' }], FilterType: 'WCIFS' as const };
    expect(await modifyText(s, () => s.guest.addCombinedLayers(layers))).toBe(
      modify(
        '{"RequestType":"Add","ResourceType":"CombinedLayers","Settings":{"ContainerRootPath":"C:\\\\c\\\\root","Layers":[{"Id":"a1b2c3d4-0000-4000-8000-000000000001","Path":"C:\\\\layers\\\\1"}],"FilterType":"WCIFS"}}',
      ),
    );
    expect(await modifyText(s, () => s.guest.removeCombinedLayers({ ContainerRootPath: 'C:\\c\\root' }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"CombinedLayers","Settings":{"ContainerRootPath":"C:\\\\c\\\\root"}}'),
    );
  });

  it('the confidential layers always carry CombinedLayers, even empty', async () => {
    const s = await windows();
    expect(await modifyText(s, () => s.guest.addConfidentialCombinedLayers({ ContainerID: 'c1', CombinedLayers: { Layers: [{ Path: '\\\\?\\Volume{0a1b2c3d-0000-4000-8000-000000000002}\\Files' }] } }))).toBe(
      modify(
        '{"RequestType":"Add","ResourceType":"CWCOWCombinedLayers","Settings":{"ContainerID":"c1","CombinedLayers":{"Layers":[{"Path":"\\\\\\\\?\\\\Volume{0a1b2c3d-0000-4000-8000-000000000002}\\\\Files"}]}}}',
      ),
    );
    expect(await modifyText(s, () => s.guest.removeConfidentialCombinedLayers({ ContainerID: 'c1' }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"CWCOWCombinedLayers","Settings":{"ContainerID":"c1","CombinedLayers":{}}}'),
    );
  });

  it('addBlockCims sends every BlockCIMDevice key and always the VolumeGUID', async () => {
    const s = await windows();
    const mounts = { BlockCIMs: [{ CimName: 'merged.cim', Lun: 0 }, { CimName: 'layer1.cim', Lun: 1 }], ContainerID: 'c1' };
    expect(await modifyText(s, () => s.guest.addBlockCims(mounts))).toBe(
      modify(
        `{"RequestType":"Add","ResourceType":"WCOWBlockCims","Settings":{"BlockCIMs":[{"CimName":"merged.cim","Lun":0},{"CimName":"layer1.cim","Lun":1}],"VolumeGUID":"${NULL_GUID}","ContainerID":"c1"}}`,
      ),
    );
    expect(await modifyText(s, () => s.guest.removeBlockCims({ ContainerID: 'c1', VolumeGUID: '11111111-2222-4333-8444-555555555555' }))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"WCOWBlockCims","Settings":{"VolumeGUID":"11111111-2222-4333-8444-555555555555","ContainerID":"c1"}}'),
    );
  });

  it('addNetworkInterface wraps a NetworkModifyRequest whose inner RequestType says PreAdd or Add', async () => {
    const s = await windows();
    const adapter = 'c0ffee00-1111-4222-8333-444455556666';
    expect(await modifyText(s, () => s.guest.addNetworkInterface({ AdapterId: adapter, RequestType: 'PreAdd', Settings: { ID: adapter, MacAddress: '00-15-5D-00-00-01' } }))).toBe(
      modify(`{"RequestType":"Add","ResourceType":"Network","Settings":{"AdapterId":"${adapter}","RequestType":"PreAdd","Settings":{"ID":"${adapter}","MacAddress":"00-15-5D-00-00-01"}}}`),
    );
    expect(await modifyText(s, () => s.guest.addNetworkInterface({ AdapterId: adapter, RequestType: 'Add' }))).toBe(
      modify(`{"RequestType":"Add","ResourceType":"Network","Settings":{"AdapterId":"${adapter}","RequestType":"Add"}}`),
    );
    expect(await modifyText(s, () => s.guest.removeNetworkInterface({ AdapterId: adapter, RequestType: 'Remove' }))).toBe(
      modify(`{"RequestType":"Remove","ResourceType":"Network","Settings":{"AdapterId":"${adapter}","RequestType":"Remove"}}`),
    );
    await expect(s.guest.addNetworkInterface({ AdapterId: adapter, RequestType: 'Remove' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('addNetworkNamespace and removeNetworkNamespace send the HCN namespace', async () => {
    const s = await windows();
    const ns = { ID: 'ab12cd34-0000-4000-8000-00000000000a', Type: 'Guest' as const, SchemaVersion: { Major: 2, Minor: 0 } };
    expect(await modifyText(s, () => s.guest.addNetworkNamespace(ns))).toBe(
      modify('{"RequestType":"Add","ResourceType":"NetworkNamespace","Settings":{"ID":"ab12cd34-0000-4000-8000-00000000000a","Type":"Guest","SchemaVersion":{"Major":2,"Minor":0}}}'),
    );
    expect(await modifyText(s, () => s.guest.removeNetworkNamespace(ns))).toBe(
      modify('{"RequestType":"Remove","ResourceType":"NetworkNamespace","Settings":{"ID":"ab12cd34-0000-4000-8000-00000000000a","Type":"Guest","SchemaVersion":{"Major":2,"Minor":0}}}'),
    );
  });

  it('updateHvSocketAddress sends HvSocket/Update with the local and parent addresses', async () => {
    const s = await windows();
    expect(await modifyText(s, () => s.guest.updateHvSocketAddress({ LocalAddress: '11111111-2222-4333-8444-555555555555', ParentAddress: '894cc2d6-9d79-424f-93fe-42969ae6d8d1' }))).toBe(
      modify('{"RequestType":"Update","ResourceType":"HvSocket","Settings":{"LocalAddress":"11111111-2222-4333-8444-555555555555","ParentAddress":"894cc2d6-9d79-424f-93fe-42969ae6d8d1"}}'),
    );
  });

  it('refuses Linux-only methods on a Windows guest with a StateError', async () => {
    const s = await windows();
    const asLinux = s.guest as unknown as Guest<'linux'>;
    await expect(asLinux.addVpmemDevice({ DeviceNumber: 0, MountPath: '/x' })).rejects.toBeInstanceOf(StateError);
    await expect(asLinux.updateCgroupMemoryLimits()).rejects.toBeInstanceOf(StateError);
  });
});

describe('Guest bodies of the other procedures', () => {
  it('dumpStacks sends the bare base for the UVM and returns GuestStacks', async () => {
    const s = await linux();
    s.scripted.auto.set('DumpStacks', '{"Result":0,"GuestStacks":"goroutine 1 [running]:"}');
    await expect(s.guest.dumpStacks()).resolves.toBe('goroutine 1 [running]:');
    expect(s.scripted.requests.find((r) => r.procedure === 'DumpStacks')?.text).toBe(`{${UVM_BASE}}\n`);
  });

  it('createContainer double-encodes the LCOW config in Go key order', async () => {
    const s = await linux();
    await s.guest.createContainer('c1', { SchemaVersion: { Major: 2, Minor: 1 }, OciBundlePath: '/run/gcs/c/c1', OciSpecification: { ociVersion: '1.1.0', process: { args: ['sh'] } }, ScratchDirPath: '/run/gcs/c/c1/scratch/c1' });
    const config = '{"SchemaVersion":{"Major":2,"Minor":1},"OciBundlePath":"/run/gcs/c/c1","OciSpecification":{"ociVersion":"1.1.0","process":{"args":["sh"]}},"ScratchDirPath":"/run/gcs/c/c1/scratch/c1"}';
    expect(s.scripted.requests.find((r) => r.procedure === 'Create')?.text).toBe(`{"ContainerId":"c1","ActivityId":"${NULL_GUID}","ContainerConfig":${JSON.stringify(config)}}\n`);
  });

  it('start, shutdown, terminate and deleteContainerState send the bare base with the container id', async () => {
    const s = await linux();
    for (const p of ['ShutdownGraceful', 'ShutdownForced', 'DeleteContainerState']) s.scripted.auto.set(p, '{"Result":0}');
    const c = await s.guest.createContainer('c2', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} });
    await c.start();
    await c.shutdown();
    await c.terminate();
    await s.guest.deleteContainerState('c2');
    const base = `{"ContainerId":"c2","ActivityId":"${NULL_GUID}"}\n`;
    expect(s.scripted.requests.filter((r) => ['Start', 'ShutdownGraceful', 'ShutdownForced', 'DeleteContainerState'].includes(r.procedure ?? '')).map((r) => [r.procedure, r.text])).toEqual([
      ['Start', base],
      ['ShutdownGraceful', base],
      ['ShutdownForced', base],
      ['DeleteContainerState', base],
    ]);
  });

  it('properties sends a V1 query as a JSON string and decodes the Properties string', async () => {
    const s = await linux();
    s.scripted.auto.set('GetProperties', JSON.stringify({ Result: 0, Properties: '{"ProcessList":[{"ProcessId":42}]}' }));
    const c = await s.guest.createContainer('c3', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} });
    await expect(c.properties(['ProcessList'])).resolves.toEqual({ ProcessList: [{ ProcessId: 42 }] });
    expect(s.scripted.requests.find((r) => r.procedure === 'GetProperties')?.text).toBe(`{"ContainerId":"c3","ActivityId":"${NULL_GUID}","Query":"{\\"PropertyTypes\\":[\\"ProcessList\\"]}"}\n`);
  });

  it('propertiesV2 sends the HCS PropertyQuery and reads LCOWMetrics', async () => {
    const s = await linux();
    s.scripted.auto.set('GetProperties', JSON.stringify({ Result: 0, Properties: '{"LCOWMetrics":{"pids":{"current":3}}}' }));
    const c = await s.guest.createContainer('c4', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} });
    await expect(c.propertiesV2({ PropertyTypes: ['Statistics'] })).resolves.toEqual({ LCOWMetrics: { pids: { current: 3 } } });
    expect(s.scripted.requests.find((r) => r.procedure === 'GetProperties')?.text).toBe(`{"ContainerId":"c4","ActivityId":"${NULL_GUID}","Query":"{\\"PropertyTypes\\":[\\"Statistics\\"]}"}\n`);
  });
});
