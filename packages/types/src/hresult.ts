/**
 * HRESULTs that HCS and the GCS return, with their symbolic names and a hint for the person who
 * has to act on them. Values are handled as unsigned 32-bit numbers; HCS's two severities of the
 * same code (0x8037xxxx "HCS_E_*" and 0xC037xxxx "ERROR_VMCOMPUTE_*") are distinct entries that
 * the predicates below treat as equivalent.
 */

export interface HResultInfo {
  /** Unsigned 32-bit value, e.g. 0x8037010e. */
  readonly value: number;
  /** Symbolic name from winerror.h / the HCS documentation. */
  readonly name: string;
  /** What it means, in a sentence. */
  readonly description: string;
  /** What to do about it; absent when there is nothing useful to say. */
  readonly hint?: string;
}

type Row = readonly [value: number, name: string, description: string, hint?: string];

const ADMIN_HINT = 'Run as an administrator or a member of the Hyper-V Administrators group.';
const FEATURE_HINT =
  "Enable the Hyper-V and Containers Windows features (Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V,Containers) and reboot.";

// HCS_E_* (0x8037xxxx), as the HCS documentation lists them (HCSHResult.md) and hcsshim uses them.
const HCS_ROWS: readonly Row[] = [
  [0x80370100, 'HCS_E_TERMINATED_DURING_START', 'The virtual machine or container exited unexpectedly while starting.', 'Check the guest boot files and the VM document; the crash and error events carry the details.'],
  [0x80370101, 'HCS_E_IMAGE_MISMATCH', 'The container operating system does not match the host operating system.', 'Use an image built for this Windows build, or run it with Hyper-V isolation.'],
  [0x80370102, 'HCS_E_HYPERV_NOT_INSTALLED', 'The virtual machine could not be started because a required feature is not installed.', FEATURE_HINT],
  [0x80370105, 'HCS_E_INVALID_STATE', 'The requested virtual machine or container operation is not valid in the current state.', 'Query the system state first; start only a created system, pause only a running one.'],
  [0x80370106, 'HCS_E_UNEXPECTED_EXIT', 'The virtual machine or container exited unexpectedly.', 'Look at the exit and crash events, and at the guest logs, for why the VM stopped.'],
  [0x80370107, 'HCS_E_TERMINATED', 'The virtual machine or container was forcefully exited.'],
  [0x80370108, 'HCS_E_CONNECT_FAILED', 'A connection could not be established with the container or virtual machine.', 'Make sure the guest is running its GCS and that the host listened before the VM started.'],
  [0x80370109, 'HCS_E_CONNECTION_TIMEOUT', 'The operation timed out because a response was not received from the virtual machine or container.', 'The guest may be overloaded or hung; raise the timeout or collect guest stacks.'],
  [0x8037010a, 'HCS_E_CONNECTION_CLOSED', 'The connection with the virtual machine or container was closed.'],
  [0x8037010b, 'HCS_E_UNKNOWN_MESSAGE', 'An unknown internal message was received by the virtual machine or container.', 'The host and guest disagree on the protocol; update the guest image or the host.'],
  [0x8037010c, 'HCS_E_UNSUPPORTED_PROTOCOL_VERSION', 'The virtual machine or container does not support an available version of the communication protocol with the host.', 'The GCS must speak bridge protocol version 4; update the guest image.'],
  [0x8037010d, 'HCS_E_INVALID_JSON', 'The virtual machine or container JSON document is invalid.', 'Validate the document with validateComputeSystem() to find the field HCS rejects.'],
  [0x8037010e, 'HCS_E_SYSTEM_NOT_FOUND', 'A virtual machine or container with the specified identifier does not exist.', 'The system may have exited and been cleaned up; list systems to see what exists.'],
  [0x8037010f, 'HCS_E_SYSTEM_ALREADY_EXISTS', 'A virtual machine or container with the specified identifier already exists.', 'Pick another id, or open the existing system instead of creating it.'],
  [0x80370110, 'HCS_E_SYSTEM_ALREADY_STOPPED', 'The virtual machine or container with the specified identifier is not running.'],
  [0x80370111, 'HCS_E_PROTOCOL_ERROR', 'A communication protocol error has occurred between the virtual machine or container and the host.'],
  [0x80370112, 'HCS_E_INVALID_LAYER', 'The container image contains a layer with an unrecognized format.'],
  [0x80370113, 'HCS_E_WINDOWS_INSIDER_REQUIRED', 'To use this container image, you must join the Windows Insider Program.'],
  [0x80370114, 'HCS_E_SERVICE_NOT_AVAILABLE', 'The operation could not be started because a required feature is not installed.', FEATURE_HINT],
  [0x80370115, 'HCS_E_OPERATION_NOT_STARTED', 'The operation has not started.'],
  [0x80370116, 'HCS_E_OPERATION_ALREADY_STARTED', 'The operation is already running.', 'An HCS operation handle tracks one call; create a new operation for each call.'],
  [0x80370117, 'HCS_E_OPERATION_PENDING', 'The operation is still running.'],
  [0x80370118, 'HCS_E_OPERATION_TIMEOUT', 'The operation did not complete in time.', 'Raise the timeout for this operation; a slow host can need minutes to boot a VM.'],
  [0x80370119, 'HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET', 'An event callback has already been registered on this handle.', 'Register one event callback per handle; open a second handle for a second listener.'],
  [0x8037011a, 'HCS_E_OPERATION_RESULT_ALLOCATION_FAILED', 'Not enough memory available to return the result of the operation.'],
  [0x8037011b, 'HCS_E_ACCESS_DENIED', 'Insufficient privileges to access virtual machines or containers.', ADMIN_HINT],
  [0x8037011c, 'HCS_E_GUEST_CRITICAL_ERROR', 'The virtual machine or container reported a critical error and was stopped or restarted.', 'Collect the guest crash report and logs.'],
  [0x8037011d, 'HCS_E_PROCESS_INFO_NOT_AVAILABLE', 'The process information is not available.'],
  [0x8037011e, 'HCS_E_SERVICE_DISCONNECT', 'The host compute system service has disconnected unexpectedly.', 'The vmcompute service restarted or crashed; reopen the systems you hold.'],
  [0x8037011f, 'HCS_E_PROCESS_ALREADY_STOPPED', 'The process has already exited.'],
  [0x80370120, 'HCS_E_SYSTEM_NOT_CONFIGURED_FOR_OPERATION', 'The virtual machine or container is not configured to perform the operation.'],
];

