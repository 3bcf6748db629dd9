import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  GCS_BODY_SCHEMAS,
  GCS_NOTIFICATION_TYPE,
  GCS_PROTOCOL_VERSION,
  GcsFrameSplitter,
  GcsMessageKind,
  GcsNegotiateProtocolResponseSchema,
  LinuxGuestContainerNotificationSchema,
  LinuxGuestNegotiateProtocolResponseSchema,
  LinuxGuestResponseBaseSchema,
  NULL_GUID,
  ValidationError,
  childLogger,
  encodeFrame,
  procedureName,
  responseTypeFor,
  showValue,
  silentLogger,
  toGcsResult,
  toGoJson,
  type GcsCapabilities,
  type GcsGuestOs,
  type GcsHeader,
  type GcsProcedureName,
  type GcsStreamEvent,
  type Logger,
} from '@uvm/types';
import { PeerFailure, PeerHResult } from './peerFailure.js';
import { PeerRuntime, type PeerContainerView, type PeerNotification, type PeerRequest, type RecordedModification, type StdioConnector } from './peerRuntime.js';

/** Options of {@link createGcsPeer}. */
export interface GcsPeerOptions {
  /** Which GCS to be: the Linux GCS (exact, from hcsshim's source) or a Windows guest (inferred from what the host sends). */
  readonly os: GcsGuestOs;
  /** The guest's end of the bridge connection. */
  readonly transport: Duplex;
  /** Dials the host's stdio relay listener for a port; needed for processes with pipes. */
  readonly stdioConnector?: StdioConnector;
  readonly logger?: Logger;
  /**
   * The capabilities answered to NegotiateProtocol. Default for Linux: exactly the Linux GCS's
   * (gcs-bridge.md §2.9); for Windows: a guest that asks for the UVM Create and Start messages.
   */
  readonly capabilities?: GcsCapabilities;
  /** Largest message read from the host (default 64 MiB; the real GCS has no limit). */
  readonly maxMessageSize?: number;
}

/** One request the peer read, for tests that look at what the host sent. */
export interface GcsPeerRequestEvent {
  readonly type: number;
  readonly id: bigint;
  readonly procedure: GcsProcedureName | undefined;
  /** The payload as sent (JSON text, trailing newline included when the host wrote one). */
  readonly payload: string;
}

/** The events of a {@link GcsPeer}. */
export interface GcsPeerEvents {
  request: [GcsPeerRequestEvent];
  /** The host shut the UVM down (ShutdownGraceful/ShutdownForced of the null container id). */
  poweroff: [];
  /** The session ended. */
  close: [];
}

const LINUX_CAPABILITIES: GcsCapabilities = {
  SupportedSchemaVersions: [{ Major: 2, Minor: 1 }],
  RuntimeOsType: 'Linux',
  GuestDefinedCapabilities: { NamespaceAddRequestSupported: true, SignalProcessSupported: true, DumpStacksSupported: true, DeleteContainerStateSupported: true },
};

const WINDOWS_CAPABILITIES: GcsCapabilities = {
  SendHostCreateMessage: true,
  SendHostStartMessage: true,
  HvSocketConfigOnStartup: true,
  SupportedSchemaVersions: [{ Major: 2, Minor: 1 }],
  RuntimeOsType: 'Windows',
  GuestDefinedCapabilities: { NamespaceAddRequestSupported: true, SignalProcessSupported: true, DumpStacksSupported: true, DeleteContainerStateSupported: true },
};

/** Procedures served after negotiation; everything else gets E_NOTIMPL (gcs-bridge.md §6.1, §6.3). */
const SERVED: ReadonlySet<GcsProcedureName> = new Set<GcsProcedureName>([
  'Create',
  'Start',
  'ShutdownGraceful',
  'ShutdownForced',
  'ExecuteProcess',
  'WaitForProcess',
  'SignalProcess',
  'ResizeConsole',
  'GetProperties',
  'ModifySettings',
  'DumpStacks',
  'DeleteContainerState',
]);

const NOT_NEGOTIATED = 0;

