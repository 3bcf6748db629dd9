// The public surface of @uvm/sim. Each block lists one concern's exports.

// --- GCS peer (src/gcs/) ---
export { GcsPeer, createGcsPeer, type GcsPeerEvents, type GcsPeerOptions, type GcsPeerRequestEvent } from './gcs/gcsPeer.js';
export type { PeerContainerView, RecordedModification, StdioConnector } from './gcs/peerRuntime.js';
