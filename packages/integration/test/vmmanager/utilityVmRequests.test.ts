import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModifySettingRequestSchema, NULL_GUID, SCSI_CONTROLLER_GUIDS, ValidationError, toHcsJson } from '@uvm/types';
import { UtilityVM } from '@uvm/vmmanager';
import { recordingSimulator, type RecordingSimulator } from './recordingHcs.js';
import { uvmDocument } from './vmFixtures.js';

// Each expected string is the request of hcs-host.md §3.2 with the paths of §3.3 and §3.4, written
// out by hand in Go's encoding/json shape (§5.0): zero values omitted, pointer scalars kept.

let rec: RecordingSimulator;
let vm: UtilityVM;

beforeEach(async () => {
  rec = recordingSimulator();
  vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: rec.hcs });
  await vm.start();
  rec.calls.length = 0;
});
afterEach(async () => {
  await vm.close();
  expect(rec.sim.counters()).toMatchObject({ systemHandles: 0, listeners: 0, pendingOperations: 0 });
  await rec.sim.close();
});

/** Runs `act` and returns the one modify request it sent, exactly as sent. */
async function sent(act: () => Promise<void>): Promise<string> {
  await act();
  const requests = rec.modifyRequests();
  expect(requests).toHaveLength(1);
  rec.calls.length = 0;
  return requests[0] as string;
}

const SCSI1 = SCSI_CONTROLLER_GUIDS[1];

describe('the requests of the network manager', () => {
  const nic = '5f2a0c4e-7d1b-4e6a-9c3f-0123456789ab';
  const adapter = { EndpointId: '1b2c3d4e-0000-4000-8000-000000000001', MacAddress: '00-15-5D-52-C0-01' };

  it('adds a NIC at NetworkAdapters/<nicId> with the adapter as settings', async () => {
    expect(await sent(() => vm.addNetworkAdapter(nic, adapter))).toBe(
      `{"ResourcePath":"VirtualMachine/Devices/NetworkAdapters/${nic}","RequestType":"Add","Settings":{"EndpointId":"1b2c3d4e-0000-4000-8000-000000000001","MacAddress":"00-15-5D-52-C0-01"}}`,
    );
  });

  it('keeps IOV pointer fields even when they are zero', async () => {
    const iov = { ...adapter, IovSettings: { OffloadWeight: 0, QueuePairsRequested: 4, InterruptModeration: 'Off' as const } };
    expect(await sent(() => vm.addNetworkAdapter(nic, iov))).toBe(
      `{"ResourcePath":"VirtualMachine/Devices/NetworkAdapters/${nic}","RequestType":"Add","Settings":{"EndpointId":"1b2c3d4e-0000-4000-8000-000000000001","MacAddress":"00-15-5D-52-C0-01","IovSettings":{"OffloadWeight":0,"QueuePairsRequested":4,"InterruptModeration":"Off"}}}`,
    );
  });

  it('updates a NIC with RequestType Update and refuses to update with no settings', async () => {
    await vm.addNetworkAdapter(nic, adapter);
    rec.calls.length = 0;
    expect(await sent(() => vm.updateNetworkAdapter(nic, { ...adapter, MacAddress: '00-15-5D-52-C0-02' }))).toBe(
      `{"ResourcePath":"VirtualMachine/Devices/NetworkAdapters/${nic}","RequestType":"Update","Settings":{"EndpointId":"1b2c3d4e-0000-4000-8000-000000000001","MacAddress":"00-15-5D-52-C0-02"}}`,
    );
    await expect(vm.updateNetworkAdapter(nic, undefined as never)).rejects.toThrow('network adapter settings cannot be nil');
  });

  it('removes a NIC with the adapter as settings, as hcsshim sends it', async () => {
    await vm.addNetworkAdapter(nic, adapter);
    rec.calls.length = 0;
    expect(await sent(() => vm.removeNetworkAdapter(nic, adapter))).toBe(
      `{"ResourcePath":"VirtualMachine/Devices/NetworkAdapters/${nic}","RequestType":"Remove","Settings":{"EndpointId":"1b2c3d4e-0000-4000-8000-000000000001","MacAddress":"00-15-5D-52-C0-01"}}`,
    );
  });
});

