import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, HV_VM_ID, ValidationError, VSOCK_PORT, vsockServiceId } from '@uvm/types';
import { createDuplexPair, createHcsSimulator, type HcsSimulator, type SimulatedGuest } from '@uvm/sim';
import { uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const GCS = vsockServiceId(VSOCK_PORT.linuxGcs);

function guestHook(): { readonly hook: (vm: SimulatedGuest) => void; readonly next: Promise<SimulatedGuest> } {
  let resolve!: (vm: SimulatedGuest) => void;
  const next = new Promise<SimulatedGuest>((r) => (resolve = r));
  return { hook: (vm) => { resolve(vm); }, next };
}

/** Reads to EOF without destroying the stream (its write side may still be in use). */
async function readAll(stream: Duplex): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(chunks).toString();
}

describe('an in-memory duplex pair', () => {
  it('carries bytes both ways and gives each side EOF when the other ends', async () => {
    const [a, b] = createDuplexPair();
    const fromA = readAll(b);
    a.end('hello ');
    b.end('back');
    expect(await fromA).toBe('hello ');
    expect(await readAll(a)).toBe('back');
  });

  it('holds a writer back until the reader makes room', async () => {
    const [a, b] = createDuplexPair({ highWaterMark: 16 });
    expect(a.write(Buffer.alloc(8, 1))).toBe(true);
    let drained = false;
    a.write(Buffer.alloc(64, 1), () => (drained = true));
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    b.resume();
    await once(a, 'drain');
    expect(drained).toBe(true);
    a.destroy();
    b.destroy();
  });

  it('fails a write with EPIPE once the other end is gone', async () => {
    const [a, b] = createDuplexPair();
    b.destroy();
    const error = await new Promise<Error>((resolve) => {
      a.on('error', resolve);
      a.write('x');
    });
    expect((error as NodeJS.ErrnoException).code).toBe('EPIPE');
  });
});

describe('VM sockets of the simulator', () => {
  it('lets the simulated guest dial the host listener that was bound before start', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const runtimeId = sim.inspect('vm')?.runtimeId as string;
    const listener = await sim.listenVmSocket(runtimeId, GCS);
    const accepting = listener.accept();
    await sim.startComputeSystem(vm);
    const guest = await next;
    expect(guest).toMatchObject({ id: 'vm', runtimeId });
    expect(guest.document.Owner).toBe('sim-test');
    const guestEnd = await guest.dial(GCS);
    const hostEnd = await accepting;
    guestEnd.end('from the guest');
    expect(await readAll(hostEnd)).toBe('from the guest');
    hostEnd.end();
    guestEnd.resume();
    await Promise.all([once(hostEnd, 'close'), once(guestEnd, 'close')]);
    await listener.close();
    expect(sim.counters()).toMatchObject({ listeners: 0, connections: 0 });
  });

  it('refuses a guest dial with ECONNREFUSED when nobody listens', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    const guest = await next;
    await expect(guest.dial(GCS)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('queues connections that arrive before accept', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const listener = await sim.listenVmSocket(sim.inspect('vm')?.runtimeId as string, vsockServiceId(109));
    await sim.startComputeSystem(vm);
    const guest = await next;
    const first = await guest.dial(vsockServiceId(109));
    const second = await guest.dial(vsockServiceId(109));
    first.end('1');
    second.end('2');
    expect(await readAll(await listener.accept())).toBe('1');
    expect(await readAll(await listener.accept())).toBe('2');
    await listener.close();
  });

  it('accepts from any VM on a wildcard listener', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const listener = await sim.listenVmSocket(HV_VM_ID.wildcard, GCS);
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    const dialled = (await next).dial(GCS);
    await expect(listener.accept()).resolves.toBeDefined();
    (await dialled).destroy();
    await listener.close();
  });

  it('refuses a second listener on the same address with EADDRINUSE', async () => {
    sim = createHcsSimulator();
    const runtimeId = '6f1e2d3c-4b5a-4697-8877-665544332211';
    const listener = await sim.listenVmSocket(runtimeId, GCS);
    await expect(sim.listenVmSocket(runtimeId, GCS)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await listener.close();
    await (await sim.listenVmSocket(runtimeId, GCS)).close();
  });

  it('refuses addresses that are not GUIDs with a ValidationError naming the argument', async () => {
    sim = createHcsSimulator();
    const error = (await sim.listenVmSocket('vm', 'port-1').catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(['/vmId', '/serviceId']);
  });

  it('rejects pending accepts when the listener closes, and accepts after that', async () => {
    sim = createHcsSimulator();
    const listener = await sim.listenVmSocket('6f1e2d3c-4b5a-4697-8877-665544332211', GCS);
    const pending = listener.accept();
    await listener.close();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(listener.accept()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('rejects an accept when its signal aborts and keeps the listener usable', async () => {
    sim = createHcsSimulator();
    const listener = await sim.listenVmSocket('6f1e2d3c-4b5a-4697-8877-665544332211', GCS);
    const controller = new AbortController();
    const pending = listener.accept({ signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    await listener[Symbol.asyncDispose]();
  });

  it('ends the host side of every connection of a VM that stops, and aborts the guest signal', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    const listener = await sim.listenVmSocket(sim.inspect('vm')?.runtimeId as string, GCS);
    await sim.startComputeSystem(vm);
    const guest = await next;
    void guest.dial(GCS);
    const hostEnd = await listener.accept();
    const ended = readAll(hostEnd);
    await sim.terminateComputeSystem(vm);
    expect(await ended).toBe('');
    expect(guest.signal.aborted).toBe(true);
    hostEnd.destroy();
    await listener.close();
    await sim.closeComputeSystem(vm);
    expect(sim.counters()).toMatchObject({ connections: 0, listeners: 0 });
  });

  it('connects the host to a service the guest listens on', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    const guest = await next;
    const service = '11111111-2222-3333-4444-555555555555';
    const inGuest = await guest.listen(service);
    const hostEnd = await sim.connectVmSocket(guest.runtimeId, service);
    const guestEnd = await inGuest.accept();
    hostEnd.end('ping');
    expect(await readAll(guestEnd)).toBe('ping');
    guestEnd.end();
    hostEnd.resume();
    await sim.terminateComputeSystem(vm);
    await sim.closeComputeSystem(vm);
    expect(sim.counters().listeners).toBe(0);
  });

  it('lets the guest power the VM off, as a GCS does on a shutdown request', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    (await next).powerOff();
    expect(await sim.waitForComputeSystemExit(vm)).toMatchObject({ ExitType: 'GracefulExit' });
  });

  it('lets the guest crash the VM', async () => {
    const { hook, next } = guestHook();
    sim = createHcsSimulator({ guest: hook });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    (await next).crash();
    expect(await sim.waitForComputeSystemExit(vm)).toMatchObject({ ExitType: 'UnexpectedExit' });
  });

  it('keeps a guest hook that throws from breaking the VM', async () => {
    let called = 0;
    sim = createHcsSimulator({
      guest: () => {
        called++;
        throw new Error('guest bug');
      },
    });
    const vm = await sim.createComputeSystem('vm', uvmDocument());
    await sim.startComputeSystem(vm);
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(1);
    expect(sim.inspect('vm')?.state).toBe('Running');
  });
});
