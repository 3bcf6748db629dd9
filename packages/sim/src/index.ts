// The public surface of @uvm/sim. Each section belongs to one part of the simulator.

// --- GCS peer: the guest end of the bridge (src/gcs/) ---
export { GcsPeer, createGcsPeer, type GcsPeerEvents, type GcsPeerOptions, type GcsPeerRequestEvent } from './gcs/gcsPeer.js';
export type { PeerContainerView, RecordedModification, StdioConnector } from './gcs/peerRuntime.js';
