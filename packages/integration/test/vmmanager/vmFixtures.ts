import { SCSI_CONTROLLER_GUIDS, type ComputeSystem } from '@uvm/types';

/** A Linux UVM document with the devices the host-side tests touch. */
export function uvmDocument(overrides: Partial<ComputeSystem> = {}): ComputeSystem {
  return {
    Owner: 'vmmanager-test',
    SchemaVersion: { Major: 2, Minor: 1 },
    VirtualMachine: {
      StopOnReset: true,
      Chipset: { LinuxKernelDirect: { KernelFilePath: 'C:\\boot\\vmlinux', InitRdPath: 'C:\\boot\\initrd.img' } },
      ComputeTopology: { Memory: { SizeInMB: 1024 }, Processor: { Count: 2 } },
      Devices: {
        Scsi: Object.fromEntries(SCSI_CONTROLLER_GUIDS.map((guid) => [guid, {}])),
        VirtualPMem: { MaximumCount: 8 },
        HvSocket: { HvSocketConfig: { DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)' } },
        VirtualSmb: {},
        Plan9: {},
      },
    },
    ShouldTerminateOnLastHandleClosed: true,
    ...overrides,
  };
}

/** Lets setImmediate callbacks (event delivery) run. */
export function settle(turns = 3): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < turns; i++) p = p.then(() => new Promise<void>((r) => setImmediate(r)));
  return p;
}
