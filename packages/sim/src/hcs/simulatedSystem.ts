import type { ComputeSystem, SystemExitStatus, VirtualPMemMapping } from '@uvm/types';
import type { SimulatedProcessRecord } from './simulatedProcess.js';

/** The states HCS reports in a system's `State` property. */
export type SimulatedState = 'Created' | 'Running' | 'Paused' | 'Stopped';

/**
 * One compute system as the simulated service holds it: its state, the document as created and
 * then changed by modify requests, and what a VM has that its schema-2 document has no place for
 * (mapped pipes, VPMem multi-mappings, the processor frequency cap).
 */
export class SimulatedSystem {
  state: SimulatedState = 'Created';
  readonly createdAt: number;
  startedAt: number | undefined;
  stoppedAt: number | undefined;
  /** The SystemExited payload, once the system has stopped. */
  exit: SystemExitStatus | undefined;
  /** Open handles; the system disappears when the last one closes after it stopped. */
  readonly handles = new Set<object>();
  readonly processes = new Map<number, SimulatedProcessRecord>();
  nextProcessId = 100;
  readonly mappedPipes = new Set<string>();
  /** VPMem device index → mapping offset → mapping. */
  readonly vpmemMappings = new Map<number, Map<number, VirtualPMemMapping>>();
  maximumFrequencyMHz: number | undefined;
  /** Aborts when the system stops: the guest's code stops with it. Made on first use; most systems never need it. */
  private lifetime: AbortController | undefined;
  /** Modify requests applied, in order (for `inspect`). */
  modifications = 0;

  constructor(
    readonly id: string,
    readonly runtimeId: string,
    public document: ComputeSystem,
    now: number,
  ) {
    this.createdAt = now;
  }

  get systemType(): 'VirtualMachine' | 'Container' {
    return this.document.VirtualMachine === undefined ? 'Container' : 'VirtualMachine';
  }

  /** `Linux` for a kernel-direct boot; otherwise HCS's answer depends on the guest, which the simulator does not know. */
  get runtimeOsType(): string | undefined {
    return this.document.VirtualMachine?.Chipset?.LinuxKernelDirect === undefined ? undefined : 'Linux';
  }

  get stopped(): boolean {
    return this.state === 'Stopped';
  }

  /** The signal guest code watches; already aborted once the system has stopped. */
  get lifetimeSignal(): AbortSignal {
    this.lifetime ??= new AbortController();
    if (this.stopped && !this.lifetime.signal.aborted) this.lifetime.abort(this.stopReason());
    return this.lifetime.signal;
  }

  /** Fires the lifetime signal, if anyone took it. */
  endLifetime(): void {
    if (this.lifetime !== undefined && !this.lifetime.signal.aborted) this.lifetime.abort(this.stopReason());
  }

  private stopReason(): Error {
    return new Error(`VM ${this.id} stopped`);
  }
}
