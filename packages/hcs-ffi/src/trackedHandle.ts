import { StateError } from '@uvm/types';

/**
 * A native handle with a count of the calls using it. Closing waits until no call uses it, so HCS
 * never sees a handle closed under a call in flight (hcs-host.md §1.8: abandoning calls crashed
 * computecore.dll); once closing starts, new calls are refused with a StateError.
 */
export class TrackedHandle<H> {
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;

  /** @param description names the handle in messages, e.g. `compute system "vm1"` */
  constructor(
    readonly value: H,
    private readonly description: string,
  ) {}

  get isOpen(): boolean {
    return this.closing === undefined;
  }

  /** Throws the StateError a call on a closing or closed handle gets. */
  assertOpen(operation: string): void {
    if (this.closing === undefined) return;
    const state = this.closed ? 'closed' : 'closing';
    throw new StateError(operation, state, `${operation} cannot use ${this.description}: its handle is ${state}. Open it again to keep using it.`);
  }

  /** Runs `call` with the handle, counting it as in flight until it settles. */
  async use<T>(operation: string, call: (handle: H) => Promise<T>): Promise<T> {
    this.assertOpen(operation);
    this.inFlight++;
    try {
      return await call(this.value);
    } finally {
      if (--this.inFlight === 0) this.idle?.();
    }
  }

  /** Waits for the calls in flight, then closes with `closeNative`. Idempotent: every call gets the same promise. */
  close(closeNative: (handle: H) => Promise<void>): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
      await closeNative(this.value);
      this.closed = true;
    })();
    return this.closing;
  }
}
