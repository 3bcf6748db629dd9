import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, StateError, ValidationError, type HcsSystemEvent } from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { UtilityVM, type UtilityVMExit } from '@uvm/vmmanager';
import { settle, uvmDocument } from './vmFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

function nothingLeaked(): void {
  expect(sim.counters()).toMatchObject({ systems: 0, systemHandles: 0, processHandles: 0, listeners: 0, connections: 0, pendingOperations: 0, eventListeners: 0 });
}

async function created(id = 'uvm'): Promise<UtilityVM> {
  return UtilityVM.create(id, uvmDocument(), { hcs: sim });
}

async function running(id = 'uvm'): Promise<UtilityVM> {
  const vm = await created(id);
  await vm.start();
  return vm;
}

async function hresultOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcsError);
  return (error as HcsError).hresult;
}

describe('creating and opening a utility VM', () => {
  it('creates the VM stopped and reads its runtime id from HCS', async () => {
    sim = createHcsSimulator();
    const vm = await created();
    expect(vm.id).toBe('uvm');
    expect(vm.runtimeId).toBe(sim.inspect('uvm')?.runtimeId);
    expect(vm.state).toBe('created');
    expect(vm.startedTime).toBeUndefined();
    await vm.close();
    nothingLeaked();
  });

  it('refuses a document that breaks the schema before calling HCS', async () => {
    sim = createHcsSimulator();
    const error = (await UtilityVM.create('uvm', { ...uvmDocument(), ShouldTerminateOnLastHandleclosed: true } as never, { hcs: sim }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.message).toContain('ShouldTerminateOnLastHandleClosed');
    expect(sim.counters().systems).toBe(0);
  });

  it('refuses an empty id', async () => {
    sim = createHcsSimulator();
    await expect(UtilityVM.create('', uvmDocument(), { hcs: sim })).rejects.toBeInstanceOf(ValidationError);
  });

  it('passes HCS failures through as HcsError: an id that is taken', async () => {
    sim = createHcsSimulator();
    const first = await created();
    expect(await hresultOf(created())).toBe(SimulatedHResult.systemAlreadyExists);
    await first.close();
    nothingLeaked();
  });

  it('opens a running VM with its runtime id and state, and reads an exited one as exited', async () => {
    sim = createHcsSimulator();
    const owner = await running();
    const other = await UtilityVM.open('uvm', { hcs: sim });
    expect(other.runtimeId).toBe(owner.runtimeId);
    expect(other.state).toBe('running');
    await owner.terminate();
    await other.wait();
    const late = await UtilityVM.open('uvm', { hcs: sim });
    expect(late.state).toBe('exited');
    expect((await late.wait()).exitType).toBe('ForcedExit');
    await Promise.all([owner.close(), other.close(), late.close()]);
    nothingLeaked();
  });

  it('fails to open an id HCS does not know', async () => {
    sim = createHcsSimulator();
    expect(await hresultOf(UtilityVM.open('missing', { hcs: sim }))).toBe(SimulatedHResult.systemNotFound);
  });
});

describe('the lifetime of a utility VM', () => {
  it('starts, pauses, saves, resumes and shuts down, recording times and state', async () => {
    sim = createHcsSimulator();
    const vm = await created();
    const before = Date.now();
    await vm.start();
    expect(vm.state).toBe('running');
    expect(vm.startedTime?.getTime()).toBeGreaterThanOrEqual(before);
    await vm.pause();
    expect(vm.state).toBe('paused');
    await vm.save({ SaveType: 'ToFile', SaveStateFilePath: 'C:\\state\\uvm.vmrs' });
    expect(sim.stateFiles()).toEqual(['C:\\state\\uvm.vmrs']);
    await vm.resume();
    expect(vm.state).toBe('running');
    const exit = await vm.shutdown();
    expect(exit).toMatchObject({ exitType: 'GracefulExit', status: 0, unexpected: false, error: undefined });
    expect(vm.state).toBe('exited');
    expect(vm.stoppedTime).toEqual(exit.stoppedTime);
    expect(vm.exitError).toBeUndefined();
    await vm.close();
    expect(vm.state).toBe('closed');
    nothingLeaked();
  });

  it('terminates a VM that never started', async () => {
    sim = createHcsSimulator();
    const vm = await created();
    expect((await vm.terminate()).exitType).toBe('ForcedExit');
    await vm.close();
    nothingLeaked();
  });

  const illegal: [string, (vm: UtilityVM) => Promise<unknown>, 'created' | 'running' | 'paused', number][] = [
    ['start a running VM', (vm) => vm.start(), 'running', SimulatedHResult.invalidState],
    ['pause a VM that never started', (vm) => vm.pause(), 'created', SimulatedHResult.invalidState],
    ['resume a running VM', (vm) => vm.resume(), 'running', SimulatedHResult.invalidState],
    ['save a running VM', (vm) => vm.save({ SaveType: 'ToFile' }), 'running', SimulatedHResult.invalidState],
    ['shut down a paused VM', (vm) => vm.shutdown(), 'paused', SimulatedHResult.invalidState],
    ['shut down a VM that never started', (vm) => vm.shutdown(), 'created', SimulatedHResult.invalidState],
    ['pause a paused VM', (vm) => vm.pause(), 'paused', SimulatedHResult.invalidState],
  ];
  it.each(illegal)('lets HCS refuse to %s, and keeps its state', async (_name, act, state, hresult) => {
    sim = createHcsSimulator();
    const vm = await created();
    if (state !== 'created') await vm.start();
    if (state === 'paused') await vm.pause();
    expect(await hresultOf(act(vm))).toBe(hresult);
    expect(vm.state).toBe(state);
    await vm.close();
    nothingLeaked();
  });

  it('makes shutdown and terminate no-ops once the VM has exited, returning the exit', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const exit = await vm.terminate();
    sim.injectFault({ call: 'terminateComputeSystem', hresult: 0x80004005 });
    expect(await vm.terminate()).toBe(exit);
    expect(await vm.shutdown()).toBe(exit);
    await vm.close();
  });

  it('refuses every other call once the VM has exited, with a StateError naming the exit', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    sim.crash('uvm');
    await vm.wait();
    const calls: [string, () => Promise<unknown>][] = [
      ['start', () => vm.start()],
      ['pause', () => vm.pause()],
      ['resume', () => vm.resume()],
      ['save', () => vm.save({})],
      ['properties', () => vm.properties(['Statistics'])],
      ['statistics', () => vm.statistics()],
      ['addScsiDisk', () => vm.addScsiDisk(0, 0, { Path: 'C:\\d.vhdx' })],
      ['updateMemory', () => vm.updateMemory(2048)],
      ['listen', () => vm.listen('40000000-facb-11e6-bd58-64006a7986d3')],
    ];
    for (const [name, call] of calls) {
      const error = (await call().catch((e: unknown) => e)) as StateError;
      expect(error, name).toBeInstanceOf(StateError);
      expect(error.state, name).toBe('exited');
      expect(error.operation, name).toBe(name === 'statistics' ? 'properties' : name);
      expect(error.message, name).toContain('exited unexpectedly');
    }
    await vm.close();
  });

  it('refuses every call but close after close, and closes idempotently', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    await vm.close();
    await vm.close();
    for (const call of [() => vm.start(), () => vm.terminate(), () => vm.shutdown(), () => vm.wait(), () => vm.removeScsiDisk(0, 0), () => vm.listenVsock(1)]) {
      await expect(call()).rejects.toMatchObject({ name: 'StateError', state: 'closed' });
    }
    nothingLeaked();
  });

  it('terminates the VM when its handle closes, as its document asks', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    await vm.close();
    expect(sim.inspect('uvm')).toBeUndefined();
  });

  it('leaves a VM without ShouldTerminateOnLastHandleClosed running after close', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('keep', uvmDocument({ ShouldTerminateOnLastHandleClosed: false }), { hcs: sim });
    await vm.start();
    await vm.close();
    expect(sim.inspect('keep')?.state).toBe('Running');
    const again = await UtilityVM.open('keep', { hcs: sim });
    await again.terminate();
    await again.close();
    nothingLeaked();
  });
});

