import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, StateError, type ComputeSystem, type HcsSystem, type HcsSystemEvent } from '@uvm/types';
import { SimulatedHResult, createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { settle, uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

async function created(id = 'vm'): Promise<HcsSystem> {
  return sim.createComputeSystem(id, uvmDocument());
}

async function running(id = 'vm'): Promise<HcsSystem> {
  const handle = await created(id);
  await sim.startComputeSystem(handle);
  return handle;
}

async function paused(id = 'vm'): Promise<HcsSystem> {
  const handle = await running(id);
  await sim.pauseComputeSystem(handle);
  return handle;
}

async function stopped(id = 'vm'): Promise<HcsSystem> {
  const handle = await running(id);
  await sim.terminateComputeSystem(handle);
  await sim.waitForComputeSystemExit(handle);
  return handle;
}

async function hresultOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcsError);
  return (error as HcsError).hresult;
}

async function stateOf(handle: HcsSystem): Promise<string | undefined> {
  return (await sim.getComputeSystemProperties(handle, {})).State;
}

describe('the simulated HCS state machine', () => {
  it('creates a system in the Created state with a fresh lower-case runtime id', async () => {
    sim = createHcsSimulator();
    const handle = await created();
    const properties = await sim.getComputeSystemProperties(handle, {});
    expect(properties).toMatchObject({ Id: 'vm', SystemType: 'VirtualMachine', Owner: 'sim-test', State: 'Created', RuntimeOsType: 'Linux' });
    expect(properties.RuntimeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(handle).toEqual({ kind: 'system', id: 'vm' });
  });

  it('walks Created → Running → Paused → Running → Stopped through the legal calls', async () => {
    sim = createHcsSimulator();
    const handle = await created();
    await sim.startComputeSystem(handle);
    expect(await stateOf(handle)).toBe('Running');
    await sim.pauseComputeSystem(handle);
    expect(await stateOf(handle)).toBe('Paused');
    await sim.saveComputeSystem(handle, { SaveType: 'ToFile', SaveStateFilePath: 'C:\\state\\vm.vmrs' });
    expect(await stateOf(handle)).toBe('Paused');
    expect(sim.stateFiles()).toContain('C:\\state\\vm.vmrs');
    await sim.resumeComputeSystem(handle);
    expect(await stateOf(handle)).toBe('Running');
    await sim.shutDownComputeSystem(handle);
    expect(await sim.waitForComputeSystemExit(handle)).toEqual({ Status: 0, ExitType: 'GracefulExit' });
    expect(await sim.getComputeSystemProperties(handle, {})).toMatchObject({ State: 'Stopped', Stopped: true, ExitType: 'GracefulExit' });
  });

  it('terminates a system that was never started, and a paused one', async () => {
    sim = createHcsSimulator();
    const a = await created('a');
    await sim.terminateComputeSystem(a);
    expect(await sim.waitForComputeSystemExit(a)).toEqual({ Status: 0, ExitType: 'ForcedExit' });
    const b = await paused('b');
    await sim.terminateComputeSystem(b);
    expect(await sim.waitForComputeSystemExit(b)).toMatchObject({ ExitType: 'ForcedExit' });
  });

  const illegal: [string, () => Promise<HcsSystem>, (h: HcsSystem) => Promise<unknown>, number][] = [
    ['start a running system', () => running(), (h) => sim.startComputeSystem(h), SimulatedHResult.invalidState],
    ['start a paused system', () => paused(), (h) => sim.startComputeSystem(h), SimulatedHResult.invalidState],
    ['start a stopped system', () => stopped(), (h) => sim.startComputeSystem(h), SimulatedHResult.systemAlreadyStopped],
    ['shut down a created system', () => created(), (h) => sim.shutDownComputeSystem(h), SimulatedHResult.invalidState],
    ['shut down a paused system', () => paused(), (h) => sim.shutDownComputeSystem(h), SimulatedHResult.invalidState],
    ['shut down a stopped system', () => stopped(), (h) => sim.shutDownComputeSystem(h), SimulatedHResult.systemAlreadyStopped],
    ['terminate a stopped system', () => stopped(), (h) => sim.terminateComputeSystem(h), SimulatedHResult.systemAlreadyStopped],
    ['pause a created system', () => created(), (h) => sim.pauseComputeSystem(h), SimulatedHResult.invalidState],
    ['pause a paused system', () => paused(), (h) => sim.pauseComputeSystem(h), SimulatedHResult.invalidState],
    ['pause a stopped system', () => stopped(), (h) => sim.pauseComputeSystem(h), SimulatedHResult.systemAlreadyStopped],
    ['resume a created system', () => created(), (h) => sim.resumeComputeSystem(h), SimulatedHResult.invalidState],
    ['resume a running system', () => running(), (h) => sim.resumeComputeSystem(h), SimulatedHResult.invalidState],
    ['resume a stopped system', () => stopped(), (h) => sim.resumeComputeSystem(h), SimulatedHResult.systemAlreadyStopped],
    ['save a running system', () => running(), (h) => sim.saveComputeSystem(h, {}), SimulatedHResult.invalidState],
    ['save a created system', () => created(), (h) => sim.saveComputeSystem(h, {}), SimulatedHResult.invalidState],
    ['crash a created system', () => created(), (h) => sim.crashComputeSystem(h), SimulatedHResult.invalidState],
    ['modify a stopped system', () => stopped(), (h) => sim.modifyComputeSystem(h, { ResourcePath: 'VirtualMachine/ComputeTopology/Memory/SizeInMB', Settings: 2048 }), SimulatedHResult.systemAlreadyStopped],
    ['create a process in a created system', () => created(), (h) => sim.createProcess(h, { CommandLine: 'sh' }), SimulatedHResult.invalidState],
  ];
  it.each(illegal)('refuses to %s with the HRESULT HCS uses', async (_name, arrange, act, hresult) => {
    sim = createHcsSimulator();
    const handle = await arrange();
    const before = await stateOf(handle);
    expect(await hresultOf(act(handle))).toBe(hresult);
    expect(await stateOf(handle)).toBe(before);
  });

  it('names the call, the system and the states in the error', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    const error = (await sim.startComputeSystem(handle).catch((e: unknown) => e)) as HcsError;
    expect(error.operation).toBe('HcsStartComputeSystem');
    expect(error.systemId).toBe('vm');
    expect(error.message).toContain('0xC0370105 (ERROR_VMCOMPUTE_INVALID_STATE)');
    expect(error.errorEvents[0]?.message).toContain('is Running; HcsStartComputeSystem needs it Created');
  });

  it('refuses a second system with the same id and opening an id that does not exist', async () => {
    sim = createHcsSimulator();
    await created('dup');
    expect(await hresultOf(sim.createComputeSystem('dup', uvmDocument()))).toBe(SimulatedHResult.systemAlreadyExists);
    expect(await hresultOf(sim.openComputeSystem('nope'))).toBe(SimulatedHResult.systemNotFound);
  });

  it('rejects a document that is not JSON or breaks the schema with INVALID_JSON and an event per problem', async () => {
    sim = createHcsSimulator();
    expect(await hresultOf(sim.createComputeSystem('bad', '{"Owner":'))).toBe(SimulatedHResult.invalidJson);
    const error = (await sim
      .createComputeSystem('bad', { ...uvmDocument(), VirtualMachine: { ComputeTopology: { Memory: { SizeInMb: 5 } } } } as never)
      .catch((e: unknown) => e)) as HcsError;
    expect(error.hresult).toBe(SimulatedHResult.invalidJson);
    expect(error.errorEvents.map((e) => e.message).join('\n')).toContain('/VirtualMachine/ComputeTopology/Memory/SizeInMb');
    expect(sim.counters()).toMatchObject({ systems: 0, systemHandles: 0 });
  });

  it('accepts unknown keys when created with strict: false, as a newer Windows build would', async () => {
    sim = createHcsSimulator({ strict: false });
    const handle = await sim.createComputeSystem('loose', { ...uvmDocument(), FutureField: true } as never);
    expect(sim.inspect('loose')?.document).toMatchObject({ FutureField: true });
    await sim.closeComputeSystem(handle);
  });

  it('stores its own copy of the document, so later changes by the caller do not reach it', async () => {
    sim = createHcsSimulator();
    const document = uvmDocument();
    await sim.createComputeSystem('copy', document);
    (document.VirtualMachine as { StopOnReset?: boolean }).StopOnReset = false;
    expect(sim.inspect('copy')?.document.VirtualMachine?.StopOnReset).toBe(true);
  });

  it('keeps a map key named __proto__ as data instead of a prototype', async () => {
    sim = createHcsSimulator();
    const document = JSON.parse(JSON.stringify(uvmDocument())) as ComputeSystem;
    const adapters = JSON.parse('{"__proto__":{"EndpointId":"e1"}}') as Record<string, { EndpointId: string }>;
    (document.VirtualMachine?.Devices as { NetworkAdapters?: unknown }).NetworkAdapters = adapters;
    await sim.createComputeSystem('proto', document);
    const stored = sim.inspect('proto')?.document.VirtualMachine?.Devices?.NetworkAdapters ?? {};
    expect(Object.keys(stored)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  });

  it('delivers events asynchronously, never inside the call that caused them', async () => {
    sim = createHcsSimulator();
    const events: string[] = [];
    const handle = await sim.createComputeSystem('vm', uvmDocument(), { onEvent: (e) => events.push(e.type) });
    await sim.startComputeSystem(handle);
    await sim.terminateComputeSystem(handle);
    expect(events).toEqual([]);
    await settle();
    expect(events).toEqual(['exited']);
  });

  it('sends every open handle the exit event and nothing to closed ones', async () => {
    sim = createHcsSimulator();
    const first = await running();
    const second = await sim.openComputeSystem('vm');
    const third = await sim.openComputeSystem('vm');
    const seen: [string, HcsSystemEvent][] = [];
    sim.onComputeSystemEvent(first, (e) => seen.push(['first', e]));
    sim.onComputeSystemEvent(second, (e) => seen.push(['second', e]));
    sim.onComputeSystemEvent(third, (e) => seen.push(['third', e]));
    await sim.closeComputeSystem(third);
    await sim.terminateComputeSystem(first);
    await settle();
    expect(seen.map(([who, e]) => `${who}:${e.type}`)).toEqual(['first:exited', 'second:exited']);
    const event = seen[0]?.[1];
    expect(event).toMatchObject({ code: 1, data: '{"Status":0,"ExitType":"ForcedExit"}', status: { ExitType: 'ForcedExit' }, unexpected: false });
  });

  it('keeps a listener that throws from stopping the others', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    const seen: string[] = [];
    sim.onComputeSystemEvent(handle, () => {
      throw new Error('listener bug');
    });
    sim.onComputeSystemEvent(handle, (e) => seen.push(e.type));
    await sim.terminateComputeSystem(handle);
    await sim.waitForComputeSystemExit(handle);
    expect(seen).toEqual(['exited']);
  });

  it('stops delivering to a listener once its remover ran', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    const seen: string[] = [];
    const remove = sim.onComputeSystemEvent(handle, (e) => seen.push(e.type));
    remove();
    await sim.terminateComputeSystem(handle);
    await sim.waitForComputeSystemExit(handle);
    expect(seen).toEqual([]);
  });

  it('resolves an exit wait at once when the system has already stopped', async () => {
    sim = createHcsSimulator();
    const handle = await stopped();
    expect(await sim.waitForComputeSystemExit(handle)).toMatchObject({ ExitType: 'ForcedExit' });
  });

  it('rejects an exit wait when its handle is closed', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    const wait = sim.waitForComputeSystemExit(handle);
    await sim.closeComputeSystem(handle);
    await expect(wait).rejects.toBeInstanceOf(StateError);
  });

  it('terminates a system with ShouldTerminateOnLastHandleClosed when its last handle closes, and forgets it', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    const other = await sim.openComputeSystem('vm');
    await sim.closeComputeSystem(handle);
    expect(sim.inspect('vm')?.state).toBe('Running');
    await sim.closeComputeSystem(other);
    expect(sim.inspect('vm')).toBeUndefined();
    expect(sim.counters()).toMatchObject({ systems: 0, runningSystems: 0, systemHandles: 0 });
  });

  it('keeps running a system without ShouldTerminateOnLastHandleClosed after its handles close, so it can be opened again', async () => {
    sim = createHcsSimulator();
    const handle = await sim.createComputeSystem('keep', uvmDocument({ ShouldTerminateOnLastHandleClosed: false }));
    await sim.startComputeSystem(handle);
    await sim.closeComputeSystem(handle);
    expect(sim.counters()).toMatchObject({ systems: 1, runningSystems: 1, systemHandles: 0 });
    const again = await sim.openComputeSystem('keep');
    expect(await stateOf(again)).toBe('Running');
    await sim.terminateComputeSystem(again);
    await sim.closeComputeSystem(again);
    expect(sim.counters().systems).toBe(0);
  });

  it('treats a closed handle as unusable but closing it again as fine, and refuses handles it never issued', async () => {
    sim = createHcsSimulator();
    const handle = await running();
    await sim.closeComputeSystem(handle);
    await expect(sim.closeComputeSystem(handle)).resolves.toBeUndefined();
    await expect(sim.startComputeSystem(handle)).rejects.toThrow(/is closed/);
    await expect(sim.startComputeSystem({ kind: 'system', id: 'vm' })).rejects.toBeInstanceOf(StateError);
    await expect(sim.closeComputeSystem({ kind: 'system', id: 'vm' })).rejects.toThrow(/not a handle this HCS simulator issued/);
  });

  it('lets a handle close only once the calls using it have answered', async () => {
    sim = createHcsSimulator({ latency: { calls: { getComputeSystemProperties: 30 } } });
    const handle = await running();
    const order: string[] = [];
    const query = sim.getComputeSystemProperties(handle, {}).then(() => order.push('properties'));
    const close = sim.closeComputeSystem(handle).then(() => order.push('close'));
    await Promise.all([query, close]);
    expect(order).toEqual(['properties', 'close']);
  });

  it('enumerates systems and filters them by id, type and owner', async () => {
    sim = createHcsSimulator();
    await created('one');
    await sim.createComputeSystem('two', uvmDocument({ Owner: 'other' }));
    expect((await sim.enumerateComputeSystems()).map((s) => s.Id).sort()).toEqual(['one', 'two']);
    expect((await sim.enumerateComputeSystems({ Owners: ['other'] })).map((s) => s.Id)).toEqual(['two']);
    expect(await sim.enumerateComputeSystems({ Ids: ['one'], Types: ['VirtualMachine'] })).toEqual([
      expect.objectContaining({ Id: 'one', SystemType: 'VirtualMachine', State: 'Created', Owner: 'sim-test' }),
    ]);
    expect(await sim.enumerateComputeSystems({ Types: ['Container'] })).toEqual([]);
  });

  it('makes concurrent calls on one system resolve consistently: one start wins, the other is refused', async () => {
    sim = createHcsSimulator();
    const handle = await created();
    const results = await Promise.allSettled([sim.startComputeSystem(handle), sim.startComputeSystem(handle)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await stateOf(handle)).toBe('Running');
  });

  it('refuses every call after the simulator is closed', async () => {
    sim = createHcsSimulator();
    await sim.close();
    await expect(sim.createComputeSystem('x', uvmDocument())).rejects.toThrow(/simulator is closed/);
  });
});
