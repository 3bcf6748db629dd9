import { release } from 'node:os';
import type { Duplex } from 'node:stream';
import {
  HcsError,
  HcsEventOptions,
  HcsUnavailableError,
  ModificationRequestSchema,
  ModifySettingRequestSchema,
  PauseOptionsSchema,
  ProcessModifyRequestSchema,
  ProcessParametersSchema,
  PropertyQuerySchema,
  ProtocolError,
  SaveOptionsSchema,
  StartOptionsSchema,
  StateError,
  TimeoutError,
  ValidationError,
  ComputeSystemSchema,
  abortReason,
  parseProcessEvent,
  parseSystemEvent,
  silentLogger,
  throwIfAborted,
  type ComputeSystem,
  type ComputeSystemQuery,
  type ComputeSystemSummary,
  type Hcs,
  type HcsCallOptions,
  type HcsCreatedProcess,
  type HcsDocument,
  type HcsHostInfo,
  type HcsOpenOptions,
  type HcsProcess,
  type HcsProcessEvent,
  type HcsProcessExit,
  type HcsProcessInfo,
  type HcsSystem,
  type HcsSystemEvent,
  type Logger,
  type ModificationRequest,
  type ModifySettingRequest,
  type PauseOptions,
  type ProcessModifyRequest,
  type ProcessParameters,
  type ProcessStatus,
  type Properties,
  type PropertyQuery,
  type SaveOptions,
  type ServiceProperties,
  type StartOptions,
  type SystemExitStatus,
  type VmSocketListener,
} from '@uvm/types';
import { callbackHub } from './callbackHub.js';
import { checkText, documentJson } from './documentJson.js';
import { EventFanout } from './eventFanout.js';
import { ExitLatch } from './exitLatch.js';
import { openHandleStream } from './handleStreams.js';
import { hcsAvailability } from './hcsAvailability.js';
import { loadHcsApi, type HcsApi, type HcsOperationHandle, type HcsProcessHandle, type HcsProcessInformation, type HcsSystemHandle, type LoadHcsApiOptions } from './hcsApi.js';
import { HvSocketListener, connectHvSocket, listenHvSocket } from './hvSockets.js';
import { OperationRunner, checkCallOptions, hcsError, type OperationTarget } from './operations.js';
import { TrackedHandle } from './trackedHandle.js';
import { toError } from './toError.js';

const GENERIC_ALL = 0x10000000;
const HCS_E_SERVICE_DISCONNECT = 0x8037011e;

/** Options for {@link openComputeCore}. */
export interface OpenComputeCoreOptions extends LoadHcsApiOptions {
  /** Receives debug and error records (pino-compatible); silent by default. */
  readonly logger?: Logger;
}

interface SystemEntry {
  readonly token: HcsSystem;
  readonly handle: TrackedHandle<HcsSystemHandle>;
  readonly events: EventFanout<HcsSystemEvent>;
  readonly exit: ExitLatch<SystemExitStatus>;
  readonly eventTarget: number;
}

interface ProcessEntry {
  token: HcsProcess | undefined;
  readonly systemId: string;
  processId: number | undefined;
  readonly handle: TrackedHandle<HcsProcessHandle>;
  readonly events: EventFanout<HcsProcessEvent>;
  readonly exit: ExitLatch<HcsProcessExit>;
  readonly eventTarget: number;
}

/**
 * Opens computecore.dll and returns an {@link Hcs} over it. Throws `HcsUnavailableError` when HCS
 * cannot be used here (its message says why and points at `@uvm/sim`'s `createHcsSimulator()`).
 */
export function openComputeCore(options: OpenComputeCoreOptions = {}): ComputeCore {
  const availability = hcsAvailability(options.libraryPath === undefined ? {} : { libraryPath: options.libraryPath });
  if (!availability.available) throw new HcsUnavailableError(availability.reason, availability.message);
  return new ComputeCore(loadHcsApi(options), options.logger === undefined ? {} : { logger: options.logger });
}

/**
 * The {@link Hcs} backend over computecore.dll. Every call runs as an HCS operation completed
 * through the process's one callback; nothing blocks the event loop or pins a pool thread while
 * HCS works. `api` is the raw binding for exports this interface does not cover.
 */
