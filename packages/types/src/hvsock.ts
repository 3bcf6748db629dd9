// Hyper-V socket (hvsock) constants: the address family, the well-known partition (VM) ids a socket
// address can name, the service ids of the Windows guest's channels and the security descriptors
// hcsshim puts in a VM's HvSocketConfig (gcs-bridge.md §1.1–§1.4, hcs-host.md §4.7, §4.10, §4.12).

/** The Windows address family of Hyper-V sockets, for `socket(AF_HYPERV, SOCK_STREAM, HV_PROTOCOL_RAW)`. */
export const AF_HYPERV = 34;

/** The raw hvsock protocol number used with {@link AF_HYPERV}. */
export const HV_PROTOCOL_RAW = 1;

/**
 * Well-known VM ids for the first half of an hvsock address. A host listener for one UVM binds to
 * that UVM's runtime id instead; these name partitions relative to the socket's own.
 */
export const HV_VM_ID = Object.freeze({
  /** Accept connections from every partition (`HV_GUID_WILDCARD`). */
  wildcard: '00000000-0000-0000-0000-000000000000',
  /** `HV_GUID_BROADCAST`. */
  broadcast: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  /** The socket's own partition (`HV_GUID_LOOPBACK`); the confidential-WCOW sidecar reaches the inbox GCS through it. */
  loopback: 'e0e16197-dd56-4a10-9195-5ee7a155a838',
  /** The partitions that are children of the socket's own (`HV_GUID_CHILDREN`). */
  children: '90db8b89-0d35-4f79-8ce9-49ea0ac8b7cd',
  /** The parent partition (`HV_GUID_PARENT`): a guest uses it to reach its host. */
  parent: 'a42e7cda-d03f-480c-9cc2-a4de20abb878',
  /** The silo host partition (`HV_GUID_SILOHOST`). */
  siloHost: '36bd0c5c-7276-4223-88ba-7d03b654c568',
  /** The id a host gives the Windows GCS as `ParentAddress` in the HvSocket settings it sends after the handshake. */
  windowsGcsHost: '894cc2d6-9d79-424f-93fe-42969ae6d8d1',
} as const);

/** hvsock service ids of the Windows guest's channels; the host listens on (UVM runtime id, service id). */
export const HVSOCK_SERVICE_ID = Object.freeze({
  /** The GCS bridge of a Windows UVM: the inbox GCS dials it. */
  windowsGcs: 'acef5661-84a1-4e44-856b-6245e69f4620',
  /** The GCS bridge of a confidential Windows UVM: the in-guest gcs-sidecar dials it. */
  windowsSidecarGcs: 'ae8da506-a019-4553-a52b-902bc0fa0411',
  /** The Windows guest's log forwarding service (the GCS log stream). */
  windowsLogging: '172dad59-976d-45f2-8b6c-6d1b13f2ac4d',
} as const);

/** The SDDL strings hcsshim uses for hvsock bind and connect permissions in `HvSocketConfig`. */
export const HVSOCK_SECURITY_DESCRIPTOR = Object.freeze({
  /** Full access for SYSTEM and built-in Administrators only. */
  systemAndAdministrators: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)',
  /** Full access for everyone (the `WD` world SID). */
  everyone: 'D:P(A;;FA;;;WD)',
} as const);
