import { TimeoutError, ValidationError, abortReason } from '@uvm/types';

/** One caller waiting for an outcome (an exit), settled exactly once. */
export interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/** Refuses a `timeoutMs` that is not a usable number of milliseconds. */
export function checkTimeout(timeoutMs: unknown, operation: string): void {
  if (timeoutMs === undefined) return;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > 0x7fffffff) {
    throw new ValidationError(`${operation} options`, [
      { path: '/timeoutMs', message: `timeoutMs must be a number of milliseconds from 0 to 2147483647; got ${JSON.stringify(timeoutMs)}.` },
    ]);
  }
}

/**
 * Waits `ms` (0: until the next turn of the event loop), unless `signal` aborts first (rejects with
 * its reason) or `timeoutMs` passes first (rejects with a TimeoutError).
 */
export function delay(ms: number, signal: AbortSignal | undefined, deadlineMs: number | undefined, operation: string): Promise<void> {
  // A call that answers before its deadline needs no deadline timer.
  const timeoutMs = deadlineMs !== undefined && (ms <= 0 || ms < deadlineMs) ? undefined : deadlineMs;
  if (signal === undefined && timeoutMs === undefined) {
    return new Promise((resolve) => {
      if (ms <= 0) setImmediate(resolve);
      else setTimeout(resolve, ms);
    });
  }
  return new Promise((resolve, reject) => {
    let deadline: NodeJS.Timeout | undefined;
    const settle = (error?: Error) => {
      if (ms <= 0) clearImmediate(wait as NodeJS.Immediate);
      else clearTimeout(wait as NodeJS.Timeout);
      if (deadline !== undefined) clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => {
      settle(abortReason(signal as AbortSignal, operation));
    };
    const wait: NodeJS.Immediate | NodeJS.Timeout =
      ms <= 0
        ? setImmediate(() => {
            settle();
          })
        : setTimeout(() => {
            settle();
          }, ms);
    if (timeoutMs !== undefined) {
      deadline = setTimeout(() => {
        settle(new TimeoutError(operation, timeoutMs));
      }, timeoutMs);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Adds a waiter to `waiters` and returns its promise; the waiter leaves the set when it settles,
 * when `signal` aborts or when `timeoutMs` passes. `onSettled` runs once, however it ends.
 */
export function waitIn<T>(
  waiters: Set<Waiter<T>>,
  operation: string,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } | undefined,
  onSettled: () => void,
): Promise<T> {
  const signal = options?.signal;
  const timeoutMs = options?.timeoutMs;
  return new Promise<T>((resolve, reject) => {
    let deadline: NodeJS.Timeout | undefined;
    const finish = () => {
      waiters.delete(waiter);
      if (deadline !== undefined) clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      onSettled();
    };
    const waiter: Waiter<T> = {
      resolve: (value) => {
        finish();
        resolve(value);
      },
      reject: (error) => {
        finish();
        reject(error);
      },
    };
    const onAbort = () => {
      waiter.reject(abortReason(signal as AbortSignal, operation));
    };
    waiters.add(waiter);
    if (timeoutMs !== undefined) {
      deadline = setTimeout(() => {
        waiter.reject(new TimeoutError(operation, timeoutMs));
      }, timeoutMs);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects every waiter (each leaves the set as it settles). */
export function rejectAll<T>(waiters: Set<Waiter<T>>, error: Error): void {
  for (const waiter of [...waiters]) waiter.reject(error);
}
