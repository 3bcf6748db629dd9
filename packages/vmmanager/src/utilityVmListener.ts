import type { Duplex } from 'node:stream';
import { StateError, type VmSocketListener } from '@uvm/types';

/** What a listener needs from its VM: whether it has exited, and why. */
export interface ListenerOwner {
  readonly id: string;
  /** Undefined while the VM runs; the error to reject accepts with once it has exited or closed. */
  stoppedError(): Error | undefined;
  /** Forgets the listener when it closes. */
  release(listener: UtilityVMListener): void;
}

/**
 * A VM's hvsock listener whose accepts race the VM's exit (hcsshim's AcceptConnection): when the VM
 * exits the listener closes and every pending and later accept rejects with the VM's exit error.
 * It is what `@uvm/guest` takes as its bridge listener or stdio listener factory.
 */
export class UtilityVMListener implements VmSocketListener {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly inner: VmSocketListener,
    private readonly owner: ListenerOwner,
  ) {}

  get vmId(): string {
    return this.inner.vmId;
  }

  get serviceId(): string {
    return this.inner.serviceId;
  }

  async accept(options?: { readonly signal?: AbortSignal }): Promise<Duplex> {
    const stopped = this.owner.stoppedError();
    if (stopped !== undefined) throw stopped;
    try {
      return await this.inner.accept(options);
    } catch (error) {
      // The VM exiting closes the listener under the accept: report the exit, not the close.
      throw this.owner.stoppedError() ?? error;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.inner.close().finally(() => {
      this.owner.release(this);
    });
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The error for an accept on a VM that stopped cleanly or was closed: nothing will ever connect. */
export function noMoreConnections(vmId: string, why: 'exited' | 'closed'): StateError {
  return new StateError(
    'accept',
    why,
    why === 'exited' ? `Utility VM "${vmId}" has exited, so no connection will arrive.` : `Utility VM "${vmId}" is closed, so its listeners are closed too.`,
  );
}
