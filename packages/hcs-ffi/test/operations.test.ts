import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { HcsError, HcsEventType, StateError, TimeoutError } from '@uvm/types';
import { nativeStats, type ComputeCore } from '@uvm/hcs-ffi';
import { useComputeCore } from './native/computeCoreHarness.js';

const harness = useComputeCore();
const { fake } = harness;
const uniqueId = (label: string) => harness.uniqueId(label);
let hcs: ComputeCore;
beforeEach(() => {
  hcs = harness.hcs;
});

/** Resolves once `n` HCS operations are waiting for their completion. */
async function pendingOperations(n: number): Promise<void> {
  while (nativeStats().pendingOperations < n) await sleep(1);
}

describe('cancellation', () => {
  it('asks HCS to cancel an aborted operation and rejects with the abort reason once HCS has let go of it', async () => {
    const controller = new AbortController();
    const cancelsBefore = fake.cancelCalls();
    const created = hcs.createComputeSystem(uniqueId('hang'), '{}', { signal: controller.signal });
    await pendingOperations(1);
    await sleep(20);
    expect(fake.cancelCalls()).toBe(cancelsBefore);
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(created).rejects.toBe(reason);
    // Rejected only after the completion arrived: nothing is pending any more.
    expect(nativeStats().pendingOperations).toBe(0);
    expect(fake.cancelCalls()).toBe(cancelsBefore + 1);
  });

  it('turns timeoutMs into HcsCancelOperation and a TimeoutError naming the function', async () => {
    const system = await hcs.createComputeSystem(uniqueId('timeout'), '{}');
    await hcs.startComputeSystem(system);
    const cancelsBefore = fake.cancelCalls();
    const error = await hcs.modifyComputeSystem(system, '{"Settings":"hang"}', { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ operation: 'HcsModifyComputeSystem', timeoutMs: 30 });
    expect(fake.cancelCalls()).toBe(cancelsBefore + 1);
    // The system handle was never touched: it still works.
    expect(await hcs.getComputeSystemProperties(system, {})).toMatchObject({ State: 'Running' });
  });

  it('never reaches HCS when the signal has already aborted', async () => {
    const handlesBefore = fake.openHandles();
    await expect(hcs.createComputeSystem(uniqueId('pre-aborted'), '{}', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.openHandles()).toBe(handlesBefore);
  });

  it('keeps a system handle open while a call uses it: close waits for the call and refuses new ones', async () => {
    const system = await hcs.createComputeSystem(uniqueId('close-waits'), '{}');
    await hcs.startComputeSystem(system);
    const controller = new AbortController();
    const modify = hcs.modifyComputeSystem(system, '{"Settings":"hang"}', { signal: controller.signal });
    await pendingOperations(1);
    const handlesWhileBusy = fake.openHandles();
    let closed = false;
    const closing = hcs.closeComputeSystem(system).then(() => (closed = true));
    await sleep(50);
    expect(closed).toBe(false);
    expect(fake.openHandles()).toBe(handlesWhileBusy);
    await expect(hcs.getComputeSystemProperties(system, {})).rejects.toMatchObject({ name: 'StateError', state: 'closing' });
    controller.abort();
    await expect(modify).rejects.toMatchObject({ name: 'AbortError' });
    await closing;
    expect(closed).toBe(true);
    // The operation and then the system handle are gone.
    expect(fake.openHandles()).toBe(handlesWhileBusy - 2);
  });

  it('stops waiting for an exit on abort or timeout without touching the system', async () => {
    const system = await hcs.createComputeSystem(uniqueId('wait-timeout'), '{}');
    await hcs.startComputeSystem(system);
    await expect(hcs.waitForComputeSystemExit(system, { timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(hcs.waitForComputeSystemExit(system, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const exit = hcs.waitForComputeSystemExit(system);
    await hcs.terminateComputeSystem(system);
    await expect(exit).resolves.toMatchObject({ ExitType: 'ForcedExit' });
  });
});

describe('callbacks from HCS threads', () => {
  it('closes a system while its event callbacks are running without deadlocking', async () => {
    const system = await hcs.createComputeSystem(uniqueId('close-during-events'), '{}');
    let delivered = 0;
    hcs.onComputeSystemEvent(system, () => delivered++);
    for (let i = 0; i < 200; i++) fake.emitSystemEvent(system.id, HcsEventType.SystemGuestConnectionClosed, null);
    await sleep(1);
    // HcsCloseComputeSystem waits for running callbacks, which wait for the main thread.
    const closed = await Promise.race([hcs.closeComputeSystem(system).then(() => 'closed'), sleep(5000).then(() => 'deadlocked')]);
    expect(closed).toBe('closed');
    expect(fake.liveCallbacks()).toBe(0);
    const afterClose = delivered;
    await sleep(20);
    expect(delivered).toBe(afterClose);
  });

  it('settles 1,000 concurrent operations, each with its own result', async () => {
    fake.setDelayMs(1);
    const system = await hcs.createComputeSystem(uniqueId('thousand'), '{}');
    await hcs.startComputeSystem(system);
    const calls = Array.from({ length: 1000 }, (_, i) =>
      hcs.getComputeSystemProperties(system, i % 10 === 9 ? `{"N":${i},"X":"opfail-0x80370109"}` : `{"N":${i}}`).then(
        (properties) => ({ i, n: (properties as { Query: { N: number } }).Query.N }),
        (error: unknown) => ({ i, error }),
      ),
    );
    await pendingOperations(1);
    expect(nativeStats().pendingOperations).toBeGreaterThan(1);
    const results = await Promise.all(calls);
    for (const result of results) {
      if (result.i % 10 === 9) {
        expect('error' in result && result.error).toBeInstanceOf(HcsError);
        expect((result as { error: HcsError }).error.hresultName).toBe('HCS_E_CONNECTION_TIMEOUT');
      } else {
        expect(result).toEqual({ i: result.i, n: result.i });
      }
    }
  });

  it('drops events for a handle after it is closed', async () => {
    const system = await hcs.createComputeSystem(uniqueId('late-events'), '{}');
    const second = await hcs.openComputeSystem(system.id);
    let seen = 0;
    hcs.onComputeSystemEvent(second, () => seen++);
    await hcs.closeComputeSystem(second);
    fake.emitSystemEvent(system.id, HcsEventType.SystemGuestConnectionClosed, null);
    const onFirst = new Promise((resolve) => hcs.onComputeSystemEvent(system, resolve));
    await onFirst;
    expect(seen).toBe(0);
    expect(() => hcs.onComputeSystemEvent(second, () => undefined)).toThrow(StateError);
  });
});