describe('exits', () => {
  it('reports an unexpected exit through wait(), exitError and the exit event', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const events: UtilityVMExit[] = [];
    const crashes: HcsSystemEvent[] = [];
    vm.on('exit', (exit) => events.push(exit));
    vm.on('crash', (event) => crashes.push(event));
    const waiting = vm.wait();
    sim.crash('uvm');
    const exit = await waiting;
    expect(exit).toMatchObject({ exitType: 'UnexpectedExit', unexpected: true, status: 0xc0370106 });
    expect(exit.error).toBeInstanceOf(HcsError);
    expect((exit.error as HcsError).hresult).toBe(0xc0370106);
    expect(exit.error?.message).toContain('ERROR_VMCOMPUTE_UNEXPECTED_EXIT');
    expect(vm.exitError).toBe(exit.error);
    expect(events).toEqual([exit]);
    expect(crashes.map((e) => e.type)).toEqual(['crashInitiated', 'crashReport']);
    await vm.close();
  });

  it('reports a clean exit the guest started itself (power off) as not unexpected', async () => {
    sim = createHcsSimulator({ guest: (guest) => { guest.powerOff(); } });
    const vm = await running();
    expect(await vm.wait()).toMatchObject({ exitType: 'GracefulExit', unexpected: false, error: undefined });
    expect(vm.exitError).toBeUndefined();
    await vm.close();
  });

  it('treats a lost compute service as an unexpected exit with HCS_E_SERVICE_DISCONNECT', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const waiting = vm.wait();
    sim.disconnect();
    const exit = await waiting;
    expect(exit).toMatchObject({ exitType: undefined, unexpected: true });
    expect((exit.error as HcsError).hresult).toBe(0x8037011e);
    await vm.close();
    nothingLeaked();
  });

  it('rejects a pending wait with a StateError when the VM is closed before it exits', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const waiting = vm.wait();
    await vm.close();
    await expect(waiting).rejects.toMatchObject({ name: 'StateError', state: 'closed' });
  });

  it('cancels a wait through its signal and bounds it with timeoutMs', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const controller = new AbortController();
    const waiting = vm.wait({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await expect(vm.wait({ timeoutMs: 10 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(vm.state).toBe('running');
    await vm.close();
  });

  it('keeps a listener that throws from breaking exit handling', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    vm.on('exit', () => {
      throw new Error('listener bug');
    });
    await vm.terminate();
    expect(vm.state).toBe('exited');
    await vm.close();
  });

  it('emits every HCS event as "event" and a guest connection close as its own event', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    const seen: string[] = [];
    vm.on('event', (event) => seen.push(event.type));
    await vm.terminate();
    await settle();
    expect(seen).toEqual(['exited']);
    await vm.close();
  });
});

