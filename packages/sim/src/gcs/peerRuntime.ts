import { constants as osConstants, totalmem } from 'node:os';
import type { Duplex } from 'node:stream';
import {
  GuestRequestType,
  LINUX_GCS_RESOURCE_SUPPORT,
  NULL_GUID,
  decodeJsonInString,
  guestResourceSettingsSchema,
  showValue,
  validateWith,
  vsockPortFromServiceId,
  vsockServiceId,
  type GcsGuestOs,
  type GuestResourceType,
  type Logger,
} from '@uvm/types';
import { splitShellWords, splitWindowsCommandLine } from './commandLine.js';
import { PeerFailure, PeerHResult } from './peerFailure.js';
import { PeerProcess, type PeerProcessSpec } from './peerProcess.js';

/** Dials the host for one process stdio relay: LCOW sends ports, WCOW service ids (mapped back to ports). */
export type StdioConnector = (port: number, options: { readonly serviceId: string }) => Duplex | Promise<Duplex>;

/** One ModifySettings the peer accepted, as it arrived (`RequestType` defaulted to `Add` as the guests do). */
export interface RecordedModification {
  readonly containerId: string;
  readonly requestType: string;
  readonly resourceType: string;
  readonly settings: unknown;
}

/** What the peer knows about a container. */
export interface PeerContainerView {
  readonly id: string;
  /** The ActivityId of its Create request; the exit notification carries it. */
  readonly activityId: string;
  /** The decoded `ContainerConfig` of Create. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The pid of its init process once started. */
  readonly initPid: number | undefined;
  /** Pids of its processes that have not been waited for. */
  readonly pids: readonly number[];
  /** True once its exit notification was sent. */
  readonly notified: boolean;
}

/** A container notification to send (gcs-bridge.md §3.18). */
export interface PeerNotification {
  readonly ContainerId: string;
  readonly ActivityId: string;
  readonly Type: string;
  readonly Operation: string;
  readonly Result: number;
}

interface Container {
  readonly id: string;
  readonly activityId: string;
  readonly config: Record<string, unknown>;
  readonly processes: Map<number, PeerProcess>;
  init: PeerProcess | undefined;
  started: boolean;
  /** A shutdown asked before init ran decides the notification type. */
  exitType: string | undefined;
  notified: boolean;
}

/** A request body the dispatcher parsed, with the peek the Linux GCS makes at every message. */
export interface PeerRequest {
  readonly body: Readonly<Record<string, unknown>>;
  readonly containerId: string;
  readonly activityId: string | undefined;
}

const SIGKILL = osConstants.signals.SIGKILL;
const SIGTERM = osConstants.signals.SIGTERM;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const INFINITE = 0xffffffff;

/**
 * The guest runtime behind the simulated bridge: what each RPC does (gcs-bridge.md §3, §6), with
 * processes run for real on this machine. Windows behaviour is inferred from what the host sends
 * (the inbox GCS is closed source) and kept to what the host can observe.
 */
export class PeerRuntime {
  readonly modifications: RecordedModification[] = [];
  /** Set when the host sent Create for the UVM itself (Windows cold start). */
  uvmConfig: Record<string, unknown> | undefined;
  uvmStarted = false;
  private readonly containers = new Map<string, Container>();
  private readonly external = new Map<number, PeerProcess>();
  private readonly running = new Set<PeerProcess>();

  constructor(
    readonly os: GcsGuestOs,
    private readonly connector: StdioConnector | undefined,
    private readonly notify: (notification: PeerNotification) => void,
    private readonly logger: Logger,
  ) {}

  containerViews(): Map<string, PeerContainerView> {
    const views = new Map<string, PeerContainerView>();
    for (const c of this.containers.values()) {
      views.set(c.id, { id: c.id, activityId: c.activityId, config: c.config, initPid: c.init?.pid, pids: [...c.processes.keys()], notified: c.notified });
    }
    return views;
  }

  /** Pids of processes in the UVM itself that have not been waited for. */
  externalPids(): number[] {
    return [...this.external.keys()];
  }

