import {
  GCS_INFINITE_WAIT_TIMEOUT_MS,
  GcsExecuteProcessRequestSchema,
  GcsRequestBaseSchema,
  GcsResizeConsoleRequestSchema,
  GcsSignalProcessRequestSchema,
  GcsWaitForProcessRequestSchema,
  GuestError,
  NULL_GUID,
  ProtocolError,
  StateError,
  ValidationError,
  assertWith,
  showValue,
  gcsModifySettingsRequestSchema,
  type GcsCapabilities,
  type GcsGuestOs,
  type GcsProcedureName,
  type GcsSignalProcessOptions,
  type GuestDefinedCapabilities,
  type GuestModificationRequest,
  type Logger,
} from '@uvm/types';
import { deadline, raceAbort } from './deadline.js';
import type { GcsBridge, GcsCallOptions, GcsResponseBody } from './gcsBridge.js';
import { GuestProcess } from './guestProcess.js';
import { StdioChannels } from './stdioChannels.js';
import type { CallOptions, StdioListenerFactory } from './transport.js';

/** The schema type the validators take (kept out of this package's dependencies). */
type SchemaOf = Parameters<typeof assertWith>[0];

/** The first stdio relay port the host hands out (gcs-bridge.md §1.1). */
export const FIRST_STDIO_PORT = 0x40000001;

/** ERROR_NOT_FOUND: the process is gone, or its exit code was already collected. */
const HR_NOT_FOUND = 0x80070490;

/**
 * What the guest-side objects share on one connection: the bridge, the guest's OS and
 * capabilities, and the stdio port counter. Internal: {@link Guest}, {@link GuestContainer} and
 * {@link GuestProcess} are its public faces.
 */
export class GuestRpc {
  private nextPort: number;

  constructor(
    readonly bridge: GcsBridge,
    readonly os: GcsGuestOs,
    readonly capabilities: GcsCapabilities,
    readonly logger: Logger,
    private readonly stdioListener: StdioListenerFactory | undefined,
    firstStdioPort: number,
  ) {
    this.nextPort = firstStdioPort;
  }

  get guestCapabilities(): GuestDefinedCapabilities {
    return this.capabilities.GuestDefinedCapabilities ?? {};
  }

  /** Sends one request whose body `schema` describes; the answer's JSON-in-string fields come back decoded. */
  call(procedure: GcsProcedureName, schema: object, body: unknown, options: GcsCallOptions, responseSchema?: object): Promise<GcsResponseBody> {
    return this.bridge.call(procedure, schema, body, options, responseSchema);
  }

  /** A request that is only the base: Start, Shutdown*, DumpStacks, DeleteContainerState. */
  callBase(procedure: GcsProcedureName, containerId: string, options: CallOptions, responseSchema?: object): Promise<GcsResponseBody> {
    return this.call(procedure, GcsRequestBaseSchema, { ContainerId: containerId, ActivityId: NULL_GUID }, { ...options, containerId }, responseSchema);
  }

  /**
   * ModifySettings (gcs-bridge.md §3.13): checks the settings against the schema this guest's OS
   * takes for the resource, then sends the envelope.
   */
  modify(containerId: string, request: GuestModificationRequest, options: CallOptions): Promise<void> {
    if (typeof request !== 'object' || (request as unknown) === null) {
      return Promise.reject(new ValidationError('guest modification', [{ path: '', message: `must be a modification request object ({ RequestType, ResourceType, Settings }); got ${showValue(request)}.` }]));
    }
    const resourceType = request.ResourceType ?? '';
    const bodySchema = gcsModifySettingsRequestSchema(resourceType, this.os);
    if (bodySchema === undefined) {
      return Promise.reject(
        new ValidationError('guest modification', [
          { path: '/ResourceType', message: `${JSON.stringify(resourceType)} is not a resource a ${osName(this.os)} guest handles (gcs-bridge.md §4.2).` },
        ]),
      );
    }
    const body = { ContainerId: containerId, ActivityId: NULL_GUID, Request: request };
    // Not async: the answer's body is dropped with one reaction instead of an async function's two.
    return this.call('ModifySettings', bodySchema, body, { ...options, containerId }).then(toUndefined);
  }

  /** Throws a StateError when the guest did not advertise the capability a call needs. */
  require(flag: keyof GuestDefinedCapabilities, operation: string): void {
    if (this.guestCapabilities[flag] !== true) {
      throw new StateError(operation, 'unsupported', `${operation} needs a guest that advertises ${flag}; this ${osName(this.os)} guest does not.`);
    }
  }

  /** Throws a StateError when the method belongs to the other OS. */
  requireOs(os: GcsGuestOs, operation: string): void {
    if (this.os !== os) {
      throw new StateError(operation, this.os, `${operation} is for ${osName(os)} guests; this guest runs ${osName(this.os)}.`);
    }
  }