describe('properties and statistics', () => {
  it('returns the requested sections, typed', async () => {
    let now = Date.UTC(2026, 0, 1);
    sim = createHcsSimulator({ clock: () => now });
    const vm = await running();
    now += 5_000;
    const properties = await vm.properties(['Memory', 'Statistics', 'ProcessList', 'TerminateOnLastHandleClosed', 'SystemGUID']);
    expect(properties).toMatchObject({ Id: 'uvm', State: 'Running', RuntimeId: vm.runtimeId, SystemGUID: vm.runtimeId, TerminateOnLastHandleClosed: true, ProcessList: [] });
    expect(properties.Memory?.VirtualMachineMemory?.AssignedMemory).toBe(1024 * 256);
    expect(properties.Statistics?.Uptime100ns).toBe(50_000_000);
    now += 5_000;
    expect((await vm.statistics()).Uptime100ns).toBe(100_000_000);
    await vm.close();
  });

  it('refuses a property type that does not exist before asking HCS', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    await expect(vm.properties(['Everything' as never])).rejects.toBeInstanceOf(ValidationError);
    await vm.close();
  });

  it('sends a full query as given for Queries-style requests', async () => {
    sim = createHcsSimulator();
    const vm = await running();
    expect((await vm.queryProperties({ PropertyTypes: ['Memory'] })).Memory).toBeDefined();
    await vm.close();
  });
});

describe('concurrency', () => {
  it('keeps one VM consistent under concurrent calls', async () => {
    sim = createHcsSimulator({ latency: 2 });
    const vm = await created();
    const starts = await Promise.allSettled([vm.start(), vm.start(), vm.start()]);
    expect(starts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await Promise.all([
      vm.addScsiDisk(0, 0, { Type: 'VirtualDisk', Path: 'C:\\0.vhdx' }),
      vm.addScsiDisk(0, 1, { Type: 'VirtualDisk', Path: 'C:\\1.vhdx' }),
      vm.addScsiDisk(1, 0, { Type: 'VirtualDisk', Path: 'C:\\2.vhdx' }),
      vm.updateMemory(2048),
      vm.statistics(),
    ]);
    const [terminated, properties] = await Promise.allSettled([vm.terminate(), vm.properties(['Memory'])]);
    expect(terminated.status).toBe('fulfilled');
    expect(['fulfilled', 'rejected']).toContain(properties.status);
    expect(vm.state).toBe('exited');
    await vm.close();
    nothingLeaked();
  });

  it('runs 100 VMs through their whole life at once without leaking', async () => {
    sim = createHcsSimulator({ latency: 1 });
    const exits = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const vm = await created(`uvm-${i}`);
        await vm.start();
        await vm.addScsiDisk(0, i % 64, { Type: 'VirtualDisk', Path: `C:\\disks\\${i}.vhdx` });
        const exit = i % 2 === 0 ? await vm.terminate() : await vm.shutdown();
        await vm.close();
        return exit.exitType;
      }),
    );
    expect(exits.filter((t) => t === 'ForcedExit')).toHaveLength(50);
    expect(exits.filter((t) => t === 'GracefulExit')).toHaveLength(50);
    nothingLeaked();
  });
});
