import { HcsError, type HcsErrorOptions, type ValidationIssue } from '@uvm/types';

/**
 * The HRESULTs the simulator answers with. hcs-host.md §1.6 lists the values hcsshim checks for
 * (the `0xC037xxxx` severity for system state errors), so those are what a caller must handle;
 * the Win32 ones are what HCS reports for problems inside a request.
 */
export const SimulatedHResult = Object.freeze({
  /** ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND: no system with that id. */
  systemNotFound: 0xc037010e,
  /** ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS: create with an id in use. */
  systemAlreadyExists: 0xc037010f,
  /** ERROR_VMCOMPUTE_INVALID_STATE: the call is not legal in the system's state. */
  invalidState: 0xc0370105,
  /** ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED: the system has exited. */
  systemAlreadyStopped: 0xc0370110,
  /** ERROR_VMCOMPUTE_INVALID_JSON: a document that does not parse or does not match the schema. */
  invalidJson: 0xc037010d,
  /** ERROR_VMCOMPUTE_UNEXPECTED_EXIT: the exit status of a crashed system. */
  unexpectedExit: 0xc0370106,
  /** HCS_E_SERVICE_DISCONNECT: the service went away under an open handle. */
  serviceDisconnect: 0x8037011e,
  /** HCS_E_PROCESS_ALREADY_STOPPED. */
  processAlreadyStopped: 0x8037011f,
  /** HCS_E_CONNECTION_CLOSED: a process's wait result when its VM stopped under it. */
  connectionClosed: 0x8037010a,
  /** ERROR_NOT_FOUND: a resource (device, share, process) that the system does not have. */
  elementNotFound: 0x80070490,
  /** ERROR_ALREADY_EXISTS: adding a resource at a place that is taken. */
  alreadyExists: 0x800700b7,
  /** E_INVALIDARG: a request that names something the VM cannot have (a missing controller). */
  invalidArgument: 0x80070057,
  /** ERROR_NOT_SUPPORTED: what the simulator does not model, said plainly. */
  notSupported: 0x80070032,
} as const);

/** The result document of a failed call: the HRESULT, a message, and HCS-style error events. */
export type SimulatedFailureOptions = Omit<HcsErrorOptions, 'cause'>;

const PROVIDER = 'uvm-hcs-simulator';

/** An HcsError as a real backend builds it from HCS's result document. */
export function simulatedFailure(options: SimulatedFailureOptions): HcsError {
  const events = options.errorEvents ?? (options.errorMessage === undefined ? [] : [{ message: options.errorMessage, provider: PROVIDER }]);
  return new HcsError({ ...options, errorEvents: events });
}

/** INVALID_JSON with one error event per validation issue, the way HCS reports a bad document. */
export function invalidDocument(operation: string, subject: string, issues: readonly ValidationIssue[], systemId?: string): HcsError {
  return simulatedFailure({
    hresult: SimulatedHResult.invalidJson,
    operation,
    ...(systemId === undefined ? {} : { systemId }),
    errorMessage: `The ${subject} document is invalid.`,
    errorEvents: issues.map((issue) => ({
      message: `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`,
      provider: PROVIDER,
    })),
  });
}
