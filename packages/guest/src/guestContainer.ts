import {
  ConnectionClosedError,
  GcsGetPropertiesRequestSchema,
  GcsGetPropertiesResponseSchema,
  GcsGetPropertiesV2RequestSchema,
  GuestError,
  LcowProcessParametersSchema,
  NULL_GUID,
  ProcessParametersSchema,
  ProtocolError,
  sameHResult,
  type GcsPropertyQueryV1,
  type GuestModificationRequest,
  type LcowProcessParameters,
  type ProcessParameters,
  type Properties,
  type PropertyQuery,
} from '@uvm/types';
import { raceAbort } from './deadline.js';
import type { GcsNotificationBody } from './gcsBridge.js';
import type { GuestProcess } from './guestProcess.js';
import type { GuestRpc } from './guestRpc.js';
import type { CallOptions } from './transport.js';

/** How long graceful and forced shutdowns wait for the guest by default, as the Go host does (§2.8). */
export const CONTAINER_SHUTDOWN_TIMEOUT_MS = 30_000;

const HR_SYSTEM_NOT_FOUND = 0xc037010e;

/** What the container notification said when the container exited (gcs-bridge.md §3.18). */
export interface ContainerExit {
  /** `UnexpectedExit` by default; `GracefulExit`/`ForcedExit` after a shutdown or a signal to init. */
  readonly type: string;
  readonly operation: string;
  /** The notification's HRESULT (0 from the Linux GCS). */
  readonly result: number;
  /** The decoded `ResultInfo`, when the guest sent one. */
  readonly resultInfo?: unknown;
  /** The ActivityId of the Create request. */
  readonly activityId: string | undefined;
}

/** Process parameters of a container process: LCOW's (with `OciProcess`), or HCS's for Windows. */
export type ContainerProcessParameters = LcowProcessParameters | ProcessParameters;

/**
 * A container in the guest (gcs-bridge.md §5.3). Created by `Guest.createContainer()`; the exit
 * notification is routed to it from the moment the Create request goes out.
 */
export class GuestContainer {
  readonly id: string;
  private readonly rpc: GuestRpc;
  private readonly exited: Promise<ContainerExit>;
  private settle!: { resolve: (exit: ContainerExit) => void; reject: (error: Error) => void };
  private exitInfo: ContainerExit | undefined;

  /** @internal */
  constructor(rpc: GuestRpc, id: string) {
    this.rpc = rpc;
    this.id = id;
    this.exited = new Promise<ContainerExit>((resolve, reject) => (this.settle = { resolve, reject }));
    this.exited.catch(() => undefined);
  }

  /** The exit notification, once it came. */
  get exit(): ContainerExit | undefined {
    return this.exitInfo;
  }

  /** Start (a no-op in a Linux guest, where the first `exec` without `OciProcess` starts init). */
  async start(options: CallOptions = {}): Promise<void> {
    await this.rpc.callBase('Start', this.id, options);
  }

  /** ShutdownGraceful (SIGTERM to init in a Linux guest); a container that is already gone counts as done. */
  async shutdown(options: CallOptions = {}): Promise<void> {
    await this.shutdownWith('ShutdownGraceful', options);
  }

  /** ShutdownForced (SIGKILL to init in a Linux guest); a container that is already gone counts as done. */
  async terminate(options: CallOptions = {}): Promise<void> {
    await this.shutdownWith('ShutdownForced', options);
  }

  /** A container-scoped ModifySettings, e.g. `{ ResourceType: 'ContainerConstraints', RequestType: 'Update', Settings: { Linux: {...} } }`. */
  async modify(request: GuestModificationRequest, options: CallOptions = {}): Promise<void> {
    await this.rpc.modify(this.id, request, options);
  }

  /** GetProperties with a V1 query (`Statistics`, `ProcessList`, ...); the answer as the guest wrote it, decoded. */
  async properties(propertyTypes: GcsPropertyQueryV1['PropertyTypes'], options: CallOptions = {}): Promise<Properties> {
    const body = { ContainerId: this.id, ActivityId: NULL_GUID, Query: { PropertyTypes: propertyTypes ?? [] } };
    return this.readProperties(await this.rpc.call('GetProperties', GcsGetPropertiesRequestSchema, body, { ...options, containerId: this.id }, GcsGetPropertiesResponseSchema));
  }

  /** GetProperties with an HCS schema-2 query; a Linux guest adds `LCOWMetrics` for `Statistics`. */
  async propertiesV2(query: PropertyQuery, options: CallOptions = {}): Promise<Properties> {
    const body = { ContainerId: this.id, ActivityId: NULL_GUID, Query: query };
    return this.readProperties(await this.rpc.call('GetProperties', GcsGetPropertiesV2RequestSchema, body, { ...options, containerId: this.id }, GcsGetPropertiesResponseSchema));
  }

  /**
   * Starts a process in the container. In a Linux guest, parameters without `OciProcess` start the
   * container's init process (send `start()` first); with `OciProcess` they exec another one.
   */
  exec(parameters: ContainerProcessParameters, options: CallOptions = {}): Promise<GuestProcess> {
    const schema = this.rpc.os === 'linux' ? LcowProcessParametersSchema : ProcessParametersSchema;
    return this.rpc.startProcess(this.id, parameters, schema, options);
  }

  /**
   * Resolves when the guest sends the container's exit notification; rejects with a
   * ConnectionClosedError when the connection goes first. The signal stops this wait only.
   */
  wait(options: { readonly signal?: AbortSignal } = {}): Promise<ContainerExit> {
    return raceAbort(this.exited, options.signal, `waiting for container ${this.id}`);
  }

  /** @internal Called by the Guest for this container's notification. */
  notify(body: GcsNotificationBody): void {
    const exit: ContainerExit = {
      type: typeof body.Type === 'string' ? body.Type : 'Unknown',
      operation: typeof body.Operation === 'string' ? body.Operation : 'None',
      result: typeof body.Result === 'number' ? body.Result : 0,
      activityId: typeof body.ActivityId === 'string' ? body.ActivityId : undefined,
      ...(body.ResultInfo === undefined ? {} : { resultInfo: body.ResultInfo }),
    };
    this.exitInfo ??= exit;
    this.settle.resolve(exit);
  }

  /** @internal Called by the Guest when the connection is gone. */
  disconnected(error: ConnectionClosedError): void {
    this.settle.reject(error);
  }

  private async shutdownWith(procedure: 'ShutdownGraceful' | 'ShutdownForced', options: CallOptions): Promise<void> {
    try {
      await this.rpc.callBase(procedure, this.id, { ...options, timeoutMs: options.timeoutMs ?? CONTAINER_SHUTDOWN_TIMEOUT_MS });
    } catch (error) {
      // The Go host treats "system not found" as success: the container is already gone.
      if (error instanceof GuestError && sameHResult(error.hresult, HR_SYSTEM_NOT_FOUND)) return;
      throw error;
    }
  }

  private readProperties(response: Readonly<Record<string, unknown>>): Properties {
    const properties = response.Properties;
    if (properties === undefined || properties === null) return {};
    if (typeof properties !== 'object' || Array.isArray(properties)) {
      throw new ProtocolError(`The guest's GetProperties answer for container ${this.id} holds ${JSON.stringify(properties)} where a JSON object was expected.`);
    }
    return properties;
  }
}