// ERROR_VMCOMPUTE_* (0xC037xxxx): the same facility with the error severity; vmcompute and the
// GCS return these (hcsshim's ErrVmcompute* values).
const VMCOMPUTE_ROWS: readonly Row[] = [
  [0xc0370100, 'ERROR_VMCOMPUTE_TERMINATED_DURING_START', 'The virtual machine or container exited unexpectedly while starting.'],
  [0xc0370101, 'ERROR_VMCOMPUTE_IMAGE_MISMATCH', 'The container operating system does not match the host operating system.'],
  [0xc0370102, 'ERROR_VMCOMPUTE_HYPERV_NOT_INSTALLED', 'A required feature is not installed.', FEATURE_HINT],
  [0xc0370103, 'ERROR_VMCOMPUTE_OPERATION_PENDING', 'The operation is still pending; its completion is reported later.'],
  [0xc0370104, 'ERROR_VMCOMPUTE_TOO_MANY_NOTIFICATIONS', 'Too many notifications are pending.'],
  [0xc0370105, 'ERROR_VMCOMPUTE_INVALID_STATE', 'The requested operation is not valid in the current state.'],
  [0xc0370106, 'ERROR_VMCOMPUTE_UNEXPECTED_EXIT', 'The virtual machine or container exited unexpectedly.'],
  [0xc0370107, 'ERROR_VMCOMPUTE_TERMINATED', 'The virtual machine or container was forcefully exited.'],
  [0xc0370108, 'ERROR_VMCOMPUTE_CONNECT_FAILED', 'A connection could not be established with the container or virtual machine.'],
  [0xc0370109, 'ERROR_VMCOMPUTE_TIMEOUT', 'The operation timed out.', 'For WaitForProcess this only means the wait elapsed; the process is still running.'],
  [0xc037010a, 'ERROR_VMCOMPUTE_CONNECTION_CLOSED', 'The connection with the virtual machine or container was closed.'],
  [0xc037010b, 'ERROR_VMCOMPUTE_UNKNOWN_MESSAGE', 'An unknown message was received.'],
  [0xc037010c, 'ERROR_VMCOMPUTE_UNSUPPORTED_PROTOCOL_VERSION', 'The peer does not support an available protocol version.', 'The GCS must speak bridge protocol version 4; update the guest image.'],
  [0xc037010d, 'ERROR_VMCOMPUTE_INVALID_JSON', 'The JSON document is invalid.', 'A body or a nested JSON string failed to parse on the other side.'],
  [0xc037010e, 'ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND', 'The system or container does not exist.'],
  [0xc037010f, 'ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS', 'A system or container with this identifier already exists.'],
  [0xc0370110, 'ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED', 'The system or container is not running.'],
  [0xc0370111, 'ERROR_VMCOMPUTE_PROTOCOL_ERROR', 'A communication protocol error has occurred.'],
  [0xc0370112, 'ERROR_VMCOMPUTE_INVALID_LAYER', 'The container image contains a layer with an unrecognized format.'],
  [0xc0370113, 'ERROR_VMCOMPUTE_WINDOWS_INSIDER_REQUIRED', 'This image requires the Windows Insider Program.'],
];