export class ComputeCore implements Hcs, AsyncDisposable {
  readonly name = 'computecore';
  readonly api: HcsApi;
  private readonly logger: Logger;
  private readonly runner: OperationRunner;
  private readonly systems = new WeakMap<object, SystemEntry>();
  private readonly processes = new WeakMap<object, ProcessEntry>();
  private readonly openSystems = new Set<SystemEntry>();
  private readonly openProcesses = new Set<ProcessEntry>();
  private readonly listeners = new Set<HvSocketListener>();
  private closed = false;

  constructor(api: HcsApi, options: { readonly logger?: Logger } = {}) {
    this.api = api;
    this.logger = options.logger ?? silentLogger;
    this.runner = new OperationRunner(api, this.logger);
  }

  async enumerateComputeSystems(query: ComputeSystemQuery = {}, options: HcsCallOptions = {}): Promise<ComputeSystemSummary[]> {
    this.assertOpen('enumerateComputeSystems');
    const json = documentJson('HcsEnumerateComputeSystems', 'query', query, undefined);
    const document = await this.runner.run('HcsEnumerateComputeSystems', {}, (op) => this.api.HcsEnumerateComputeSystems(json, op), options);
    const parsed = parseJson('HcsEnumerateComputeSystems', document);
    if (!Array.isArray(parsed)) throw unexpected('HcsEnumerateComputeSystems', 'a JSON array of compute systems', document);
    return parsed as ComputeSystemSummary[];
  }

  async createComputeSystem(id: string, document: HcsDocument<ComputeSystem>, options: HcsOpenOptions = {}): Promise<HcsSystem> {
    this.assertOpen('createComputeSystem');
    checkText('createComputeSystem', 'id', id);
    const json = documentJson('HcsCreateComputeSystem', 'document', document, ComputeSystemSchema);
    checkOpenOptions('createComputeSystem', options);
    // Filled in by the issuing call, which runs inside the operation runner.
    const issued: { handle: HcsSystemHandle | null; entry?: SystemEntry | undefined; subscribeError?: Error | undefined } = { handle: null };
    try {
      await this.runner.run(
        'HcsCreateComputeSystem',
        { systemId: id },
        (op) => {
          const result = this.api.HcsCreateComputeSystem(id, json, op, null);
          issued.handle = result.handle;
          // Events must flow from the moment the handle exists, so the callback goes on before the wait.
          if (result.hresult >= 0 && result.handle !== null) [issued.entry, issued.subscribeError] = this.trackSystem(id, result.handle, options.onEvent);
          return result.hresult;
        },
        options,
      );
      if (issued.subscribeError !== undefined) throw issued.subscribeError;
      if (issued.entry === undefined) throw new ProtocolError(`HcsCreateComputeSystem succeeded for "${id}" without returning a handle.`);
      return issued.entry.token;
    } catch (error) {
      if (issued.entry !== undefined) await this.closeSystemEntry(issued.entry);
      else if (issued.handle !== null) await this.api.async.HcsCloseComputeSystem(issued.handle);
      throw error;
    }
  }

  async openComputeSystem(id: string, options: HcsOpenOptions = {}): Promise<HcsSystem> {
    this.assertOpen('openComputeSystem');
    checkText('openComputeSystem', 'id', id);
    checkOpenOptions('openComputeSystem', options);
    const result = await this.blockingCall('HcsOpenComputeSystem', options, () => this.api.async.HcsOpenComputeSystem(id, GENERIC_ALL), (r) => {
      if (r.handle !== null) void this.api.async.HcsCloseComputeSystem(r.handle);
    });
    if (result.hresult < 0 || result.handle === null) throw hcsError('HcsOpenComputeSystem', { systemId: id }, result.hresult, undefined);
    const [entry, subscribeError] = this.trackSystem(id, result.handle, options.onEvent);
    if (subscribeError !== undefined) {
      await this.closeSystemEntry(entry);
      throw subscribeError;
    }
    return entry.token;
  }

  closeComputeSystem(system: HcsSystem): Promise<void> {
    let entry: SystemEntry;
    try {
      entry = this.system(system, 'closeComputeSystem', { allowClosed: true });
    } catch (error) {
      return Promise.reject(toError(error));
    }
    return this.closeSystemEntry(entry);
  }

