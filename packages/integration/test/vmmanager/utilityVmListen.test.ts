import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, StateError, ValidationError, VSOCK_PORT, vsockServiceId } from '@uvm/types';
import { createHcsSimulator, type HcsSimulator, type SimulatedGuest } from '@uvm/sim';
import { UtilityVM } from '@uvm/vmmanager';
import { uvmDocument } from './vmFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

const GCS = vsockServiceId(VSOCK_PORT.linuxGcs);

function nextGuest(): { readonly hook: (guest: SimulatedGuest) => void; readonly guest: Promise<SimulatedGuest> } {
  let resolve!: (guest: SimulatedGuest) => void;
  const guest = new Promise<SimulatedGuest>((r) => (resolve = r));
  return { hook: (g) => { resolve(g); }, guest };
}

async function readAll(stream: Duplex): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(chunks).toString();
}

describe('hvsock listeners of a utility VM', () => {
  it('binds before start, and accepts the connection the guest dials once the VM runs', async () => {
    const { hook, guest } = nextGuest();
    sim = createHcsSimulator({ guest: hook });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const listener = await vm.listen(GCS);
    expect(listener).toMatchObject({ vmId: vm.runtimeId, serviceId: GCS });
    const accepted = listener.accept();
    await vm.start();
    const inGuest = await (await guest).dial(GCS);
    const host = await accepted;
    inGuest.end('negotiate');
    expect(await readAll(host)).toBe('negotiate');
    host.destroy();
    inGuest.destroy();
    await listener.close();
    await vm.terminate();
    await vm.close();
    expect(sim.counters()).toMatchObject({ listeners: 0, connections: 0, systemHandles: 0 });
  });

  it('gives a listener per vsock port through listenVsock, which a guest reaches by port', async () => {
    const { hook, guest } = nextGuest();
    sim = createHcsSimulator({ guest: hook });
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const stdio = await vm.listenVsock(VSOCK_PORT.firstStdio);
    expect(stdio.serviceId).toBe('40000001-facb-11e6-bd58-64006a7986d3');
    await vm.start();
    const dialled = (await guest).dial(vsockServiceId(VSOCK_PORT.firstStdio));
    const host = await stdio.accept();
    (await dialled).end('out');
    expect(await readAll(host)).toBe('out');
    host.destroy();
    await vm.close();
    expect(sim.counters().listeners).toBe(0);
  });

  it('rejects a pending accept with the exit error when the VM crashes, and closes the listener', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const listener = await vm.listen(GCS);
    await vm.start();
    const accepting = listener.accept();
    sim.crash('uvm');
    const error = (await accepting.catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error).toBe(vm.exitError);
    await expect(listener.accept()).rejects.toBe(vm.exitError);
    expect(sim.counters().listeners).toBe(0);
    await vm.close();
  });

  it('rejects accepts with a StateError once the VM exited cleanly: nothing will connect', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const listener = await vm.listen(GCS);
    await vm.start();
    const accepting = listener.accept();
    await vm.shutdown();
    await expect(accepting).rejects.toMatchObject({ name: 'StateError', state: 'exited' });
    await vm.close();
  });

  it('closes its listeners when the VM is closed; their accepts say so', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const listener = await vm.listen(GCS);
    const accepting = listener.accept();
    await vm.close();
    const error = (await accepting.catch((e: unknown) => e)) as StateError;
    expect(error).toBeInstanceOf(StateError);
    expect(error.state).toBe('closed');
    expect(sim.counters().listeners).toBe(0);
  });

  it('lets an accept be cancelled by its signal without closing the listener', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    const listener = await vm.listen(GCS);
    await expect(listener.accept({ signal: AbortSignal.timeout(10) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sim.counters().listeners).toBe(1);
    await listener[Symbol.asyncDispose]();
    expect(sim.counters().listeners).toBe(0);
    await vm.close();
  });

  it('refuses a service id that is not a GUID, and a port out of range', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await expect(vm.listen('gcs')).rejects.toBeInstanceOf(ValidationError);
    await expect(vm.listenVsock(-1)).rejects.toBeInstanceOf(ValidationError);
    await vm.close();
  });

  it('refuses a second listener on the same service of the same VM', async () => {
    sim = createHcsSimulator();
    const vm = await UtilityVM.create('uvm', uvmDocument(), { hcs: sim });
    await vm.listen(GCS);
    await expect(vm.listen(GCS)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await vm.close();
    expect(sim.counters().listeners).toBe(0);
  });
});