  // --- Create / Start / Shutdown / DeleteContainerState ---

  create(request: PeerRequest): Record<string, unknown> {
    const config = decodeField(request.body.ContainerConfig, 'ContainerConfig');
    if (!isRecord(config)) throw invalidJson('ContainerConfig must hold a JSON object');
    if (request.containerId === NULL_GUID && this.os === 'windows') {
      if (config.SystemType !== 'Container') throw new PeerFailure(PeerHResult.fail, `unsupported SystemType ${JSON.stringify(config.SystemType)} for the UVM`);
      this.uvmConfig = config;
      return {};
    }
    if (this.os === 'linux') {
      const version = config.SchemaVersion;
      const major = isRecord(version) && typeof version.Major === 'number' ? version.Major : 0;
      const minor = isRecord(version) && typeof version.Minor === 'number' ? version.Minor : 0;
      if (major < 2 || (major === 2 && minor < 1)) throw invalidJson(`invalid schema version ${major}.${minor}: at least 2.1 is required`);
      if (!isRecord(config.OciSpecification)) {
        // The real Linux GCS dereferences the spec and crashes; the peer answers instead.
        this.logger.error({ containerId: request.containerId }, 'Create without OciSpecification: a real Linux GCS crashes here');
        throw new PeerFailure(PeerHResult.fail, 'OciSpecification is required (a real Linux GCS crashes on a Create without it)');
      }
    }
    if (this.containers.has(request.containerId)) {
      throw new PeerFailure(PeerHResult.systemAlreadyExists, `a container with id ${request.containerId} already exists`);
    }
    this.containers.set(request.containerId, {
      id: request.containerId,
      activityId: request.activityId ?? '',
      config,
      processes: new Map(),
      init: undefined,
      started: false,
      exitType: undefined,
      notified: false,
    });
    return { SelectedProtocolVersion: 0 };
  }

  start(request: PeerRequest): void {
    if (request.containerId === NULL_GUID) {
      this.uvmStarted = true;
      return;
    }
    // The Linux GCS's Start is a no-op: the first ExecuteProcess without OciProcess starts init.
    if (this.os === 'windows') {
      const container = this.container(request.containerId);
      container.started = true;
    }
  }

  /** ShutdownGraceful/ShutdownForced of a container; the UVM itself is handled by the dispatcher. */
  shutdown(request: PeerRequest, forced: boolean): void {
    const container = this.container(request.containerId);
    const type = forced ? 'ForcedExit' : 'GracefulExit';
    if (this.os === 'windows') {
      // No init process is modelled for Windows containers: the silo stops at once.
      for (const p of container.processes.values()) p.signal(SIGKILL);
      this.publish(container, type);
      return;
    }
    container.exitType = type;
    container.init?.signal(forced ? SIGKILL : SIGTERM);
  }

  deleteContainerState(request: PeerRequest): void {
    const container = this.container(request.containerId);
    for (const p of container.processes.values()) p.signal(SIGKILL);
    this.containers.delete(container.id);
  }

  // --- Processes ---

