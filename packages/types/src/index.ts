// The public surface of @uvm/types. Each block lists one module's exports.

// Errors
export {
  AbortError,
  ConnectionClosedError,
  GuestError,
  HcsError,
  HcsUnavailableError,
  ProtocolError,
  StateError,
  TimeoutError,
  UvmError,
  ValidationError,
  abortReason,
  isAbortError,
  throwIfAborted,
  type GcsErrorRecord,
  type GuestErrorOptions,
  type HcsErrorEvent,
  type HcsErrorOptions,
  type HcsUnavailableReason,
  type UvmErrorCode,
  type ValidationIssue,
} from './errors.js';

// HRESULTs
export {
  KNOWN_HRESULTS,
  describeHResult,
  facilityOf,
  formatHResult,
  hresultFromWin32,
  hresultHex,
  hresultName,
  isAccessDenied,
  isAlreadyStopped,
  isFailure,
  isInvalidState,
  isNotExist,
  isNotSupported,
  isPending,
  isVmNotAvailable,
  sameHResult,
  toHResult,
  win32FromHResult,
  type HResultInfo,
} from './hresult.js';

// HCS result documents
export { parseHcsResultDocument, type HcsResultDocument } from './hcsResultDocument.js';

// Logging
export { childLogger, silentLogger, type LogFn, type Logger } from './logger.js';

// Host facts the builder's rules depend on
export type { HostFacts } from './hostFacts.js';

// Go encoding/json output
export { GO_FIELD, goField, toGoJson, type GoField } from './goJson.js';

// The Hcs backend interface and its events
export type {
  ComputeSystemQuery,
  ComputeSystemSummary,
  Hcs,
  HcsCallOptions,
  HcsCreatedProcess,
  HcsDocument,
  HcsHostInfo,
  HcsOpenOptions,
  HcsProcess,
  HcsProcessInfo,
  HcsProcessStdio,
  HcsSystem,
  VmSocketListener,
} from './hcs.js';
export {
  HcsEventOptions,
  HcsEventType,
  parseProcessEvent,
  parseProcessExit,
  parseSystemEvent,
  type HcsProcessEvent,
  type HcsProcessExit,
  type HcsSystemEvent,
  type SystemExitStatus,
} from './hcsEvents.js';

// --- HCS schema v2: schemas, types, validation, serialization (src/hcs/) ---

// --- GCS bridge protocol (src/gcs/) ---

// --- Constants, GUIDs and resource paths ---
