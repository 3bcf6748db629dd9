// The public surface of @uvm/hcs-ffi. Each block lists one module's exports.

// The Hcs backend over computecore.dll
export { ComputeCore, openComputeCore, type OpenComputeCoreOptions } from './computeCore.js';

// Can HCS be used here?
export { hcsAvailability, type HcsAvailability, type HcsAvailabilityOptions } from './hcsAvailability.js';

// The raw binding: every computecore.dll export
export {
  HCS_EXPORTS,
  defaultComputeCorePath,
  loadHcsApi,
  type FreeStringOption,
  type HcsApi,
  type HcsApiAsync,
  type HcsApiFunctions,
  type HcsDocumentResult,
  type HcsExportName,
  type HcsHandleResult,
  type HcsOperationHandle,
  type HcsProcessHandle,
  type HcsProcessInfoResult,
  type HcsProcessInformation,
  type HcsSystemHandle,
  type LoadHcsApiOptions,
} from './hcsApi.js';

// Hyper-V sockets (Windows)
export { HvSocketListener, connectHvSocket, listenHvSocket } from './hvSockets.js';
export { HV_SOCKET_ADDRESS_BYTES, packHvSocketAddress, unpackHvSocketAddress, type HvServiceId } from './hvSocketAddress.js';

// AF_UNIX and AF_VSOCK sockets (Linux)
export {
  VSOCK_CID,
  connectUnixSocket,
  connectVsock,
  listenUnixSocket,
  listenVsock,
  packUnixAddress,
  packVsockAddress,
  socketPair,
  type SocketCallOptions,
} from './posixSockets.js';

// Streams and listeners shared by every socket kind
export { NativeStream } from './nativeStream.js';
export { NativeSocketListener } from './socketListener.js';
export type { SocketError } from './socketErrors.js';

// Diagnostics
export { nativeStats, type NativeStats } from './nativeStats.js';