  async executeProcess(request: PeerRequest): Promise<Record<string, unknown>> {
    const settings = request.body.Settings;
    if (!isRecord(settings)) throw invalidJson('Settings must be an object');
    const params = decodeField(settings.ProcessParameters, 'ProcessParameters');
    if (!isRecord(params)) throw invalidJson('ProcessParameters must hold a JSON object');
    const ports = this.relayPorts(settings);

    let container: Container | undefined;
    let spec: Omit<PeerProcessSpec, 'stdin' | 'stdout' | 'stderr'>;
    let isInit = false;
    if (request.containerId === NULL_GUID || params.CreateInUtilityVM === true) {
      spec = this.externalSpec(params);
    } else {
      container = this.container(request.containerId);
      if (this.os === 'windows') spec = this.externalSpec(params);
      else if (params.OciProcess === undefined || params.OciProcess === null) {
        if (container.init !== undefined) throw new PeerFailure(PeerHResult.fail, `container ${container.id} has already started its init process`);
        const oci = container.config.OciSpecification;
        spec = ociProcessSpec(isRecord(oci) ? oci.process : undefined, 'the container spec');
        isInit = true;
      } else {
        spec = ociProcessSpec(params.OciProcess, 'OciProcess');
      }
    }

    const streams = await this.dialStdio(ports);
    let process: PeerProcess;
    try {
      process = await PeerProcess.start({ ...spec, ...streams });
    } catch (error) {
      for (const s of Object.values(streams)) s.destroy();
      throw new PeerFailure(PeerHResult.fail, `failed to run ${JSON.stringify(spec.args[0] ?? '')}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.running.add(process);
    void process.exited.then(() => this.running.delete(process));
    if (container === undefined) this.external.set(process.pid, process);
    else {
      container.processes.set(process.pid, process);
      if (isInit) {
        container.init = process;
        container.started = true;
      }
    }
    return { ProcessId: process.pid };
  }

  async waitForProcess(request: PeerRequest): Promise<Record<string, unknown>> {
    const pid = readUint32(request.body.ProcessId, 'ProcessId');
    const timeoutMs = request.body.TimeoutInMs === undefined ? 0 : readUint32(request.body.TimeoutInMs, 'TimeoutInMs');
    let container: Container | undefined;
    let process: PeerProcess | undefined;
    if (request.containerId === NULL_GUID) process = this.external.get(pid);
    else {
      container = this.container(request.containerId);
      process = container.processes.get(pid);
    }
    if (process === undefined) throw new PeerFailure(PeerHResult.notFound, `process ${pid} not found`);
    let status: number;
    if (timeoutMs === INFINITE) status = await process.exited;
    else {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          resolve('timeout');
        }, timeoutMs);
      });
      const outcome = await Promise.race([process.exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') throw new PeerFailure(PeerHResult.timeout, `timed out waiting for process ${pid}`);
      status = outcome;
    }
    // State is freed once an exit has been handed out; a later wait gets ERROR_NOT_FOUND.
    if (container === undefined) this.external.delete(pid);
    else container.processes.delete(pid);
    if (container !== undefined && container.init === process && !container.notified) {
      const c = container;
      setImmediate(() => {
        this.publish(c, c.exitType ?? exitTypeOf(process));
      });
    }
    return { ExitCode: status >>> 0 };
  }

  signalProcess(request: PeerRequest): void {
    const pid = readUint32(request.body.ProcessId, 'ProcessId');
    const process = this.signalTarget(request.containerId, pid);
    const options = request.body.Options;
    let signal = SIGKILL;
    if (isRecord(options) && options.Signal !== undefined && options.Signal !== null) {
      signal = this.os === 'linux' ? linuxSignal(options.Signal) : windowsSignal(options.Signal);
    }
    if (!process.signal(signal)) throw new PeerFailure(PeerHResult.notFound, `process ${pid} has already exited`);
    if (this.os === 'linux') {
      const container = this.containers.get(request.containerId);
      if (container?.init === process && (signal === SIGTERM || signal === SIGKILL)) container.exitType = signal === SIGTERM ? 'GracefulExit' : 'ForcedExit';
    }
  }

  resizeConsole(request: PeerRequest): void {
    const pid = readUint32(request.body.ProcessId, 'ProcessId');
    const process = this.signalTarget(request.containerId, pid);
    if (!process.terminal) throw new PeerFailure(PeerHResult.fail, `process ${pid} has no console to resize (it was not started with EmulateConsole)`);
    process.consoleSize = { height: readUint32(request.body.Height ?? 0, 'Height'), width: readUint32(request.body.Width ?? 0, 'Width') };
  }

  // --- Properties, modifications, diagnostics ---

  getProperties(request: PeerRequest): Record<string, unknown> {
    if (request.containerId === NULL_GUID && this.os === 'linux') throw new PeerFailure(PeerHResult.fail, 'getPropertiesV2 is not supported against the UVM');
    const container = this.containers.get(request.containerId);
    if (container === undefined) throw new PeerFailure(PeerHResult.systemNotFound, `HRESULT: 0x${PeerHResult.systemNotFound.toString(16)}`);
    const query = request.body.Query === undefined ? {} : decodeField(request.body.Query, 'Query');
    const types = isRecord(query) && Array.isArray(query.PropertyTypes) ? query.PropertyTypes : [];
    const properties: Record<string, unknown> = {};
    const live = [...container.processes.values()].filter((p) => p.exitStatus === undefined);
    if (types.includes('ProcessList')) {
      properties.ProcessList = live.map((p) => (this.os === 'linux' ? { ProcessId: p.pid } : { ProcessId: p.pid, ImageName: 'process' }));
    }
    if (types.includes('Statistics') && this.os === 'linux') properties.LCOWMetrics = lcowMetrics(live.length);
    if (types.includes('SystemGUID') && this.os === 'windows') properties.SystemGUID = container.activityId === '' ? NULL_GUID : container.activityId;
    return { Properties: properties };
  }

  modifySettings(request: PeerRequest): void {
    const envelope = request.body.Request;
    if (!isRecord(envelope)) throw invalidJson('Request must be an object');
    const requestType = envelope.RequestType === undefined || envelope.RequestType === '' ? GuestRequestType.Add : envelope.RequestType;
    const resourceType = envelope.ResourceType;
    if (typeof requestType !== 'string' || typeof resourceType !== 'string') throw invalidJson('RequestType and ResourceType must be strings');
    const settingsSchema = guestResourceSettingsSchema(resourceType, this.os);
    if (settingsSchema === undefined) throw new PeerFailure(PeerHResult.fail, `invalid ResourceType '${resourceType}'`);
    if (this.os === 'linux') {
      const support = LINUX_GCS_RESOURCE_SUPPORT[resourceType as GuestResourceType];
      if (support === undefined) throw new PeerFailure(PeerHResult.fail, `invalid ResourceType '${resourceType}'`);
      if (request.containerId === NULL_GUID) {
        if (support.scope === 'container') throw new PeerFailure(PeerHResult.systemNotFound, `container ${NULL_GUID} not found`);
      } else {
        this.container(request.containerId);
        if (support.scope !== 'container') throw new PeerFailure(PeerHResult.fail, `invalid ResourceType '${resourceType}' for a container`);
      }
      if (!support.ignoresRequestType && !support.requestTypes.includes(requestType as GuestRequestType)) {
        throw new PeerFailure(PeerHResult.fail, `RequestType '${requestType}' not supported for ResourceType '${resourceType}'`);
      }
    } else if (request.containerId !== NULL_GUID) {
      this.container(request.containerId);
    }
    const settings: unknown = envelope.Settings;
    if (settings !== undefined) {
      // Go's decoder ignores unknown keys but fails on a wrong type: that is the non-strict check.
      const result = validateWith(settingsSchema, settings, { strict: false });
      if (!result.ok) {
        const first = result.issues[0];
        throw invalidJson(`failed to unmarshal ${resourceType} settings: ${first === undefined ? 'invalid' : `${first.path || '(root)'} ${first.message}`}`);
      }
    }
    this.modifications.push({ containerId: request.containerId, requestType, resourceType, settings });
  }

  /** A goroutine-dump-shaped report of the peer's state: one entry per container, process and outstanding wait. */
  dumpStacks(inFlight: readonly string[]): string {
    const lines: string[] = ['goroutine 1 [running]:', 'main.main()', '\tsim/gcs/peer (simulated GCS, @uvm/sim)', ''];
    let n = 2;
    for (const request of inFlight) lines.push(`goroutine ${n++} [select]:`, `bridge.(*Bridge).handle(${request})`, '');
    for (const [pid, p] of this.external) lines.push(`goroutine ${n++} [syscall]:`, `hcsv2.(*externalProcess).Wait(pid=${pid}, exited=${p.exitStatus !== undefined})`, '');
    for (const c of this.containers.values()) {
      lines.push(`goroutine ${n++} [chan receive]:`, `hcsv2.(*Container).Wait(id=${c.id}, processes=${c.processes.size}, notified=${c.notified})`, '');
    }
    return lines.join('\n');
  }

  /** Kills every process the peer started. */
  killAll(): void {
    for (const p of this.running) p.signal(SIGKILL);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running].map((p) => p.exited));
  }

  private publish(container: Container, type: string): void {
    if (container.notified) return;
    container.notified = true;
    this.notify({ ContainerId: container.id, ActivityId: container.activityId, Type: type, Operation: 'None', Result: 0 });
  }

  private container(id: string): Container {
    const container = this.containers.get(id);
    if (container === undefined) throw new PeerFailure(PeerHResult.systemNotFound, `container ${id} not found`);
    return container;
  }

  /** The Linux GCS looks the container up before the pid, so the UVM's own processes cannot be signalled (§3.10). */
  private signalTarget(containerId: string, pid: number): PeerProcess {
    let process: PeerProcess | undefined;
    if (this.os === 'windows' && containerId === NULL_GUID) process = this.external.get(pid);
    else process = this.container(containerId).processes.get(pid);
    if (process === undefined || process.exitStatus !== undefined) throw new PeerFailure(PeerHResult.notFound, `process ${pid} not found`);
    return process;
  }

  private relayPorts(settings: Record<string, unknown>): { stdin?: number; stdout?: number; stderr?: number } {
    const ports: { stdin?: number; stdout?: number; stderr?: number } = {};
    const relay = this.os === 'linux' ? settings.VsockStdioRelaySettings : settings.StdioRelaySettings;
    if (relay === undefined || relay === null) return ports;
    if (!isRecord(relay)) throw invalidJson('the stdio relay settings must be an object');
    const keys = [['StdIn', 'stdin'], ['StdOut', 'stdout'], ['StdErr', 'stderr']] as const;
    for (const [key, name] of keys) {
      const value = relay[key];
      if (value === undefined || value === null || value === 0 || value === '') continue;
      if (this.os === 'linux') ports[name] = readUint32(value, key);
      else {
        if (typeof value !== 'string') throw invalidJson(`${key} must be a service id string`);
        let port: number | undefined;
        try {
          port = vsockPortFromServiceId(value);
        } catch {
          throw invalidJson(`${key} is not a GUID: ${JSON.stringify(value)}`);
        }
        if (port === undefined) throw new PeerFailure(PeerHResult.fail, `${key} service id ${value} is not a vsock-mapped id; the peer can only dial those`);
        ports[name] = port;
      }
    }
    return ports;
  }

  /** Dials stdin, then stdout, then stderr, before the process starts and before the answer (§3.8). */
  private async dialStdio(ports: { stdin?: number; stdout?: number; stderr?: number }): Promise<{ stdin?: Duplex; stdout?: Duplex; stderr?: Duplex }> {
    const streams: { stdin?: Duplex; stdout?: Duplex; stderr?: Duplex } = {};
    const wanted = (['stdin', 'stdout', 'stderr'] as const).filter((name) => ports[name] !== undefined);
    if (wanted.length === 0) return streams;
    const connector = this.connector;
    if (connector === undefined) throw new PeerFailure(PeerHResult.fail, 'the request asks for stdio relays but this peer has no stdioConnector');
    try {
      for (const name of wanted) {
        const port = ports[name] as number;
        const stream = await connector(port, { serviceId: vsockServiceId(port) });
        stream.on('error', (error) => {
          this.logger.debug({ err: error, port }, 'stdio relay connection error');
        });
        streams[name] = stream;
      }
    } catch (error) {
      for (const s of Object.values(streams)) s.destroy();
      throw new PeerFailure(PeerHResult.fail, `failed to connect the stdio relay: ${error instanceof Error ? error.message : String(error)}`);
    }
    return streams;
  }

  private externalSpec(params: Record<string, unknown>): Omit<PeerProcessSpec, 'stdin' | 'stdout' | 'stderr'> {
    let args: string[];
    if (Array.isArray(params.CommandArgs) && params.CommandArgs.length > 0) {
      if (!params.CommandArgs.every((a) => typeof a === 'string')) throw invalidJson('CommandArgs must be strings');
      args = params.CommandArgs;
    } else if (typeof params.CommandLine === 'string' && params.CommandLine !== '') {
      try {
        args = this.os === 'linux' ? splitShellWords(params.CommandLine) : splitWindowsCommandLine(params.CommandLine);
      } catch (error) {
        throw new PeerFailure(PeerHResult.fail, error instanceof Error ? error.message : String(error));
      }
    } else {
      throw new PeerFailure(PeerHResult.fail, 'the process has neither CommandArgs nor CommandLine');
    }
    const env = params.Environment;
    if (env !== undefined && (!isRecord(env) || !Object.values(env).every((v) => typeof v === 'string'))) throw invalidJson('Environment must map names to strings');
    const cwd = typeof params.WorkingDirectory === 'string' && params.WorkingDirectory !== '' ? params.WorkingDirectory : '/';
    return { args, env: (env as Record<string, string> | undefined) ?? {}, cwd, terminal: params.EmulateConsole === true };
  }
}

function ociProcessSpec(oci: unknown, what: string): Omit<PeerProcessSpec, 'stdin' | 'stdout' | 'stderr'> {
  if (!isRecord(oci)) throw new PeerFailure(PeerHResult.fail, `${what} has no process to run`);
  const args = oci.args;
  if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) {
    throw new PeerFailure(PeerHResult.fail, `${what} process has no args`);
  }
  const env: Record<string, string> = {};
  if (Array.isArray(oci.env)) {
    for (const entry of oci.env) {
      if (typeof entry !== 'string') continue;
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  }
  if (!Object.hasOwn(env, 'PATH')) env.PATH = DEFAULT_PATH;
  const cwd = typeof oci.cwd === 'string' && oci.cwd !== '' ? oci.cwd : '/';
  return { args, env, cwd, terminal: oci.terminal === true };
}

function exitTypeOf(process: PeerProcess): string {
  if (process.lastSignal === SIGTERM) return 'GracefulExit';
  if (process.lastSignal === SIGKILL) return 'ForcedExit';
  return 'UnexpectedExit';
}

function linuxSignal(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidJson(`Options.Signal must be an integer; got ${JSON.stringify(value)}`);
  if (value === 0) return SIGKILL;
  if (value < 1 || value > 64) throw new PeerFailure(PeerHResult.fail, `invalid signal ${value}`);
  return value;
}

const WINDOWS_SIGNALS: Readonly<Record<string, number>> = {
  CtrlC: osConstants.signals.SIGINT,
  CtrlBreak: osConstants.signals.SIGQUIT,
  CtrlClose: SIGTERM,
  CtrlLogOff: SIGTERM,
  CtrlShutdown: SIGTERM,
};

function windowsSignal(value: unknown): number {
  if (typeof value !== 'string' || !Object.hasOwn(WINDOWS_SIGNALS, value)) throw invalidJson(`Options.Signal must be a console event name; got ${JSON.stringify(value)}`);
  return WINDOWS_SIGNALS[value] as number;
}

/** containerd cgroup v1 metrics in the Linux GCS's shape: blkio, rdma and network emptied, the rest plausible. */
function lcowMetrics(processCount: number): Record<string, unknown> {
  const rss = process.memoryUsage.rss();
  return {
    hugetlb: [],
    pids: { current: processCount, limit: 0 },
    cpu: { usage: { total: Math.round(process.cpuUsage().user * 1000), kernel: 0, user: 0 }, throttling: {} },
    memory: { usage: { limit: totalmem(), usage: rss, max: rss }, rss },
    blkio: {},
    rdma: {},
    network: [],
  };
}

function decodeField(value: unknown, field: string): unknown {
  const decoded = decodeJsonInString(value);
  if (!decoded.ok) throw invalidJson(`failed to unmarshal ${field}: ${decoded.issues[0]?.message ?? 'not JSON'}`);
  return decoded.value;
}

function readUint32(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw invalidJson(`json: cannot unmarshal ${showValue(value)} into field ${field} of type uint32`);
}

function invalidJson(message: string): PeerFailure {
  return new PeerFailure(PeerHResult.invalidJson, message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
