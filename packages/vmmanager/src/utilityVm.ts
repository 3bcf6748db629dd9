import { EventEmitter } from 'node:events';
import Type from 'typebox';
import {
  HcsError,
  PropertyQuerySchema,
  PropertyTypeSchema,
  ProtocolError,
  SaveOptionsSchema,
  StateError,
  TimeoutError,
  ValidationError,
  abortReason,
  assertComputeSystem,
  assertWith,
  childLogger,
  isAlreadyStopped,
  isGuid,
  isNotExist,
  isVmNotAvailable,
  normalizeGuid,
  sameHResult,
  showValue,
  silentLogger,
  throwIfAborted,
  timeoutsFromEnv,
  toHcsJson,
  vsockServiceId,
  type Attachment,
  type ComputeSystem,
  type Hcs,
  type HcsCallOptions,
  type HcsOpenOptions,
  type HcsSystem,
  type HcsSystemEvent,
  type HcsTimeouts,
  type HvSocketServiceConfig,
  type Logger,
  type NetworkAdapter,
  type Plan9Share,
  type ProcessorLimits,
  type Properties,
  type PropertyQuery,
  type PropertyType,
  type SaveOptions,
  type Statistics,
  type VirtualPciDevice,
  type VirtualPMemDevice,
  type VirtualPMemMapping,
  type VirtualSmbShare,
  type VmSocketListener,
} from '@uvm/types';
import { callWatchdog } from './callWatchdog.js';
import { defaultHcs } from './defaultHcs.js';
import type {
  CallOptions,
  LifetimeManager,
  NetworkManager,
  PciManager,
  PipeManager,
  Plan9Manager,
  ResourceManager,
  ScsiManager,
  TimedCallOptions,
  UtilityVMState,
  VmSocketManager,
  VpmemManager,
  VsmbManager,
} from './managers.js';
import {
  cpuGroupRequest,
  hvSocketServiceRequest,
  memoryRequest,
  networkAdapterRequest,
  pciDeviceRequest,
  pipeRequest,
  plan9ShareRequest,
  processorLimitsRequest,
  scsiDiskRequest,
  vpmemDeviceRequest,
  vpmemMappingRequest,
  vsmbShareRequest,
  type HostModifyRequest,
} from './modifyRequests.js';
import { exitFromEvent, exitFromProperties, exitFromServiceDisconnect, type UtilityVMExit } from './utilityVmExit.js';
import { UtilityVMListener, noMoreConnections, type ListenerOwner } from './utilityVmListener.js';

/** Options every way of getting a UtilityVM takes. */
export interface UtilityVMOptions {
  /** The HCS backend. Default: computecore.dll through `@uvm/hcs-ffi`, where HCS is available. */
  readonly hcs?: Hcs;
  /** Receives the VM's log records (pino-compatible); silent by default. */
  readonly logger?: Logger;
  /**
   * Default timeouts per operation. Default: hcsshim's (hcs-host.md §1.9) with the
   * `HCSSHIM_TIMEOUT_*` environment variables applied.
   */
  readonly timeouts?: Partial<HcsTimeouts>;
}

/** Options of {@link UtilityVM.create} and {@link UtilityVM.open}. */
export interface UtilityVMCreateOptions extends UtilityVMOptions, TimedCallOptions {}

/** The events a UtilityVM emits. None is an `error` event: failures reach the caller of each method. */
export interface UtilityVMEvents {
  /** The VM stopped, cleanly or not (also the outcome of `wait()`). Emitted once. */
  exit: [exit: UtilityVMExit];
  /** HCS reported a guest crash (crash initiated, crash report); an unexpected `exit` follows. */
  crash: [event: HcsSystemEvent];
  /** HCS's own connection to the guest closed. */
  guestConnectionClosed: [event: HcsSystemEvent];
  /** Every event HCS sent for the VM, as the backend parsed it. */
  event: [event: HcsSystemEvent];
}

type Waiter = { readonly resolve: (exit: UtilityVMExit) => void; readonly reject: (error: Error) => void };

/** The one promise every wait without a signal or timeout shares; made when the first such wait asks. */
interface SharedExit extends Waiter {
  readonly promise: Promise<UtilityVMExit>;
}

