import type { Duplex } from 'node:stream';
import {
  ComputeSystemSchema,
  HcsEventType,
  ModificationRequestSchema,
  ModifySettingRequestSchema,
  PauseOptionsSchema,
  ProcessModifyRequestSchema,
  ProcessParametersSchema,
  PropertyQuerySchema,
  SaveOptionsSchema,
  StartOptionsSchema,
  StateError,
  childLogger,
  parseProcessEvent,
  parseSystemEvent,
  randomGuid,
  showValue,
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
import { applyConfigurationChange } from './configurationChange.js';
import { copyJson } from './copyJson.js';
import { readDocument, readOptionsString } from './documentChecks.js';
import { EventChannel } from './eventChannel.js';
import { FaultPlan, type FaultSpec, type InjectedFault } from './faultPlan.js';
import { HCS_FUNCTION, type SimulatedCall } from './simulatedCall.js';
import { SimulatedHResult, simulatedFailure } from './simulatedFailure.js';
import type { SimulatedGuest } from './simulatedGuest.js';
import { SimulatedProcessRecord, TERMINATED_EXIT_CODE } from './simulatedProcess.js';
import { SimulatedSystem, type SimulatedState } from './simulatedSystem.js';
import { readPropertyQuery, systemProperties } from './systemProperties.js';
import { VmSocketHub } from './vmSocketHub.js';
import { checkAccessArguments, checkPath, checkSystemId, matchesQuery, readComputeSystemQuery } from './callArguments.js';
import { HostCpuGroups } from './hostCpuGroups.js';
import { checkTimeout, delay, rejectAll, waitIn, type Waiter } from './operationTiming.js';
import { DEFAULT_SIMULATED_HOST, checkLatency, checkOptions, type HcsSimulatorOptions, type LatencySpec, type SimulatedHost } from './simulatorOptions.js';



/** What the simulator holds right now; every count but `systems` must be 0 after a clean test. */
export interface SimulatorCounters {
  /** Compute systems that exist (a system lives until it stopped and its last handle closed). */
  readonly systems: number;
  /** Systems that have not stopped. */
  readonly runningSystems: number;
  /** Open HCS_SYSTEM handles. */
  readonly systemHandles: number;
  /** Open HCS_PROCESS handles. */
  readonly processHandles: number;
  /** Bound hvsock listeners, host and guest side. */
  readonly listeners: number;
  /** hvsock connections not yet closed at both ends. */
  readonly connections: number;
  /** Calls that have not answered yet. */
  readonly pendingOperations: number;
  /** Event listeners registered on open handles (`onEvent` and `on*Event`). */
  readonly eventListeners: number;
}

/** A point-in-time copy of one system, for tests. */
export interface SimulatedSystemSnapshot {
  readonly id: string;
  readonly runtimeId: string;
  readonly state: SimulatedState;
  /** The document with every accepted modify request applied. */
  readonly document: ComputeSystem;
  readonly handles: number;
  readonly processes: readonly { readonly processId: number; readonly exited: boolean }[];
  /** Host pipes mapped into the VM (the schema-2 document has no place for them). */
  readonly mappedPipes: readonly string[];
  /** VPMem multi-mappings: device index → offset → mapping. */
  readonly vpmemMappings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly maximumFrequencyMHz: number | undefined;
  readonly startedAt: Date | undefined;
  readonly stoppedAt: Date | undefined;
  readonly exit: SystemExitStatus | undefined;
  /** Modify requests accepted so far. */
  readonly modifications: number;
}

/** An in-memory `Hcs`, plus the controls tests need. */
export interface HcsSimulator extends Hcs {
  readonly name: 'simulator';
  /** Changes call latency from now on (calls already waiting keep theirs). */
  setLatency(latency: LatencySpec): void;
  /** Makes the `nth` matching call fail with an HRESULT and error events. */
  injectFault(spec: FaultSpec): InjectedFault;
  /** The guest of a running or paused system crashes: crash events, then an unexpected exit. */
  crash(systemId: string): void;
  /** The compute service disconnects: every open handle gets a ServiceDisconnect event, every system is lost. */
  disconnect(): void;
  counters(): SimulatorCounters;
  /** A copy of one system's state and stored document, or undefined when no such system exists. */
  inspect(systemId: string): SimulatedSystemSnapshot | undefined;
  /** Access grants made through HcsGrantVmAccess (vmId → paths) and HcsGrantVmGroupAccess (key `*`). */
  vmAccess(): ReadonlyMap<string, ReadonlySet<string>>;
  /** Paths of the guest and runtime state files "created" (the simulator never touches the disk). */
  stateFiles(): readonly string[];
}

interface HandleBase {
  closed: boolean;
  readonly epoch: number;
  inFlight: number;
  idle: (() => void) | undefined;
}

interface SystemHandleRecord extends HandleBase {
  readonly handle: HcsSystem;
  readonly system: SimulatedSystem;
  readonly events: EventChannel<HcsSystemEvent>;
  readonly exitWaiters: Set<Waiter<SystemExitStatus>>;
}

interface ProcessHandleRecord extends HandleBase {
  readonly handle: HcsProcess;
  readonly system: SimulatedSystem;
  readonly process: SimulatedProcessRecord;
  readonly events: EventChannel<HcsProcessEvent>;
  readonly exitWaiters: Set<Waiter<HcsProcessExit>>;
}

const GRACEFUL: SystemExitStatus = { Status: 0, ExitType: 'GracefulExit' };
const FORCED: SystemExitStatus = { Status: 0, ExitType: 'ForcedExit' };
const UNEXPECTED: SystemExitStatus = { Status: SimulatedHResult.unexpectedExit | 0, ExitType: 'UnexpectedExit' };

/**
 * Creates an in-memory Host Compute Service: compute systems with HCS's state machine and
 * HRESULTs, documents checked with the `@uvm/types` schemas, modify requests applied to the stored
 * document, asynchronous events, processes, and in-process Hyper-V sockets a simulated guest dials.
 */
export function createHcsSimulator(options: HcsSimulatorOptions = {}): HcsSimulator {
  return new Simulator(options);
}

class Simulator implements HcsSimulator {
  readonly name = 'simulator' as const;
  private readonly systems = new Map<string, SimulatedSystem>();
  private readonly systemHandles = new Map<HcsSystem, SystemHandleRecord>();
  private readonly processHandles = new Map<HcsProcess, ProcessHandleRecord>();
  /** Handles this simulator issued and has closed: closing them again is fine, using them is not. */
  private readonly closedHandles = new WeakSet<object>();
  private readonly hub = new VmSocketHub();
  private readonly faults = new FaultPlan();
  private readonly cpuGroups: HostCpuGroups;
  private readonly access = new Map<string, Set<string>>();
  private readonly files = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly clock: () => number;
  private readonly host: SimulatedHost;
  private readonly strict: boolean;
  private readonly shutdownDelayMs: number;
  private readonly logger: Logger;
  private latency: LatencySpec = 0;
  private pending = 0;
  private epoch = 0;
  private closed = false;

  constructor(private readonly options: HcsSimulatorOptions) {
    checkOptions(options);
    this.clock = options.clock ?? Date.now;
    this.host = { ...DEFAULT_SIMULATED_HOST, ...options.host };
    this.cpuGroups = new HostCpuGroups(this.host.logicalProcessorCount);
    this.strict = options.strict ?? true;
    this.shutdownDelayMs = options.shutdownDelayMs ?? 0;
    this.logger = childLogger(options.logger ?? silentLogger, { component: 'hcs-simulator' });
    if (options.latency !== undefined) this.setLatency(options.latency);
  }

  // --- controls ---

  setLatency(latency: LatencySpec): void {
    checkLatency(latency);
    this.latency = typeof latency === 'number' ? latency : { ...latency, ...(latency.calls === undefined ? {} : { calls: { ...latency.calls } }) };
  }

  injectFault(spec: FaultSpec): InjectedFault {
    return this.faults.add(spec);
  }

  crash(systemId: string): void {
    const system = this.systems.get(systemId);
    if (system === undefined) throw new StateError('crash', 'missing', `There is no simulated compute system "${systemId}" to crash.`);
    if (system.state !== 'Running' && system.state !== 'Paused') {
      throw new StateError('crash', system.state, `Compute system "${systemId}" is ${system.state}; only a running or paused VM can crash.`);
    }
    this.crashSystem(system);
  }

  disconnect(): void {
    this.epoch++;
    const lost = simulatedFailure({
      hresult: SimulatedHResult.serviceDisconnect,
      operation: 'HcsWaitForComputeSystemExit',
      errorMessage: 'Lost communication with the compute service.',
    });
    const event = parseSystemEvent(HcsEventType.ServiceDisconnect, undefined);
    for (const record of this.systemHandles.values()) {
      if (record.closed) continue;
      record.events.post(event);
      rejectAll(record.exitWaiters, lost);
    }
    const processEvent = parseProcessEvent(HcsEventType.ServiceDisconnect, undefined);
    for (const record of this.processHandles.values()) {
      if (record.closed) continue;
      record.events.post(processEvent);
      rejectAll(record.exitWaiters, lost);
    }
    for (const system of this.systems.values()) this.loseSystem(system);
    this.systems.clear();
  }

  counters(): SimulatorCounters {
    let running = 0;
    for (const system of this.systems.values()) if (!system.stopped) running++;
    let eventListeners = 0;
    for (const record of this.systemHandles.values()) eventListeners += record.events.listenerCount;
    for (const record of this.processHandles.values()) eventListeners += record.events.listenerCount;
    return {
      systems: this.systems.size,
      runningSystems: running,
      systemHandles: this.systemHandles.size,
      processHandles: this.processHandles.size,
      listeners: this.hub.listenerCount,
      connections: this.hub.connectionCount,
      pendingOperations: this.pending,
      eventListeners,
    };
  }

  inspect(systemId: string): SimulatedSystemSnapshot | undefined {
    const system = this.systems.get(systemId);
    if (system === undefined) return undefined;
    const mappings: Record<string, Record<string, unknown>> = {};
    for (const [device, table] of system.vpmemMappings) mappings[String(device)] = Object.fromEntries([...table].map(([offset, m]) => [String(offset), copyJson(m)]));
    return {
      id: system.id,
      runtimeId: system.runtimeId,
      state: system.state,
      document: copyJson(system.document),
      handles: system.handles.size,
      processes: [...system.processes.values()].map((p) => ({ processId: p.processId, exited: p.exited })),
      mappedPipes: [...system.mappedPipes],
      vpmemMappings: mappings,
      maximumFrequencyMHz: system.maximumFrequencyMHz,
      startedAt: system.startedAt === undefined ? undefined : new Date(system.startedAt),
      stoppedAt: system.stoppedAt === undefined ? undefined : new Date(system.stoppedAt),
      exit: system.exit === undefined ? undefined : { ...system.exit },
      modifications: system.modifications,
    };
  }

  vmAccess(): ReadonlyMap<string, ReadonlySet<string>> {
    return new Map([...this.access].map(([vm, paths]) => [vm, new Set(paths)]));
  }

  stateFiles(): readonly string[] {
    return [...this.files];
  }

  // --- compute systems ---

  enumerateComputeSystems(query?: ComputeSystemQuery, options?: HcsCallOptions): Promise<ComputeSystemSummary[]> {
    return this.call('enumerateComputeSystems', undefined, options, () => {
      const q = readComputeSystemQuery(query);
      const result: ComputeSystemSummary[] = [];
      for (const system of this.systems.values()) {
        const summary: ComputeSystemSummary = {
          Id: system.id,
          SystemType: system.systemType,
          ...(system.document.Owner === undefined ? {} : { Owner: system.document.Owner }),
          RuntimeId: system.runtimeId,
          ...(system.runtimeOsType === undefined ? {} : { RuntimeOsType: system.runtimeOsType }),
          State: system.state,
          ...(system.stopped ? { Stopped: true } : {}),
          ...(system.exit?.ExitType === undefined ? {} : { ExitType: system.exit.ExitType }),
        };
        if (matchesQuery(q.Ids, summary.Id) && matchesQuery(q.Types, summary.SystemType) && matchesQuery(q.Names, summary.Id) && matchesQuery(q.Owners, summary.Owner)) result.push(summary);
      }
      return result;
    });
  }

  createComputeSystem(id: string, document: HcsDocument<ComputeSystem>, options?: HcsOpenOptions): Promise<HcsSystem> {
    const operation = HCS_FUNCTION.createComputeSystem;
    return this.call('createComputeSystem', { systemId: id }, options, () => {
      checkSystemId(id, operation);
      const doc = readDocument(document, ComputeSystemSchema, 'compute system', { operation, strict: this.strict, systemId: id });
      if (this.systems.has(id)) {
        throw simulatedFailure({ hresult: SimulatedHResult.systemAlreadyExists, operation, systemId: id, errorMessage: `A compute system with id "${id}" already exists.` });
      }
      const system = new SimulatedSystem(id, randomGuid(), doc, this.clock());
      this.systems.set(id, system);
      return this.openHandle(system, options?.onEvent);
    });
  }

  openComputeSystem(id: string, options?: HcsOpenOptions): Promise<HcsSystem> {
    const operation = HCS_FUNCTION.openComputeSystem;
    return this.call('openComputeSystem', { systemId: id }, options, () => {
      checkSystemId(id, operation);
      const system = this.systems.get(id);
      if (system === undefined) throw notFound(operation, id);
      return this.openHandle(system, options?.onEvent);
    });
  }

  async closeComputeSystem(system: HcsSystem): Promise<void> {
    const record = this.systemHandles.get(system);
    if (record === undefined) {
      if (this.closedHandles.has(system)) return;
      throw foreignHandle('closeComputeSystem', system);
    }
    await whenIdle(record);
    if (record.closed) return;
    record.closed = true;
    record.events.close();
    this.systemHandles.delete(system);
    this.closedHandles.add(system);
    if (record.exitWaiters.size > 0) {
      rejectAll(record.exitWaiters, new StateError('waitForComputeSystemExit', 'closed', `The handle of compute system "${record.system.id}" was closed while waiting for its exit.`));
    }
    const sys = record.system;
    sys.handles.delete(record);
    if (record.epoch !== this.epoch || sys.handles.size > 0 || this.systems.get(sys.id) !== sys) return;
    if (sys.stopped) {
      this.systems.delete(sys.id);
    } else if (sys.document.ShouldTerminateOnLastHandleClosed === true) {
      this.stopSystem(sys, FORCED);
      this.systems.delete(sys.id);
    }
  }

  startComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly startOptions?: HcsDocument<StartOptions> }): Promise<void> {
    return this.onSystem('startComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Created']);
      if (options?.startOptions !== undefined) readDocument(options.startOptions, StartOptionsSchema, 'start options', { operation, strict: this.strict, systemId: sys.id });
      sys.state = 'Running';
      sys.startedAt = this.clock();
      this.startGuest(sys);
    });
  }

  shutDownComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly shutdownOptions?: string }): Promise<void> {
    return this.onSystem('shutDownComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Running']);
      readOptionsString(options?.shutdownOptions, 'shutdown options', { operation, systemId: sys.id });
      // Accepted: the guest takes its time, then the exit event reports the end.
      this.later(this.shutdownDelayMs, () => {
        if (sys.state === 'Running') this.stopSystem(sys, GRACEFUL);
      });
    });
  }

  terminateComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly terminateOptions?: string }): Promise<void> {
    return this.onSystem('terminateComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Created', 'Running', 'Paused']);
      readOptionsString(options?.terminateOptions, 'terminate options', { operation, systemId: sys.id });
      this.stopSystem(sys, FORCED);
    });
  }

  crashComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly crashOptions?: string }): Promise<void> {
    return this.onSystem('crashComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Running', 'Paused']);
      readOptionsString(options?.crashOptions, 'crash options', { operation, systemId: sys.id });
      this.crashSystem(sys);
    });
  }

  pauseComputeSystem(system: HcsSystem, options?: HcsCallOptions & { readonly pauseOptions?: HcsDocument<PauseOptions> }): Promise<void> {
    return this.onSystem('pauseComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Running']);
      if (options?.pauseOptions !== undefined) readDocument(options.pauseOptions, PauseOptionsSchema, 'pause options', { operation, strict: this.strict, systemId: sys.id });
      sys.state = 'Paused';
    });
  }

  resumeComputeSystem(system: HcsSystem, options?: HcsCallOptions): Promise<void> {
    return this.onSystem('resumeComputeSystem', system, options, (record, operation) => {
      this.requireState(record.system, operation, ['Paused']);
      record.system.state = 'Running';
    });
  }

  saveComputeSystem(system: HcsSystem, saveOptions: HcsDocument<SaveOptions>, options?: HcsCallOptions): Promise<void> {
    return this.onSystem('saveComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Paused']);
      const parsed = readDocument(saveOptions, SaveOptionsSchema, 'save options', { operation, strict: this.strict, systemId: sys.id });
      if (parsed.SaveStateFilePath !== undefined) this.files.add(parsed.SaveStateFilePath);
    });
  }

  getComputeSystemProperties(system: HcsSystem, query: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<Properties> {
    return this.onSystem('getComputeSystemProperties', system, options, (record, operation) => {
      const sys = record.system;
      const types = readPropertyQuery(query, { operation, strict: this.strict, systemId: sys.id });
      return systemProperties(sys, types, this.clock(), operation);
    });
  }

  modifyComputeSystem(system: HcsSystem, request: HcsDocument<ModifySettingRequest>, options?: HcsCallOptions): Promise<void> {
    return this.onSystem('modifyComputeSystem', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Created', 'Running', 'Paused']);
      const parsed = readDocument(request, ModifySettingRequestSchema, 'modify request', { operation, strict: this.strict, systemId: sys.id });
      applyConfigurationChange(sys, parsed, { operation, strict: this.strict, cpuGroups: this.cpuGroups });
    });
  }

  async waitForComputeSystemExit(system: HcsSystem, options?: HcsCallOptions): Promise<SystemExitStatus> {
    const operation = HCS_FUNCTION.waitForComputeSystemExit;
    this.checkOpen(operation);
    const record = this.systemRecord(system, 'waitForComputeSystemExit');
    this.checkEpoch(record, operation);
    throwIfAborted(options?.signal, operation);
    const exit = record.system.exit;
    if (exit !== undefined && record.system.state === 'Stopped') return new Promise((resolve) => setImmediate(() => { resolve({ ...exit }); }));
    return this.waitOn(record.exitWaiters, operation, options);
  }

  onComputeSystemEvent(system: HcsSystem, listener: (event: HcsSystemEvent) => void): () => void {
    const record = this.systemRecord(system, 'onComputeSystemEvent');
    return record.events.add(listener);
  }

  // --- processes ---

  createProcess(system: HcsSystem, parameters: HcsDocument<ProcessParameters>, options?: HcsCallOptions): Promise<HcsCreatedProcess> {
    return this.onSystem('createProcess', system, options, (record, operation) => {
      const sys = record.system;
      this.requireState(sys, operation, ['Running']);
      const params = readDocument(parameters, ProcessParametersSchema, 'process parameters', { operation, strict: this.strict, systemId: sys.id });
      const pid = sys.nextProcessId;
      sys.nextProcessId += 4;
      const process = new SimulatedProcessRecord(sys.id, pid, params, this.clock(), (p) => { this.processExited(sys, p); });
      sys.processes.set(pid, process);
      const handle = this.openProcessHandle(sys, process);
      this.playProcess(process);
      return {
        process: handle,
        processId: pid,
        ...(process.hostStdin === undefined ? {} : { stdin: process.hostStdin }),
        ...(process.hostStdout === undefined ? {} : { stdout: process.hostStdout }),
        ...(process.hostStderr === undefined ? {} : { stderr: process.hostStderr }),
      };
    });
  }

  openProcess(system: HcsSystem, processId: number, options?: HcsCallOptions): Promise<HcsProcess> {
    return this.onSystem('openProcess', system, options, (record, operation) => {
      const process = record.system.processes.get(processId);
      if (process === undefined) {
        throw simulatedFailure({
          hresult: SimulatedHResult.elementNotFound,
          operation,
          systemId: record.system.id,
          processId,
          errorMessage: `Compute system "${record.system.id}" has no process ${processId}.`,
        });
      }
      return this.openProcessHandle(record.system, process);
    });
  }

  async closeProcess(process: HcsProcess): Promise<void> {
    const record = this.processHandles.get(process);
    if (record === undefined) {
      if (this.closedHandles.has(process)) return;
      throw foreignHandle('closeProcess', process);
    }
    await whenIdle(record);
    if (record.closed) return;
    record.closed = true;
    record.events.close();
    this.processHandles.delete(process);
    this.closedHandles.add(process);
    if (record.exitWaiters.size > 0) {
      rejectAll(record.exitWaiters, new StateError('waitForProcessExit', 'closed', `The handle of process ${record.process.processId} was closed while waiting for its exit.`));
    }
    record.process.handles.delete(record);
    if (record.process.exited && record.process.handles.size === 0) record.system.processes.delete(record.process.processId);
  }

  terminateProcess(process: HcsProcess, options?: HcsCallOptions): Promise<void> {
    return this.onProcess('terminateProcess', process, options, (record, operation) => {
      this.requireRunningProcess(record, operation);
      record.process.exit(TERMINATED_EXIT_CODE);
    });
  }

  signalProcess(process: HcsProcess, signalOptions: HcsDocument<Record<string, unknown>>, options?: HcsCallOptions): Promise<void> {
    return this.onProcess('signalProcess', process, options, (record, operation) => {
      this.requireRunningProcess(record, operation);
      let value: unknown = signalOptions;
      if (typeof signalOptions === 'string') {
        try {
          value = signalOptions === '' ? {} : JSON.parse(signalOptions);
        } catch {
          value = undefined;
        }
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw simulatedFailure({
          hresult: SimulatedHResult.invalidJson,
          operation,
          systemId: record.system.id,
          processId: record.process.processId,
          errorMessage: 'The signal options must be a JSON object such as {"Signal":15}.',
        });
      }
      record.process.signalWith(value as Record<string, unknown>);
    });
  }

  getProcessInfo(process: HcsProcess, options?: HcsCallOptions): Promise<HcsProcessInfo> {
    return this.onProcess('getProcessInfo', process, options, (record) => {
      const p = record.process;
      return {
        processId: p.processId,
        ...(p.hostStdin === undefined ? {} : { stdin: p.hostStdin }),
        ...(p.hostStdout === undefined ? {} : { stdout: p.hostStdout }),
        ...(p.hostStderr === undefined ? {} : { stderr: p.hostStderr }),
      };
    });
  }

  getProcessProperties(process: HcsProcess, query?: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<ProcessStatus> {
    return this.onProcess('getProcessProperties', process, options, (record, operation) => {
      if (query !== undefined) readDocument(query, PropertyQuerySchema, 'property query', { operation, strict: this.strict, systemId: record.system.id });
      return record.process.status === undefined ? { ProcessId: record.process.processId } : { ...record.process.status };
    });
  }

  modifyProcess(process: HcsProcess, request: HcsDocument<ProcessModifyRequest>, options?: HcsCallOptions): Promise<void> {
    return this.onProcess('modifyProcess', process, options, (record, operation) => {
      this.requireRunningProcess(record, operation);
      const parsed = readDocument(request, ProcessModifyRequestSchema, 'process modify request', { operation, strict: this.strict, systemId: record.system.id });
      const fail = (message: string) =>
        simulatedFailure({ hresult: SimulatedHResult.invalidArgument, operation, systemId: record.system.id, processId: record.process.processId, errorMessage: message });
      if (parsed.Operation === 'ConsoleSize') {
        const size = parsed.ConsoleSize;
        if (size === undefined) throw fail('A ConsoleSize request needs ConsoleSize {Height, Width}.');
        if (record.process.parameters.EmulateConsole !== true) throw fail('The process has no console (EmulateConsole was not set), so it cannot be resized.');
        record.process.consoleSize = [size.Height ?? 0, size.Width ?? 0];
      } else if (parsed.Operation === 'CloseHandle') {
        const handle = parsed.CloseHandle?.Handle;
        if (handle === undefined) throw fail('A CloseHandle request needs CloseHandle {Handle}.');
        record.process.closeStdio(handle);
      } else {
        throw fail('The request needs an Operation: ConsoleSize or CloseHandle.');
      }
    });
  }

  async waitForProcessExit(process: HcsProcess, options?: HcsCallOptions): Promise<HcsProcessExit> {
    const operation = HCS_FUNCTION.waitForProcessExit;
    this.checkOpen(operation);
    const record = this.processRecord(process, 'waitForProcessExit');
    this.checkEpoch(record, operation);
    throwIfAborted(options?.signal, operation);
    const status = record.process.status;
    if (status !== undefined) {
      const exit = parseProcessEvent(HcsEventType.ProcessExited, JSON.stringify(status));
      return new Promise((resolve) => setImmediate(() => { resolve((exit as { exit: HcsProcessExit }).exit); }));
    }
    return this.waitOn(record.exitWaiters, operation, options);
  }

  onProcessEvent(process: HcsProcess, listener: (event: HcsProcessEvent) => void): () => void {
    return this.processRecord(process, 'onProcessEvent').events.add(listener);
  }

  // --- service ---

  getServiceProperties(query: HcsDocument<PropertyQuery>, options?: HcsCallOptions): Promise<ServiceProperties> {
    const operation = HCS_FUNCTION.getServiceProperties;
    return this.call('getServiceProperties', undefined, options, () => {
      const parsed = readDocument(query, PropertyQuerySchema, 'property query', { operation, strict: this.strict });
      const properties: unknown[] = [];
      for (const type of parsed.PropertyTypes ?? []) {
        if (type === 'ProcessorTopology') {
          const count = this.host.logicalProcessorCount;
          properties.push({
            LogicalProcessorCount: count,
            LogicalProcessors: Array.from({ length: count }, (_, i) => ({ LpIndex: i, CoreId: i, ...(i === 0 ? {} : { RootVpIndex: i }) })),
          });
        } else if (type === 'CpuGroup') {
          properties.push(this.cpuGroups.configurations());
        } else {
          throw simulatedFailure({
            hresult: SimulatedHResult.notSupported,
            operation,
            errorMessage: `The simulator does not model the service property type "${type}"; it answers ProcessorTopology and CpuGroup.`,
          });
        }
      }
      return { Properties: properties };
    });
  }

  modifyServiceSettings(request: HcsDocument<ModificationRequest>, options?: HcsCallOptions): Promise<string | undefined> {
    const operation = HCS_FUNCTION.modifyServiceSettings;
    return this.call('modifyServiceSettings', undefined, options, () => {
      const parsed = readDocument(request, ModificationRequestSchema, 'modification request', { operation, strict: this.strict });
      if (parsed.PropertyType !== 'CpuGroup') {
        throw simulatedFailure({
          hresult: SimulatedHResult.notSupported,
          operation,
          errorMessage: `The simulator models service settings of PropertyType CpuGroup only; got ${String(parsed.PropertyType)}.`,
        });
      }
      this.cpuGroups.change(parsed.Settings, operation);
      return undefined;
    });
  }

  grantVmAccess(vmId: string, path: string, options?: HcsCallOptions): Promise<void> {
    return this.call('grantVmAccess', undefined, options, () => {
      checkAccessArguments(vmId, path, HCS_FUNCTION.grantVmAccess);
      const paths = this.access.get(vmId) ?? new Set<string>();
      paths.add(path);
      this.access.set(vmId, paths);
    });
  }

  revokeVmAccess(vmId: string, path: string, options?: HcsCallOptions): Promise<void> {
    return this.call('revokeVmAccess', undefined, options, () => {
      checkAccessArguments(vmId, path, HCS_FUNCTION.revokeVmAccess);
      const paths = this.access.get(vmId);
      paths?.delete(path);
      if (paths?.size === 0) this.access.delete(vmId);
    });
  }

  grantVmGroupAccess(path: string, options?: HcsCallOptions): Promise<void> {
    return this.grantVmAccess('*', path, options);
  }

  revokeVmGroupAccess(path: string, options?: HcsCallOptions): Promise<void> {
    return this.revokeVmAccess('*', path, options);
  }

  createEmptyGuestStateFile(path: string, options?: HcsCallOptions): Promise<void> {
    return this.call('createEmptyGuestStateFile', undefined, options, () => {
      checkPath(path, HCS_FUNCTION.createEmptyGuestStateFile);
      this.files.add(path);
    });
  }

  createEmptyRuntimeStateFile(path: string, options?: HcsCallOptions): Promise<void> {
    return this.call('createEmptyRuntimeStateFile', undefined, options, () => {
      checkPath(path, HCS_FUNCTION.createEmptyRuntimeStateFile);
      this.files.add(path);
    });
  }

  getHostInfo(options?: HcsCallOptions): Promise<HcsHostInfo> {
    return this.call('getHostInfo', undefined, options, () => ({ windowsBuild: this.host.windowsBuild, architecture: this.host.architecture }));
  }

  // --- sockets ---

  listenVmSocket(vmId: string, serviceId: string, options?: HcsCallOptions): Promise<VmSocketListener> {
    return this.call('listenVmSocket', undefined, options, () => this.hub.listen('host', vmId, serviceId));
  }

  connectVmSocket(vmId: string, serviceId: string, options?: HcsCallOptions): Promise<Duplex> {
    return this.call('connectVmSocket', undefined, options, () => this.hub.dial('host', vmId, serviceId));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.systemHandles.keys()].map((h) => this.closeComputeSystem(h)));
    await Promise.all([...this.processHandles.keys()].map((h) => this.closeProcess(h)));
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.hub.closeAll();
  }

  // --- machinery ---

  /**
   * Runs one call: waits its latency (cancellable by the signal, bounded by `timeoutMs`), fails it
   * if a fault comes due, else applies `effect`. A cancelled or timed-out call never takes effect,
   * as HcsCancelOperation stops an operation before it completes.
   */
  private async call<T>(call: SimulatedCall, target: { readonly systemId?: string; readonly record?: HandleBase } | undefined, options: HcsCallOptions | undefined, effect: () => T): Promise<T> {
    const operation = HCS_FUNCTION[call];
    this.checkOpen(operation);
    throwIfAborted(options?.signal, operation);
    checkTimeout(options?.timeoutMs, operation);
    this.pending++;
    const record = target?.record;
    if (record !== undefined) record.inFlight++;
    try {
      await delay(this.latencyOf(call), options?.signal, options?.timeoutMs, operation);
      this.checkOpen(operation);
      const fault = this.faults.take(call, target?.systemId);
      if (fault !== undefined) {
        throw simulatedFailure({
          hresult: fault.hresult,
          operation,
          ...(target?.systemId === undefined ? {} : { systemId: target.systemId }),
          ...(fault.errorMessage === undefined ? {} : { errorMessage: fault.errorMessage }),
          ...(fault.errorEvents === undefined ? {} : { errorEvents: fault.errorEvents }),
        });
      }
      return effect();
    } finally {
      this.pending--;
      // A close waiting for this call goes on after the caller has seen the answer.
      if (record !== undefined && --record.inFlight === 0 && record.idle !== undefined) setImmediate(record.idle);
    }
  }

  private async onSystem<T>(call: SimulatedCall, system: HcsSystem, options: HcsCallOptions | undefined, effect: (record: SystemHandleRecord, operation: string) => T): Promise<T> {
    const operation = HCS_FUNCTION[call];
    this.checkOpen(operation);
    const record = this.systemRecord(system, call);
    return this.call(call, { systemId: record.system.id, record }, options, () => {
      this.checkEpoch(record, operation);
      return effect(record, operation);
    });
  }

  private async onProcess<T>(call: SimulatedCall, process: HcsProcess, options: HcsCallOptions | undefined, effect: (record: ProcessHandleRecord, operation: string) => T): Promise<T> {
    const operation = HCS_FUNCTION[call];
    this.checkOpen(operation);
    const record = this.processRecord(process, call);
    return this.call(call, { systemId: record.system.id, record }, options, () => {
      this.checkEpoch(record, operation);
      return effect(record, operation);
    });
  }

  private latencyOf(call: SimulatedCall): number {
    const latency = this.latency;
    return typeof latency === 'number' ? latency : (latency.calls?.[call] ?? latency.default ?? 0);
  }

  private async waitOn<T>(waiters: Set<Waiter<T>>, operation: string, options: HcsCallOptions | undefined): Promise<T> {
    checkTimeout(options?.timeoutMs, operation);
    this.pending++;
    return waitIn(waiters, operation, options, () => {
      this.pending--;
    });
  }

  private openHandle(system: SimulatedSystem, onEvent: ((event: HcsSystemEvent) => void) | undefined): HcsSystem {
    const handle: HcsSystem = Object.freeze({ kind: 'system' as const, id: system.id });
    const exitWaiters = new Set<Waiter<SystemExitStatus>>();
    const events = new EventChannel<HcsSystemEvent>(
      (error) => { this.logger.warn({ err: error, systemId: system.id }, 'a compute system event listener threw'); },
      (event) => {
        if (event.type === 'exited') for (const waiter of [...exitWaiters]) waiter.resolve({ ...event.status });
      },
    );
    if (onEvent !== undefined) events.add(onEvent);
    const record: SystemHandleRecord = { handle, system, events, exitWaiters, closed: false, epoch: this.epoch, inFlight: 0, idle: undefined };
    this.systemHandles.set(handle, record);
    system.handles.add(record);
    return handle;
  }

  private openProcessHandle(system: SimulatedSystem, process: SimulatedProcessRecord): HcsProcess {
    const handle: HcsProcess = Object.freeze({ kind: 'process' as const, systemId: system.id, processId: process.processId });
    const exitWaiters = new Set<Waiter<HcsProcessExit>>();
    const events = new EventChannel<HcsProcessEvent>(
      (error) => { this.logger.warn({ err: error, systemId: system.id, processId: process.processId }, 'a process event listener threw'); },
      (event) => {
        if (event.type === 'exited') for (const waiter of [...exitWaiters]) waiter.resolve(event.exit);
      },
    );
    const record: ProcessHandleRecord = { handle, system, process, events, exitWaiters, closed: false, epoch: this.epoch, inFlight: 0, idle: undefined };
    this.processHandles.set(handle, record);
    process.handles.add(record);
    return handle;
  }

  private systemRecord(system: HcsSystem, call: string): SystemHandleRecord {
    const record = this.systemHandles.get(system);
    if (record !== undefined) return record;
    if (this.closedHandles.has(system)) {
      throw new StateError(call, 'closed', `The handle of compute system "${system.id}" is closed; open the system again.`);
    }
    throw foreignHandle(call, system);
  }

  private processRecord(process: HcsProcess, call: string): ProcessHandleRecord {
    const record = this.processHandles.get(process);
    if (record !== undefined) return record;
    if (this.closedHandles.has(process)) {
      throw new StateError(call, 'closed', `The handle of process ${process.processId} in "${process.systemId}" is closed.`);
    }
    throw foreignHandle(call, process);
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new StateError(operation, 'closed', 'The HCS simulator is closed; create a new one with createHcsSimulator().');
  }

  private checkEpoch(record: HandleBase & { readonly system: SimulatedSystem }, operation: string): void {
    if (record.epoch !== this.epoch) {
      throw simulatedFailure({
        hresult: SimulatedHResult.serviceDisconnect,
        operation,
        systemId: record.system.id,
        errorMessage: 'The compute service disconnected after this handle was opened; the system is gone.',
      });
    }
  }

  private requireState(system: SimulatedSystem, operation: string, allowed: readonly SimulatedState[]): void {
    if (allowed.includes(system.state)) return;
    if (system.state === 'Stopped') {
      throw simulatedFailure({ hresult: SimulatedHResult.systemAlreadyStopped, operation, systemId: system.id, errorMessage: `Compute system "${system.id}" has already stopped.` });
    }
    throw simulatedFailure({
      hresult: SimulatedHResult.invalidState,
      operation,
      systemId: system.id,
      errorMessage: `Compute system "${system.id}" is ${system.state}; ${operation} needs it ${allowed.join(' or ')}.`,
    });
  }

  private requireRunningProcess(record: ProcessHandleRecord, operation: string): void {
    if (!record.process.exited) return;
    throw simulatedFailure({
      hresult: SimulatedHResult.processAlreadyStopped,
      operation,
      systemId: record.system.id,
      processId: record.process.processId,
      errorMessage: `Process ${record.process.processId} has already exited.`,
    });
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private startGuest(system: SimulatedSystem): void {
    const hook = this.options.guest;
    if (hook === undefined) return;
    const guest = this.guestOf(system);
    setImmediate(() => {
      if (system.stopped) return;
      try {
        const result = hook(guest);
        if (result instanceof Promise) result.catch((error: unknown) => { this.logger.warn({ err: error, systemId: system.id }, 'the simulated guest failed'); });
      } catch (error) {
        this.logger.warn({ err: error, systemId: system.id }, 'the simulated guest failed');
      }
    });
  }

  private guestOf(system: SimulatedSystem): SimulatedGuest {
    const hub = this.hub;
    const document = copyJson(system.document);
    return {
      id: system.id,
      runtimeId: system.runtimeId,
      document,
      signal: system.lifetimeSignal,
      dial: async (serviceId, options) => {
        throwIfAborted(options?.signal, 'dial');
        await new Promise((resolve) => setImmediate(resolve));
        throwIfAborted(options?.signal, 'dial');
        if (system.stopped) throw Object.assign(new Error(`connect ENETDOWN: VM ${system.runtimeId} has stopped.`), { code: 'ENETDOWN' });
        return hub.dial('guest', system.runtimeId, serviceId);
      },
      listen: (serviceId) => Promise.resolve(hub.listen('guest', system.runtimeId, serviceId)),
      powerOff: () => {
        if (!system.stopped) this.stopSystem(system, GRACEFUL);
      },
      crash: () => {
        if (!system.stopped) this.crashSystem(system);
      },
    };
  }

  private playProcess(process: SimulatedProcessRecord): void {
    const play = this.options.process;
    if (play === undefined) return;
    try {
      play(process);
    } catch (error) {
      this.logger.warn({ err: error, systemId: process.systemId, processId: process.processId }, 'the simulated process failed');
      process.exit(1);
    }
  }

  private processExited(system: SimulatedSystem, process: SimulatedProcessRecord): void {
    const event = parseProcessEvent(HcsEventType.ProcessExited, JSON.stringify(process.status));
    for (const record of process.handles as Set<ProcessHandleRecord>) record.events.post(event);
    if (process.handles.size === 0) system.processes.delete(process.processId);
  }

  private crashSystem(system: SimulatedSystem): void {
    const report = JSON.stringify({ CrashReport: { GuestCrashReason: 'simulated guest crash' } });
    this.stopSystem(system, UNEXPECTED, [parseSystemEvent(HcsEventType.SystemCrashInitiated, undefined), parseSystemEvent(HcsEventType.SystemCrashReport, report)]);
  }

  /** The system stops: state, processes, sockets, then the events (after any given first). */
  private stopSystem(system: SimulatedSystem, exit: SystemExitStatus, before: readonly HcsSystemEvent[] = []): void {
    if (system.stopped) return;
    system.state = 'Stopped';
    system.stoppedAt = this.clock();
    system.exit = { ...exit };
    this.endGuest(system);
    const exited = parseSystemEvent(HcsEventType.SystemExited, JSON.stringify(exit));
    for (const record of system.handles as Set<SystemHandleRecord>) {
      for (const event of before) record.events.post(event);
      record.events.post(exited);
    }
    // Nobody holds the system (its handles closed while it ran without terminate-on-close): it is gone.
    if (system.handles.size === 0 && this.systems.get(system.id) === system) this.systems.delete(system.id);
  }

  /** The service went away with the system: no exit event, nothing left. */
  private loseSystem(system: SimulatedSystem): void {
    if (!system.stopped) {
      system.state = 'Stopped';
      system.stoppedAt = this.clock();
    }
    this.endGuest(system);
  }

  private endGuest(system: SimulatedSystem): void {
    for (const process of system.processes.values()) if (!process.exited) process.lose(SimulatedHResult.connectionClosed);
    system.endLifetime();
    this.hub.dropVm(system.runtimeId);
  }


}

function whenIdle(record: HandleBase): Promise<void> {
  if (record.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const previous = record.idle;
    record.idle = () => {
      if (record.inFlight > 0) return; // another call started meanwhile: keep waiting
      record.idle = undefined;
      previous?.();
      resolve();
    };
  });
}


function foreignHandle(call: string, value: unknown): StateError {
  return new StateError(call, 'foreign', `${call} was given ${describe(value)}, which is not a handle this HCS simulator issued.`);
}


function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object with kind ${showValue((value as { kind?: unknown }).kind)}`;
  return `a ${typeof value}`;
}


function notFound(operation: string, id: string) {
  return simulatedFailure({ hresult: SimulatedHResult.systemNotFound, operation, systemId: id, errorMessage: `There is no compute system with id "${id}".` });
}

