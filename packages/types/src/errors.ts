import { describeHResult, formatHResult, sameHResult, toHResult } from './hresult.js';

/** Stable error codes: match on `error.code`, never on the message. */
export type UvmErrorCode =
  | 'ERR_UVM_HCS'
  | 'ERR_UVM_HCS_UNAVAILABLE'
  | 'ERR_UVM_GUEST'
  | 'ERR_UVM_VALIDATION'
  | 'ERR_UVM_STATE'
  | 'ERR_UVM_CONNECTION_CLOSED'
  | 'ERR_UVM_PROTOCOL'
  | 'ERR_UVM_TIMEOUT'
  | 'ABORT_ERR';

/** The base class of every error uvm throws on purpose. */
export class UvmError extends Error {
  readonly code: UvmErrorCode;

  constructor(code: UvmErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UvmError';
    this.code = code;
  }
}

/** One entry of the `ErrorEvents` list of an HCS result document (hcs-host.md §1.7). */
export interface HcsErrorEvent {
  readonly message?: string;
  readonly stackTrace?: string;
  readonly provider?: string;
  readonly eventId?: number;
  readonly flags?: number;
  readonly source?: string;
}

export interface HcsErrorOptions {
  /** The HRESULT, signed or unsigned; stored unsigned. */
  readonly hresult: number;
  /** The HCS function or the uvm operation that failed, e.g. `HcsStartComputeSystem`. */
  readonly operation: string;
  readonly systemId?: string;
  readonly processId?: number;
  /** `ErrorMessage` of the result document, when HCS gave one. */
  readonly errorMessage?: string;
  readonly errorEvents?: readonly HcsErrorEvent[];
  readonly cause?: unknown;
}

/** A failed HCS call: the HRESULT with its name, the function, the system, and HCS's error events. */
export class HcsError extends UvmError {
  /** Unsigned 32-bit HRESULT. */
  readonly hresult: number;
  /** Symbolic name of the HRESULT, when known. */
  readonly hresultName: string | undefined;
  readonly operation: string;
  readonly systemId: string | undefined;
  readonly processId: number | undefined;
  readonly errorMessage: string | undefined;
  readonly errorEvents: readonly HcsErrorEvent[];

  constructor(options: HcsErrorOptions) {
    super('ERR_UVM_HCS', hcsErrorMessage(options), { cause: options.cause });
    this.name = 'HcsError';
    this.hresult = toHResult(options.hresult);
    this.hresultName = describeHResult(this.hresult)?.name;
    this.operation = options.operation;
    this.systemId = options.systemId;
    this.processId = options.processId;
    this.errorMessage = options.errorMessage;
    this.errorEvents = options.errorEvents ?? [];
  }
}

function hcsErrorMessage(o: HcsErrorOptions): string {
  const info = describeHResult(o.hresult);
  const system = o.systemId === undefined ? undefined : `compute system "${o.systemId}"`;
  const target =
    o.processId !== undefined
      ? ` for process ${o.processId}${system === undefined ? '' : ` in ${system}`}`
      : system === undefined
        ? ''
        : ` for ${system}`;
  const what = nonBlank(o.errorMessage) ?? info?.description ?? 'HCS returned an error.';
  let text = `${o.operation} failed${target}: ${ensurePeriod(what)} [${formatHResult(o.hresult)}]`;
  if (info?.hint !== undefined) text += ` ${info.hint}`;
  for (const e of o.errorEvents ?? []) text += `\n  HCS event: ${describeEvent(e)}`;
  return text;
}

function describeEvent(e: HcsErrorEvent): string {
  const details = [
    e.provider === undefined ? undefined : `provider ${e.provider}`,
    e.eventId === undefined ? undefined : `event id ${e.eventId}`,
    e.source === undefined ? undefined : `source ${e.source}`,
  ].filter((d) => d !== undefined);
  return (nonBlank(e.message) ?? '(no message)') + (details.length > 0 ? ` (${details.join(', ')})` : '');
}

function ensurePeriod(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : t + '.';
}

