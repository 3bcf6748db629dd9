import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  ConnectionClosedError,
  GCS_DEFAULT_MAX_MESSAGE_SIZE,
  GCS_HEADER_SIZE,
  GCS_NOTIFICATION_TYPE,
  GCS_PROTOCOL_VERSION,
  GcsFrameSplitter,
  GcsMessageKind,
  gcsIdFromHalves,
  GcsNegotiateProtocolRequestSchema,
  GcsProcedure,
  GuestError,
  NULL_GUID,
  ProtocolError,
  StateError,
  TimeoutError,
  ValidationError,
  abortReason,
  decodeJsonInStringFields,
  gcsRequestType,
  parseGcsCapabilities,
  showValue,
  silentLogger,
  toGoJson,
  validateWith,
  writeGcsHeader,
  type GcsCapabilities,
  type GcsErrorRecord,
  type GcsFrameSink,
  type GcsGuestOs,
  type GcsHeader,
  type GcsProcedureName,
  type GcsStreamEvent,
  type Logger,
  type ValidationIssue,
} from '@uvm/types';
import { checkTimeout, deadline, raceAbort } from './deadline.js';
import { PendingCalls } from './pendingCalls.js';
import type { CallOptions } from './transport.js';

/** The schema type the validators take (kept out of this package's dependencies). */
type SchemaOf = Parameters<typeof validateWith>[0];

/** Options of {@link GcsBridge}. */
export interface GcsBridgeOptions {
  /** Where anomalies and connection events go; silent by default. */
  readonly logger?: Logger;
  /**
   * The largest message accepted, header included (default 8 MiB). A larger one is skipped without
   * buffering; a call it answers fails with a ProtocolError.
   */
  readonly maxMessageSize?: number;
  /** Ids of calls that timed out or were aborted are remembered so a late answer is dropped quietly; at most this many (default 4096). */
  readonly abandonedIdLimit?: number;
}

/** Something unexpected the guest sent, reported through the `anomaly` event and the logger; the bridge carries on unless `fatal`. */
export interface GcsBridgeAnomaly {
  readonly kind:
    | 'unknown-id'
    | 'unexpected-type'
    | 'invalid-json'
    | 'invalid-response'
    | 'oversize'
    | 'corrupt-size'
    | 'truncated'
    | 'listener-error';
  readonly message: string;
  /** The stream cannot be followed past this point: the bridge closed. */
  readonly fatal: boolean;
  readonly type?: number;
  readonly id?: bigint;
  readonly size?: number;
}

/** A parsed response body; `Result` is 0 (failures reject with GuestError). */
export type GcsResponseBody = Readonly<Record<string, unknown>>;

/** A parsed notification body (gcs-bridge.md §3.18), with `ResultInfo` decoded from its string. */
export type GcsNotificationBody = Readonly<Record<string, unknown>>;

/** The events of a {@link GcsBridge}. */
export interface GcsBridgeEvents {
  /** A container notification (`0x30100101`). */
  notification: [GcsNotificationBody];
  anomaly: [GcsBridgeAnomaly];
  /** The connection is gone; every pending call has been rejected with `error`. */
  close: [ConnectionClosedError];
}

/** Options of one call on the bridge. */
export interface GcsCallOptions extends CallOptions {
  /** The container the call is about, for the error message (`ContainerId` of the body). */
  readonly containerId?: string;
}

/** What {@link GcsBridge.negotiate} learned. */
export interface GcsNegotiation {
  /** The protocol version the guest selected: always {@link GCS_PROTOCOL_VERSION}. */
  readonly version: number;
  readonly capabilities: GcsCapabilities;
  /** `RuntimeOsType` read the Go host's way; undefined when it names an OS uvm does not know. */
  readonly os: GcsGuestOs | undefined;
  /** Capability fields that were present but malformed (dropped from `capabilities`). */
  readonly issues: readonly ValidationIssue[];
}

class PendingCall {
  resolve: (body: GcsResponseBody) => void = ignore;
  reject: (error: Error) => void = ignore;
  timer: NodeJS.Timeout | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly procedure: GcsProcedureName,
    readonly containerId: string | undefined,
  ) {}
}

function ignore(): void {
  // A PendingCall's settle functions until its promise provides them.
}

