import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, TimeoutError, ValidationError, type HcsSystemEvent } from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { settle, uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

describe('test controls of the HCS simulator', () => {
  it('delays each call by its configured latency', async () => {
    sim = createHcsSimulator({ latency: { default: 0, calls: { startComputeSystem: 60 } } });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const started = performance.now();
    await sim.startComputeSystem(vm);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    sim.setLatency(0);
    const quick = performance.now();
    await sim.pauseComputeSystem(vm);
    expect(performance.now() - quick).toBeLessThan(50);
  });

  it('fails the nth call of a kind with the chosen HRESULT and error events, then behaves again', async () => {
    sim = createHcsSimulator();
    const fault = sim.injectFault({
      call: 'startComputeSystem',
      nth: 2,
      hresult: 0x80370118,
      errorMessage: 'The operation did not complete in time.',
      errorEvents: [{ message: 'worker process timed out', provider: 'Microsoft.Windows.HyperV.Worker', eventId: 12030 }],
    });
    const a = await sim.createComputeSystem('a', uvmDocument());
    const b = await sim.createComputeSystem('b', uvmDocument());
    const c = await sim.createComputeSystem('c', uvmDocument());
    await sim.startComputeSystem(a);
    expect(fault.fired).toBe(false);
    const error = (await sim.startComputeSystem(b).catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(0x80370118);
    expect(error.systemId).toBe('b');
    expect(error.errorEvents).toEqual([{ message: 'worker process timed out', provider: 'Microsoft.Windows.HyperV.Worker', eventId: 12030 }]);
    expect(error.message).toContain('HCS_E_OPERATION_TIMEOUT');
    expect(fault.fired).toBe(true);
    expect(sim.inspect('b')?.state).toBe('Created');
    await sim.startComputeSystem(b);
    await sim.startComputeSystem(c);
  });

  it('counts only calls about the system a fault names', async () => {
    sim = createHcsSimulator();
    sim.injectFault({ call: 'modifyComputeSystem', systemId: 'b', hresult: 0x80004005 });
    const a = await sim.createComputeSystem('a', uvmDocument());
    const b = await sim.createComputeSystem('b', uvmDocument());
    const request = { ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 512 };
    await sim.modifyComputeSystem(a, request);
    await expect(sim.modifyComputeSystem(b, request)).rejects.toMatchObject({ hresult: 0x80004005 });
  });

  it('withdraws a fault that was cancelled before it fired', async () => {
    sim = createHcsSimulator();
    sim.injectFault({ call: 'createComputeSystem', hresult: 0x80004005 }).cancel();
    await expect(sim.createComputeSystem('a', uvmDocument())).resolves.toBeDefined();
  });

  it('refuses a fault it cannot inject, naming what is wrong', () => {
    sim = createHcsSimulator();
    expect(() => sim.injectFault({ call: 'startComputer' as never, hresult: 0, nth: 0 })).toThrow(ValidationError);
    try {
      sim.injectFault({ call: 'startComputer' as never, hresult: 0, nth: 0 });
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['/call', '/nth', '/hresult']);
    }
  });

  it('cancels a pending call when its signal aborts, without applying it', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 1000 } } });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const controller = new AbortController();
    const start = sim.startComputeSystem(vm, { signal: controller.signal });
    expect(sim.counters().pendingOperations).toBe(1);
    controller.abort();
    await expect(start).rejects.toMatchObject({ name: 'AbortError' });
    expect(sim.counters().pendingOperations).toBe(0);
    expect(sim.inspect('vm')?.state).toBe('Created');
  });

  it('fails a call that outlives its timeoutMs with a TimeoutError, without applying it', async () => {
    sim = createHcsSimulator({ latency: { calls: { startComputeSystem: 1000 } } });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const error = (await sim.startComputeSystem(vm, { timeoutMs: 20 }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.operation).toBe('HcsStartComputeSystem');
    expect(sim.inspect('vm')?.state).toBe('Created');
  });

  it('refuses a call whose signal has already aborted', async () => {
    sim = createHcsSimulator();
    await expect(sim.createComputeSystem('vm', uvmDocument(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sim.counters().systems).toBe(0);
  });

  it('crashes a running VM: crash events, then an unexpected exit with its HRESULT', async () => {
    sim = createHcsSimulator();
    const events: HcsSystemEvent[] = [];
    const vm = await sim.createComputeSystem('vm', uvmDocument(), { onEvent: (e) => events.push(e) });
    await sim.startComputeSystem(vm);
    sim.crash('vm');
    expect(await sim.waitForComputeSystemExit(vm)).toEqual({ Status: SimulatedHResult.unexpectedExit | 0, ExitType: 'UnexpectedExit' });
    expect(events.map((e) => e.type)).toEqual(['crashInitiated', 'crashReport', 'exited']);
    expect(events[2]).toMatchObject({ unexpected: true });
    expect(() => { sim.crash('vm'); }).toThrow(/only a running or paused VM can crash/);
  });

  it('disconnects the service: every handle hears it, waits fail, and old handles answer SERVICE_DISCONNECT', async () => {
    sim = createHcsSimulator();
    const events: string[] = [];
    const vm = await sim.createComputeSystem('vm', uvmDocument(), { onEvent: (e) => events.push(e.type) });
    await sim.startComputeSystem(vm);
    const wait = sim.waitForComputeSystemExit(vm);
    sim.disconnect();
    await expect(wait).rejects.toMatchObject({ hresult: SimulatedHResult.serviceDisconnect });
    await settle();
    expect(events).toEqual(['serviceDisconnect']);
    await expect(sim.getComputeSystemProperties(vm, {})).rejects.toMatchObject({ hresult: SimulatedHResult.serviceDisconnect });
    expect(sim.counters()).toMatchObject({ systems: 0, systemHandles: 1 });
    await sim.closeComputeSystem(vm);
    expect(sim.counters().systemHandles).toBe(0);
    const fresh = await sim.createComputeSystem('vm', uvmDocument());
    await sim.closeComputeSystem(fresh);
  });

  it('counts handles, listeners, connections and pending calls so a test can see a leak', async () => {
    sim = createHcsSimulator({ latency: { calls: { getComputeSystemProperties: 50 } } });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    const runtimeId = sim.inspect('vm')?.runtimeId as string;
    const listener = await sim.listenVmSocket(runtimeId, '40000000-facb-11e6-bd58-64006a7986d3');
    sim.onComputeSystemEvent(vm, () => undefined);
    const query = sim.getComputeSystemProperties(vm, {});
    expect(sim.counters()).toEqual({
      systems: 1,
      runningSystems: 1,
      systemHandles: 1,
      processHandles: 0,
      listeners: 1,
      connections: 0,
      pendingOperations: 1,
      eventListeners: 1,
    });
    await query;
    await listener.close();
    await sim.closeComputeSystem(vm);
    expect(sim.counters()).toEqual({
      systems: 0,
      runningSystems: 0,
      systemHandles: 0,
      processHandles: 0,
      listeners: 0,
      connections: 0,
      pendingOperations: 0,
      eventListeners: 0,
    });
  });

  it('refuses options it cannot use', () => {
    expect(() => createHcsSimulator({ latency: -1 })).toThrow(ValidationError);
    expect(() => createHcsSimulator({ latency: { calls: { startVm: 1 } as never } })).toThrow(/not a simulated call/);
    expect(() => createHcsSimulator({ host: { architecture: 'x86' as never } })).toThrow(/architecture/);
    sim = createHcsSimulator();
  });

  it('runs 100 VMs through their whole life concurrently', async () => {
    sim = createHcsSimulator({ latency: 1 });
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const vm = await sim.createComputeSystem(`vm-${i}`, uvmDocument());
        await sim.startComputeSystem(vm);
        await sim.modifyComputeSystem(vm, { ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 2048 });
        await sim.terminateComputeSystem(vm);
        await sim.waitForComputeSystemExit(vm);
        await sim.closeComputeSystem(vm);
      }),
    );
    expect(sim.counters()).toMatchObject({ systems: 0, systemHandles: 0, pendingOperations: 0 });
  });
});
