// The public surface of @uvm/sim. Each block lists one concern's exports.

// Shared: an in-memory connection
export { createDuplexPair } from './duplexPair.js';

// --- HCS simulator (src/hcs/) ---
export { createHcsSimulator, type HcsSimulator, type SimulatedSystemSnapshot, type SimulatorCounters } from './hcs/hcsSimulator.js';
export { DEFAULT_SIMULATED_HOST, type HcsSimulatorOptions, type LatencySpec, type SimulatedHost } from './hcs/simulatorOptions.js';
export type { FaultSpec, InjectedFault } from './hcs/faultPlan.js';
export { SIMULATED_CALLS, type SimulatedCall } from './hcs/simulatedCall.js';
export { SimulatedHResult } from './hcs/simulatedFailure.js';
export type { SimulatedGuest } from './hcs/simulatedGuest.js';
export { TERMINATED_EXIT_CODE, type SimulatedProcess } from './hcs/simulatedProcess.js';
export type { SimulatedState } from './hcs/simulatedSystem.js';

// --- GCS peer (src/gcs/) ---
export { GcsPeer, createGcsPeer, type GcsPeerEvents, type GcsPeerOptions, type GcsPeerRequestEvent } from './gcs/gcsPeer.js';
export type { PeerContainerView, RecordedModification, StdioConnector } from './gcs/peerRuntime.js';