// COM and Win32 (facility 7) codes that HCS, hcsshim and the GCS give meaning to.
const GENERIC_ROWS: readonly Row[] = [
  [0x00000000, 'S_OK', 'Success.'],
  [0x80004001, 'E_NOTIMPL', 'Not implemented.', 'The peer does not support this call; a GCS answers this before protocol negotiation and for calls it does not know.'],
  [0x80004003, 'E_POINTER', 'Invalid pointer.'],
  [0x80004004, 'E_ABORT', 'The operation was aborted.'],
  [0x80004005, 'E_FAIL', 'Unspecified failure.', 'The message and error records say what failed.'],
  [0x8000ffff, 'E_UNEXPECTED', 'Catastrophic failure.'],
  [0x80070002, 'ERROR_FILE_NOT_FOUND', 'The system cannot find the file specified.', 'Check the path; HCS resolves paths on the host, not in the guest.'],
  [0x80070003, 'ERROR_PATH_NOT_FOUND', 'The system cannot find the path specified.'],
  [0x80070005, 'ERROR_ACCESS_DENIED', 'Access is denied.', ADMIN_HINT + ' Files a VM uses need HcsGrantVmAccess.'],
  [0x80070006, 'ERROR_INVALID_HANDLE', 'The handle is invalid.', 'The handle was closed or belongs to another backend.'],
  [0x8007000d, 'ERROR_INVALID_DATA', 'The data is invalid.'],
  [0x8007000e, 'E_OUTOFMEMORY', 'Not enough memory resources are available.'],
  [0x8007001f, 'ERROR_GEN_FAILURE', 'A device attached to the system is not functioning.'],
  [0x80070020, 'ERROR_SHARING_VIOLATION', 'The file is being used by another process.'],
  [0x80070032, 'ERROR_NOT_SUPPORTED', 'The request is not supported.', 'This Windows build or host configuration lacks the feature; check the schema version and the build thresholds.'],
  [0x80070057, 'E_INVALIDARG', 'The parameter is incorrect.'],
  [0x8007007f, 'ERROR_PROC_NOT_FOUND', 'The specified procedure could not be found.', 'This Windows build lacks the export; a newer build is needed.'],
  [0x800700b7, 'ERROR_ALREADY_EXISTS', 'Cannot create a file when that file already exists.'],
  [0x800705b4, 'ERROR_TIMEOUT', 'This operation returned because the timeout period expired.'],
  [0x80070490, 'ERROR_NOT_FOUND', 'Element not found.', 'For processes this means the process is gone or its exit code was already collected.'],
];

const TABLE: ReadonlyMap<number, HResultInfo> = new Map(
  [...HCS_ROWS, ...VMCOMPUTE_ROWS, ...GENERIC_ROWS].map(([value, name, description, hint]) => [
    value,
    hint === undefined ? { value, name, description } : { value, name, description, hint },
  ]),
);

/** Every HRESULT this module knows, in table order. */
export const KNOWN_HRESULTS: readonly HResultInfo[] = [...TABLE.values()];

const FACILITY_WIN32 = 7;
const FACILITY_VMCOMPUTE = 0x37;

/**
 * Normalizes an HRESULT to an unsigned 32-bit number. Accepts the signed form koffi and the GCS
 * give (-2143878898), the unsigned form (0x8037010e), and a bare Win32 error code (0x490, as
 * hcsshim stores facility-7 errors), which becomes HRESULT_FROM_WIN32 (0x80070490). Because of
 * that last rule a small positive success code such as S_FALSE (1) cannot pass through here. A
 * value that is not an integer is no HRESULT at all; it becomes E_FAIL so that building an error
 * never throws.
 */
export function toHResult(value: number): number {
  if (!Number.isInteger(value)) return 0x80004005;
  const unsigned = value >>> 0;
  if (unsigned > 0 && unsigned <= 0xffff) return hresultFromWin32(unsigned);
  return unsigned;
}