describe('the requests of the SCSI manager', () => {
  it('adds a disk under the well-known GUID of its controller, dropping zero-valued fields', async () => {
    const json = await sent(() => vm.addScsiDisk(1, 3, { Type: 'VirtualDisk', Path: 'C:\\disks\\scratch.vhdx', ReadOnly: false, CachingMode: '' }));
    expect(json).toBe(`{"ResourcePath":"VirtualMachine/Devices/Scsi/${SCSI1}/Attachments/3","RequestType":"Add","Settings":{"Type":"VirtualDisk","Path":"C:\\\\disks\\\\scratch.vhdx"}}`);
    expect(json).toBe(toHcsJson({ ResourcePath: `VirtualMachine/Devices/Scsi/${SCSI1}/Attachments/3`, RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\disks\\scratch.vhdx' } }, ModifySettingRequestSchema));
  });

  it('removes a disk with no settings', async () => {
    await vm.addScsiDisk(3, 63, { Type: 'VirtualDisk', Path: 'C:\\d.vhdx', ReadOnly: true });
    rec.calls.length = 0;
    expect(await sent(() => vm.removeScsiDisk(3, 63))).toBe(`{"ResourcePath":"VirtualMachine/Devices/Scsi/${SCSI_CONTROLLER_GUIDS[3]}/Attachments/63","RequestType":"Remove"}`);
  });

  it('refuses a controller or LUN out of range before anything is sent', async () => {
    await expect(vm.addScsiDisk(4, 0, { Path: 'x' })).rejects.toBeInstanceOf(ValidationError);
    await expect(vm.removeScsiDisk(0, 64)).rejects.toThrow(/lun/);
    expect(rec.modifyRequests()).toEqual([]);
  });
});

describe('the requests of the PCI, pipe, Plan9, HvSocket, VPMem and VSMB managers', () => {
  it('assigns a vPCI device under its lower-case VMBus GUID, keeping PropagateNumaAffinity false', async () => {
    const guid = 'ABCDEF01-2345-4678-9ABC-DEF012345678';
    const device = { Functions: [{ DeviceInstancePath: 'PCIP\\VEN_10DE&DEV_1EB8', VirtualFunction: 0 }], PropagateNumaAffinity: false };
    expect(await sent(() => vm.addPciDevice(guid, device))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/VirtualPci/abcdef01-2345-4678-9abc-def012345678","RequestType":"Add","Settings":{"Functions":[{"DeviceInstancePath":"PCIP\\\\VEN_10DE&DEV_1EB8"}],"PropagateNumaAffinity":false}}',
    );
    expect(await sent(() => vm.removePciDevice(guid))).toBe('{"ResourcePath":"VirtualMachine/Devices/VirtualPci/abcdef01-2345-4678-9abc-def012345678","RequestType":"Remove"}');
  });

  it('maps a pipe at MappedPipes/<host path verbatim> with no settings', async () => {
    expect(await sent(() => vm.addPipe('\\\\.\\pipe\\uvm-console'))).toBe('{"ResourcePath":"VirtualMachine/Devices/MappedPipes/\\\\\\\\.\\\\pipe\\\\uvm-console","RequestType":"Add"}');
    expect(await sent(() => vm.removePipe('\\\\.\\pipe\\uvm-console'))).toBe('{"ResourcePath":"VirtualMachine/Devices/MappedPipes/\\\\\\\\.\\\\pipe\\\\uvm-console","RequestType":"Remove"}');
  });

  it('adds and removes a Plan9 share with the share as settings', async () => {
    const share = { Name: '0', AccessName: '0', Path: 'C:\\share', Port: 564, Flags: 0x4, AllowedFiles: [] };
    expect(await sent(() => vm.addPlan9Share(share))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/Plan9/Shares","RequestType":"Add","Settings":{"Name":"0","AccessName":"0","Path":"C:\\\\share","Port":564,"Flags":4}}',
    );
    expect(await sent(() => vm.removePlan9Share({ Name: '0', AccessName: '0', Port: 564 }))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/Plan9/Shares","RequestType":"Remove","Settings":{"Name":"0","AccessName":"0","Port":564}}',
    );
  });

  it('updates an HvSocket service entry under its lower-case id and removes it with no settings', async () => {
    const service = '0000006D-FACB-11E6-BD58-64006A7986D3';
    expect(await sent(() => vm.updateHvSocketService(service, { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', AllowWildcardBinds: true, Disabled: false }))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/HvSocket/HvSocketConfig/ServiceTable/0000006d-facb-11e6-bd58-64006a7986d3","RequestType":"Update","Settings":{"BindSecurityDescriptor":"D:P(A;;FA;;;WD)","AllowWildcardBinds":true}}',
    );
    expect(await sent(() => vm.removeHvSocketService(service))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/HvSocket/HvSocketConfig/ServiceTable/0000006d-facb-11e6-bd58-64006a7986d3","RequestType":"Remove"}',
    );
  });

  it('adds and removes VPMem devices and mappings at their indexed paths', async () => {
    expect(await sent(() => vm.addVpmemDevice(2, { HostPath: 'C:\\layers\\0.vhd', ReadOnly: true, ImageFormat: 'Vhd1' }))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/VirtualPMem/Devices/2","RequestType":"Add","Settings":{"HostPath":"C:\\\\layers\\\\0.vhd","ReadOnly":true,"ImageFormat":"Vhd1"}}',
    );
    expect(await sent(() => vm.addVpmemMapping(2, 4194304, { HostPath: 'C:\\layers\\1.vhd', ImageFormat: 'Vhd1' }))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/VirtualPMem/Devices/2/Mappings/4194304","RequestType":"Add","Settings":{"HostPath":"C:\\\\layers\\\\1.vhd","ImageFormat":"Vhd1"}}',
    );
    expect(await sent(() => vm.removeVpmemMapping(2, 4194304))).toBe('{"ResourcePath":"VirtualMachine/Devices/VirtualPMem/Devices/2/Mappings/4194304","RequestType":"Remove"}');
    expect(await sent(() => vm.removeVpmemDevice(2))).toBe('{"ResourcePath":"VirtualMachine/Devices/VirtualPMem/Devices/2","RequestType":"Remove"}');
  });

  it('adds, updates and removes a VSMB share with the share as settings', async () => {
    const share = { Name: 's1', Path: 'C:\\dir', Options: { ReadOnly: true, ShareRead: true, CacheIo: false } };
    expect(await sent(() => vm.addVsmbShare(share))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/VirtualSmb/Shares","RequestType":"Add","Settings":{"Name":"s1","Path":"C:\\\\dir","Options":{"ReadOnly":true,"ShareRead":true}}}',
    );
    expect(await sent(() => vm.updateVsmbShare({ ...share, AllowedFiles: ['a.txt'] }))).toBe(
      '{"ResourcePath":"VirtualMachine/Devices/VirtualSmb/Shares","RequestType":"Update","Settings":{"Name":"s1","Path":"C:\\\\dir","AllowedFiles":["a.txt"],"Options":{"ReadOnly":true,"ShareRead":true}}}',
    );
    expect(await sent(() => vm.removeVsmbShare({ Name: 's1' }))).toBe('{"ResourcePath":"VirtualMachine/Devices/VirtualSmb/Shares","RequestType":"Remove","Settings":{"Name":"s1"}}');
  });
});

describe('the requests of the resource manager', () => {
  it('sets the CPU group with the request type omitted and a lower-case id', async () => {
    const group = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';
    await rec.sim.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'CreateGroup', OperationDetails: { GroupId: group.toLowerCase(), LogicalProcessors: [0, 1] } } });
    expect(await sent(() => vm.setCpuGroup(group))).toBe('{"ResourcePath":"VirtualMachine/ComputeTopology/Processor/CpuGroup","Settings":{"Id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"}}');
    expect(await sent(() => vm.setCpuGroup(NULL_GUID))).toBe('{"ResourcePath":"VirtualMachine/ComputeTopology/Processor/CpuGroup","Settings":{"Id":"00000000-0000-0000-0000-000000000000"}}');
  });

  it('updates processor limits with the request type omitted and zero limits dropped', async () => {
    expect(await sent(() => vm.updateProcessorLimits({ Limit: 50000, Weight: 0, Reservation: 0, MaximumFrequencyMHz: 2000 }))).toBe(
      '{"ResourcePath":"VirtualMachine/ComputeTopology/Processor/Limits","Settings":{"Limit":50000,"MaximumFrequencyMHz":2000}}',
    );
  });

  it('updates memory with the size as a bare JSON number', async () => {
    expect(await sent(() => vm.updateMemory(2048))).toBe('{"ResourcePath":"VirtualMachine/ComputeTopology/Memory/SizeInMB","Settings":2048}');
    expect(rec.sim.inspect('uvm')?.document.VirtualMachine?.ComputeTopology?.Memory?.SizeInMB).toBe(2048);
  });

  it('refuses a memory size that is not a positive whole number', async () => {
    await expect(vm.updateMemory(0)).rejects.toBeInstanceOf(ValidationError);
    await expect(vm.updateMemory(1.5)).rejects.toThrow(/sizeInMB must be a whole number/);
    await expect(vm.setCpuGroup('{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}')).rejects.toThrow(/Write it as "aaaaaaaa-/);
    expect(rec.modifyRequests()).toEqual([]);
  });
});

describe('validation of the settings a caller passes', () => {
  it('names the bad field of the settings and sends nothing', async () => {
    const error = (await vm.addScsiDisk(0, 0, { Type: 'VirtualDisk', Path: 'C:\\d.vhdx', Readonly: true } as never).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.subject).toBe('Attachment');
    expect(error.issues.map((i) => i.path)).toEqual(['/Readonly']);
    expect(error.message).toContain('ReadOnly');
    expect(rec.modifyRequests()).toEqual([]);
  });
});
