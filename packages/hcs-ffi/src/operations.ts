import {
  HcsError,
  TimeoutError,
  ValidationError,
  abortReason,
  parseHcsResultDocument,
  throwIfAborted,
  type HcsCallOptions,
  type Logger,
} from '@uvm/types';
import { callbackHub } from './callbackHub.js';
import type { HcsApi, HcsDocumentResult, HcsOperationHandle, HcsProcessInfoResult } from './hcsApi.js';

const E_OUTOFMEMORY = 0x8007000e;
const MAX_TIMEOUT_MS = 0x7fffffff;

/** What a failed call was about, for the error message. */
export interface OperationTarget {
  readonly systemId?: string;
  readonly processId?: number;
}

/** Turns a failed HRESULT and its result document into an HcsError (hcs-host.md §1.7). */
export function hcsError(operation: string, target: OperationTarget, hresult: number, document: string | undefined): HcsError {
  const parsed = parseHcsResultDocument(document);
  return new HcsError({
    hresult,
    operation,
    ...(target.systemId === undefined ? {} : { systemId: target.systemId }),
    ...(target.processId === undefined ? {} : { processId: target.processId }),
    ...(parsed.errorMessage === undefined ? {} : { errorMessage: parsed.errorMessage }),
    errorEvents: parsed.errorEvents,
  });
}

/** Checks the options every call takes; a wrong type is a ValidationError, not a TypeError later. */
export function checkCallOptions(operation: string, options: HcsCallOptions | undefined): void {
  if (options === undefined) return;
  const issues = [];
  // Checked as unknown: JavaScript callers can pass anything.
  const value: unknown = options;
  if (typeof value !== 'object' || value === null) {
    issues.push({ path: '', message: 'options must be an object such as { signal, timeoutMs }.' });
  } else {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      issues.push({ path: '/signal', message: 'signal must be an AbortSignal (for example AbortSignal.timeout(5000)).' });
    }
    const t = options.timeoutMs;
    if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t > 0 && t <= MAX_TIMEOUT_MS)) {
      issues.push({ path: '/timeoutMs', message: `timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}; got ${String(t)}.` });
    }
  }
  if (issues.length > 0) throw new ValidationError(`${operation} options`, issues);
}

/**
 * Runs HCS operations the asynchronous way (hcs-host.md §1.8, ecosystem.md §1.11): every call gets
 * an operation created with the process's one completion callback, so nothing ever waits on a
 * thread. An AbortSignal or timeout asks HCS to cancel (HcsCancelOperation) and the promise settles
 * only when HCS reports the operation complete, so no handle is released while HCS still uses it.
 */
export class OperationRunner {
  constructor(
    private readonly api: HcsApi,
    private readonly logger: Logger,
  ) {}

  /** Runs an operation and resolves with its result document. */
  async run(
    name: string,
    target: OperationTarget,
    issue: (operation: HcsOperationHandle) => number,
    options: HcsCallOptions = {},
  ): Promise<string | undefined> {
    const result = await this.execute(name, target, issue, options, (op) => this.api.HcsGetOperationResult(op));
    return result.document;
  }

  /** Runs an operation that reports a process (create, get info) and resolves with its result. */
  runProcess(
    name: string,
    target: OperationTarget,
    issue: (operation: HcsOperationHandle) => number,
    options: HcsCallOptions = {},
  ): Promise<HcsProcessInfoResult> {
    return this.execute(name, target, issue, options, (op) => this.api.HcsGetOperationResultAndProcessInfo(op));
  }

  /**
   * Fire-and-forget (hcsshim's submitOperation): issues the call with an operation that has no
   * callback and closes it at once; HCS keeps running the request. Throws when HCS refuses it.
   */
  submit(name: string, target: OperationTarget, issue: (operation: HcsOperationHandle) => number, options: HcsCallOptions = {}): void {
    checkCallOptions(name, options);
    throwIfAborted(options.signal, name);
    const op = this.createOperation(null, null);
    try {
      const hresult = issue(op);
      if (hresult < 0) throw hcsError(name, target, hresult, this.api.HcsGetOperationResult(op).document);
    } finally {
      this.api.HcsCloseOperation(op);
    }
  }

  private createOperation(context: bigint | null, callback: bigint | null): HcsOperationHandle {
    const op = this.api.HcsCreateOperation(context, callback);
    if (op === null) {
      throw new HcsError({ hresult: E_OUTOFMEMORY, operation: 'HcsCreateOperation', errorMessage: 'HCS could not allocate an operation.' });
    }
    return op;
  }

  private async execute<R extends HcsDocumentResult>(
    name: string,
    target: OperationTarget,
    issue: (operation: HcsOperationHandle) => number,
    options: HcsCallOptions,
    read: (operation: HcsOperationHandle) => R,
  ): Promise<R> {
    checkCallOptions(name, options);
    const { signal, timeoutMs } = options;
    throwIfAborted(signal, name);

    let completed!: () => void;
    const completion = new Promise<void>((resolve) => (completed = resolve));
    const id = callbackHub.expectCompletion(() => {
      completed();
    });
    let op: HcsOperationHandle;
    try {
      op = this.createOperation(BigInt(id), callbackHub.completionCallback);
    } catch (error) {
      callbackHub.cancelCompletion(id);
      throw error;
    }
    const release = callbackHub.hold();

    let hresult: number;
    try {
      hresult = issue(op);
    } catch (error) {
      callbackHub.cancelCompletion(id);
      this.api.HcsCloseOperation(op);
      release();
      throw error;
    }
    if (hresult < 0) {
      // The operation never started, so no completion will come.
      callbackHub.cancelCompletion(id);
      const { document } = read(op);
      this.api.HcsCloseOperation(op);
      release();
      throw hcsError(name, target, hresult, document);
    }

    let cancelledWith: Error | undefined;
    const cancel = (reason: Error) => {
      if (cancelledWith !== undefined) return;
      cancelledWith = reason;
      const result = this.api.HcsCancelOperation(op);
      if (result < 0) this.logger.debug({ operation: name, hresult: result >>> 0 }, 'HcsCancelOperation refused; waiting for the operation to finish');
    };
    const onAbort = () => {
      cancel(abortReason(signal as AbortSignal, name));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      cancel(new TimeoutError(name, timeoutMs));
    }, timeoutMs);

    try {
      await completion;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    }
    let result: R;
    try {
      result = read(op);
    } finally {
      this.api.HcsCloseOperation(op);
      release();
    }
    if (cancelledWith !== undefined) throw cancelledWith;
    if (result.hresult < 0) throw hcsError(name, target, result.hresult, result.document);
    return result;
  }
}