/**
 * The guest end of a GCS bridge, behaving as the Linux GCS does (gcs-bridge.md §6, §8): only
 * NegotiateProtocol before negotiation and never again after it, E_NOTIMPL for anything else it
 * does not serve, 0xC037010D for bodies that are not JSON, every request handled concurrently
 * with answers in completion order, and the container notification after the init process has
 * been waited on. Processes run for real on this machine; ModifySettings are validated and
 * recorded.
 */
export class GcsPeer extends EventEmitter<GcsPeerEvents> implements AsyncDisposable {
  readonly os: GcsGuestOs;
  /** Settles when the session has ended. */
  readonly closed: Promise<void>;
  private readonly transport: Duplex;
  private readonly logger: Logger;
  private readonly capabilities: GcsCapabilities;
  private readonly splitter: GcsFrameSplitter;
  private readonly runtime: PeerRuntime;
  private readonly inFlight = new Map<bigint, string>();
  private version = NOT_NEGOTIATED;
  private ended = false;
  private resolveClosed!: () => void;

  /** @internal Use {@link createGcsPeer}. */
  constructor(options: GcsPeerOptions) {
    super();
    this.os = options.os;
    this.transport = options.transport;
    this.logger = childLogger(options.logger ?? silentLogger, { component: 'gcs-peer' });
    this.capabilities = options.capabilities ?? (options.os === 'linux' ? LINUX_CAPABILITIES : WINDOWS_CAPABILITIES);
    this.splitter = new GcsFrameSplitter({ maxMessageSize: options.maxMessageSize ?? 64 * 1024 * 1024 });
    this.runtime = new PeerRuntime(
      options.os,
      options.stdioConnector,
      (n) => {
        this.sendNotification(n);
      },
      this.logger,
    );
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.transport.on('data', this.onData);
    this.transport.on('end', () => {
      this.endSession('the host closed the bridge');
    });
    this.transport.on('close', () => {
      this.endSession('the bridge connection closed');
    });
    this.transport.on('error', (error) => {
      this.endSession(`the bridge connection failed: ${error.message}`);
    });
  }

  /** True once NegotiateProtocol has succeeded on this connection. */
  get negotiated(): boolean {
    return this.version === GCS_PROTOCOL_VERSION;
  }

  /** Every ModifySettings the peer accepted, in the order it accepted them. */
  get modifications(): readonly RecordedModification[] {
    return this.runtime.modifications;
  }

  /** The containers the host created and the peer still knows. */
  get containers(): ReadonlyMap<string, PeerContainerView> {
    return this.runtime.containerViews();
  }

  /** Pids of processes started in the UVM itself whose exit has not been waited for. */
  get uvmProcessIds(): readonly number[] {
    return this.runtime.externalPids();
  }

  /** The UVM-level Create (Windows cold start) and Start the host sent. */
  get uvm(): { readonly config: Readonly<Record<string, unknown>> | undefined; readonly started: boolean } {
    return { config: this.runtime.uvmConfig, started: this.runtime.uvmStarted };
  }

  /** Ends the session: kills every process the peer started and closes the connection. */
  async close(): Promise<void> {
    this.runtime.killAll();
    this.endSession('the peer was closed');
    await this.runtime.settled();
    await this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.splitter.push(chunk, this.onStreamEvent);
  };

  private readonly onStreamEvent = (event: GcsStreamEvent): void => {
    if (event.kind === 'frame') {
      this.onFrame(event.header, event.payload);
    } else if (event.kind === 'oversize') {
      this.logger.warn({ size: event.header.size }, 'the host sent a message larger than the simulated GCS reads');
      this.respondError(event.header, undefined, new PeerFailure(PeerHResult.fail, `message of ${event.header.size} bytes exceeds the simulated GCS's limit`));
    } else {
      // The real GCS subtracts 16 from Size unsigned and waits for ~4 GiB; the peer ends the session instead.
      this.logger.error({ size: event.size }, 'the host sent a header with Size below 16: a real GCS would hang; ending the session');
      this.endSession('the host sent a header with Size below 16');
    }
  };