  /**
   * ExecuteProcess with its stdio relays and the infinite WaitForProcess that follows it (§5.4).
   * The listeners are bound first and accept while the request is out; a call that is aborted
   * after the request went out still reaps the process the guest starts.
   */
  async startProcess(containerId: string, parameters: object, parametersSchema: object, options: CallOptions): Promise<GuestProcess> {
    const params = assertWith(parametersSchema as SchemaOf, parameters, 'process parameters') as Record<string, unknown>;
    const wanted = { stdin: params.CreateStdInPipe === true, stdout: params.CreateStdOutPipe === true, stderr: params.CreateStdErrPipe === true };
    const limit = deadline('ExecuteProcess', options.signal, options.timeoutMs);
    let channels: StdioChannels | undefined;
    let pid: number | undefined;
    try {
      channels = await StdioChannels.listen(wanted, this.stdioListener, () => this.allocatePort(), this.logger, limit.signal);
      const relay = channels.channels;
      const settings: Record<string, unknown> = { ProcessParameters: params };
      if (this.os === 'linux') {
        settings.VsockStdioRelaySettings = definedOnly({ StdIn: relay.stdin?.port, StdOut: relay.stdout?.port, StdErr: relay.stderr?.port });
      } else {
        settings.StdioRelaySettings = definedOnly({ StdIn: relay.stdin?.serviceId, StdOut: relay.stdout?.serviceId, StdErr: relay.stderr?.serviceId });
      }
      const body = { ContainerId: containerId, ActivityId: NULL_GUID, Settings: settings };
      // ExecuteProcess is never abandoned: a guest that starts the process after we gave up would leak it.
      const executing = this.call('ExecuteProcess', GcsExecuteProcessRequestSchema, body, { containerId });
      let response: GcsResponseBody;
      try {
        response = await raceAbort(executing, limit.signal, 'ExecuteProcess');
      } catch (error) {
        void executing.then(
          (late) => {
            this.reap(containerId, late);
          },
          () => undefined,
        );
        throw error;
      }
      pid = readUint32(response.ProcessId, 'ProcessId', 'ExecuteProcess');
      const exit = this.waitForExit(containerId, pid);
      const streams = await channels.connected(limit.signal);
      return new GuestProcess({ rpc: this, containerId, pid, streams, exit, close: () => channels?.close() ?? Promise.resolve() });
    } catch (error) {
      await channels?.close();
      if (pid !== undefined) void this.killQuietly(containerId, pid);
      throw error;
    } finally {
      limit.dispose();
    }
  }

  /** The exit code from the outstanding infinite WaitForProcess; -1 when the guest no longer knows the process. */
  waitForExit(containerId: string, pid: number): Promise<number> {
    const body = { ContainerId: containerId, ActivityId: NULL_GUID, ProcessId: pid, TimeoutInMs: GCS_INFINITE_WAIT_TIMEOUT_MS };
    const exit = this.call('WaitForProcess', GcsWaitForProcessRequestSchema, body, { containerId }).then(
      (response) => readUint32(response.ExitCode ?? 0, 'ExitCode', 'WaitForProcess'),
      (error: unknown) => {
        if (error instanceof GuestError && error.hresult === HR_NOT_FOUND) return -1;
        throw error;
      },
    );
    // Nobody may ever ask for the exit code; its failure must not surface as an unhandled rejection.
    exit.catch(() => undefined);
    return exit;
  }

  /** SignalProcess; false when the guest says the process is gone (0x80070490). */
  async signalProcess(containerId: string, pid: number, signalOptions: GcsSignalProcessOptions | undefined, options: CallOptions): Promise<boolean> {
    const body = signalOptions === undefined
      ? { ContainerId: containerId, ActivityId: NULL_GUID, ProcessId: pid }
      : { ContainerId: containerId, ActivityId: NULL_GUID, ProcessId: pid, Options: signalOptions };
    try {
      await this.call('SignalProcess', GcsSignalProcessRequestSchema, body, { ...options, containerId });
      return true;
    } catch (error) {
      if (error instanceof GuestError && error.hresult === HR_NOT_FOUND) return false;
      throw error;
    }
  }

  async resizeConsole(containerId: string, pid: number, width: number, height: number, options: CallOptions): Promise<void> {
    const body = { ContainerId: containerId, ActivityId: NULL_GUID, ProcessId: pid, Height: height, Width: width };
    await this.call('ResizeConsole', GcsResizeConsoleRequestSchema, body, { ...options, containerId });
  }

  private allocatePort(): number {
    const port = this.nextPort;
    if (port > 0xffffffff) {
      throw new StateError('ExecuteProcess', 'ports exhausted', 'Every vsock port above 0x40000000 has been handed out on this connection; reconnect to start over.');
    }
    this.nextPort++;
    return port;
  }

  private reap(containerId: string, response: GcsResponseBody): void {
    const pid = response.ProcessId;
    if (typeof pid !== 'number') return;
    this.logger.warn({ containerId, pid }, 'ExecuteProcess answered after the caller gave up: killing the process');
    void this.killQuietly(containerId, pid);
    void this.waitForExit(containerId, pid);
  }

  private async killQuietly(containerId: string, pid: number): Promise<void> {
    try {
      await this.signalProcess(containerId, pid, undefined, {});
    } catch (error) {
      this.logger.debug({ err: error, containerId, pid }, 'could not kill an abandoned process');
    }
  }
}

/** Validates a uint32 the guest sent; a hostile value becomes a ProtocolError, never a wrong number. */
export function readUint32(value: unknown, field: string, procedure: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw new ProtocolError(`The guest's ${procedure} answer has ${field} = ${showValue(value)}, not an unsigned 32-bit integer.`);
}

export function osName(os: GcsGuestOs): string {
  return os === 'linux' ? 'Linux' : 'Windows';
}

export function checkContainerId(containerId: unknown, operation: string): string {
  if (typeof containerId !== 'string' || containerId === '' || containerId === NULL_GUID) {
    throw new ValidationError(operation, [
      { path: '/containerId', message: `must be a non-empty container id other than the null GUID (which names the UVM itself); got ${showValue(containerId)}.` },
    ]);
  }
  return containerId;
}


function toUndefined(): undefined {
  return undefined;
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