  startComputeSystem(system: HcsSystem, options: HcsCallOptions & { readonly startOptions?: HcsDocument<StartOptions> } = {}): Promise<void> {
    return this.systemOperation(system, 'HcsStartComputeSystem', options, (handle, op) =>
      this.api.HcsStartComputeSystem(handle, op, optionalDocument('HcsStartComputeSystem', 'startOptions', options.startOptions, StartOptionsSchema)),
    );
  }

  shutDownComputeSystem(system: HcsSystem, options: HcsCallOptions & { readonly shutdownOptions?: string } = {}): Promise<void> {
    return this.submitSystem(system, 'HcsShutDownComputeSystem', options, options.shutdownOptions, (handle, op, text) =>
      this.api.HcsShutDownComputeSystem(handle, op, text),
    );
  }

  terminateComputeSystem(system: HcsSystem, options: HcsCallOptions & { readonly terminateOptions?: string } = {}): Promise<void> {
    return this.submitSystem(system, 'HcsTerminateComputeSystem', options, options.terminateOptions, (handle, op, text) =>
      this.api.HcsTerminateComputeSystem(handle, op, text),
    );
  }

  crashComputeSystem(system: HcsSystem, options: HcsCallOptions & { readonly crashOptions?: string } = {}): Promise<void> {
    return this.systemOperation(system, 'HcsCrashComputeSystem', options, (handle, op) =>
      this.api.HcsCrashComputeSystem(handle, op, optionalDocument('HcsCrashComputeSystem', 'crashOptions', options.crashOptions, undefined)),
    );
  }

  pauseComputeSystem(system: HcsSystem, options: HcsCallOptions & { readonly pauseOptions?: HcsDocument<PauseOptions> } = {}): Promise<void> {
    return this.systemOperation(system, 'HcsPauseComputeSystem', options, (handle, op) =>
      this.api.HcsPauseComputeSystem(handle, op, optionalDocument('HcsPauseComputeSystem', 'pauseOptions', options.pauseOptions, PauseOptionsSchema)),
    );
  }

  resumeComputeSystem(system: HcsSystem, options: HcsCallOptions = {}): Promise<void> {
    return this.systemOperation(system, 'HcsResumeComputeSystem', options, (handle, op) => this.api.HcsResumeComputeSystem(handle, op, ''));
  }

  saveComputeSystem(system: HcsSystem, saveOptions: HcsDocument<SaveOptions>, options: HcsCallOptions = {}): Promise<void> {
    return this.systemOperation(system, 'HcsSaveComputeSystem', options, (handle, op) =>
      this.api.HcsSaveComputeSystem(handle, op, documentJson('HcsSaveComputeSystem', 'saveOptions', saveOptions, SaveOptionsSchema)),
    );
  }

  async getComputeSystemProperties(system: HcsSystem, query: HcsDocument<PropertyQuery>, options: HcsCallOptions = {}): Promise<Properties> {
    const document = await this.systemDocument(system, 'HcsGetComputeSystemProperties', options, (handle, op) =>
      this.api.HcsGetComputeSystemProperties(handle, op, documentJson('HcsGetComputeSystemProperties', 'query', query, PropertyQuerySchema)),
    );
    return parseObject('HcsGetComputeSystemProperties', document);
  }

  modifyComputeSystem(system: HcsSystem, request: HcsDocument<ModifySettingRequest>, options: HcsCallOptions = {}): Promise<void> {
    return this.systemOperation(system, 'HcsModifyComputeSystem', options, (handle, op) =>
      this.api.HcsModifyComputeSystem(handle, op, documentJson('HcsModifyComputeSystem', 'request', request, ModifySettingRequestSchema), null),
    );
  }

