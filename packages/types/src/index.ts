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

// --- HCS schema v2: schemas, types, validation, serialization (src/hcs/) ---

// --- GCS bridge protocol (src/gcs/) ---

// --- Constants, GUIDs and resource paths ---
export { GUID_BYTES, NULL_GUID, guidFromBytes, guidToBytes, isGuid, normalizeGuid, randomGuid } from './guid.js';
export { AF_HYPERV, HVSOCK_SECURITY_DESCRIPTOR, HVSOCK_SERVICE_ID, HV_PROTOCOL_RAW, HV_VM_ID } from './hvsock.js';
export { MAX_SCSI_CONTROLLERS, SCSI_CONTROLLER_GUIDS, SCSI_LUNS_PER_CONTROLLER, scsiControllerGuid } from './scsi.js';
export { BOOT_FILE, MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID } from './boot.js';
export { DEFAULT_VPMEM_COUNT, DEFAULT_VPMEM_SIZE_BYTES, MAX_VPMEM_COUNT, VPMEM_SIZE_ALIGNMENT_BYTES } from './vpmem.js';
export { DEFAULT_HCS_TIMEOUTS, HCS_TIMEOUT_ENV_VARS, timeoutsFromEnv, type HcsTimeouts } from './hcsTimeouts.js';
export {
  CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH,
  CPU_GROUP_RESOURCE_PATH,
  CPU_LIMITS_RESOURCE_PATH,
  GPU_RESOURCE_PATH,
  IDLED_PROCESSORS_RESOURCE_PATH,
  LICENSING_RESOURCE_PATH,
  LIVE_MIGRATION_SOCKET_URI,
  MAX_COM_PORT_INDEX,
  MEMORY_RESOURCE_PATH,
  PLAN9_SHARES_RESOURCE_PATH,
  SHARED_MEMORY_REGIONS_RESOURCE_PATH,
  SILO_DEVICES_RESOURCE_PATH,
  SILO_MAPPED_DIRECTORIES_RESOURCE_PATH,
  SILO_MAPPED_PIPES_RESOURCE_PATH,
  SILO_MEMORY_RESOURCE_PATH,
  SILO_PROCESSOR_RESOURCE_PATH,
  SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH,
  VSMB_SHARES_RESOURCE_PATH,
  comPortPath,
  flexibleIovPath,
  hvSocketServicePath,
  mappedPipePath,
  networkAdapterPath,
  scsiAttachmentPath,
  virtualPciPath,
  vpmemDevicePath,
  vpmemMappingPath,
} from './resourcePaths.js';
export {
  LINUX_ENTROPY_BYTES,
  MAX_VSOCK_PORT,
  PLAN9_PORT,
  VSOCK_PORT,
  vsockPortFromServiceId,
  vsockServiceId,
} from './vsock.js';