/** HRESULT_FROM_WIN32: a Win32 error code in facility 7 with the failure bit set. */
export function hresultFromWin32(code: number): number {
  const c = code >>> 0;
  return c === 0 || c > 0xffff ? c : (0x80070000 | c) >>> 0;
}

/** The Win32 code inside a facility-7 HRESULT (0x80070490 → 0x490), or undefined for other facilities. */
export function win32FromHResult(hresult: number): number | undefined {
  const hr = toHResult(hresult);
  return facilityOf(hr) === FACILITY_WIN32 && hr >>> 31 === 1 ? hr & 0xffff : undefined;
}

/** The facility field (bits 16–28). */
export function facilityOf(hresult: number): number {
  return (hresult >>> 16) & 0x1fff;
}

/** True when the severity bit is set (the value is a failure). */
export function isFailure(hresult: number): boolean {
  return toHResult(hresult) >>> 31 === 1;
}

/** The table entry for an HRESULT, if it is a known one. */
export function describeHResult(hresult: number): HResultInfo | undefined {
  return TABLE.get(toHResult(hresult));
}

/** The symbolic name, e.g. `HCS_E_SYSTEM_NOT_FOUND`, or undefined when unknown. */
export function hresultName(hresult: number): string | undefined {
  return describeHResult(hresult)?.name;
}

/** `0x8037010E` — eight upper-case hex digits, never a negative number. */
export function hresultHex(hresult: number): string {
  return '0x' + toHResult(hresult).toString(16).toUpperCase().padStart(8, '0');
}

/**
 * `0x8037010E (HCS_E_SYSTEM_NOT_FOUND)`; unknown values print as hex alone, or with `WIN32 <code>`
 * for an unnamed facility-7 value.
 */
export function formatHResult(hresult: number): string {
  const hr = toHResult(hresult);
  const name = hresultName(hr);
  if (name !== undefined) return `${hresultHex(hr)} (${name})`;
  const win32 = win32FromHResult(hr);
  return win32 === undefined ? hresultHex(hr) : `${hresultHex(hr)} (Win32 error ${win32})`;
}

/** The code of an HCS-facility HRESULT with its severity removed, so 0x8037010e and 0xc037010e compare equal. */
function hcsCode(hresult: number): number | undefined {
  const hr = toHResult(hresult);
  return facilityOf(hr) === FACILITY_VMCOMPUTE && hr >>> 31 === 1 ? hr & 0xffff : undefined;
}

/** True when two HRESULTs are the same, treating the two HCS severities (0x8037…/0xC037…) as one. */
export function sameHResult(a: number, b: number): boolean {
  const x = toHResult(a);
  const y = toHResult(b);
  if (x === y) return true;
  const cx = hcsCode(x);
  return cx !== undefined && cx === hcsCode(y);
}

const matches = (hr: number, ...values: number[]) => values.some((v) => sameHResult(hr, v));

/** The system does not exist: HCS_E_SYSTEM_NOT_FOUND (either severity) or ERROR_NOT_FOUND. */
export function isNotExist(hresult: number): boolean {
  return matches(hresult, 0x8037010e, 0x80070490);
}

/** The system or process already stopped (hcsshim's IsAlreadyStopped). */
export function isAlreadyStopped(hresult: number): boolean {
  return matches(hresult, 0x80370110, 0x8037011f, 0x80070490);
}

/** The request is not supported by this host (hcsshim's IsNotSupported). */
export function isNotSupported(hresult: number): boolean {
  return matches(hresult, 0x8037010d, 0x8007000d, 0x80070032, 0x8037010b);
}

/** The operation is still pending (0xC0370103 from vmcompute, HCS_E_OPERATION_PENDING from computecore). */
export function isPending(hresult: number): boolean {
  return matches(hresult, 0xc0370103, 0x80370117);
}

/** The operation is not valid in the current state. */
export function isInvalidState(hresult: number): boolean {
  return matches(hresult, 0x80370105);
}

/** Access denied, from Win32 or from HCS. */
export function isAccessDenied(hresult: number): boolean {
  return matches(hresult, 0x80070005, 0x8037011b);
}

/**
 * The VM (or process) is gone or cannot be reached any more: releasing a resource of such a VM
 * should count as success (hcsshim's IsVMNotAvailableError).
 */
export function isVmNotAvailable(hresult: number): boolean {
  return isNotExist(hresult) || isAlreadyStopped(hresult) || isInvalidState(hresult);
}
