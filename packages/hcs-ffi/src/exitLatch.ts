import { TimeoutError, abortReason, throwIfAborted, type HcsCallOptions } from '@uvm/types';
import { callbackHub } from './callbackHub.js';
import { checkCallOptions } from './operations.js';
import { toError } from './toError.js';

interface Waiter<X> {
  resolve(value: X): void;
  reject(error: Error): void;
}

/**
 * How a system or process ended, learned from its exit event: settled once, and every wait before
 * or after sees the same outcome. A wait keeps the process alive (events arrive through koffi's
 * unref'd relay) and can be given up with a signal or timeout without touching any native handle.
 */
export class ExitLatch<X> {
  private outcome: { readonly value: X } | { readonly error: Error } | undefined;
  private readonly waiters = new Set<Waiter<X>>();

  get settled(): boolean {
    return this.outcome !== undefined;
  }

  settle(value: X): void {
    if (this.outcome !== undefined) return;
    this.outcome = { value };
    for (const waiter of [...this.waiters]) waiter.resolve(value);
  }

  fail(error: Error): void {
    if (this.outcome !== undefined) return;
    this.outcome = { error };
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }

  wait(operation: string, options: HcsCallOptions = {}): Promise<X> {
    try {
      checkCallOptions(operation, options);
      if (this.outcome === undefined) throwIfAborted(options.signal, operation);
    } catch (error) {
      return Promise.reject(toError(error));
    }
    const outcome = this.outcome;
    if (outcome !== undefined) return 'value' in outcome ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
    const { signal, timeoutMs } = options;
    return new Promise<X>((resolve, reject) => {
      const release = callbackHub.hold();
      const onAbort = () => {
        waiter.reject(abortReason(signal as AbortSignal, operation));
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        waiter.reject(new TimeoutError(operation, timeoutMs));
      }, timeoutMs);
      const done = () => {
        this.waiters.delete(waiter);
        release();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter<X> = {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