/** The text, unless it is absent or only white space (HCS and the GCS send "" for "no message"). */
function nonBlank(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

/** Why HCS cannot be used on this machine, and what to do instead. */
export type HcsUnavailableReason = 'not-windows' | 'library-missing' | 'feature-disabled' | 'not-elevated' | 'load-failed';

/** HCS cannot be used here; `reason` says why and the message says what to do (for example, use `@uvm/sim`). */
export class HcsUnavailableError extends UvmError {
  readonly reason: HcsUnavailableReason;

  constructor(reason: HcsUnavailableReason, message: string, options?: { cause?: unknown }) {
    super('ERR_UVM_HCS_UNAVAILABLE', message, options);
    this.name = 'HcsUnavailableError';
    this.reason = reason;
  }
}

/** One record of the `ErrorRecords` list of a GCS response (gcs-bridge.md §3.3), with its wire keys. */
export interface GcsErrorRecord {
  readonly Result: number;
  readonly Message: string;
  readonly StackTrace?: string;
  readonly ModuleName: string;
  readonly FileName: string;
  readonly Line: number;
  readonly FunctionName?: string;
}

export interface GuestErrorOptions {
  readonly hresult: number;
  /** The bridge procedure, e.g. `ModifySettings`. */
  readonly operation: string;
  readonly containerId?: string;
  /** `ErrorMessage` of the response. */
  readonly guestMessage?: string;
  readonly errorRecords?: readonly GcsErrorRecord[];
  readonly cause?: unknown;
}

/** The GCS answered a request with a failure `Result`. */
export class GuestError extends UvmError {
  readonly hresult: number;
  readonly hresultName: string | undefined;
  readonly operation: string;
  readonly containerId: string | undefined;
  readonly guestMessage: string | undefined;
  readonly errorRecords: readonly GcsErrorRecord[];

  constructor(options: GuestErrorOptions) {
    super('ERR_UVM_GUEST', guestErrorMessage(options), { cause: options.cause });
    this.name = 'GuestError';
    this.hresult = toHResult(options.hresult);
    this.hresultName = describeHResult(this.hresult)?.name;
    this.operation = options.operation;
    this.containerId = options.containerId;
    this.guestMessage = options.guestMessage;
    this.errorRecords = options.errorRecords ?? [];
  }
}

function guestErrorMessage(o: GuestErrorOptions): string {
  const info = describeHResult(o.hresult);
  const records = o.errorRecords ?? [];
  const target = o.containerId === undefined ? '' : ` for container "${o.containerId}"`;
  const what =
    nonBlank(o.guestMessage) ?? records.map((r) => nonBlank(r.Message)).find((m) => m !== undefined) ?? info?.description ?? 'the guest returned an error.';
  let text = `guest ${o.operation} failed${target}: ${ensurePeriod(what)} [${formatHResult(o.hresult)}]`;
  if (info?.hint !== undefined) text += ` ${info.hint}`;
  for (const r of records) text += `\n  guest error record: ${describeRecord(r, o.hresult)}`;
  return text;
}

// Where in the guest the error arose; the record's HRESULT only when it differs from the response's.
function describeRecord(r: GcsErrorRecord, hresult: number): string {
  const file = nonBlank(r.FileName);
  const fn = nonBlank(r.FunctionName);
  const where = [
    nonBlank(r.ModuleName),
    // The GCS writes 0xFFFFFFFF when it does not know the line.
    file === undefined ? undefined : r.Line === 0xffffffff ? file : `${file}:${r.Line}`,
    fn === undefined ? undefined : `in ${fn}`,
  ].filter((d) => d !== undefined);
  let text = (nonBlank(r.Message) ?? '(no message)') + (where.length > 0 ? ` (${where.join(', ')})` : '');
  if (!sameHResult(r.Result, hresult)) text += ` [${formatHResult(r.Result)}]`;
  return text;
}

/** One problem found by a validator: where (a JSON pointer) and what to do about it. */
export interface ValidationIssue {
  /** JSON pointer into the checked value, `''` for the value itself, e.g. `/VirtualMachine/ComputeTopology/Memory/SizeInMB`. */
  readonly path: string;
  /** A sentence that says what is wrong and how to fix it. */
  readonly message: string;
}

/** Input that failed validation; `issues` lists every problem at once. */
export class ValidationError extends UvmError {
  /** What was checked, e.g. `ComputeSystem`. */
  readonly subject: string;
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[], options?: { cause?: unknown }) {
    super('ERR_UVM_VALIDATION', validationMessage(subject, issues), options);
    this.name = 'ValidationError';
    this.subject = subject;
    this.issues = Object.freeze([...issues]);
  }
}

function validationMessage(subject: string, issues: readonly ValidationIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((i) => `  ${i.path === '' ? '(root)' : i.path}: ${i.message}`);
  return [`${subject} is invalid (${count}):`, ...lines].join('\n');
}

/** An operation that the current state of an object does not allow (for example start after close). */
export class StateError extends UvmError {
  readonly operation: string;
  readonly state: string;

  constructor(operation: string, state: string, message: string, options?: { cause?: unknown }) {
    super('ERR_UVM_STATE', message, options);
    this.name = 'StateError';
    this.operation = operation;
    this.state = state;
  }
}

/** A connection (GCS bridge, stdio relay, socket) closed while calls were still waiting on it. */
export class ConnectionClosedError extends UvmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_UVM_CONNECTION_CLOSED', message, options);
    this.name = 'ConnectionClosedError';
  }
}

/** The peer sent something the protocol does not allow (a bad frame, bytes that are not JSON). */
export class ProtocolError extends UvmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_UVM_PROTOCOL', message, options);
    this.name = 'ProtocolError';
  }
}

/** An operation did not finish within its `timeoutMs`. */
export class TimeoutError extends UvmError {
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, options?: { cause?: unknown }) {
    super('ERR_UVM_TIMEOUT', `${operation} did not finish within ${timeoutMs} ms. Raise timeoutMs if the host is slow.`, options);
    this.name = 'TimeoutError';
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/** An operation was cancelled through its AbortSignal; `cause` holds the signal's reason. */
export class AbortError extends UvmError {
  constructor(message = 'The operation was aborted.', options?: { cause?: unknown }) {
    super('ABORT_ERR', message, options);
    this.name = 'AbortError';
  }
}

/**
 * The error to reject with when `signal` aborts: its reason when that is an Error (a DOMException
 * from `AbortSignal.abort()` or `AbortSignal.timeout()`, as fetch does), otherwise an AbortError
 * that carries the reason as its cause.
 */
export function abortReason(signal: AbortSignal, operation?: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new AbortError(operation === undefined ? 'The operation was aborted.' : `${operation} was aborted.`, { cause: reason });
}

/** Throws {@link abortReason} when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, operation?: string): void {
  if (signal?.aborted === true) throw abortReason(signal, operation);
}

/** True for the errors an AbortSignal produces: ours and the DOM's `AbortError`/`TimeoutError`. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error instanceof DOMException && error.name === 'TimeoutError'));
}
