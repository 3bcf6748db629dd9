import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, ProtocolError, type Hcs } from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { UtilityVM } from '@uvm/vmmanager';
import { uvmDocument } from './vmFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

function nothingLeaked(): void {
  expect(sim.counters()).toMatchObject({ systems: 0, systemHandles: 0, listeners: 0, connections: 0, pendingOperations: 0, eventListeners: 0 });
}

const WORKER_EVENTS = [{ message: "'uvm' failed to start. (Virtual machine ID 5E0B...)", provider: '17103E3F-3C6E-4677-BB17-3B267EB5BE57', eventId: 12010, source: 'Microsoft-Windows-Hyper-V-Worker' }];

describe('HCS failures', () => {
  it('gives a typed HcsError with HCS error events when start fails, and keeps the VM created', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    sim.injectFault({ call: 'startComputeSystem', hresult: 0x80370100, errorMessage: 'The VM exited while starting.', errorEvents: WORKER_EVENTS });
    const error = (await vm.start().catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(0x80370100);
    expect(error.hresultName).toBe('HCS_E_TERMINATED_DURING_START');
    expect(error.systemId).toBe('uvm');
    expect(error.errorEvents).toEqual(WORKER_EVENTS);
    expect(error.message).toContain('Microsoft-Windows-Hyper-V-Worker');
    expect(vm.state).toBe('created');
    expect(vm.startedTime).toBeUndefined();
    await vm.start();
    expect(vm.state).toBe('running');
    await vm.close();
    nothingLeaked();
  });

  it('terminates and closes what it created when reading the runtime id fails, so nothing leaks', async () => {
    sim = createHcsSimulator();
    sim.injectFault({ call: 'getComputeSystemProperties', hresult: 0x8037011b, errorMessage: 'Access denied.' });
    const error = (await UtilityVM.create('uvm', uvmDocument({ ShouldTerminateOnLastHandleClosed: false }), { hcs: sim }).catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(0x8037011b);
    nothingLeaked();
  });

  it('cleans up when HCS answers without a runtime id', async () => {
    sim = createHcsSimulator();
    const answerless: Hcs = new Proxy(sim, {
      get(target, property, receiver) {
        if (property === 'getComputeSystemProperties') return () => Promise.resolve({ Id: 'uvm' });
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(UtilityVM.create('uvm', uvmDocument(), { hcs: answerless })).rejects.toBeInstanceOf(ProtocolError);
    nothingLeaked();
  });

  it('fails a modify mid-operation with the HcsError and keeps the VM running and usable', async () => {
    sim = createHcsSimulator({ latency: 5 });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.start();
    sim.injectFault({ call: 'modifyComputeSystem', hresult: 0x8007001f, errorEvents: [{ message: 'The disk could not be attached.' }] });
    await expect(vm.addScsiDisk(0, 0, { Type: 'VirtualDisk', Path: 'C:\\d.vhdx' })).rejects.toMatchObject({ name: 'HcsError', hresult: 0x8007001f });
    expect(sim.inspect('uvm')?.document.VirtualMachine?.Devices?.Scsi).toMatchObject({});
    expect(vm.state).toBe('running');
    await vm.addScsiDisk(0, 0, { Type: 'VirtualDisk', Path: 'C:\\d.vhdx' });
    await vm.close();
    nothingLeaked();
  });

  it('passes HCS refusing a LUN that is taken through as HcsError', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.addScsiDisk(0, 7, { Type: 'VirtualDisk', Path: 'C:\\a.vhdx' });
    await expect(vm.addScsiDisk(0, 7, { Type: 'VirtualDisk', Path: 'C:\\b.vhdx' })).rejects.toMatchObject({ hresult: SimulatedHResult.alreadyExists });
    await vm.close();
  });
});

describe('cancellation', () => {
  it('cancels a pending start through its signal; the VM stays created', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 5_000 } } });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const controller = new AbortController();
    const start = vm.start({ signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 10);
    await expect(start).rejects.toMatchObject({ name: 'AbortError' });
    expect(vm.state).toBe('created');
    expect(sim.inspect('uvm')?.state).toBe('Created');
    expect(sim.counters().pendingOperations).toBe(0);
    await vm.close();
    nothingLeaked();
  });

  it('cancels a pending create so that no system is left behind', async () => {
    sim = createHcsSimulator({ latency: { calls: { createComputeSystem: 5_000 } } });
    const controller = new AbortController();
    const create = UtilityVM.create('uvm', uvmDocument(), { hcs: sim, signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error('user gave up'));
    }, 10);
    await expect(create).rejects.toThrow('user gave up');
    nothingLeaked();
  });

  it('times a start out with the default from the timeouts option', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 5_000 } } });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim, timeouts: { systemStart: 20 } });
    await expect(vm.start()).rejects.toMatchObject({ name: 'TimeoutError', timeoutMs: 20 });
    await expect(vm.pause({ timeoutMs: 1 })).rejects.toMatchObject({ hresult: SimulatedHResult.invalidState });
    await vm.close();
    nothingLeaked();
  });

  it('bounds the wait of terminate by its timeoutMs when the VM does not exit', async () => {
    sim = createHcsSimulator({ shutdownDelayMs: 5_000 });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.start();
    await expect(vm.shutdown({ timeoutMs: 20 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(vm.state).toBe('running');
    await vm.terminate();
    await vm.close();
  });
});

describe('the syscall watchdog', () => {
  it('logs a call that runs past syscallWatcher and lets it finish instead of abandoning it', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 80 } } });
    const warnings: string[] = [];
    const noop = () => undefined;
    const logger = { debug: noop, info: noop, error: noop, warn: (a: unknown, b?: string) => warnings.push(typeof a === 'string' ? a : (b ?? '')) };
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim, logger, timeouts: { syscallWatcher: 10 } });
    await vm.start();
    expect(vm.state).toBe('running');
    expect(warnings.some((w) => w.startsWith('start has been running for at least'))).toBe(true);
    await vm.close();
  });

  it('survives a logger whose warn throws', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 80 } } });
    let warned = 0;
    const noop = () => undefined;
    const logger = { debug: noop, info: noop, error: noop, warn: () => { warned++; throw new Error('logger broke'); } };
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim, logger, timeouts: { syscallWatcher: 10 } });
    await vm.start();
    expect(vm.state).toBe('running');
    expect(warned).toBeGreaterThan(0);
    await vm.close();
  });

  it('does not log calls that finish within syscallWatcher, however many run', async () => {
    sim = createHcsSimulator({ latency: { calls: { getComputeSystemProperties: 2 } } });
    const warnings: string[] = [];
    const noop = () => undefined;
    const logger = { debug: noop, info: noop, error: noop, warn: (a: unknown, b?: string) => warnings.push(typeof a === 'string' ? a : (b ?? '')) };
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim, logger, timeouts: { syscallWatcher: 100 } });
    const started = Date.now();
    // Back-to-back calls for several sweeps of the watchdog, each far shorter than its limit.
    while (Date.now() - started < 400) await vm.properties(['Memory']);
    expect(warnings.filter((w) => w.includes('has been running for at least'))).toEqual([]);
    await vm.close();
  });
});