  private onFrame(header: GcsHeader, payload: Uint8Array): void {
    const version = this.version;
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    const procedure = procedureName(header.type);
    this.emitSafely('request', { type: header.type, id: header.id, procedure, payload: text });
    const parsed = parseObject(text);
    // The GCS peeks at the ids of every message before dispatch, ignoring parse errors.
    const peek = {
      containerId: parsed !== undefined && typeof parsed.ContainerId === 'string' ? parsed.ContainerId : '',
      activityId: parsed !== undefined && typeof parsed.ActivityId === 'string' && parsed.ActivityId !== '' ? parsed.ActivityId : undefined,
    };
    const isRequest = (header.type & 0xf0000000) >>> 0 === GcsMessageKind.request;
    const served = isRequest && procedure !== undefined && this.serves(procedure, version);
    if (!served) {
      this.respondError(header, peek.activityId, new PeerFailure(PeerHResult.notImplemented, `bridge: function not supported, header type: ${header.type}`));
      return;
    }
    // Each request runs on its own, answered when it completes (gcs-bridge.md §6.5).
    setImmediate(() => {
      void this.handle(header, procedure, parsed, peek);
    });
  }

  private serves(procedure: GcsProcedureName, version: number): boolean {
    if (version === NOT_NEGOTIATED) return procedure === 'NegotiateProtocol';
    return SERVED.has(procedure) || (this.os === 'windows' && procedure === 'ModifyServiceSettings');
  }

  private async handle(header: GcsHeader, procedure: GcsProcedureName, parsed: Record<string, unknown> | undefined, peek: { containerId: string; activityId: string | undefined }): Promise<void> {
    if (parsed === undefined) {
      this.respondError(header, undefined, new PeerFailure(PeerHResult.invalidJson, 'failed to unmarshal JSON for the request: the body is not a JSON object (unexpected end of JSON input or bad syntax)'));
      return;
    }
    const request: PeerRequest = { body: parsed, containerId: peek.containerId, activityId: peek.activityId };
    this.inFlight.set(header.id, `${procedure} ${peek.containerId}`);
    try {
      const fields = await this.run(procedure, request);
      if (fields === 'no-response') return;
      this.respond(header, procedure, { Result: 0, ...(peek.activityId === undefined ? {} : { ActivityId: peek.activityId }), ...fields });
    } catch (error) {
      const failure = error instanceof PeerFailure ? error : new PeerFailure(PeerHResult.fail, error instanceof Error ? error.message : String(error));
      this.respondError(header, peek.activityId, failure);
    } finally {
      this.inFlight.delete(header.id);
    }
  }

  private async run(procedure: GcsProcedureName, request: PeerRequest): Promise<Record<string, unknown> | 'no-response'> {
    const runtime = this.runtime;
    switch (procedure) {
      case 'NegotiateProtocol':
        return this.negotiate(request);
      case 'Create':
        return runtime.create(request);
      case 'Start':
        runtime.start(request);
        return {};
      case 'ShutdownGraceful':
      case 'ShutdownForced':
        if (request.containerId === NULL_GUID) {
          this.powerOff();
          return 'no-response';
        }
        runtime.shutdown(request, procedure === 'ShutdownForced');
        return {};
      case 'ExecuteProcess':
        return runtime.executeProcess(request);
      case 'WaitForProcess':
        return runtime.waitForProcess(request);
      case 'SignalProcess':
        runtime.signalProcess(request);
        return {};
      case 'ResizeConsole':
        runtime.resizeConsole(request);
        return {};
      case 'GetProperties':
        return runtime.getProperties(request);
      case 'ModifySettings':
        runtime.modifySettings(request);
        return {};
      case 'DumpStacks':
        return { GuestStacks: runtime.dumpStacks([...this.inFlight.values()]) };
      case 'DeleteContainerState':
        runtime.deleteContainerState(request);
        return {};
      default:
        // ModifyServiceSettings on a Windows peer: accepted, nothing to simulate behind it.
        return {};
    }
  }

