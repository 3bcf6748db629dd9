// Every layer together, the way @uvm/controller will drive them: the builder's LCOW document,
// a UtilityVM over the HCS simulator, a simulated guest that runs the GCS peer when the VM boots,
// and the guest layer connected through the VM's own hvsock listeners.
import { describe, expect, it } from 'vitest';
import { lcow } from '@uvm/builder';
import { Guest } from '@uvm/guest';
import { createGcsPeer, createHcsSimulator, type GcsPeer, type HcsSimulator } from '@uvm/sim';
import { SCSI_CONTROLLER_GUIDS, VSOCK_PORT, vsockServiceId, type HostFacts } from '@uvm/types';
import { UtilityVM } from '@uvm/vmmanager';
import { readAll } from './support/guestWithPeer.js';

const host: HostFacts = { windowsBuild: 26100, architecture: 'amd64', logicalProcessorCount: 8 };

/** A simulator whose VMs run a Linux GCS peer that dials the host's bridge listener at boot. */
function simulatorWithGcs(): { hcs: HcsSimulator; peers: GcsPeer[] } {
  const peers: GcsPeer[] = [];
  const hcs = createHcsSimulator({
    guest: async (vm) => {
      const transport = await vm.dial(vsockServiceId(VSOCK_PORT.linuxGcs), { signal: vm.signal });
      const peer = createGcsPeer({ os: 'linux', transport, stdioConnector: (port) => vm.dial(vsockServiceId(port), { signal: vm.signal }) });
      peers.push(peer);
      vm.signal.addEventListener('abort', () => void peer.close());
    },
  });
  return { hcs, peers };
}

async function bootLinuxUvm(hcs: HcsSimulator, id: string) {
  const document = lcow({ host, owner: 'uvm-integration', bootFilesPath: 'C:\\ContainerPlat\\LinuxBootFiles', bootFiles: ['vmlinux', 'initrd.img'] }).build();
  const vm = await UtilityVM.create(id, document, { hcs });
  const bridge = await vm.listenVsock(VSOCK_PORT.linuxGcs); // before start, as gcs-bridge.md §5.2 requires
  await vm.start();
  const guest = await Guest.connect(bridge, { os: 'linux', stdioListener: ({ serviceId }, options) => vm.listen(serviceId, options) });
  return { vm, guest };
}

describe('a UVM from intent to a running guest', () => {
  it('builds, creates, boots, connects and runs a process with real output and exit code', async () => {
    const { hcs } = simulatorWithGcs();
    const { vm, guest } = await bootLinuxUvm(hcs, 'e2e-exec');
    expect(guest.capabilities.RuntimeOsType).toBe('Linux');

    const sh = await guest.execInUvm({
      CommandArgs: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
      CreateStdOutPipe: true,
      CreateStdErrPipe: true,
    });
    const [stdout, stderr, exitCode] = await Promise.all([readAll(sh.stdout), readAll(sh.stderr), sh.wait()]);
    expect({ stdout, stderr, exitCode }).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });

    await guest.close();
    const exit = await vm.terminate();
    expect(exit.unexpected).toBe(false);
    await vm.close();
    expect(hcs.counters()).toMatchObject({ systems: 0, systemHandles: 0, processHandles: 0 });
  });

  it('pairs a host-side SCSI hot-add with the guest-side mount, as hcsshim does', async () => {
    const { hcs, peers } = simulatorWithGcs();
    const { vm, guest } = await bootLinuxUvm(hcs, 'e2e-scsi');

    await vm.addScsiDisk(0, 1, { Type: 'VirtualDisk', Path: 'C:\\disks\\layer.vhdx', ReadOnly: true });
    await guest.addMappedVirtualDisk({ MountPath: '/run/mounts/scsi/m1', Controller: 0, Lun: 1, ReadOnly: true });

    const attachments = hcs.inspect('e2e-scsi')?.document.VirtualMachine?.Devices?.Scsi?.[SCSI_CONTROLLER_GUIDS[0] as string]?.Attachments;
    expect(attachments?.['1']).toEqual({ Type: 'VirtualDisk', Path: 'C:\\disks\\layer.vhdx', ReadOnly: true });
    // Controller 0 is Go's zero value, so the wire body leaves it out (omitempty) as hcsshim's does.
    expect(peers[0]?.modifications).toEqual([
      { containerId: '00000000-0000-0000-0000-000000000000', requestType: 'Add', resourceType: 'MappedVirtualDisk', settings: { MountPath: '/run/mounts/scsi/m1', Lun: 1, ReadOnly: true } },
    ]);

    await guest.close();
    await vm.terminate();
    await vm.close();
  });

  it('fails pending guest calls with a typed error when the VM dies under them', async () => {
    const { hcs } = simulatorWithGcs();
    const { vm, guest } = await bootLinuxUvm(hcs, 'e2e-crash');
    const sleeper = await guest.execInUvm({ CommandArgs: ['sleep', '30'] });
    const waiting = sleeper.wait();

    hcs.crash('e2e-crash');
    const exit = await vm.wait();
    expect(exit.unexpected).toBe(true);
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_UVM_CONNECTION_CLOSED' });
    expect(guest.connected).toBe(false);
    await vm.close();
  });
});
