import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HcsError,
  NULL_GUID,
  SCSI_CONTROLLER_GUIDS,
  hvSocketServicePath,
  networkAdapterPath,
  scsiAttachmentPath,
  toHcsJson,
  ModifySettingRequestSchema,
  type HcsSystem,
  type ModifySettingRequest,
} from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator;
let vm: HcsSystem;

beforeEach(async () => {
  sim = createHcsSimulator();
  vm = await sim.createComputeSystem('vm', uvmDocument());
  await sim.startComputeSystem(vm);
});
afterEach(async () => {
  await sim.close();
});

const modify = (request: ModifySettingRequest) => sim.modifyComputeSystem(vm, request);
const devices = () => sim.inspect('vm')?.document.VirtualMachine?.Devices;

async function failure(request: ModifySettingRequest): Promise<HcsError> {
  const error = await modify(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcsError);
  return error as HcsError;
}

describe('modify requests applied to the stored document', () => {
  it('hot-adds a SCSI disk that a properties query then shows', async () => {
    await modify({ ResourcePath: scsiAttachmentPath(1, 3), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\disks\\scratch.vhdx', ReadOnly: true } });
    expect(devices()?.Scsi?.[SCSI_CONTROLLER_GUIDS[1]]).toEqual({ Attachments: { '3': { Type: 'VirtualDisk', Path: 'C:\\disks\\scratch.vhdx', ReadOnly: true } } });
    const properties = (await sim.getComputeSystemProperties(vm, '{"PropertyTypes":["MappedVirtualDisk"]}')) as Record<string, unknown>;
    expect(properties.MappedVirtualDiskControllers).toEqual({ '1': { MappedVirtualDisks: { '3': { HostPath: 'C:\\disks\\scratch.vhdx', ReadOnly: true } } } });
  });

  it('accepts the request as a JSON string exactly as a backend sends it', async () => {
    const request = toHcsJson({ ResourcePath: scsiAttachmentPath(0, 0), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\a.vhdx' } }, ModifySettingRequestSchema);
    await sim.modifyComputeSystem(vm, request);
    expect(devices()?.Scsi?.[SCSI_CONTROLLER_GUIDS[0]]?.Attachments?.['0']?.Path).toBe('C:\\a.vhdx');
  });

  it('refuses a LUN that is taken with ERROR_ALREADY_EXISTS and leaves the first disk in place', async () => {
    await modify({ ResourcePath: scsiAttachmentPath(0, 5), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\first.vhdx' } });
    const error = await failure({ ResourcePath: scsiAttachmentPath(0, 5), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\second.vhdx' } });
    expect(error.hresult).toBe(SimulatedHResult.alreadyExists);
    expect(error.errorEvents[0]?.message).toContain('SCSI LUN 5');
    expect(devices()?.Scsi?.[SCSI_CONTROLLER_GUIDS[0]]?.Attachments?.['5']?.Path).toBe('C:\\first.vhdx');
  });

  it('refuses a disk on a controller the VM does not have with E_INVALIDARG naming the controller', async () => {
    const error = await failure({ ResourcePath: scsiAttachmentPath(3, 0), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\x.vhdx' } });
    expect(error.hresult).toBe(SimulatedHResult.invalidArgument);
    expect(error.errorEvents[0]?.message).toContain(SCSI_CONTROLLER_GUIDS[3]);
  });

  it('refuses LUN 64 and a LUN that is not a number', async () => {
    const base = `VirtualMachine/Devices/Scsi/${SCSI_CONTROLLER_GUIDS[0]}/Attachments/`;
    expect((await failure({ ResourcePath: `${base}64`, RequestType: 'Add', Settings: { Path: 'x' } })).hresult).toBe(SimulatedHResult.invalidArgument);
    expect((await failure({ ResourcePath: `${base}01`, RequestType: 'Add', Settings: { Path: 'x' } })).hresult).toBe(SimulatedHResult.invalidArgument);
  });

  it('removes a disk, after which the controller is empty again, and refuses to remove it twice', async () => {
    await modify({ ResourcePath: scsiAttachmentPath(0, 1), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\d.vhdx' } });
    await modify({ ResourcePath: scsiAttachmentPath(0, 1), RequestType: 'Remove' });
    expect(devices()?.Scsi?.[SCSI_CONTROLLER_GUIDS[0]]).toEqual({});
    const error = await failure({ ResourcePath: scsiAttachmentPath(0, 1), RequestType: 'Remove' });
    expect(error.hresult).toBe(SimulatedHResult.elementNotFound);
    expect(error.errorEvents[0]?.message).toContain('never added or was already removed');
  });

  it('checks settings against the schema and reports the path inside Settings', async () => {
    const error = await failure({ ResourcePath: scsiAttachmentPath(0, 2), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 7 } });
    expect(error.hresult).toBe(SimulatedHResult.invalidJson);
    expect(error.errorEvents[0]?.message).toMatch(/^\/Settings\/Path: /);
  });

  it('adds, updates and removes a network adapter', async () => {
    const path = networkAdapterPath('8c9a3a2e-1b7e-4c4e-9a57-111111111111');
    await modify({ ResourcePath: path, RequestType: 'Add', Settings: { EndpointId: 'e1', MacAddress: '00-15-5D-00-00-01' } });
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { EndpointId: 'e1', MacAddress: '00-15-5D-00-00-02' } });
    expect(Object.values(devices()?.NetworkAdapters ?? {})).toEqual([{ EndpointId: 'e1', MacAddress: '00-15-5D-00-00-02' }]);
    await modify({ ResourcePath: path, RequestType: 'Remove', Settings: { EndpointId: 'e1' } });
    expect(devices()?.NetworkAdapters).toBeUndefined();
    expect((await failure({ ResourcePath: path, RequestType: 'Update', Settings: {} })).hresult).toBe(SimulatedHResult.elementNotFound);
  });

  it('assigns and removes a virtual PCI device under its lower-case VMBus GUID', async () => {
    const path = 'VirtualMachine/Devices/VirtualPci/ABCDEF01-2345-6789-ABCD-EF0123456789';
    await modify({ ResourcePath: path, RequestType: 'Add', Settings: { Functions: [{ DeviceInstancePath: 'PCIP\\VEN_1', VirtualFunction: 1 }] } });
    expect(Object.keys(devices()?.VirtualPci ?? {})).toEqual(['abcdef01-2345-6789-abcd-ef0123456789']);
    await modify({ ResourcePath: path, RequestType: 'Remove' });
    expect(devices()?.VirtualPci).toBeUndefined();
  });

  it('maps and unmaps a host pipe, which the document has no place for', async () => {
    const path = 'VirtualMachine/Devices/MappedPipes/\\\\.\\pipe\\uvm-test';
    await modify({ ResourcePath: path, RequestType: 'Add' });
    expect(sim.inspect('vm')?.mappedPipes).toEqual(['\\\\.\\pipe\\uvm-test']);
    expect((await failure({ ResourcePath: path, RequestType: 'Add' })).hresult).toBe(SimulatedHResult.alreadyExists);
    await modify({ ResourcePath: path, RequestType: 'Remove' });
    expect(sim.inspect('vm')?.mappedPipes).toEqual([]);
    expect((await failure({ ResourcePath: 'VirtualMachine/Devices/MappedPipes/not-a-pipe', RequestType: 'Add' })).hresult).toBe(SimulatedHResult.invalidArgument);
  });

  it('adds and removes Plan9 shares by name, refusing a name twice', async () => {
    const share = { Name: 's0', AccessName: 's0', Path: 'C:\\share', Port: 564, Flags: 4 };
    await modify({ ResourcePath: 'VirtualMachine/Devices/Plan9/Shares', RequestType: 'Add', Settings: share });
    expect(devices()?.Plan9).toEqual({ Shares: [share] });
    expect((await failure({ ResourcePath: 'VirtualMachine/Devices/Plan9/Shares', RequestType: 'Add', Settings: share })).hresult).toBe(SimulatedHResult.alreadyExists);
    await modify({ ResourcePath: 'VirtualMachine/Devices/Plan9/Shares', RequestType: 'Remove', Settings: { Name: 's0', AccessName: 's0', Port: 564 } });
    expect(devices()?.Plan9).toEqual({});
  });

  it('adds, updates and removes VSMB shares by name', async () => {
    const path = 'VirtualMachine/Devices/VirtualSmb/Shares';
    await modify({ ResourcePath: path, RequestType: 'Add', Settings: { Name: 's1', Path: 'C:\\dir', AllowedFiles: ['a'], Options: { ReadOnly: true } } });
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { Name: 's1', Path: 'C:\\dir', AllowedFiles: ['a', 'b'], Options: { ReadOnly: true } } });
    expect(devices()?.VirtualSmb?.Shares?.[0]?.AllowedFiles).toEqual(['a', 'b']);
    await modify({ ResourcePath: path, RequestType: 'Remove', Settings: { Name: 's1' } });
    expect(devices()?.VirtualSmb).toEqual({});
    expect((await failure({ ResourcePath: path, RequestType: 'Remove', Settings: { Name: 's1' } })).hresult).toBe(SimulatedHResult.elementNotFound);
  });

  it('creates, updates and deletes HvSocket service entries as HCS documents it', async () => {
    const id = '0000006d-facb-11e6-bd58-64006a7986d3';
    const path = hvSocketServicePath(id);
    const table = () => devices()?.HvSocket?.HvSocketConfig?.ServiceTable;
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', AllowWildcardBinds: true } });
    expect(table()).toEqual({ [id]: { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', AllowWildcardBinds: true } });
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { ConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)', Disabled: true } });
    expect(table()).toEqual({ [id]: { ConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)', Disabled: true } });
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { Disabled: true } });
    expect(table()).toBeUndefined();
    await modify({ ResourcePath: path, RequestType: 'Update', Settings: { AllowWildcardBinds: true } });
    await modify({ ResourcePath: path, RequestType: 'Remove' });
    expect(table()).toBeUndefined();
  });

  it('adds VPMem devices within the controller limit and mappings onto an existing device', async () => {
    await modify({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/0', RequestType: 'Add', Settings: { HostPath: 'C:\\layer0.vhd', ReadOnly: true, ImageFormat: 'Vhd1' } });
    expect(devices()?.VirtualPMem?.Devices).toEqual({ '0': { HostPath: 'C:\\layer0.vhd', ReadOnly: true, ImageFormat: 'Vhd1' } });
    expect((await failure({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/4', RequestType: 'Add', Settings: { HostPath: 'x' } })).hresult).toBe(SimulatedHResult.invalidArgument);
    await modify({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/0/Mappings/4096', RequestType: 'Add', Settings: { HostPath: 'C:\\layer1.vhd', ImageFormat: 'Vhd1' } });
    expect(sim.inspect('vm')?.vpmemMappings).toEqual({ '0': { '4096': { HostPath: 'C:\\layer1.vhd', ImageFormat: 'Vhd1' } } });
    expect((await failure({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/1/Mappings/0', RequestType: 'Add', Settings: { HostPath: 'x' } })).hresult).toBe(
      SimulatedHResult.elementNotFound,
    );
    await modify({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/0/Mappings/4096', RequestType: 'Remove' });
    await modify({ ResourcePath: 'VirtualMachine/Devices/VirtualPMem/Devices/0', RequestType: 'Remove' });
    expect(devices()?.VirtualPMem).toEqual({ MaximumCount: 4, MaximumSizeBytes: 4294967296 });
    expect(sim.inspect('vm')?.vpmemMappings).toEqual({});
  });

  it('moves the VM into a host CPU group that exists and out of it with the null GUID', async () => {
    const group = '11111111-2222-3333-4444-555555555555';
    const path = 'VirtualMachine/ComputeTopology/Processor/CpuGroup';
    expect((await failure({ ResourcePath: path, Settings: { Id: group } })).hresult).toBe(SimulatedHResult.invalidArgument);
    await sim.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'CreateGroup', OperationDetails: { GroupId: group, LogicalProcessorCount: 2, LogicalProcessors: [0, 1] } } });
    await modify({ ResourcePath: path, Settings: { Id: group } });
    expect(sim.inspect('vm')?.document.VirtualMachine?.ComputeTopology?.Processor).toEqual({ Count: 2, CpuGroup: { Id: group } });
    await modify({ ResourcePath: path, Settings: { Id: NULL_GUID } });
    expect(sim.inspect('vm')?.document.VirtualMachine?.ComputeTopology?.Processor).toEqual({ Count: 2 });
  });

  it('updates processor limits and memory size, with the request type omitted as hcsshim sends it', async () => {
    await modify({ ResourcePath: 'VirtualMachine/ComputeTopology/Processor/Limits', Settings: { Limit: 50000, Weight: 200, MaximumFrequencyMHz: 1800 } });
    await modify({ ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 2048 });
    const snapshot = sim.inspect('vm');
    expect(snapshot?.document.VirtualMachine?.ComputeTopology).toEqual({ Memory: { SizeInMB: 2048 }, Processor: { Count: 2, Limit: 50000, Weight: 200 } });
    expect(snapshot?.maximumFrequencyMHz).toBe(1800);
    expect((await failure({ ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: -1 })).hresult).toBe(SimulatedHResult.invalidJson);
    expect((await failure({ ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', RequestType: 'Add', Settings: 1 })).hresult).toBe(SimulatedHResult.invalidArgument);
  });

  it('says plainly what it does not model: unknown paths and guest requests', async () => {
    const unknown = await failure({ ResourcePath: 'VirtualMachine/Devices/ComPorts/0', RequestType: 'Add', Settings: { NamedPipe: '\\\\.\\pipe\\com' } });
    expect(unknown.hresult).toBe(SimulatedHResult.notSupported);
    expect(unknown.errorEvents[0]?.message).toContain('does not model the resource path');
    const guest = await failure({ ResourcePath: scsiAttachmentPath(0, 0), RequestType: 'Add', Settings: { Path: 'x' }, GuestRequest: { ResourceType: 'MappedVirtualDisk' } });
    expect(guest.hresult).toBe(SimulatedHResult.notSupported);
  });

  it('changes nothing when a request fails half-way', async () => {
    const before = sim.inspect('vm')?.document;
    await failure({ ResourcePath: scsiAttachmentPath(0, 0), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 1 } });
    expect(sim.inspect('vm')?.document).toEqual(before);
    expect(sim.inspect('vm')?.modifications).toBe(0);
  });

  it('applies cold modifications to a system that has not started yet', async () => {
    const cold = await sim.createComputeSystem('cold', uvmDocument());
    await sim.modifyComputeSystem(cold, { ResourcePath: scsiAttachmentPath(0, 0), RequestType: 'Add', Settings: { Type: 'VirtualDisk', Path: 'C:\\cold.vhdx' } });
    expect(sim.inspect('cold')?.document.VirtualMachine?.Devices?.Scsi?.[SCSI_CONTROLLER_GUIDS[0]]?.Attachments?.['0']?.Path).toBe('C:\\cold.vhdx');
  });
});