  waitForComputeSystemExit(system: HcsSystem, options: HcsCallOptions = {}): Promise<SystemExitStatus> {
    try {
      return this.system(system, 'waitForComputeSystemExit').exit.wait('waitForComputeSystemExit', options);
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  onComputeSystemEvent(system: HcsSystem, listener: (event: HcsSystemEvent) => void): () => void {
    checkListener('onComputeSystemEvent', listener);
    return this.system(system, 'onComputeSystemEvent').events.add(listener);
  }

  async createProcess(system: HcsSystem, parameters: HcsDocument<ProcessParameters>, options: HcsCallOptions = {}): Promise<HcsCreatedProcess> {
    const entry = this.system(system, 'createProcess');
    const json = documentJson('HcsCreateProcess', 'parameters', parameters, ProcessParametersSchema);
    return entry.handle.use('createProcess', async (systemHandle) => {
      const issued: { handle: HcsProcessHandle | null; entry?: ProcessEntry | undefined; subscribeError?: Error | undefined } = { handle: null };
      try {
        const result = await this.runner.runProcess(
          'HcsCreateProcess',
          { systemId: system.id },
          (op) => {
            const r = this.api.HcsCreateProcess(systemHandle, json, op, null);
            issued.handle = r.handle;
            // The process may exit before the operation completes: subscribe before waiting.
            if (r.hresult >= 0 && r.handle !== null) [issued.entry, issued.subscribeError] = this.trackProcess(system.id, r.handle);
            return r.hresult;
          },
          options,
        );
        if (issued.subscribeError !== undefined) throw issued.subscribeError;
        if (issued.entry === undefined) throw new ProtocolError(`HcsCreateProcess succeeded in "${system.id}" without returning a handle.`);
        const token = this.issueProcessToken(issued.entry, result.processInformation.processId);
        return { process: token, ...this.processInfo(result.processInformation) };
      } catch (error) {
        if (issued.entry !== undefined) await this.closeProcessEntry(issued.entry);
        else if (issued.handle !== null) await this.api.async.HcsCloseProcess(issued.handle);
        throw error;
      }
    });
  }

  async openProcess(system: HcsSystem, processId: number, options: HcsCallOptions = {}): Promise<HcsProcess> {
    const entry = this.system(system, 'openProcess');
    if (!Number.isInteger(processId) || processId < 0 || processId > 0xffffffff) {
      throw new ValidationError('openProcess arguments', [{ path: '/processId', message: `processId must be an integer from 0 to 4294967295; got ${String(processId)}.` }]);
    }
    checkCallOptions('openProcess', options);
    return entry.handle.use('openProcess', async (systemHandle) => {
      const result = await this.blockingCall('HcsOpenProcess', options, () => this.api.async.HcsOpenProcess(systemHandle, processId, GENERIC_ALL), (r) => {
        if (r.handle !== null) void this.api.async.HcsCloseProcess(r.handle);
      });
      if (result.hresult < 0 || result.handle === null) throw hcsError('HcsOpenProcess', { systemId: system.id, processId }, result.hresult, undefined);
      const [process, subscribeError] = this.trackProcess(system.id, result.handle);
      if (subscribeError !== undefined) {
        await this.closeProcessEntry(process);
        throw subscribeError;
      }
      return this.issueProcessToken(process, processId);
    });
  }

  closeProcess(process: HcsProcess): Promise<void> {
    let entry: ProcessEntry;
    try {
      entry = this.process(process, 'closeProcess', { allowClosed: true });
    } catch (error) {
      return Promise.reject(toError(error));
    }
    return this.closeProcessEntry(entry);
  }

  terminateProcess(process: HcsProcess, options: HcsCallOptions = {}): Promise<void> {
    return this.processOperation(process, 'HcsTerminateProcess', options, (handle, op) => this.api.HcsTerminateProcess(handle, op, '')).then(() => undefined);
  }

  signalProcess(process: HcsProcess, signalOptions: HcsDocument<Record<string, unknown>>, options: HcsCallOptions = {}): Promise<void> {
    return this.processOperation(process, 'HcsSignalProcess', options, (handle, op) =>
      this.api.HcsSignalProcess(handle, op, documentJson('HcsSignalProcess', 'signalOptions', signalOptions, undefined)),
    ).then(() => undefined);
  }

  async getProcessInfo(process: HcsProcess, options: HcsCallOptions = {}): Promise<HcsProcessInfo> {
    const entry = this.process(process, 'getProcessInfo');
    const result = await entry.handle.use('getProcessInfo', (handle) =>
      this.runner.runProcess('HcsGetProcessInfo', processTarget(process), (op) => this.api.HcsGetProcessInfo(handle, op), options),
    );
    return this.processInfo(result.processInformation);
  }

  async getProcessProperties(process: HcsProcess, query?: HcsDocument<PropertyQuery>, options: HcsCallOptions = {}): Promise<ProcessStatus> {
    const text = optionalDocument('HcsGetProcessProperties', 'query', query, PropertyQuerySchema);
    const document = await this.processOperation(process, 'HcsGetProcessProperties', options, (handle, op) => this.api.HcsGetProcessProperties(handle, op, text));
    return parseObject('HcsGetProcessProperties', document);
  }

  modifyProcess(process: HcsProcess, request: HcsDocument<ProcessModifyRequest>, options: HcsCallOptions = {}): Promise<void> {
    return this.processOperation(process, 'HcsModifyProcess', options, (handle, op) =>
      this.api.HcsModifyProcess(handle, op, documentJson('HcsModifyProcess', 'request', request, ProcessModifyRequestSchema)),
    ).then(() => undefined);
  }

  waitForProcessExit(process: HcsProcess, options: HcsCallOptions = {}): Promise<HcsProcessExit> {
    try {
      return this.process(process, 'waitForProcessExit').exit.wait('waitForProcessExit', options);
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  onProcessEvent(process: HcsProcess, listener: (event: HcsProcessEvent) => void): () => void {
    checkListener('onProcessEvent', listener);
    return this.process(process, 'onProcessEvent').events.add(listener);
  }

  async getServiceProperties(query: HcsDocument<PropertyQuery>, options: HcsCallOptions = {}): Promise<ServiceProperties> {
    this.assertOpen('getServiceProperties');
    const json = documentJson('HcsGetServiceProperties', 'query', query, PropertyQuerySchema);
    const result = await this.blockingCall('HcsGetServiceProperties', options, () => this.api.async.HcsGetServiceProperties(json));
    if (result.hresult < 0) throw hcsError('HcsGetServiceProperties', {}, result.hresult, result.document);
    return parseObject('HcsGetServiceProperties', result.document);
  }

  async modifyServiceSettings(request: HcsDocument<ModificationRequest>, options: HcsCallOptions = {}): Promise<string | undefined> {
    this.assertOpen('modifyServiceSettings');
    const json = documentJson('HcsModifyServiceSettings', 'request', request, ModificationRequestSchema);
    const result = await this.blockingCall('HcsModifyServiceSettings', options, () => this.api.async.HcsModifyServiceSettings(json));
    if (result.hresult < 0) throw hcsError('HcsModifyServiceSettings', {}, result.hresult, result.document);
    return result.document;
  }

  grantVmAccess(vmId: string, path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsGrantVmAccess', { vmId, path }, options, () => this.api.async.HcsGrantVmAccess(vmId, path));
  }

  revokeVmAccess(vmId: string, path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsRevokeVmAccess', { vmId, path }, options, () => this.api.async.HcsRevokeVmAccess(vmId, path));
  }

  grantVmGroupAccess(path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsGrantVmGroupAccess', { path }, options, () => this.api.async.HcsGrantVmGroupAccess(path));
  }

  revokeVmGroupAccess(path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsRevokeVmGroupAccess', { path }, options, () => this.api.async.HcsRevokeVmGroupAccess(path));
  }

  createEmptyGuestStateFile(path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsCreateEmptyGuestStateFile', { path }, options, () => this.api.async.HcsCreateEmptyGuestStateFile(path));
  }

  createEmptyRuntimeStateFile(path: string, options: HcsCallOptions = {}): Promise<void> {
    return this.fileCall('HcsCreateEmptyRuntimeStateFile', { path }, options, () => this.api.async.HcsCreateEmptyRuntimeStateFile(path));
  }

  getHostInfo(options: HcsCallOptions = {}): Promise<HcsHostInfo> {
    try {
      checkCallOptions('getHostInfo', options);
      throwIfAborted(options.signal, 'getHostInfo');
      return Promise.resolve(hostInfo());
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  listenVmSocket(vmId: string, serviceId: string, options: HcsCallOptions = {}): Promise<VmSocketListener> {
    try {
      this.assertOpen('listenVmSocket');
      checkCallOptions('listenVmSocket', options);
      throwIfAborted(options.signal, 'listenVmSocket');
      const listener = listenHvSocket(vmId, serviceId);
      // Kept so close() can close it; ones the caller closed already are dropped here.
      for (const known of this.listeners) if (known.closed) this.listeners.delete(known);
      this.listeners.add(listener);
      return Promise.resolve(listener);
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  async connectVmSocket(vmId: string, serviceId: string, options: HcsCallOptions = {}): Promise<Duplex> {
    this.assertOpen('connectVmSocket');
    checkCallOptions('connectVmSocket', options);
    const { signal, timeoutMs } = options;
    if (timeoutMs === undefined) return connectHvSocket(vmId, serviceId, signal === undefined ? {} : { signal });
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      timeout.abort(new TimeoutError('connectVmSocket', timeoutMs));
    }, timeoutMs);
    try {
      return await connectHvSocket(vmId, serviceId, { signal: signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every handle and listener this backend holds; `await using hcs = openComputeCore()` calls it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.listeners].map((listener) => listener.close()));
    await Promise.all([...this.openProcesses].map((entry) => this.closeProcessEntry(entry)));
    await Promise.all([...this.openSystems].map((entry) => this.closeSystemEntry(entry)));
  }

  // ---------------------------------------------------------------------------------------------

  private assertOpen(operation: string): void {
    if (this.closed) throw new StateError(operation, 'closed', `${operation}: this computecore backend was closed; open a new one with openComputeCore().`);
  }

  private system(token: HcsSystem, operation: string, { allowClosed = false } = {}): SystemEntry {
    // Callers outside TypeScript can pass anything; only tokens this backend issued are found.
    const entry = isObject(token) ? this.systems.get(token) : undefined;
    if (entry === undefined) {
      throw new StateError(operation, 'unknown', `${operation}: this HcsSystem was not issued by this computecore backend; create or open the system through it.`);
    }
    if (!allowClosed) entry.handle.assertOpen(operation);
    return entry;
  }

  private process(token: HcsProcess, operation: string, { allowClosed = false } = {}): ProcessEntry {
    const entry = isObject(token) ? this.processes.get(token) : undefined;
    if (entry === undefined) {
      throw new StateError(operation, 'unknown', `${operation}: this HcsProcess was not issued by this computecore backend; create or open the process through it.`);
    }
    if (!allowClosed) entry.handle.assertOpen(operation);
    return entry;
  }

  /** Registers a new system handle and sets its event callback; returns the callback's failure, if any. */
  private trackSystem(id: string, handle: HcsSystemHandle, onEvent: HcsOpenOptions['onEvent']): [SystemEntry, Error | undefined] {
    const token: HcsSystem = Object.freeze({ kind: 'system', id });
    const events = new EventFanout<HcsSystemEvent>(this.logger, `compute system "${id}"`);
    const exit = new ExitLatch<SystemExitStatus>();
    if (onEvent !== undefined) events.add(onEvent);
    const eventTarget = callbackHub.addEventTarget((type, data) => {
      const event = parseSystemEvent(type, data);
      this.logger.debug({ systemId: id, event: event.type }, 'HCS system event');
      if (event.type === 'exited') exit.settle(event.status);
      else if (event.type === 'serviceDisconnect') exit.fail(disconnected('waitForComputeSystemExit', { systemId: id }));
      events.emit(event);
    });
    const entry: SystemEntry = { token, handle: new TrackedHandle(handle, `compute system "${id}"`), events, exit, eventTarget };
    this.systems.set(token, entry);
    this.openSystems.add(entry);
    const hresult = this.api.HcsSetComputeSystemCallback(handle, HcsEventOptions.EnableLiveMigrationEvents, BigInt(eventTarget), callbackHub.eventCallback);
    return [entry, hresult < 0 ? hcsError('HcsSetComputeSystemCallback', { systemId: id }, hresult, undefined) : undefined];
  }

  private trackProcess(systemId: string, handle: HcsProcessHandle): [ProcessEntry, Error | undefined] {
    const events = new EventFanout<HcsProcessEvent>(this.logger, `a process of compute system "${systemId}"`);
    const exit = new ExitLatch<HcsProcessExit>();
    const entry: ProcessEntry = {
      token: undefined,
      systemId,
      processId: undefined,
      handle: new TrackedHandle(handle, `a process of compute system "${systemId}"`),
      events,
      exit,
      eventTarget: callbackHub.addEventTarget((type, data) => {
        const event = parseProcessEvent(type, data);
        this.logger.debug({ systemId, processId: entry.processId, event: event.type }, 'HCS process event');
        if (event.type === 'exited') exit.settle(event.exit);
        else if (event.type === 'serviceDisconnect') exit.fail(disconnected('waitForProcessExit', { systemId, ...(entry.processId === undefined ? {} : { processId: entry.processId }) }));
        events.emit(event);
      }),
    };
    this.openProcesses.add(entry);
    const hresult = this.api.HcsSetProcessCallback(handle, HcsEventOptions.None, BigInt(entry.eventTarget), callbackHub.eventCallback);
    return [entry, hresult < 0 ? hcsError('HcsSetProcessCallback', { systemId }, hresult, undefined) : undefined];
  }

  private issueProcessToken(entry: ProcessEntry, processId: number): HcsProcess {
    const token: HcsProcess = Object.freeze({ kind: 'process', systemId: entry.systemId, processId });
    entry.token = token;
    entry.processId = processId;
    this.processes.set(token, entry);
    return token;
  }

  private closeSystemEntry(entry: SystemEntry): Promise<void> {
    return entry.handle.close(async (handle) => {
      // HcsCloseComputeSystem waits for running event callbacks, and those wait for this thread:
      // it runs on the pool so the main thread stays free to finish them.
      await this.api.async.HcsCloseComputeSystem(handle);
      callbackHub.removeEventTarget(entry.eventTarget);
      this.openSystems.delete(entry);
      entry.exit.fail(new StateError('waitForComputeSystemExit', 'closed', `The handle of compute system "${entry.token.id}" was closed before the system exited.`));
    });
  }

  private closeProcessEntry(entry: ProcessEntry): Promise<void> {
    return entry.handle.close(async (handle) => {
      await this.api.async.HcsCloseProcess(handle);
      callbackHub.removeEventTarget(entry.eventTarget);
      this.openProcesses.delete(entry);
      entry.exit.fail(new StateError('waitForProcessExit', 'closed', `The handle of process ${entry.processId ?? '(unknown)'} in compute system "${entry.systemId}" was closed before the process exited.`));
    });
  }

  private async systemDocument(
    system: HcsSystem,
    name: string,
    options: HcsCallOptions,
    issue: (handle: HcsSystemHandle, op: HcsOperationHandle) => number,
  ): Promise<string | undefined> {
    const entry = this.system(system, name);
    return entry.handle.use(name, (handle) => this.runner.run(name, { systemId: system.id }, (op) => issue(handle, op), options));
  }

  private async systemOperation(
    system: HcsSystem,
    name: string,
    options: HcsCallOptions,
    issue: (handle: HcsSystemHandle, op: HcsOperationHandle) => number,
  ): Promise<void> {
    await this.systemDocument(system, name, options, issue);
  }

  private async submitSystem(
    system: HcsSystem,
    name: string,
    options: HcsCallOptions,
    text: string | undefined,
    issue: (handle: HcsSystemHandle, op: HcsOperationHandle, text: string) => number,
  ): Promise<void> {
    const entry = this.system(system, name);
    const document = optionalDocument(name, 'options', text, undefined);
    await entry.handle.use(name, (handle) => {
      this.runner.submit(name, { systemId: system.id }, (op) => issue(handle, op, document), options);
      return Promise.resolve();
    });
  }

  private async processOperation(
    process: HcsProcess,
    name: string,
    options: HcsCallOptions,
    issue: (handle: HcsProcessHandle, op: HcsOperationHandle) => number,
  ): Promise<string | undefined> {
    const entry = this.process(process, name);
    return entry.handle.use(name, (handle) => this.runner.run(name, processTarget(process), (op) => issue(handle, op), options));
  }

  private processInfo(info: HcsProcessInformation): HcsProcessInfo {
    return {
      processId: info.processId,
      ...(info.stdInput === null ? {} : { stdin: openHandleStream(info.stdInput, 'write') }),
      ...(info.stdOutput === null ? {} : { stdout: openHandleStream(info.stdOutput, 'read') }),
      ...(info.stdError === null ? {} : { stderr: openHandleStream(info.stdError, 'read') }),
    };
  }

  private async fileCall(name: string, args: { readonly vmId?: string; readonly path: string }, options: HcsCallOptions, call: () => Promise<number>): Promise<void> {
    this.assertOpen(name);
    if (args.vmId !== undefined) checkText(name, 'vmId', args.vmId);
    checkText(name, 'path', args.path);
    const hresult = await this.blockingCall(name, options, call);
    if (hresult < 0) throw hcsError(name, args.vmId === undefined ? {} : { systemId: args.vmId }, hresult, undefined);
  }

  /**
   * A synchronous HCS call (no operation to cancel) run on the libuv pool. It is never abandoned:
   * the signal and timeout are checked before it starts and after it returns; when either fired
   * meanwhile, `undo` releases what the call produced and the abort or timeout error is thrown.
   */
  private async blockingCall<R>(name: string, options: HcsCallOptions, call: () => Promise<R>, undo?: (result: R) => void): Promise<R> {
    checkCallOptions(name, options);
    throwIfAborted(options.signal, name);
    const started = Date.now();
    const release = callbackHub.hold();
    let result: R;
    try {
      result = await call();
    } finally {
      release();
    }
    const { signal, timeoutMs } = options;
    if (signal?.aborted === true) {
      undo?.(result);
      throw abortReason(signal, name);
    }
    if (timeoutMs !== undefined && Date.now() - started > timeoutMs) {
      undo?.(result);
      throw new TimeoutError(name, timeoutMs);
    }
    return result;
  }
}

function processTarget(process: HcsProcess): OperationTarget {
  return { systemId: process.systemId, processId: process.processId };
}

function optionalDocument(operation: string, argument: string, value: unknown, schema: Parameters<typeof documentJson>[3]): string {
  // HCS takes an empty string, never NULL, for "no options" (hcs-host.md §1.3).
  return value === undefined ? '' : documentJson(operation, argument, value, schema);
}

function checkOpenOptions(operation: string, options: HcsOpenOptions): void {
  checkCallOptions(operation, options);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new ValidationError(`${operation} options`, [{ path: '/onEvent', message: 'onEvent must be a function that receives each HcsSystemEvent.' }]);
  }
}

function checkListener(operation: string, listener: unknown): void {
  if (typeof listener !== 'function') {
    throw new ValidationError(`${operation} arguments`, [{ path: '/listener', message: 'listener must be a function that receives each event.' }]);
  }
}

function disconnected(operation: string, target: OperationTarget): HcsError {
  return new HcsError({ hresult: HCS_E_SERVICE_DISCONNECT, operation, ...target, errorMessage: 'HCS reported ServiceDisconnect: lost communication with the compute service.' });
}

function parseJson(operation: string, document: string | undefined): unknown {
  if (document === undefined || document.trim() === '') throw unexpected(operation, 'a JSON document', document);
  try {
    return JSON.parse(document);
  } catch {
    throw unexpected(operation, 'valid JSON', document);
  }
}

function parseObject(operation: string, document: string | undefined): Record<string, unknown> {
  const value = parseJson(operation, document);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unexpected(operation, 'a JSON object', document);
  return value as Record<string, unknown>;
}

function unexpected(operation: string, expected: string, document: string | undefined): ProtocolError {
  const shown = document === undefined ? 'no document' : JSON.stringify(document.length > 200 ? `${document.slice(0, 200)}…` : document);
  return new ProtocolError(`${operation} answered with ${shown}, not ${expected}.`);
}

function hostInfo(): HcsHostInfo {
  if (process.platform !== 'win32') {
    throw new HcsUnavailableError('not-windows', `getHostInfo reads the Windows build, and this machine runs ${process.platform}.`);
  }
  const windowsBuild = Number(release().split('.')[2]);
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
  if (!Number.isInteger(windowsBuild) || architecture === undefined) {
    throw new HcsUnavailableError('load-failed', `HCS runs on x64 and arm64 Windows; this is ${process.arch} with OS release ${release()}.`);
  }
  return { windowsBuild, architecture };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
