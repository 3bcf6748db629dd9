import type { Duplex } from 'node:stream';
import type { ComputeSystem, VmSocketListener } from '@uvm/types';

/**
 * A running simulated VM as code playing its guest sees it (the `guest` option of
 * `createHcsSimulator`, called each time a VM starts). A GCS peer dials the host's bridge
 * listener through {@link SimulatedGuest.dial}, exactly as a real guest dials over vsock/hvsock.
 */
export interface SimulatedGuest {
  /** The compute system id. */
  readonly id: string;
  /** The VM's runtime id: the VM id of every hvsock address of this VM. */
  readonly runtimeId: string;
  /** The document as it was when the VM started (modify requests applied before start included). */
  readonly document: ComputeSystem;
  /** Aborts when the VM stops, for whatever reason; guest code should stop with it. */
  readonly signal: AbortSignal;
  /**
   * Connects to the host's listener for (this VM's runtime id, `serviceId`), or the host's wildcard
   * listener for `serviceId`. Rejects with an `ECONNREFUSED` error when nobody listens, as an
   * hvsock connect does; a Linux guest dialling vsock port P uses `vsockServiceId(P)`.
   */
  dial(serviceId: string, options?: { readonly signal?: AbortSignal }): Promise<Duplex>;
  /** Listens inside the guest, for the host's `Hcs.connectVmSocket(runtimeId, serviceId)`. */
  listen(serviceId: string): Promise<VmSocketListener>;
  /** The guest powers the VM off by itself (what a GCS does on a shutdown request): a `GracefulExit`. */
  powerOff(): void;
  /** The guest crashes (a kernel panic): crash events, then an `UnexpectedExit`. */
  crash(): void;
}