  private negotiate(request: PeerRequest): Record<string, unknown> {
    const min = request.body.MinimumVersion;
    const max = request.body.MaximumVersion;
    if (typeof min !== 'number' || typeof max !== 'number') {
      throw new PeerFailure(PeerHResult.invalidJson, 'json: MinimumVersion and MaximumVersion must be numbers');
    }
    if (max < GCS_PROTOCOL_VERSION || min > GCS_PROTOCOL_VERSION) {
      throw new PeerFailure(PeerHResult.unsupportedProtocolVersion, `protocol version range [${min}, ${max}] does not include ${GCS_PROTOCOL_VERSION}`);
    }
    this.version = GCS_PROTOCOL_VERSION;
    return { Version: GCS_PROTOCOL_VERSION, Capabilities: this.capabilities };
  }

  private powerOff(): void {
    this.logger.info({}, 'the host powered the UVM off');
    this.runtime.killAll();
    this.emitSafely('poweroff');
    this.endSession('the UVM was powered off');
  }

  private respond(header: GcsHeader, procedure: GcsProcedureName, body: Record<string, unknown>): void {
    let schema: object;
    if (procedure === 'NegotiateProtocol') {
      schema = this.os === 'linux' ? LinuxGuestNegotiateProtocolResponseSchema : GcsNegotiateProtocolResponseSchema;
      body = { ...body, Capabilities: this.capabilities };
    } else {
      const bodies = GCS_BODY_SCHEMAS[procedure];
      schema = this.os === 'linux' ? bodies.linuxGuestResponse : bodies.response;
    }
    this.write(responseTypeFor(header.type), header.id, toGoJson(body, schema));
  }

  private respondError(header: GcsHeader, activityId: string | undefined, failure: PeerFailure): void {
    const result = toGcsResult(failure.hresult);
    const body = {
      Result: result,
      ...(activityId === undefined ? {} : { ActivityId: activityId }),
      ErrorMessage: failure.message,
      ErrorRecords: [{ Result: result, Message: failure.message, ModuleName: 'gcs', FileName: '', Line: 0xffffffff }],
    };
    this.write(responseTypeFor(header.type), header.id, toGoJson(body, LinuxGuestResponseBaseSchema));
  }

  private sendNotification(notification: PeerNotification): void {
    this.write(GCS_NOTIFICATION_TYPE, 0n, toGoJson(notification, LinuxGuestContainerNotificationSchema));
  }

  // One writer: each message is one write of one buffer, so messages never interleave.
  private write(type: number, id: bigint, body: string): void {
    if (this.ended) return;
    this.transport.write(encodeFrame(type, id, body));
  }

  private endSession(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.logger.debug({ reason }, 'GCS peer session ended');
    this.transport.off('data', this.onData);
    this.transport.on('error', () => undefined);
    this.transport.destroy();
    this.resolveClosed();
    this.emitSafely('close');
  }

  private emitSafely<K extends keyof GcsPeerEvents>(event: K, ...args: GcsPeerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: GcsPeerEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.logger.error({ err: error }, `a GCS peer ${event} listener threw`);
    }
  }
}

/**
 * Starts a simulated GCS on the guest end of a bridge connection. It serves until the host closes
 * the connection, powers the UVM off, or {@link GcsPeer.close} is called.
 */
export function createGcsPeer(options: GcsPeerOptions): GcsPeer {
  const issues: { path: string; message: string }[] = [];
  if (typeof options !== 'object' || (options as unknown) === null) throw new ValidationError('GCS peer options', [{ path: '', message: 'must be an object with os and transport.' }]);
  const os: unknown = options.os;
  if (os !== 'linux' && os !== 'windows') issues.push({ path: '/os', message: `must be "linux" or "windows"; got ${showValue(os)}.` });
  const transport = options.transport as Partial<Duplex> | undefined;
  if (typeof transport !== 'object' || typeof transport.on !== 'function' || typeof transport.write !== 'function') {
    issues.push({ path: '/transport', message: `must be the guest end of the bridge, a Duplex; got ${showValue(transport)}.` });
  }
  const connector: unknown = options.stdioConnector;
  if (connector !== undefined && typeof connector !== 'function') {
    issues.push({ path: '/stdioConnector', message: `must be a function (port, { serviceId }) => Duplex; got ${showValue(connector)}.` });
  }
  if (issues.length > 0) throw new ValidationError('GCS peer options', issues);
  return new GcsPeer(options);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
