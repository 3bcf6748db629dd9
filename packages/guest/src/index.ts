// The public surface of @uvm/guest.

// Transports
export { isDuplexListener, type CallOptions, type DuplexListener, type StdioChannel, type StdioListenerFactory } from './transport.js';

// The bridge
export {
  GcsBridge,
  type GcsBridgeAnomaly,
  type GcsBridgeEvents,
  type GcsBridgeOptions,
  type GcsCallOptions,
  type GcsNegotiation,
  type GcsNotificationBody,
  type GcsResponseBody,
} from './gcsBridge.js';

// The guest and what it hands out
export {
  Guest,
  type CombinedLayersSettings,
  type ContainerConfig,
  type GuestConnectOptions,
  type GuestEvents,
  type GuestOs,
  type MappedDirectorySettings,
  type MappedVirtualDiskSettings,
  type NetworkInterfaceSettings,
} from './guest.js';
export { CONTAINER_SHUTDOWN_TIMEOUT_MS, GuestContainer, type ContainerExit, type ContainerProcessParameters } from './guestContainer.js';
export { GuestProcess, type GuestSignal } from './guestProcess.js';
export { FIRST_STDIO_PORT } from './guestRpc.js';
