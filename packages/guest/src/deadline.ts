import { TimeoutError, ValidationError, abortReason } from '@uvm/types';

/** One signal for a caller's `signal` and `timeoutMs` together; its reason is a TimeoutError on expiry. */
export interface Deadline {
  readonly signal: AbortSignal | undefined;
  dispose(): void;
}

/**
 * Combines `signal` and `timeoutMs` for an operation made of several steps, so every step stops
 * at the same moment with the same error. Throws ValidationError for a timeout that is not a
 * finite non-negative number.
 */
export function deadline(operation: string, signal: AbortSignal | undefined, timeoutMs: number | undefined): Deadline {
  if (timeoutMs === undefined) return { signal, dispose: () => undefined };
  checkTimeout(timeoutMs);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new TimeoutError(operation, timeoutMs));
  }, timeoutMs);
  const onAbort = () => {
    controller.abort(abortReason(signal as AbortSignal, operation));
  };
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

export function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
    throw new ValidationError('call options', [
      { path: '/timeoutMs', message: `timeoutMs must be a finite number of milliseconds, 0 or more; got ${String(timeoutMs)}.` },
    ]);
  }
}

/** Settles like `promise`, or rejects with the signal's reason first. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, operation: string): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal, operation));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortReason(signal, operation));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
