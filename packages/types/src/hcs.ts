import type { Duplex, Readable, Writable } from 'node:stream';
import type {
  ComputeSystem,
  ModificationRequest,
  ModifySettingRequest,
  PauseOptions,
  ProcessModifyRequest,
  ProcessParameters,
  ProcessStatus,
  Properties,
  PropertyQuery,
  SaveOptions,
  ServiceProperties,
  StartOptions,
} from './hcs/schema/index.js';
import type { HcsProcessEvent, HcsProcessExit, HcsSystemEvent, SystemExitStatus } from './hcsEvents.js';

/** Options every backend call takes. */
export interface HcsCallOptions {
  /**
   * Cancels the call. A backend never abandons an in-flight native call: aborting asks HCS to
   * cancel the operation (HcsCancelOperation) and the promise rejects once HCS has let go of it.
   */
  readonly signal?: AbortSignal;
  /** Fails the call with a TimeoutError after this many milliseconds (same cancellation rule). */
  readonly timeoutMs?: number;
}

/**
 * An open compute system handle (HCS_SYSTEM). Obtain one from {@link Hcs.createComputeSystem} or
 * {@link Hcs.openComputeSystem}; a backend rejects handles it did not issue.
 */
export interface HcsSystem {
  readonly kind: 'system';
  /** The compute system id the handle was created or opened with. */
  readonly id: string;
}

/** An open process handle (HCS_PROCESS); cannot be passed where an {@link HcsSystem} is expected. */
export interface HcsProcess {
  readonly kind: 'process';
  readonly systemId: string;
  readonly processId: number;
}

/** A JSON document given either typed (serialized with `toHcsJson`) or as a JSON string passed through unchanged. */
export type HcsDocument<T> = T | string;

/** The schema-1 query HcsEnumerateComputeSystems takes; every key is optional and ANDed. */
export interface ComputeSystemQuery {
  readonly Ids?: readonly string[];
  readonly Types?: readonly string[];
  readonly Names?: readonly string[];
  readonly Owners?: readonly string[];
}

/** One entry HcsEnumerateComputeSystems returns (schema-1 ContainerProperties; unknown keys kept). */
export interface ComputeSystemSummary {
  readonly Id: string;
  readonly SystemType?: string;
  readonly Name?: string;
  readonly Owner?: string;
  readonly RuntimeId?: string;
  readonly RuntimeOsType?: string;
  readonly State?: string;
  readonly Stopped?: boolean;
  readonly ExitType?: string;
  readonly [key: string]: unknown;
}

/** Options for creating or opening a compute system. */
export interface HcsOpenOptions extends HcsCallOptions {
  /**
   * Receives the system's events from the moment the handle exists, so no event is lost between
   * creation and a later {@link Hcs.onComputeSystemEvent}. Called asynchronously, never from a
   * native thread; an exception it throws is reported to the backend's logger and dropped.
   */
  readonly onEvent?: (event: HcsSystemEvent) => void;
}

/** The standard streams of a process created with `CreateStd*Pipe`. */
export interface HcsProcessStdio {
  readonly stdin?: Writable;
  readonly stdout?: Readable;
  readonly stderr?: Readable;
}

/** What HcsCreateProcess and HcsGetProcessInfo return. */
export interface HcsProcessInfo extends HcsProcessStdio {
  readonly processId: number;
}

/** The result of {@link Hcs.createProcess}. */
export interface HcsCreatedProcess extends HcsProcessInfo {
  readonly process: HcsProcess;
}

/** Host facts the builder's rules depend on. */
export interface HcsHostInfo {
  /** Windows build number, e.g. 26100. */
  readonly windowsBuild: number;
  readonly architecture: 'amd64' | 'arm64';
}

/** A listener bound to one (VM id, service id) hvsock address. */
export interface VmSocketListener extends AsyncDisposable {
  readonly vmId: string;
  readonly serviceId: string;
  /** Resolves with the next connection; rejects when the listener closes or the signal aborts. */
  accept(options?: { readonly signal?: AbortSignal }): Promise<Duplex>;
  /** Stops listening; pending accepts reject. Idempotent. */
  close(): Promise<void>;
}

/**
 * The contract between uvm and the Host Compute Service. `@uvm/hcs-ffi` implements it over
 * `computecore.dll`; `@uvm/sim` implements it in memory. Every method maps to one HCS function,
 * named in its documentation. Failures reject with `HcsError` (carrying the HRESULT, the function,
 * the system id and HCS's error events); calls on handles the backend did not issue or has closed
 * reject with `StateError`.
 */
export interface Hcs {
  /** A short name for messages, e.g. `computecore` or `simulator`. */
  readonly name: string;

  /** HcsEnumerateComputeSystems. */
  enumerateComputeSystems(query?: ComputeSystemQuery, options?: HcsCallOptions): Promise<ComputeSystemSummary[]>;

  /** HcsCreateComputeSystem, then HcsSetComputeSystemCallback so events start flowing at once. */
  createComputeSystem(id: string, document: HcsDocument<ComputeSystem>, options?: HcsOpenOptions): Promise<HcsSystem>;
  /** HcsOpenComputeSystem with GENERIC_ALL, then HcsSetComputeSystemCallback. */
  openComputeSystem(id: string, options?: HcsOpenOptions): Promise<HcsSystem>;
  /**
   * HcsCloseComputeSystem. Waits until no call is using the handle, then closes it; the system
   * keeps running unless its document set ShouldTerminateOnLastHandleClosed. Idempotent.
   */
  closeComputeSystem(system: HcsSystem): Promise<void>;