function cleanup(call: PendingCall): void {
  if (call.timer !== undefined) clearTimeout(call.timer);
  if (call.onAbort !== undefined) call.signal?.removeEventListener('abort', call.onAbort);
}

/**
 * The host end of a GCS bridge over any Duplex (gcs-bridge.md §2): 16-byte little-endian framing,
 * one write queue, ids allocated per connection from 0, responses matched by id alone, and
 * notifications routed to subscribers. Whatever the guest sends, nothing escapes the bridge as an
 * exception and memory stays bounded; when the transport goes away, every pending call rejects
 * with a ConnectionClosedError at once.
 *
 * The bridge moves bytes and matches answers; {@link Guest} holds the handshake and the methods.
 */
export class GcsBridge extends EventEmitter<GcsBridgeEvents> implements AsyncDisposable {
  readonly maxMessageSize: number;
  private readonly transport: Duplex;
  private readonly logger: Logger;
  private readonly splitter: GcsFrameSplitter;
  // Ids are numbers here (cheaper than bigints): 2^53 of them outlast any connection.
  private readonly pending = new PendingCalls<PendingCall>();
  private readonly abandoned = new Map<number, GcsProcedureName>();
  private readonly abandonedIdLimit: number;
  // The write queue, as parallel arrays: no object per frame.
  private queuedTypes: number[] = [];
  private queuedIds: number[] = [];
  private queuedBodies: string[] = [];
  private flushScheduled = false;
  private viewBytes: Uint8Array | undefined;
  private view: DataView | undefined;
  private closeError: ConnectionClosedError | undefined;
  private negotiation: GcsNegotiation | undefined;
  private negotiating: Promise<GcsNegotiation> | undefined;
  private readonly closedPromise: Promise<ConnectionClosedError>;
  private resolveClosed!: (error: ConnectionClosedError) => void;