describe('releasing resources', () => {
  it('succeeds in releasing resources of a VM that has already exited', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.start();
    await vm.addScsiDisk(0, 1, { Type: 'VirtualDisk', Path: 'C:\\d.vhdx' });
    await vm.addPlan9Share({ Name: 's', AccessName: 's', Path: 'C:\\s', Port: 564 });
    sim.crash('uvm');
    await vm.wait();
    await vm.removeScsiDisk(0, 1);
    await vm.removePlan9Share({ Name: 's', AccessName: 's', Port: 564 });
    await vm.removeHvSocketService('0000006d-facb-11e6-bd58-64006a7986d3');
    await vm.close();
  });

  it('succeeds in releasing when HCS says the VM is gone before the exit event arrived', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.start();
    sim.injectFault({ call: 'modifyComputeSystem', hresult: SimulatedHResult.systemNotFound });
    await vm.removeScsiDisk(0, 5);
    await vm.close();
  });

  it('reports releasing a resource that was never added as an error that says so', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.start();
    const error = (await vm.removeScsiDisk(2, 9).catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(0x80070490);
    expect(error.operation).toBe('removeScsiDisk');
    expect(error.message).toContain('The SCSI disk at controller 2, LUN 9 is not on this VM: it was never added, or was already removed.');
    await vm.close();
  });

  it('does not treat a failed add as a release', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    sim.injectFault({ call: 'modifyComputeSystem', hresult: SimulatedHResult.systemNotFound });
    await expect(vm.addPipe('\\\\.\\pipe\\p')).rejects.toMatchObject({ hresult: SimulatedHResult.systemNotFound });
    await vm.close();
  });
});