  /** HcsStartComputeSystem. */
  startComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly startOptions?: HcsDocument<StartOptions> }): Promise<void>;
  /**
   * HcsShutDownComputeSystem, fire-and-forget: resolves once HCS has accepted the request;
   * completion is the `exited` event (see {@link Hcs.waitForComputeSystemExit}).
   */
  shutDownComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly shutdownOptions?: string }): Promise<void>;
  /** HcsTerminateComputeSystem, fire-and-forget like {@link Hcs.shutDownComputeSystem}. */
  terminateComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly terminateOptions?: string }): Promise<void>;
  /** HcsCrashComputeSystem: asks HCS to crash the guest (for crash dumps). */
  crashComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly crashOptions?: string }): Promise<void>;
  /** HcsPauseComputeSystem. */
  pauseComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly pauseOptions?: HcsDocument<PauseOptions> }): Promise<void>;
  /** HcsResumeComputeSystem. */
  resumeComputeSystem(system: HcsSystem, options?: HcsCallOptions): Promise<void>;
  /** HcsSaveComputeSystem. */
  saveComputeSystem(system: HcsSystem, saveOptions: HcsDocument<SaveOptions>, options?: HcsCallOptions): Promise<void>;
  /** HcsGetComputeSystemProperties; the answer is the parsed properties document. */
  getComputeSystemProperties(system: HcsSystem, query: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<Properties>;
  /** HcsModifyComputeSystem. */
  modifyComputeSystem(system: HcsSystem, request: HcsDocument<ModifySettingRequest>, options?: HcsCallOptions): Promise<void>;
  /**
   * Resolves when the system has exited (at once if it already has), from the SystemExited event;
   * never blocks a thread the way HcsWaitForComputeSystemExit would.
   */
  waitForComputeSystemExit(system: HcsSystem, options?: HcsCallOptions): Promise<SystemExitStatus>;
  /** Adds a listener for the system's events; returns the function that removes it. */
  onComputeSystemEvent(system: HcsSystem, listener: (event: HcsSystemEvent) => void): () => void;

  /** HcsCreateProcess (with HcsSetProcessCallback). */
  createProcess(system: HcsSystem, parameters: HcsDocument<ProcessParameters>, options?: HcsCallOptions): Promise<HcsCreatedProcess>;
  /** HcsOpenProcess with GENERIC_ALL. */
  openProcess(system: HcsSystem, processId: number, options?: HcsCallOptions): Promise<HcsProcess>;
  /** HcsCloseProcess; waits until no call uses the handle. Idempotent. */
  closeProcess(process: HcsProcess): Promise<void>;
  /** HcsTerminateProcess. */
  terminateProcess(process: HcsProcess, options?: HcsCallOptions): Promise<void>;
  /** HcsSignalProcess; `signalOptions` is the guest-specific options document (e.g. `{"Signal":15}`). */
  signalProcess(process: HcsProcess, signalOptions: HcsDocument<Record<string, unknown>>, options?: HcsCallOptions): Promise<void>;
  /** HcsGetProcessInfo. */
  getProcessInfo(process: HcsProcess, options?: HcsCallOptions): Promise<HcsProcessInfo>;
  /** HcsGetProcessProperties. */
  getProcessProperties(process: HcsProcess, query?: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<ProcessStatus>;
  /** HcsModifyProcess (console size, closing a std handle). */
  modifyProcess(process: HcsProcess, request: HcsDocument<ProcessModifyRequest>, options?: HcsCallOptions): Promise<void>;
  /** Resolves with the process's exit, from the ProcessExited event. */
  waitForProcessExit(process: HcsProcess, options?: HcsCallOptions): Promise<HcsProcessExit>;
  /** Adds a listener for the process's events; returns the function that removes it. */
  onProcessEvent(process: HcsProcess, listener: (event: HcsProcessEvent) => void): () => void;

  /** HcsGetServiceProperties, e.g. `{"PropertyTypes":["ProcessorTopology"]}`. */
  getServiceProperties(query: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<ServiceProperties>;
  /** HcsModifyServiceSettings; resolves with the result document, if any. */
  modifyServiceSettings(request: HcsDocument<ModificationRequest>, options?: HcsCallOptions): Promise<string | undefined>;
  /** HcsGrantVmAccess: lets the VM's worker process open `path`. */
  grantVmAccess(vmId: string, path: string, options?: HcsCallOptions): Promise<void>;
  /** HcsRevokeVmAccess. */
  revokeVmAccess(vmId: string, path: string, options?: HcsCallOptions): Promise<void>;
  /** HcsGrantVmGroupAccess: lets every VM worker process open `path`. */
  grantVmGroupAccess(path: string, options?: HcsCallOptions): Promise<void>;
  /** HcsRevokeVmGroupAccess. */
  revokeVmGroupAccess(path: string, options?: HcsCallOptions): Promise<void>;
  /** HcsCreateEmptyGuestStateFile (.vmgs). */
  createEmptyGuestStateFile(path: string, options?: HcsCallOptions): Promise<void>;
  /** HcsCreateEmptyRuntimeStateFile (.vmrs). */
  createEmptyRuntimeStateFile(path: string, options?: HcsCallOptions): Promise<void>;

  /** The Windows build and architecture of the host (not an HCS call: read from the OS). */
  getHostInfo(options?: HcsCallOptions): Promise<HcsHostInfo>;

  /**
   * Binds a Hyper-V socket listener for (vmId, serviceId). Works before the VM starts, which is
   * how the GCS, entropy and log channels must be bound (gcs-bridge.md §5.2).
   */
  listenVmSocket(vmId: string, serviceId: string, options?: HcsCallOptions): Promise<VmSocketListener>;
  /** Connects to a service a guest listens on. */
  connectVmSocket(vmId: string, serviceId: string, options?: HcsCallOptions): Promise<Duplex>;

  /** Closes every handle and listener the backend still holds. */
  close(): Promise<void>;
}
