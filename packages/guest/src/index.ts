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