const ERROR_NOT_FOUND = 0x80070490;
const HCS_E_SERVICE_DISCONNECT = 0x8037011e;
// hcsshim's Shutdown/Terminate ignore these: the system is already stopped, gone, or stopping.
const STOP_IGNORED = [0xc0370110, 0xc037010e, 0xc0370103];
const PROPERTY_TYPES = Type.Array(PropertyTypeSchema);
/** The V1 query `{}` hcsshim reads a new system's identity with (hcs-host.md §2.2). */
const IDENTITY_QUERY: PropertyQuery = Object.freeze({});

/**
 * One utility VM on the host side: its lifecycle and every host-side modification, each sent as the
 * exact request hcsshim's VM manager sends (hcs-host.md §3). It never talks to the guest; it hands
 * out hvsock listeners (`listen`) for the guest layer to accept its connections on.
 *
 * State rules: calls go to HCS, which decides what is legal, until the VM exits; from then on
 * `shutdown` and `terminate` are no-ops, releasing a resource succeeds (it is gone with the VM),
 * and every other call fails with a StateError. After `close()` every call but `close()` fails.
 */
export class UtilityVM
  extends EventEmitter<UtilityVMEvents>
  implements LifetimeManager, NetworkManager, ScsiManager, PciManager, PipeManager, Plan9Manager, VmSocketManager, VpmemManager, VsmbManager, ResourceManager, AsyncDisposable
{
  readonly id: string;
  private readonly hcs: Hcs;
  private readonly logger: Logger;
  private readonly timeouts: HcsTimeouts;
  private system: HcsSystem | undefined;
  private vmRuntimeId = '';
  private lifecycle: 'created' | 'running' | 'paused' = 'created';
  /** When start() succeeded (ms since the epoch); the Date is made when someone asks for it. */
  private startedAtMs: number | undefined;
  private startedAt: Date | undefined;
  private exit: UtilityVMExit | undefined;
  private closing: Promise<void> | undefined;
  // Made on first use: most VMs never wait with a signal, and many never listen.
  private sharedExit: SharedExit | undefined;
  private waiters: Set<Waiter> | undefined;
  private socketListeners: Set<UtilityVMListener> | undefined;
  private owner: ListenerOwner | undefined;

  private constructor(id: string, hcs: Hcs, options: UtilityVMOptions) {
    super();
    this.id = id;
    this.hcs = hcs;
    this.logger = options.logger === undefined ? silentLogger : childLogger(options.logger, { component: 'utility-vm', vmId: id });
    this.timeouts = options.timeouts === undefined ? environmentTimeouts() : { ...environmentTimeouts(), ...options.timeouts };
  }

  /**
   * Creates the compute system from `document` (HcsCreateComputeSystem) and reads its runtime id.
   * The VM is created stopped; bind listeners, then `start()`. If anything fails after HCS created
   * the system, it is terminated and its handle closed before the error is thrown.
   */
  static async create(id: string, document: ComputeSystem | string, options: UtilityVMCreateOptions = {}): Promise<UtilityVM> {
    checkId(id, 'UtilityVM.create');
    const doc = typeof document === 'string' ? document : assertComputeSystem(document);
    throwIfAborted(options.signal, 'UtilityVM.create');
    const hcs = options.hcs ?? (await defaultHcs());
    const vm = new UtilityVM(id, hcs, options);
    if (typeof doc !== 'string' && doc.ShouldTerminateOnLastHandleClosed !== true) {
      vm.logger.warn({ systemId: id }, 'the document does not set ShouldTerminateOnLastHandleClosed: the VM outlives this process if it dies');
    }
    const watch = vm.watch('create');
    try {
      vm.system = await hcs.createComputeSystem(id, doc, vm.openOptions(options.signal, options.timeoutMs ?? vm.timeouts.systemCreate));
    } finally {
      callWatchdog.end(watch);
    }
    try {
      vm.takeIdentity(await vm.readIdentity(options.signal));
    } catch (error) {
      await vm.discard(error);
      throw error;
    }
    vm.logger.debug({ runtimeId: vm.vmRuntimeId }, 'utility VM created');
    return vm;
  }

  /** Opens an existing compute system (HcsOpenComputeSystem) and reads its runtime id and state. */
  static async open(id: string, options: UtilityVMCreateOptions = {}): Promise<UtilityVM> {
    checkId(id, 'UtilityVM.open');
    throwIfAborted(options.signal, 'UtilityVM.open');
    const hcs = options.hcs ?? (await defaultHcs());
    const vm = new UtilityVM(id, hcs, options);
    const watch = vm.watch('open');
    try {
      vm.system = await hcs.openComputeSystem(id, vm.openOptions(options.signal, options.timeoutMs));
    } finally {
      callWatchdog.end(watch);
    }
    try {
      const properties = vm.takeIdentity(await vm.readIdentity(options.signal));
      if (properties.State === 'Running') vm.lifecycle = 'running';
      else if (properties.State === 'Paused') vm.lifecycle = 'paused';
      else if (properties.State === 'Stopped' || properties.Stopped === true) vm.recordExit(exitFromProperties(id, properties.ExitType, new Date()));
    } catch (error) {
      // Not ours to terminate: only let go of the handle.
      await vm.close().catch((closeError: unknown) => { vm.logger.warn({ err: closeError }, 'closing the handle after a failed open failed'); });
      throw error;
    }
    return vm;
  }

  // --- identity and state ---

  get runtimeId(): string {
    return this.vmRuntimeId;
  }

  get state(): UtilityVMState {
    if (this.closing !== undefined) return 'closed';
    if (this.exit !== undefined) return 'exited';
    return this.lifecycle;
  }

  get startedTime(): Date | undefined {
    if (this.startedAt === undefined && this.startedAtMs !== undefined) this.startedAt = new Date(this.startedAtMs);
    return this.startedAt;
  }

  get stoppedTime(): Date | undefined {
    return this.exit?.stoppedTime;
  }

  get exitError(): Error | undefined {
    return this.exit?.error;
  }

  // --- lifetime ---

  async start(options: TimedCallOptions = {}): Promise<void> {
    this.guard('start');
    const timeoutMs = options.timeoutMs ?? this.timeouts.systemStart;
    const watch = this.watch('start');
    try {
      await this.hcs.startComputeSystem(this.handle, callOptions(options.signal, timeoutMs));
    } finally {
      callWatchdog.end(watch);
    }
    this.startedAtMs = Date.now();
    this.lifecycle = 'running';
  }

  shutdown(options: TimedCallOptions = {}): Promise<UtilityVMExit> {
    return this.stop('shutdown', options);
  }

  terminate(options: TimedCallOptions = {}): Promise<UtilityVMExit> {
    return this.stop('terminate', options);
  }

  async pause(options: TimedCallOptions = {}): Promise<void> {
    this.guard('pause');
    const watch = this.watch('pause');
    try {
      await this.hcs.pauseComputeSystem(this.handle, callOptions(options.signal, options.timeoutMs ?? this.timeouts.systemPause));
    } finally {
      callWatchdog.end(watch);
    }
    this.lifecycle = 'paused';
  }

  async resume(options: TimedCallOptions = {}): Promise<void> {
    this.guard('resume');
    const watch = this.watch('resume');
    try {
      await this.hcs.resumeComputeSystem(this.handle, callOptions(options.signal, options.timeoutMs ?? this.timeouts.systemResume));
    } finally {
      callWatchdog.end(watch);
    }
    this.lifecycle = 'running';
  }

  async save(saveOptions: SaveOptions, options: TimedCallOptions = {}): Promise<void> {
    this.guard('save');
    const json = toHcsJson(assertWith(SaveOptionsSchema, saveOptions, 'SaveOptions'), SaveOptionsSchema);
    const watch = this.watch('save');
    try {
      await this.hcs.saveComputeSystem(this.handle, json, callOptions(options.signal, options.timeoutMs ?? this.timeouts.systemSave));
    } finally {
      callWatchdog.end(watch);
    }
  }

  async wait(options: TimedCallOptions = {}): Promise<UtilityVMExit> {
    this.guardOpen('wait');
    return await this.exitOf('wait', options.signal, options.timeoutMs);
  }

  async properties(types: readonly PropertyType[], options: CallOptions = {}): Promise<Properties> {
    this.guard('properties');
    const propertyTypes = assertWith(PROPERTY_TYPES, types, 'property types');
    const watch = this.watch('properties');
    try {
      return await this.hcs.getComputeSystemProperties(this.handle, { PropertyTypes: propertyTypes }, callOptions(options.signal));
    } finally {
      callWatchdog.end(watch);
    }
  }

  async queryProperties(query: PropertyQuery, options: CallOptions = {}): Promise<Properties> {
    this.guard('queryProperties');
    const checked = assertWith(PropertyQuerySchema, query, 'PropertyQuery');
    const watch = this.watch('queryProperties');
    try {
      return await this.hcs.getComputeSystemProperties(this.handle, checked, callOptions(options.signal));
    } finally {
      callWatchdog.end(watch);
    }
  }

  async statistics(options: CallOptions = {}): Promise<Statistics> {
    const properties = await this.properties(['Statistics'], options);
    if (properties.Statistics === undefined) throw new ProtocolError(`HCS answered a Statistics query for "${this.id}" without a Statistics section.`);
    return properties.Statistics;
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // --- host-side modifications ---

  addNetworkAdapter(nicId: string, adapter: NetworkAdapter, options?: CallOptions): Promise<void> {
    return this.modify(() => networkAdapterRequest('Add', nicId, adapter), options);
  }

  removeNetworkAdapter(nicId: string, adapter?: NetworkAdapter, options?: CallOptions): Promise<void> {
    return this.modify(() => networkAdapterRequest('Remove', nicId, adapter), options);
  }

  updateNetworkAdapter(nicId: string, adapter: NetworkAdapter, options?: CallOptions): Promise<void> {
    return this.modify(() => networkAdapterRequest('Update', nicId, adapter), options);
  }

  addScsiDisk(controller: number, lun: number, attachment: Attachment, options?: CallOptions): Promise<void> {
    return this.modify(() => scsiDiskRequest('Add', controller, lun, attachment), options);
  }

  removeScsiDisk(controller: number, lun: number, options?: CallOptions): Promise<void> {
    return this.modify(() => scsiDiskRequest('Remove', controller, lun), options);
  }

  addPciDevice(vmbusGuid: string, device: VirtualPciDevice, options?: CallOptions): Promise<void> {
    return this.modify(() => pciDeviceRequest('Add', vmbusGuid, device), options);
  }

  removePciDevice(vmbusGuid: string, options?: CallOptions): Promise<void> {
    return this.modify(() => pciDeviceRequest('Remove', vmbusGuid), options);
  }

  addPipe(hostPath: string, options?: CallOptions): Promise<void> {
    return this.modify(() => pipeRequest('Add', hostPath), options);
  }

  removePipe(hostPath: string, options?: CallOptions): Promise<void> {
    return this.modify(() => pipeRequest('Remove', hostPath), options);
  }

  addPlan9Share(share: Plan9Share, options?: CallOptions): Promise<void> {
    return this.modify(() => plan9ShareRequest('Add', share), options);
  }

  removePlan9Share(share: Plan9Share, options?: CallOptions): Promise<void> {
    return this.modify(() => plan9ShareRequest('Remove', share), options);
  }

  updateHvSocketService(serviceId: string, config: HvSocketServiceConfig, options?: CallOptions): Promise<void> {
    return this.modify(() => hvSocketServiceRequest('Update', serviceId, config), options);
  }

  removeHvSocketService(serviceId: string, options?: CallOptions): Promise<void> {
    return this.modify(() => hvSocketServiceRequest('Remove', serviceId), options);
  }

  addVpmemDevice(device: number, settings: VirtualPMemDevice, options?: CallOptions): Promise<void> {
    return this.modify(() => vpmemDeviceRequest('Add', device, settings), options);
  }

  removeVpmemDevice(device: number, options?: CallOptions): Promise<void> {
    return this.modify(() => vpmemDeviceRequest('Remove', device), options);
  }

  addVpmemMapping(device: number, offsetBytes: number, mapping: VirtualPMemMapping, options?: CallOptions): Promise<void> {
    return this.modify(() => vpmemMappingRequest('Add', device, offsetBytes, mapping), options);
  }

  removeVpmemMapping(device: number, offsetBytes: number, options?: CallOptions): Promise<void> {
    return this.modify(() => vpmemMappingRequest('Remove', device, offsetBytes), options);
  }

  addVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void> {
    return this.modify(() => vsmbShareRequest('Add', share), options);
  }

  updateVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void> {
    return this.modify(() => vsmbShareRequest('Update', share), options);
  }

  removeVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void> {
    return this.modify(() => vsmbShareRequest('Remove', share), options);
  }

  setCpuGroup(groupId: string, options?: CallOptions): Promise<void> {
    return this.modify(() => cpuGroupRequest(groupId), options);
  }

  updateProcessorLimits(limits: ProcessorLimits, options?: CallOptions): Promise<void> {
    return this.modify(() => processorLimitsRequest(limits), options);
  }

  updateMemory(sizeInMB: number, options?: CallOptions): Promise<void> {
    return this.modify(() => memoryRequest(sizeInMB), options);
  }

  // --- VM sockets ---

  async listen(serviceId: string, options: CallOptions = {}): Promise<VmSocketListener> {
    this.guard('listen');
    const service = normalizeGuid(serviceId);
    let inner: VmSocketListener;
    const watch = this.watch('listen');
    try {
      inner = await this.hcs.listenVmSocket(this.vmRuntimeId, service, callOptions(options.signal));
    } finally {
      callWatchdog.end(watch);
    }
    this.owner ??= {
      id: this.id,
      stoppedError: () => this.listenerStoppedError(),
      release: (released) => this.socketListeners?.delete(released),
    };
    const listener = new UtilityVMListener(inner, this.owner);
    (this.socketListeners ??= new Set()).add(listener);
    // The VM may have exited or been closed while the bind was under way.
    if (this.listenerStoppedError() !== undefined) await listener.close();
    return listener;
  }

  async listenVsock(port: number, options?: CallOptions): Promise<VmSocketListener> {
    return this.listen(vsockServiceId(port), options);
  }

  // --- machinery ---

  private get handle(): HcsSystem {
    if (this.system === undefined) throw new StateError('use', 'creating', `Utility VM "${this.id}" has no compute system handle yet.`);
    return this.system;
  }

  /**
   * Reads the identity (and state) with the V1 query `{}`, as hcsshim does after create, for
   * {@link takeIdentity}. It hands back HCS's own promise rather than being an async function:
   * every VM is created through here, and a layer of promises costs each of them.
   */
  private readIdentity(signal: AbortSignal | undefined): Promise<Properties> {
    const watch = this.watch('properties');
    try {
      return watchUntilSettled(this.hcs.getComputeSystemProperties(this.handle, IDENTITY_QUERY, callOptions(signal)), watch);
    } catch (error) {
      callWatchdog.end(watch);
      throw error;
    }
  }

  /** Keeps the runtime id of a properties answer; an answer without a GUID is a ProtocolError. */
  private takeIdentity(properties: Properties): Properties {
    const runtimeId = properties.RuntimeId;
    if (!isGuid(runtimeId)) {
      throw new ProtocolError(`HCS answered the properties of "${this.id}" without a RuntimeId GUID (got ${showValue(runtimeId)}).`);
    }
    this.vmRuntimeId = runtimeId.toLowerCase();
    return properties;
  }

  /** A create that failed after HCS made the system: terminate it, wait briefly, close the handle. */
  private async discard(cause: unknown): Promise<void> {
    this.logger.warn({ err: cause }, 'creating the utility VM failed after HCS created it; terminating it');
    try {
      await this.terminate({ timeoutMs: this.timeouts.systemCreate });
    } catch (error) {
      this.logger.warn({ err: error }, 'terminating the half-created utility VM failed');
    }
    await this.close().catch((error: unknown) => { this.logger.warn({ err: error }, 'closing the half-created utility VM failed'); });
  }

  private guardOpen(operation: string): void {
    if (this.closing !== undefined) {
      throw new StateError(operation, 'closed', `Utility VM "${this.id}" is closed; ${operation} needs an open VM (UtilityVM.open("${this.id}") opens it again).`);
    }
  }

  /** Refuses a call on a closed or exited VM. */
  private guard(operation: string): void {
    this.guardOpen(operation);
    const exit = this.exit;
    if (exit !== undefined) {
      const why = exit.error === undefined ? `(${exit.exitType ?? 'exited'})` : `: ${exit.error.message}`;
      throw new StateError(operation, 'exited', `Utility VM "${this.id}" has exited ${why}; ${operation} needs a VM that is still there.`, { cause: exit.error });
    }
  }

  private async stop(operation: 'shutdown' | 'terminate', options: TimedCallOptions): Promise<UtilityVMExit> {
    this.guardOpen(operation);
    if (this.exit !== undefined) return this.exit;
    const { signal, timeoutMs } = options;
    const started = timeoutMs === undefined ? 0 : Date.now();
    try {
      const watch = this.watch(operation);
      try {
        const handle = this.handle;
        const hcsOptions = callOptions(signal, timeoutMs);
        await (operation === 'shutdown' ? this.hcs.shutDownComputeSystem(handle, hcsOptions) : this.hcs.terminateComputeSystem(handle, hcsOptions));
      } finally {
        callWatchdog.end(watch);
      }
    } catch (error) {
      if (!(error instanceof HcsError && STOP_IGNORED.some((hr) => sameHResult(hr, error.hresult)))) throw error;
      this.logger.debug({ err: error }, `${operation}: the VM is already stopping or gone`);
    }
    return await this.exitOf(operation, signal, timeoutMs === undefined ? undefined : Math.max(0, timeoutMs - (Date.now() - started)));
  }

  /** The exit, now or when it comes; rejects on abort, timeout, or close before exit. */
  private exitOf(operation: string, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<UtilityVMExit> {
    if (this.exit !== undefined) return Promise.resolve(this.exit);
    if (signal === undefined && timeoutMs === undefined) return (this.sharedExit ??= sharedExit()).promise;
    if (signal?.aborted === true) return Promise.reject(abortReason(signal, operation));
    const waiters = (this.waiters ??= new Set());
    return new Promise<UtilityVMExit>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      const waiter: Waiter = {
        resolve: (exit) => {
          done();
          resolve(exit);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => {
        waiter.reject(abortReason(signal as AbortSignal, operation));
      };
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          waiter.reject(new TimeoutError(`${operation} of utility VM "${this.id}"`, timeoutMs));
        }, timeoutMs);
      }
    });
  }

  private async modify(build: () => HostModifyRequest, options: CallOptions = {}): Promise<void> {
    const request = build();
    this.guardOpen(request.operation);
    if (this.exit !== undefined && request.release) return;
    this.guard(request.operation);
    try {
      const watch = this.watch(request.operation);
      try {
        await this.hcs.modifyComputeSystem(this.handle, request.json, callOptions(options.signal));
      } finally {
        callWatchdog.end(watch);
      }
    } catch (error) {
      if (!request.release || !(error instanceof HcsError)) throw error;
      if (await this.isGone(error)) {
        this.logger.debug({ err: error }, `${request.operation}: the VM is gone, so ${request.resource} is released with it`);
        return;
      }
      if (sameHResult(error.hresult, ERROR_NOT_FOUND)) {
        throw new HcsError({
          hresult: error.hresult,
          operation: request.operation,
          systemId: this.id,
          errorMessage: `${capitalize(request.resource)} is not on this VM: it was never added, or was already removed.`,
          errorEvents: error.errorEvents,
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Whether a failed release failed because the VM itself is gone (ecosystem.md §6 item 11). A
   * missing element or an invalid state can also mean the resource alone is missing, so those are
   * checked against the VM's state.
   */
  private async isGone(error: HcsError): Promise<boolean> {
    if (this.exit !== undefined) return true;
    if (!isVmNotAvailable(error.hresult)) return false;
    if (!sameHResult(error.hresult, ERROR_NOT_FOUND) && (isNotExist(error.hresult) || isAlreadyStopped(error.hresult))) return true;
    try {
      const properties = await this.hcs.getComputeSystemProperties(this.handle, {});
      return properties.State === 'Stopped' || properties.Stopped === true;
    } catch (probe) {
      if (!(probe instanceof HcsError)) return false;
      const hr = probe.hresult;
      return (isNotExist(hr) && !sameHResult(hr, ERROR_NOT_FOUND)) || isAlreadyStopped(hr) || sameHResult(hr, HCS_E_SERVICE_DISCONNECT);
    }
  }

  /**
   * Puts an HCS call under the syscall watchdog: logged when it runs long, never abandoned. The
   * caller ends the watch in a `finally` once the call settled.
   */
  private watch(operation: string): object {
    return callWatchdog.begin(operation, this.timeouts.syscallWatcher, this.logger);
  }

  /** The options of the call that gets the handle: events flow to this VM from the start. */
  private openOptions(signal: AbortSignal | undefined, timeoutMs: number | undefined): HcsOpenOptions {
    const onEvent = (event: HcsSystemEvent) => {
      this.handleEvent(event);
    };
    if (signal === undefined) return timeoutMs === undefined ? { onEvent } : { timeoutMs, onEvent };
    return timeoutMs === undefined ? { signal, onEvent } : { signal, timeoutMs, onEvent };
  }

  private handleEvent(event: HcsSystemEvent): void {
    this.safeEmit('event', event);
    switch (event.type) {
      case 'exited':
        this.recordExit(exitFromEvent(this.id, event.status, event.unexpected, new Date()));
        break;
      case 'serviceDisconnect':
        this.recordExit(exitFromServiceDisconnect(this.id, new Date()));
        break;
      case 'crashInitiated':
      case 'crashReport':
        this.safeEmit('crash', event);
        break;
      case 'guestConnectionClosed':
        this.safeEmit('guestConnectionClosed', event);
        break;
      default:
        break;
    }
  }

  private recordExit(exit: UtilityVMExit): void {
    if (this.exit !== undefined) return;
    this.exit = exit;
    if (exit.unexpected) this.logger.warn({ err: exit.error, exitType: exit.exitType }, 'utility VM exited unexpectedly');
    else this.logger.debug({ exitType: exit.exitType }, 'utility VM exited');
    const shared = this.sharedExit;
    if (shared !== undefined) {
      this.sharedExit = undefined;
      shared.resolve(exit);
    }
    if (this.waiters !== undefined && this.waiters.size > 0) for (const waiter of [...this.waiters]) waiter.resolve(exit);
    if (this.socketListeners !== undefined && this.socketListeners.size > 0) for (const listener of [...this.socketListeners]) void listener.close();
    this.safeEmit('exit', exit);
  }

  private safeEmit<K extends keyof UtilityVMEvents>(name: K, arg: UtilityVMEvents[K][0]): void {
    try {
      (this.emit as (name: K, arg: UtilityVMEvents[K][0]) => boolean)(name, arg);
    } catch (error) {
      this.logger.error({ err: error, event: name }, `a "${name}" listener of the utility VM threw`);
    }
  }

  private listenerStoppedError(): Error | undefined {
    if (this.closing !== undefined) return noMoreConnections(this.id, 'closed');
    if (this.exit !== undefined) return this.exit.error ?? noMoreConnections(this.id, 'exited');
    return undefined;
  }

  private closeNow(): Promise<void> {
    // Listeners go first; without any (the usual case) the handle's close is the whole promise.
    if (this.socketListeners !== undefined && this.socketListeners.size > 0) {
      return Promise.allSettled([...this.socketListeners].map((listener) => listener.close())).then(() => this.closeHandle());
    }
    try {
      return this.closeHandle();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private closeHandle(): Promise<void> {
    const shared = this.sharedExit;
    if (shared !== undefined || (this.waiters !== undefined && this.waiters.size > 0)) {
      const closed = new StateError('wait', 'closed', `Utility VM "${this.id}" was closed before it exited.`);
      this.sharedExit = undefined;
      shared?.reject(closed);
      if (this.waiters !== undefined) for (const waiter of [...this.waiters]) waiter.reject(closed);
    }
    if (this.system === undefined) return Promise.resolve();
    this.logger.debug({}, 'closing the utility VM handle');
    return this.hcs.closeComputeSystem(this.system);
  }
}

let fromEnvironment: HcsTimeouts | undefined;

/** hcsshim's timeouts with the HCSSHIM_TIMEOUT_* overrides, read once per process as hcsshim does. */
function environmentTimeouts(): HcsTimeouts {
  fromEnvironment ??= timeoutsFromEnv(process.env);
  return fromEnvironment;
}

const NO_OPTIONS: HcsCallOptions = Object.freeze({});

function callOptions(signal: AbortSignal | undefined, timeoutMs?: number): HcsCallOptions {
  if (signal === undefined) return timeoutMs === undefined ? NO_OPTIONS : { timeoutMs };
  return timeoutMs === undefined ? { signal } : { signal, timeoutMs };
}

/** `call`, with its watch ended as soon as it settles (before anyone awaiting it resumes). */
function watchUntilSettled<T>(call: Promise<T>, watch: object): Promise<T> {
  const end = (): void => {
    callWatchdog.end(watch);
  };
  call.then(end, end);
  return call;
}

function sharedExit(): SharedExit {
  let settle: Waiter | undefined;
  const promise = new Promise<UtilityVMExit>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The executor ran synchronously, so `settle` is set.
  const { resolve, reject } = settle as Waiter;
  return { promise, resolve, reject };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function checkId(id: unknown, operation: string): void {
  if (typeof id !== 'string' || id === '') {
    throw new ValidationError(`${operation} id`, [{ path: '/id', message: `The compute system id must be a non-empty string; got ${showValue(id)}.` }]);
  }
}