  constructor(transport: Duplex, options: GcsBridgeOptions = {}) {
    super();
    if (!isDuplex(transport)) {
      throw new ValidationError('GcsBridge transport', [{ path: '', message: `must be a Duplex stream (a socket, an hvsock connection); got ${showValue(transport)}.` }]);
    }
    this.transport = transport;
    this.logger = options.logger ?? silentLogger;
    this.maxMessageSize = options.maxMessageSize ?? GCS_DEFAULT_MAX_MESSAGE_SIZE;
    this.splitter = new GcsFrameSplitter({ maxMessageSize: this.maxMessageSize });
    const limit = options.abandonedIdLimit ?? 4096;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new ValidationError('GcsBridge options', [{ path: '/abandonedIdLimit', message: `must be an integer, 0 or more; got ${showValue(limit)}.` }]);
    }
    this.abandonedIdLimit = limit;
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    transport.on('data', this.onData);
    transport.on('end', this.onEnd);
    transport.on('error', this.onTransportError);
    transport.on('close', this.onTransportClose);
    if (transport.destroyed) {
      queueMicrotask(() => {
        this.shutdown(new ConnectionClosedError('The GCS bridge transport was already closed.'));
      });
    }
  }

  /** False once the connection is gone. */
  get connected(): boolean {
    return this.closeError === undefined;
  }

  /** Settles with the error pending calls got, once the connection is gone. */
  get closed(): Promise<ConnectionClosedError> {
    return this.closedPromise;
  }

  /** Calls waiting for their answer. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Bytes of an incomplete incoming message held right now; never more than `maxMessageSize`. */
  get bufferedBytes(): number {
    return this.splitter.bufferedBytes;
  }

  /** The id the next request will carry. */
  get nextRequestId(): bigint {
    return BigInt(this.pending.nextId);
  }

  /** What negotiation learned; undefined until {@link GcsBridge.negotiate} has succeeded. */
  get negotiated(): GcsNegotiation | undefined {
    return this.negotiation;
  }

  /**
   * NegotiateProtocol (gcs-bridge.md §3.4): asks for version 4 exactly and fails with a
   * ProtocolError when the guest selects anything else. Until it succeeds nothing else is sent:
   * calls made meanwhile wait for it, calls made before it reject with a StateError, since a GCS
   * answers every request before negotiation with E_NOTIMPL. Once per connection.
   */
  async negotiate(options: CallOptions = {}): Promise<GcsNegotiation> {
    if (this.negotiation !== undefined || this.negotiating !== undefined) {
      throw new StateError('negotiate', this.negotiation === undefined ? 'negotiating' : 'negotiated', 'The protocol is negotiated once per connection; a GCS answers a second NegotiateProtocol with E_NOTIMPL.');
    }
    const body = { ContainerId: '', ActivityId: NULL_GUID, MinimumVersion: GCS_PROTOCOL_VERSION, MaximumVersion: GCS_PROTOCOL_VERSION };
    const text = toGoJson(body, GcsNegotiateProtocolRequestSchema) + '\n';
    const negotiating = this.send('NegotiateProtocol', text, options).then((response) => {
      const version = response.Version;
      if (version !== GCS_PROTOCOL_VERSION) {
        throw new ProtocolError(`The guest selected bridge protocol version ${showValue(version)}; only version ${GCS_PROTOCOL_VERSION} is spoken. Update the guest image.`);
      }
      const parsed = parseGcsCapabilities(response.Capabilities);
      if (parsed.issues.length > 0) this.logger.warn({ issues: parsed.issues }, 'the guest sent malformed capabilities; the bad fields were dropped');
      return { version, capabilities: parsed.capabilities, os: parsed.os, issues: parsed.issues };
    });
    this.negotiating = negotiating;
    negotiating.catch(() => undefined);
    try {
      this.negotiation = await negotiating;
      return this.negotiation;
    } finally {
      this.negotiating = undefined;
    }
  }

  /**
   * Sends one request whose body `schema` describes: the body is checked against the schema
   * (ValidationError), written in Go's encoding/json shape with its JSON-in-string fields encoded,
   * and the answer's JSON-in-string fields that `responseSchema` marks come back decoded.
   */
  call(procedure: GcsProcedureName, schema: object, body: unknown, options: GcsCallOptions = {}, responseSchema?: object): Promise<GcsResponseBody> {
    let text: string;
    try {
      const checked = validateWith(schema as SchemaOf, body);
      if (!checked.ok) return Promise.reject(new ValidationError(`${procedure} request`, checked.issues));
      text = toGoJson(body, schema) + '\n';
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const answer = this.request(procedure, text, options);
    if (responseSchema === undefined) return answer;
    return answer.then((response) => {
      const decoded = decodeJsonInStringFields(response, responseSchema);
      if (!decoded.ok) {
        const detail = decoded.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        this.report({ kind: 'invalid-response', message: `The guest's answer to ${procedure} has a malformed double-encoded field: ${detail}`, fatal: false });
        throw new ProtocolError(`The guest's answer to ${procedure} has a malformed double-encoded field: ${detail}`);
      }
      return decoded.value as GcsResponseBody;
    });
  }

  /**
   * Sends one request and resolves with the guest's answer once `Result` is 0. A non-zero `Result`
   * rejects with a GuestError (HRESULT, message, error records); the signal or `timeoutMs` fail this
   * call alone; a closed connection rejects with ConnectionClosedError.
   *
   * `body` is the payload as JSON text, exactly as it goes on the wire. Use
   * {@link GcsBridge.negotiate} for NegotiateProtocol.
   */
  request(procedure: GcsProcedureName, body: string, options: GcsCallOptions = {}): Promise<GcsResponseBody> {
    if (procedure === 'NegotiateProtocol') {
      return Promise.reject(new StateError('request', 'negotiation', 'Send NegotiateProtocol with negotiate(): the bridge must know the outcome before it lets other calls through, and a GCS accepts it once.'));
    }
    if (this.negotiation !== undefined) return this.send(procedure, body, options);
    const negotiating = this.negotiating;
    if (negotiating === undefined) {
      return Promise.reject(
        new StateError('request', 'not negotiated', `Negotiate the protocol first (negotiate()): a GCS answers ${procedure} before negotiation with E_NOTIMPL (0x80004001).`),
      );
    }
    return this.afterNegotiation(negotiating, procedure, body, options);
  }

  private async afterNegotiation(negotiating: Promise<GcsNegotiation>, procedure: GcsProcedureName, body: string, options: GcsCallOptions): Promise<GcsResponseBody> {
    const limit = deadline(`GCS ${procedure}`, options.signal, options.timeoutMs);
    try {
      try {
        await raceAbort(negotiating, limit.signal, `GCS ${procedure}`);
      } catch (error) {
        if (limit.signal?.aborted === true) throw error;
        throw new StateError('request', 'not negotiated', `${procedure} was held until negotiation, which failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const { timeoutMs: _timeout, signal: _signal, ...rest } = options;
      return await this.send(procedure, body, limit.signal === undefined ? rest : { ...rest, signal: limit.signal });
    } finally {
      limit.dispose();
    }
  }

  private send(procedure: GcsProcedureName, body: string, options: GcsCallOptions): Promise<GcsResponseBody> {
    const { signal, timeoutMs, containerId } = options;
    if (this.closeError !== undefined) return Promise.reject(this.closeError);
    if (signal?.aborted === true) return Promise.reject(abortReason(signal, `GCS ${procedure}`));
    const type = REQUEST_TYPES.get(procedure);
    if (type === undefined || typeof body !== 'string') {
      const issue = typeof body !== 'string'
        ? { path: '/body', message: `must be the JSON text of the body; got ${showValue(body)}. Use call() to send an object.` }
        : { path: '/procedure', message: `must be a procedure name such as "ModifySettings"; got ${showValue(procedure)}.` };
      return Promise.reject(new ValidationError('GCS request', [issue]));
    }
    if (timeoutMs !== undefined) {
      try {
        checkTimeout(timeoutMs);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (this.pending.nextId > Number.MAX_SAFE_INTEGER) {
      return Promise.reject(new StateError('request', 'ids exhausted', 'This connection has used 2^53 request ids; reconnect to go on.'));
    }
    const call = new PendingCall(procedure, containerId);
    const answer = new Promise<GcsResponseBody>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    const id = this.pending.add(call);
    if (timeoutMs !== undefined || signal !== undefined) this.limit(id, call, timeoutMs, signal);
    this.enqueue(type, id, body);
    return answer;
  }

  /** Arms a call's timeout and abort signal; each gives the call up alone. */
  private limit(id: number, call: PendingCall, timeoutMs: number | undefined, signal: AbortSignal | undefined): void {
    const { procedure } = call;
    if (timeoutMs !== undefined) {
      call.timer = setTimeout(() => {
        this.abandon(id, procedure);
        call.reject(new TimeoutError(`GCS ${procedure}`, timeoutMs));
      }, timeoutMs);
    }
    if (signal !== undefined) {
      call.signal = signal;
      call.onAbort = () => {
        this.abandon(id, procedure);
        call.reject(abortReason(signal, `GCS ${procedure}`));
      };
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
  }

  /**
   * Closes the connection: pending calls reject with a ConnectionClosedError at once, the
   * transport is ended and then destroyed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closeError === undefined) {
      this.shutdown(new ConnectionClosedError('The GCS bridge was closed by the host.'));
    }
    await this.closedPromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private abandon(id: number, procedure: GcsProcedureName): void {
    const call = this.pending.take(id);
    if (call === undefined) return;
    cleanup(call);
    this.abandoned.set(id, procedure);
    if (this.abandoned.size > this.abandonedIdLimit) {
      const oldest = this.abandoned.keys().next();
      if (oldest.done !== true) this.abandoned.delete(oldest.value);
    }
  }

  // One write queue: the frames of a tick are written as one buffer, in call order, so frames never
  // interleave whatever the transport. nextTick runs once the promise continuations of the tick
  // have all run, so calls that follow each other's answers share one write.
  private enqueue(type: number, id: number, body: string): void {
    this.queuedTypes.push(type);
    this.queuedIds.push(id);
    this.queuedBodies.push(body);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const types = this.queuedTypes;
    const ids = this.queuedIds;
    const bodies = this.queuedBodies;
    this.queuedTypes = [];
    this.queuedIds = [];
    this.queuedBodies = [];
    if (this.closeError !== undefined || bodies.length === 0) return;
    // Frames are written in place into one buffer per write (no per-frame allocation or copy);
    // a tick's frames go out as one write unless they pass WRITE_BATCH_BYTES.
    let first = 0;
    let batchBytes = 0;
    const sizes: number[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const size = GCS_HEADER_SIZE + Buffer.byteLength(bodies[i] as string, 'utf8');
      sizes.push(size);
      if (batchBytes > 0 && batchBytes + size > WRITE_BATCH_BYTES) {
        this.writeFrames(types, ids, bodies, sizes, first, i, batchBytes);
        first = i;
        batchBytes = 0;
      }
      batchBytes += size;
    }
    this.writeFrames(types, ids, bodies, sizes, first, bodies.length, batchBytes);
  };

  private writeFrames(types: number[], ids: number[], bodies: string[], sizes: number[], from: number, to: number, bytes: number): void {
    const out = Buffer.allocUnsafe(bytes);
    let offset = 0;
    for (let i = from; i < to; i++) {
      const size = sizes[i] as number;
      const id = ids[i] as number;
      const idLow = id % 0x1_0000_0000;
      writeGcsHeader(out, offset, types[i] as number, size, idLow, (id - idLow) / 0x1_0000_0000);
      out.write(bodies[i] as string, offset + GCS_HEADER_SIZE); // UTF-8
      offset += size;
    }
    this.transport.write(out);
  }

  private readonly onData = (chunk: Buffer | string): void => {
    if (typeof chunk === 'string') {
      this.report({ kind: 'corrupt-size', message: 'The GCS bridge transport delivers text, not bytes; set no encoding on it.', fatal: true });
      this.shutdown(new ConnectionClosedError('The GCS bridge transport delivers text instead of bytes.'));
      return;
    }
    this.splitter.pushTo(chunk, this.sink);
  };

  private readonly sink: GcsFrameSink = {
    frame: (type, idLow, idHigh, bytes, start, end) => {
      this.onFrame(type, idLow, idHigh, bytes, start, end);
    },
    notice: (event) => {
      this.onNotice(event);
    },
  };

  /** A view of the chunk messages are being read from, made once per chunk. */
  private viewOf(bytes: Uint8Array): DataView {
    if (bytes !== this.viewBytes || this.view === undefined) {
      this.viewBytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.view;
  }

  private onNotice(event: Exclude<GcsStreamEvent, { readonly kind: 'frame' }>): void {
    switch (event.kind) {
      case 'oversize': {
        const { header } = event;
        const message = `The guest sent a ${header.size}-byte message (type 0x${hex(header.type)}, id ${header.id}), over the ${event.maxMessageSize}-byte limit; it was skipped. Raise maxMessageSize if the guest legitimately sends more.`;
        this.report({ kind: 'oversize', message, fatal: false, type: header.type, id: header.id, size: header.size });
        if (kindOf(header.type) === GcsMessageKind.response && header.id <= MAX_OWN_ID) this.failCall(Number(header.id), new ProtocolError(message));
        return;
      }
      case 'corrupt': {
        const message = `The guest sent a message header announcing ${event.size} bytes, fewer than the ${GCS_HEADER_SIZE}-byte header; the stream cannot be followed, so the bridge closed.`;
        this.report({ kind: 'corrupt-size', message, fatal: true, size: event.size });
        this.shutdown(new ConnectionClosedError(message, { cause: new ProtocolError(message) }));
        return;
      }
    }
  }

  private onFrame(type: number, idLow: number, idHigh: number, bytes: Uint8Array, start: number, end: number): void {
    const kind = kindOf(type);
    if (kind === GcsMessageKind.response) {
      this.onResponse(type, idLow, idHigh, bytes, start, end);
      return;
    }
    const header = headerOf(type, idLow, idHigh, start, end);
    if (kind === GcsMessageKind.notification && type === GCS_NOTIFICATION_TYPE) {
      this.onNotification(header, bytes, start, end);
      return;
    }
    this.report({
      kind: 'unexpected-type',
      message: `The guest sent a message of type 0x${hex(type)} (id ${header.id}), which a host does not accept; it was dropped.`,
      fatal: false,
      type,
      id: header.id,
      size: header.size,
    });
  }

  private onResponse(type: number, idLow: number, idHigh: number, bytes: Uint8Array, start: number, end: number): void {
    // An id of 2^53 or more is none this bridge sent (-1 matches no call).
    const id = idHigh < 0x20_0000 ? idHigh * 0x1_0000_0000 + idLow : -1;
    const call = this.pending.take(id);
    if (call === undefined) {
      this.onUnmatched(headerOf(type, idLow, idHigh, start, end), id);
      return;
    }
    cleanup(call);
    if (isNullSuccess(this.viewOf(bytes), start, end)) {
      call.resolve({ Result: 0, ActivityId: NULL_GUID });
      return;
    }
    const parsed = parseBody(bytes, start, end);
    if (parsed instanceof Error) {
      const header = headerOf(type, idLow, idHigh, start, end);
      const message = `The guest's answer to ${call.procedure} (id ${header.id}) is not a JSON object: ${parsed.message}`;
      this.report({ kind: 'invalid-json', message, fatal: false, type, id: header.id, size: header.size });
      call.reject(new ProtocolError(message, { cause: parsed }));
      return;
    }
    const result = parsed.Result ?? 0;
    if (typeof result !== 'number' || !Number.isInteger(result) || result < -0x80000000 || result > 0xffffffff) {
      const header = headerOf(type, idLow, idHigh, start, end);
      const message = `The guest's answer to ${call.procedure} (id ${header.id}) has a Result that is not a 32-bit integer: ${JSON.stringify(result)}.`;
      this.report({ kind: 'invalid-response', message, fatal: false, type, id: header.id, size: header.size });
      call.reject(new ProtocolError(message));
      return;
    }
    if (result !== 0) {
      call.reject(
        new GuestError({
          hresult: result,
          operation: call.procedure,
          ...(call.containerId === undefined ? {} : { containerId: call.containerId }),
          ...(typeof parsed.ErrorMessage === 'string' ? { guestMessage: parsed.ErrorMessage } : {}),
          errorRecords: errorRecordsOf(parsed.ErrorRecords),
        }),
      );
      return;
    }
    call.resolve(parsed);
  }

  /** An answer no call waits for: a given-up call's, dropped quietly, or an anomaly. */
  private onUnmatched(header: GcsHeader, id: number): void {
    const abandonedProcedure = this.abandoned.get(id);
    if (abandonedProcedure !== undefined) {
      this.abandoned.delete(id);
      this.logger.debug({ id: header.id.toString(), procedure: abandonedProcedure }, 'GCS answer to a call that timed out or was aborted: dropped');
      return;
    }
    const hint = header.id < BigInt(this.pending.nextId) ? ' (answered already, or from an earlier connection)' : ' (never sent)';
    this.report({
      kind: 'unknown-id',
      message: `The guest answered id ${header.id}, for which no call is waiting${hint}; the answer was dropped.`,
      fatal: false,
      type: header.type,
      id: header.id,
      size: header.size,
    });
  }

  private onNotification(header: GcsHeader, bytes: Uint8Array, start: number, end: number): void {
    const parsed = parseBody(bytes, start, end);
    if (parsed instanceof Error) {
      this.report({
        kind: 'invalid-json',
        message: `The guest sent a container notification that is not a JSON object (${parsed.message}); it was dropped.`,
        fatal: false,
        type: header.type,
        id: header.id,
        size: header.size,
      });
      return;
    }
    let body: GcsNotificationBody = parsed;
    if (typeof parsed.ResultInfo === 'string' && parsed.ResultInfo !== '') {
      try {
        body = { ...parsed, ResultInfo: JSON.parse(parsed.ResultInfo) as unknown };
      } catch {
        this.logger.warn({ containerId: parsed.ContainerId }, 'GCS notification ResultInfo is not JSON: kept as text');
      }
    }
    this.emitSafely('notification', body);
  }

  private failCall(id: number, error: Error): void {
    const call = this.pending.take(id);
    if (call === undefined) return;
    cleanup(call);
    call.reject(error);
  }

  private report(anomaly: GcsBridgeAnomaly): void {
    const fields: Record<string, unknown> = { anomaly: anomaly.kind };
    if (anomaly.type !== undefined) fields.type = `0x${hex(anomaly.type)}`;
    if (anomaly.id !== undefined) fields.id = anomaly.id.toString();
    if (anomaly.size !== undefined) fields.size = anomaly.size;
    (anomaly.fatal ? this.logger.error : this.logger.warn)(fields, anomaly.message);
    this.emitSafely('anomaly', anomaly);
  }

  // A subscriber that throws must not take the bridge (or the process) down with it.
  private emitSafely<K extends keyof GcsBridgeEvents>(event: K, ...args: GcsBridgeEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: GcsBridgeEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      if (event === 'anomaly') {
        this.logger.error({ err: error }, `a GCS bridge ${event} listener threw`);
        return;
      }
      this.report({ kind: 'listener-error', message: `A GCS bridge ${event} listener threw: ${describeError(error)}`, fatal: false });
    }
  }

  private readonly onEnd = (): void => {
    const end = this.splitter.end();
    if (end.truncated) {
      const what = end.header === undefined ? `${end.pendingBytes} bytes of a header` : `${end.pendingBytes} of the ${end.header.size} bytes of a message (type 0x${hex(end.header.type)}, id ${end.header.id})`;
      this.report({ kind: 'truncated', message: `The guest closed the bridge after ${what}.`, fatal: true });
    }
    this.shutdown(new ConnectionClosedError('The guest closed the GCS bridge connection.'));
  };

  private readonly onTransportError = (error: Error): void => {
    this.shutdown(new ConnectionClosedError(`The GCS bridge connection failed: ${error.message}`, { cause: error }));
  };

  private readonly onTransportClose = (): void => {
    this.shutdown(new ConnectionClosedError('The GCS bridge connection closed.'));
  };

  private shutdown(error: ConnectionClosedError): void {
    if (this.closeError !== undefined) return;
    this.closeError = error;
    this.queuedTypes = [];
    this.queuedIds = [];
    this.queuedBodies = [];
    this.viewBytes = undefined;
    this.view = undefined;
    const calls = this.pending.drain();
    this.abandoned.clear();
    for (const call of calls) {
      cleanup(call);
      call.reject(error);
    }
    this.transport.off('data', this.onData);
    // Keep swallowing transport errors: nobody else may be listening and an unhandled 'error' kills the process.
    this.transport.off('error', this.onTransportError);
    this.transport.on('error', () => undefined);
    if (!this.transport.destroyed) {
      this.transport.end();
      this.transport.destroy();
    }
    this.logger.debug({ pending: calls.length }, `GCS bridge closed: ${error.message}`);
    this.resolveClosed(error);
    this.emitSafely('close', error);
  }
}

function isDuplex(value: unknown): value is Duplex {
  if (typeof value !== 'object' || value === null) return false;
  const stream = value as Partial<Duplex>;
  return typeof stream.on === 'function' && typeof stream.write === 'function' && typeof stream.destroy === 'function';
}

const MAX_OWN_ID = BigInt(Number.MAX_SAFE_INTEGER);

/** The request type of each procedure, by name: what send() checks a name against and writes. */
const REQUEST_TYPES: ReadonlyMap<string, number> = new Map(Object.entries(GcsProcedure).map(([name, code]) => [name, gcsRequestType(code)]));


/**
 * Frames of one tick share a write up to this many bytes. A JavaScript string's UTF-8 never reaches
 * the 4 GiB a header's Size can say, so one frame always fits a buffer of its own.
 */
const WRITE_BATCH_BYTES = 1 << 20;

/** The header of a message handed over in place, for reports and errors. */
function headerOf(type: number, idLow: number, idHigh: number, start: number, end: number): GcsHeader {
  return { type, size: end - start + GCS_HEADER_SIZE, id: gcsIdFromHalves(idLow, idHigh) };
}

function kindOf(type: number): number {
  return (type & 0xf0000000) >>> 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

// The answer nearly every successful call gets from a Linux GCS: the response base with Result 0
// and the null ActivityId the host sent (gcs-bridge.md §3.3). Recognised by its bytes, 32 bits at a
// time, and built without JSON.parse; any other payload, however close, takes the general path.
const NULL_SUCCESS = Buffer.from(`{"Result":0,"ActivityId":"${NULL_GUID}"}`, 'latin1');
const NULL_SUCCESS_WORDS = Uint32Array.from({ length: NULL_SUCCESS.length / 4 }, (_, i) => NULL_SUCCESS.readUInt32LE(4 * i));

function isNullSuccess(view: DataView, start: number, end: number): boolean {
  if (end - start !== NULL_SUCCESS.length) return false;
  const words = NULL_SUCCESS_WORDS;
  for (let i = 0; i < words.length; i++) if (view.getUint32(start + 4 * i, true) !== words[i]) return false;
  return true;
}

/** The JSON object in `bytes[start, end)`, or why it is not one. */
function parseBody(bytes: Uint8Array, start: number, end: number): Record<string, unknown> | Error {
  let value: unknown;
  try {
    // Invalid UTF-8 becomes U+FFFD, as Go's encoding/json reads it.
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new Error(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

function errorRecordsOf(value: unknown): GcsErrorRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is GcsErrorRecord => typeof r === 'object' && r !== null && !Array.isArray(r));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

