import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, GuestError } from '@uvm/types';
import { guestWithPeer, readAll, type GuestWithPeer } from './support/guestWithPeer.js';

const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const PATH = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
const pipes = { CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true };

const sessions: GuestWithPeer<'linux' | 'windows'>[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function linux(): Promise<GuestWithPeer<'linux'>> {
  const s = await guestWithPeer('linux');
  sessions.push(s);
  return s;
}

describe('exec in the UVM against the simulated GCS', () => {
  it("gives out, err and exit code 3 for sh -c 'echo out; echo err >&2; exit 3'", async () => {
    const { guest } = await linux();
    const process = await guest.execInUvm({ CommandArgs: ['sh', '-c', 'echo out; echo err >&2; exit 3'], WorkingDirectory: '/', Environment: PATH, ...pipes });
    process.closeStdin();
    const [out, err, code] = await Promise.all([readAll(process.stdout), readAll(process.stderr), process.wait()]);
    expect(out).toBe('out\n');
    expect(err).toBe('err\n');
    expect(code).toBe(3);
  });

  it('brings 64 MiB piped through stdin back through stdout intact', async () => {
    const { guest } = await linux();
    const process = await guest.execInUvm({ CommandArgs: ['cat'], Environment: PATH, CreateStdInPipe: true, CreateStdOutPipe: true });
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31 + (i >> 8)) & 0xff;
    const sent = createHash('sha256');
    const received = createHash('sha256');
    let receivedBytes = 0;
    const reading = (async () => {
      for await (const chunk of process.stdout!) {
        received.update(chunk as Buffer);
        receivedBytes += (chunk as Buffer).length;
      }
    })();
    for (let i = 0; i < 64; i++) {
      block[0] = i;
      sent.update(block);
      if (!process.stdin!.write(Buffer.from(block))) await once(process.stdin!, 'drain');
    }
    process.closeStdin();
    await reading;
    expect(receivedBytes).toBe(64 << 20);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
    await expect(process.wait()).resolves.toBe(0);
  });

  it('runs 100 processes concurrently on one bridge, each with its own output and exit code', async () => {
    const { guest, peer } = await linux();
    const runs = Array.from({ length: 100 }, async (_, i) => {
      const process = await guest.execInUvm({ CommandArgs: ['sh', '-c', `sleep 0.2; echo process-${i}; exit ${i % 50}`], Environment: PATH, CreateStdOutPipe: true });
      const [out, code] = await Promise.all([readAll(process.stdout), process.wait()]);
      return { out, code };
    });
    const results = await Promise.all(runs);
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => ({ out: `process-${i}\n`, code: i % 50 })));
    expect(peer.uvmProcessIds).toEqual([]);
  });

  it('reports the Linux GCS refusing to kill a process in the UVM itself', async () => {
    const { guest } = await linux();
    const process = await guest.execInUvm({ CommandArgs: ['sleep', '5'], Environment: PATH });
    const error = await process.kill().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuestError);
    expect((error as GuestError).hresult).toBe(0xc037010e);
  });
});

describe('containers against the simulated GCS', () => {
  const config = (args: string[]) => ({ SchemaVersion: { Major: 2, Minor: 1 }, OciBundlePath: '/run/gcs/c/c1', OciSpecification: { process: { args, env: ['PATH=/usr/bin:/bin'], cwd: '/' } } });

  it('runs init, shuts it down gracefully and resolves wait() with GracefulExit after the exit was collected', async () => {
    const { guest, peer } = await linux();
    const container = await guest.createContainer('c1', config(['sleep', '30']));
    await container.start();
    const init = await container.exec({});
    expect(peer.containers.get('c1')?.initPid).toBe(init.pid);
    await container.shutdown();
    await expect(init.wait()).resolves.toBe(128 + 15);
    await expect(container.wait()).resolves.toMatchObject({ type: 'GracefulExit', operation: 'None', result: 0, activityId: NULL_GUID });
  });

  it('signals and kills processes in a container, and lists them', async () => {
    const { guest } = await linux();
    const container = await guest.createContainer('c1', config(['sleep', '30']));
    const init = await container.exec({});
    const extra = await container.exec({ OciProcess: { args: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'], cwd: '/' } });
    const properties = await container.properties(['ProcessList']);
    expect((properties as { ProcessList?: { ProcessId: number }[] }).ProcessList?.map((p) => p.ProcessId).sort()).toEqual([init.pid, extra.pid].sort());
    await expect(extra.signal(15)).resolves.toBe(true);
    await expect(extra.wait()).resolves.toBe(143);
    await expect(extra.kill()).resolves.toBe(false);
    await container.terminate();
    await expect(container.wait()).resolves.toMatchObject({ type: 'ForcedExit' });
  });
});

describe('guest resources against the simulated GCS', () => {
  it('has every modification recorded by the guest exactly as sent', async () => {
    const { guest, peer } = await linux();
    await guest.addMappedVirtualDisk({ MountPath: '/run/mounts/scsi/m0', Lun: 1, ReadOnly: true });
    await guest.addVpmemDevice({ DeviceNumber: 1, MountPath: '/run/layers/p1' });
    await guest.addCombinedLayers({ ContainerRootPath: '/run/gcs/c/c1/rootfs', Layers: [{ Path: '/run/layers/p1' }], ScratchPath: '/run/gcs/c/c1/scratch' });
    await guest.updateCgroupMemoryLimits();
    expect(peer.modifications.map((m) => [m.requestType, m.resourceType, m.settings])).toEqual([
      ['Add', 'MappedVirtualDisk', { MountPath: '/run/mounts/scsi/m0', Lun: 1, ReadOnly: true }],
      ['Add', 'VPMemDevice', { DeviceNumber: 1, MountPath: '/run/layers/p1' }],
      ['Add', 'CombinedLayers', { ContainerRootPath: '/run/gcs/c/c1/rootfs', Layers: [{ Path: '/run/layers/p1' }], ScratchPath: '/run/gcs/c/c1/scratch' }],
      ['Update', 'PodCgroupMemoryLimit', undefined],
    ]);
    await expect(guest.dumpStacks()).resolves.toMatch(/^goroutine 1/);
  });

  it('runs the Windows cold start the simulated guest asks for', async () => {
    const s = await guestWithPeer('windows');
    sessions.push(s);
    expect(s.peer.uvm).toEqual({ config: { SystemType: 'Container', TimeZoneInformation: null }, started: true });
    expect(s.peer.modifications).toEqual([
      { containerId: NULL_GUID, requestType: 'Update', resourceType: 'HvSocket', settings: { LocalAddress: '6a5c4e7b-31b5-4b4e-9a3e-2f1c0d9e8b7a', ParentAddress: '894cc2d6-9d79-424f-93fe-42969ae6d8d1' } },
    ]);
  });
});

describe('losing the simulated GCS', () => {
  it('settles process waits with a ConnectionClosedError and reports the guest disconnected', async () => {
    const { guest, peer } = await linux();
    const process = await guest.execInUvm({ CommandArgs: ['sleep', '30'], Environment: PATH });
    const disconnected = once(guest, 'disconnect');
    await peer.close();
    await expect(process.wait()).rejects.toBeInstanceOf(ConnectionClosedError);
    await disconnected;
    expect(guest.connected).toBe(false);
  });
});
