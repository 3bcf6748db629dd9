import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, type ProcessorTopology } from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

describe('properties and statistics of simulated systems', () => {
  it('reports statistics that grow with the injected clock', async () => {
    let now = Date.UTC(2026, 10, 1, 12, 0, 0);
    sim = createHcsSimulator({ clock: () => now });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    now += 10_000;
    const first = (await sim.getComputeSystemProperties(vm, { PropertyTypes: ['Statistics'] })).Statistics;
    expect(first).toMatchObject({
      Timestamp: '2026-11-01T12:00:10.000Z',
      ContainerStartTime: '2026-11-01T12:00:00.000Z',
      Uptime100ns: 100_000_000,
      Memory: { MemoryUsageCommitBytes: 1024 * 1024 * 1024 },
    });
    now += 50_000;
    const second = (await sim.getComputeSystemProperties(vm, { PropertyTypes: ['Statistics'] })).Statistics;
    expect(second?.Uptime100ns).toBe(600_000_000);
    expect(second?.Processor?.TotalRuntime100ns).toBeGreaterThan(first?.Processor?.TotalRuntime100ns ?? Infinity);
    expect(second?.Memory?.MemoryUsagePrivateWorkingSetBytes).toBeGreaterThan(first?.Memory?.MemoryUsagePrivateWorkingSetBytes ?? Infinity);
    expect(second?.Storage?.ReadSizeBytes).toBeGreaterThan(first?.Storage?.ReadSizeBytes ?? Infinity);
  });

  it('freezes uptime when the system stops', async () => {
    let now = 1_000_000;
    sim = createHcsSimulator({ clock: () => now });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    now += 2_000;
    await sim.terminateComputeSystem(vm);
    now += 60_000;
    expect((await sim.getComputeSystemProperties(vm, { PropertyTypes: ['Statistics'] })).Statistics?.Uptime100ns).toBe(20_000_000);
  });

  it('answers memory in 4 KiB pages of the configured size, and the last-handle flag', async () => {
    sim = createHcsSimulator();
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    const properties = await sim.getComputeSystemProperties(vm, { PropertyTypes: ['Memory', 'TerminateOnLastHandleClosed', 'SystemGUID'] });
    expect(properties.Memory?.VirtualMachineMemory?.AssignedMemory).toBe(1024 * 256);
    expect(properties.TerminateOnLastHandleClosed).toBe(true);
    expect(properties.SystemGUID).toBe(properties.RuntimeId);
  });

  it('says which property types it does not model instead of inventing an answer', async () => {
    sim = createHcsSimulator();
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const error = (await sim.getComputeSystemProperties(vm, { PropertyTypes: ['GuestMemory'] }).catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(SimulatedHResult.notSupported);
    expect(error.errorEvents[0]?.message).toContain('does not model the "GuestMemory" property type');
  });

  it('rejects a property type that does not exist with INVALID_JSON', async () => {
    sim = createHcsSimulator();
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await expect(sim.getComputeSystemProperties(vm, '{"PropertyTypes":["Everything"]}')).rejects.toMatchObject({ hresult: SimulatedHResult.invalidJson });
  });

  it('answers the host processor topology and CPU groups as service properties', async () => {
    sim = createHcsSimulator({ host: { logicalProcessorCount: 4 } });
    const answer = await sim.getServiceProperties({ PropertyTypes: ['ProcessorTopology'] });
    const topology = answer.Properties?.[0] as ProcessorTopology;
    expect(topology.LogicalProcessorCount).toBe(4);
    expect(topology.LogicalProcessors).toHaveLength(4);
    const group = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    await sim.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'CreateGroup', OperationDetails: { GroupId: group, LogicalProcessors: [2, 3] } } });
    const groups = await sim.getServiceProperties('{"PropertyTypes":["CpuGroup"]}');
    expect(groups.Properties).toEqual([{ CpuGroups: [{ GroupId: group, Affinity: { LogicalProcessorCount: 2, LogicalProcessors: [2, 3] } }] }]);
    await expect(sim.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'CreateGroup', OperationDetails: { GroupId: group, LogicalProcessors: [9] } } })).rejects.toMatchObject({
      hresult: SimulatedHResult.alreadyExists,
    });
    await sim.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'DeleteGroup', OperationDetails: { GroupId: group } } });
    expect((await sim.getServiceProperties({ PropertyTypes: ['CpuGroup'] })).Properties).toEqual([{ CpuGroups: [] }]);
  });

  it('reports the host build and architecture it stands for', async () => {
    sim = createHcsSimulator({ host: { windowsBuild: 20348, architecture: 'arm64' } });
    expect(await sim.getHostInfo()).toEqual({ windowsBuild: 20348, architecture: 'arm64' });
  });

  it('records VM access grants and state files without touching the disk', async () => {
    sim = createHcsSimulator();
    await sim.grantVmAccess('vm', 'C:\\disks\\a.vhdx');
    await sim.grantVmGroupAccess('C:\\shared');
    await sim.createEmptyGuestStateFile('C:\\state\\vm.vmgs');
    await sim.createEmptyRuntimeStateFile('C:\\state\\vm.vmrs');
    expect(sim.vmAccess()).toEqual(new Map([['vm', new Set(['C:\\disks\\a.vhdx'])], ['*', new Set(['C:\\shared'])]]));
    await sim.revokeVmAccess('vm', 'C:\\disks\\a.vhdx');
    expect(sim.vmAccess().has('vm')).toBe(false);
    expect(sim.stateFiles()).toEqual(['C:\\state\\vm.vmgs', 'C:\\state\\vm.vmrs']);
    await expect(sim.grantVmAccess('vm', '')).rejects.toThrow(/path must be a non-empty file path/);
  });
});
