import { SCSI_CONTROLLER_GUIDS, type ComputeSystem } from '@uvm/types';

/** A small Linux UVM document with every device the modify tests touch. */
export function uvmDocument(overrides: Partial<ComputeSystem> = {}): ComputeSystem {
  return {
    Owner: 'sim-test',
    SchemaVersion: { Major: 2, Minor: 1 },
    VirtualMachine: {
      StopOnReset: true,
      Chipset: { LinuxKernelDirect: { KernelFilePath: 'C:\\boot\\vmlinux', InitRdPath: 'C:\\boot\\initrd.img' } },
      ComputeTopology: { Memory: { SizeInMB: 1024 }, Processor: { Count: 2 } },
      Devices: {
        Scsi: { [SCSI_CONTROLLER_GUIDS[0]]: {}, [SCSI_CONTROLLER_GUIDS[1]]: {} },
        VirtualPMem: { MaximumCount: 4, MaximumSizeBytes: 4294967296 },
        HvSocket: { HvSocketConfig: { DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)' } },
        VirtualSmb: {},
        Plan9: {},
      },
    },
    ShouldTerminateOnLastHandleClosed: true,
    ...overrides,
  };
}

/** Resolves after pending immediates and timers of 0 ms have run (events are delivered on setImmediate). */
export function settle(turns = 3): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < turns; i++) p = p.then(() => new Promise<void>((r) => setImmediate(r)));
  return p;
}
