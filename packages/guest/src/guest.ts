import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  CwcowHostedSystemSchema,
  GcsCreateRequestSchema,
  GcsDumpStacksResponseSchema,
  GcsUvmConfigSchema,
  HostedSystemSchema,
  LcowContainerConfigSchema,
  NULL_GUID,
  ProcessParametersSchema,
  ProtocolError,
  StateError,
  ValidationError,
  HV_VM_ID,
  assertWith,
  childLogger,
  encodeJsonInString,
  isGuid,
  showValue,
  silentLogger,
  type ConfidentialOptions,
  type ConnectionClosedError,
  type CwcowBlockCimMounts,
  type CwcowCombinedLayers,
  type CwcowHostedSystem,
  type GcsCapabilities,
  type GcsGuestOs,
  type GuestDefinedCapabilities,
  type GuestModificationRequest,
  type GuestRequestType,
  type HostComputeNamespace,
  type HostedSystem,
  type HvSocketAddress,
  type LcowCombinedLayers,
  type LcowContainerConfig,
  type LcowMappedDirectory,
  type LcowMappedVirtualDisk,
  type LcowMappedVpciDevice,
  type LcowMappedVpmemDevice,
  type LcowNetworkAdapter,
  type Logger,
  type MappedDirectory,
  type ProcessParameters,
  type ScsiDevice,
  type SecurityPolicyFragment,
  type TimeZoneInformation,
  type WcowCombinedLayers,
  type WcowMappedVirtualDisk,
  type WcowNetworkModifyRequest,
} from '@uvm/types';
import { deadline, raceAbort } from './deadline.js';
import { GcsBridge, type GcsNotificationBody } from './gcsBridge.js';
import { GuestContainer } from './guestContainer.js';
import type { GuestProcess } from './guestProcess.js';
import { FIRST_STDIO_PORT, GuestRpc, checkContainerId, osName } from './guestRpc.js';
import { isDuplexListener, type CallOptions, type DuplexListener, type StdioListenerFactory } from './transport.js';

/** The guest OS: `linux` (LCOW) or `windows` (WCOW). */
export type GuestOs = GcsGuestOs;

/** Options of {@link Guest.connect}. */
export interface GuestConnectOptions<O extends GuestOs = GuestOs> extends CallOptions {
  /** The OS the guest must report; connect fails with a ProtocolError when it reports another. */
  readonly os: O;
  readonly logger?: Logger;
  /** Largest message accepted from the guest, header included (default 8 MiB). */
  readonly maxMessageSize?: number;
  /** Binds the listener for each process stdio relay; needed to exec with pipes. */
  readonly stdioListener?: StdioListenerFactory;
  /** The first stdio relay port (default `0x40000001`); a migrated connection continues the old count. */
  readonly firstStdioPort?: number;
  /**
   * Whether this is the UVM's first connection (default true). Only then does a Windows guest that
   * asks for them get the UVM Create and Start messages; a reconnect must not resend them.
   */
  readonly coldStart?: boolean;
  /** Windows guests: the UVM's runtime id, sent as the HvSocket `LocalAddress` after the handshake. Required for Windows. */
  readonly runtimeId?: string;
  /** Windows cold start: the time zone in the UVM Create message; null (the default) sends none. */
  readonly timeZone?: TimeZoneInformation | null;
  /** A confidential UVM's policy, set right after the handshake (§5.2 step 7). */
  readonly securityPolicy?: ConfidentialOptions;
}

/** The events of a {@link Guest}. */
export interface GuestEvents {
  /** The connection is gone; every pending call and wait has settled with `error`. */
  disconnect: [ConnectionClosedError];
}

type ByOs<O extends GuestOs, L, W> = [O] extends ['linux'] ? L : [O] extends ['windows'] ? W : L | W;

/** `MappedVirtualDisk` settings: LCOW or WCOW. */
export type MappedVirtualDiskSettings<O extends GuestOs> = ByOs<O, LcowMappedVirtualDisk, WcowMappedVirtualDisk>;
/** `MappedDirectory` settings: a Plan 9 share for LCOW, an HCS MappedDirectory for WCOW. */
export type MappedDirectorySettings<O extends GuestOs> = ByOs<O, LcowMappedDirectory, MappedDirectory>;
/** `CombinedLayers` settings. */
export type CombinedLayersSettings<O extends GuestOs> = ByOs<O, LcowCombinedLayers, WcowCombinedLayers>;
/** `Network` settings: an LCOW adapter, or a WCOW NetworkModifyRequest (inner `RequestType` PreAdd/Add/Remove). */
export type NetworkInterfaceSettings<O extends GuestOs> = ByOs<O, LcowNetworkAdapter, WcowNetworkModifyRequest>;
/** `ContainerConfig` of Create: LCOW settings, a WCOW hosted system, or a confidential WCOW one. */
export type ContainerConfig<O extends GuestOs> = ByOs<O, LcowContainerConfig, HostedSystem | CwcowHostedSystem>;

/**
 * A connected guest: the GCS bridge after the handshake of gcs-bridge.md §5.2, and every guest-side
 * action of §5.3. Linux-only methods take `this: Guest<'linux'>`, Windows-only ones
 * `this: Guest<'windows'>`, so the compiler rejects the wrong OS; at run time the wrong OS is a
 * StateError.
 */
export class Guest<O extends GuestOs = GuestOs> extends EventEmitter<GuestEvents> implements AsyncDisposable {
  readonly os: O;
  /** The bridge under this guest, for raw calls. */
  readonly bridge: GcsBridge;
  private readonly rpc: GuestRpc;
  private readonly containers = new Map<string, GuestContainer>();

  private constructor(rpc: GuestRpc) {
    super();
    this.rpc = rpc;
    this.os = rpc.os as O;
    this.bridge = rpc.bridge;
    rpc.bridge.on('notification', this.onNotification);
    rpc.bridge.on('close', this.onClose);
  }

  /**
   * Connects to the GCS: accepts one connection when given a listener (and closes the listener),
   * negotiates protocol version 4, checks the OS, and for a Windows guest sends the UVM
   * Create/Start the guest asks for and the HvSocket address update. `signal` and `timeoutMs`
   * bound the whole handshake; on failure the connection is closed.
   */
  static async connect<O extends GuestOs>(transport: Duplex | DuplexListener, options: GuestConnectOptions<O>): Promise<Guest<O>> {
    const issues = connectIssues(options);
    if (issues.length > 0) throw new ValidationError('Guest.connect options', issues);
    if (!isDuplexListener(transport) && (typeof transport !== 'object' || (transport as unknown) === null || typeof transport.write !== 'function')) {
      throw new ValidationError('Guest.connect transport', [{ path: '', message: `must be a Duplex or a listener with accept() and close(); got ${showValue(transport)}.` }]);
    }
    const logger = childLogger(options.logger ?? silentLogger, { component: 'guest' });
    const limit = deadline('Guest.connect', options.signal, options.timeoutMs);
    let bridge: GcsBridge | undefined;
    try {
      const duplex = isDuplexListener(transport) ? await acceptOnce(transport, limit.signal) : transport;
      bridge = new GcsBridge(duplex, { logger, ...(options.maxMessageSize === undefined ? {} : { maxMessageSize: options.maxMessageSize }) });
      const callOptions = limit.signal === undefined ? {} : { signal: limit.signal };
      const negotiated = await bridge.negotiate(callOptions);
      if (negotiated.os !== options.os) {
        throw new ProtocolError(
          `The guest reports RuntimeOsType ${JSON.stringify(negotiated.capabilities.RuntimeOsType ?? '')} (${negotiated.os === undefined ? 'an unknown OS' : osName(negotiated.os)}), but Guest.connect was told os "${options.os}".`,
        );
      }
      const rpc = new GuestRpc(bridge, options.os, negotiated.capabilities, logger, options.stdioListener, options.firstStdioPort ?? FIRST_STDIO_PORT);
      const guest = new Guest<O>(rpc);
      await guest.handshake(options, callOptions);
      return guest;
    } catch (error) {
      await bridge?.close();
      throw error;
    } finally {
      limit.dispose();
    }
  }

  /** True until the connection is lost or closed. */
  get connected(): boolean {
    return this.bridge.connected;
  }

  /** What the guest said it can do. */
  get capabilities(): GcsCapabilities {
    return this.rpc.capabilities;
  }

  /** The OS-specific flags of the capabilities (`SignalProcessSupported`, ...); absent flags are false. */
  get guestCapabilities(): GuestDefinedCapabilities {
    return this.rpc.guestCapabilities;
  }

  /** Narrows the type for Linux-only methods. */
  isLinux(): this is Guest<'linux'> {
    return this.os === 'linux';
  }

  /** Narrows the type for Windows-only methods. */
  isWindows(): this is Guest<'windows'> {
    return this.os === 'windows';
  }

  // --- Storage ---

  /** Mounts (LCOW) or maps (WCOW) a SCSI disk the host attached. */
  addMappedVirtualDisk(settings: MappedVirtualDiskSettings<O>, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'MappedVirtualDisk', settings, options);
  }

  removeMappedVirtualDisk(settings: MappedVirtualDiskSettings<O>, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'MappedVirtualDisk', settings, options);
  }

  /** Confidential WCOW: a container scratch disk, which the sidecar formats before mapping. */
  addMappedVirtualDiskForContainerScratch(this: Guest<'windows'>, settings: WcowMappedVirtualDisk, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'MappedVirtualDiskForContainerScratch', settings, options, 'addMappedVirtualDiskForContainerScratch', 'windows');
  }

  /** Unplugs a SCSI disk inside the guest before the host removes it. */
  removeScsiDevice(this: Guest<'linux'>, settings: ScsiDevice, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'SCSIDevice', settings, options, 'removeScsiDevice', 'linux');
  }

  /** Mounts a Plan 9 share (LCOW) or maps a directory (WCOW). */
  addMappedDirectory(settings: MappedDirectorySettings<O>, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'MappedDirectory', settings, options);
  }

  removeMappedDirectory(this: Guest<'linux'>, settings: LcowMappedDirectory, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'MappedDirectory', settings, options, 'removeMappedDirectory', 'linux');
  }

  /** Waits in the guest for an assigned PCI device to appear. */
  addVpciDevice(this: Guest<'linux'>, settings: LcowMappedVpciDevice, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'VPCIDevice', settings, options, 'addVpciDevice', 'linux');
  }

  /** Mounts a VPMem device (`/dev/pmem<N>`), or a layer inside one. */
  addVpmemDevice(this: Guest<'linux'>, settings: LcowMappedVpmemDevice, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'VPMemDevice', settings, options, 'addVpmemDevice', 'linux');
  }

  removeVpmemDevice(this: Guest<'linux'>, settings: LcowMappedVpmemDevice, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'VPMemDevice', settings, options, 'removeVpmemDevice', 'linux');
  }

  /** Combines layers into a container root file system (overlayfs in LCOW). */
  addCombinedLayers(settings: CombinedLayersSettings<O>, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'CombinedLayers', settings, options);
  }

  removeCombinedLayers(settings: CombinedLayersSettings<O>, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'CombinedLayers', settings, options);
  }

  /** Confidential WCOW layers; the sidecar turns them into CombinedLayers. */
  addConfidentialCombinedLayers(this: Guest<'windows'>, settings: CwcowCombinedLayers, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'CWCOWCombinedLayers', settings, options, 'addConfidentialCombinedLayers', 'windows');
  }

  removeConfidentialCombinedLayers(this: Guest<'windows'>, settings: CwcowCombinedLayers, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'CWCOWCombinedLayers', settings, options, 'removeConfidentialCombinedLayers', 'windows');
  }

  /** Mounts block CIMs (merged CIM first, then layer n … 1). */
  addBlockCims(this: Guest<'windows'>, settings: CwcowBlockCimMounts, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'WCOWBlockCims', settings, options, 'addBlockCims', 'windows');
  }

  removeBlockCims(this: Guest<'windows'>, settings: CwcowBlockCimMounts, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'WCOWBlockCims', settings, options, 'removeBlockCims', 'windows');
  }

  // --- Network ---

  /**
   * LCOW: configures a NIC in its namespace (needs `NamespaceAddRequestSupported`). WCOW: the
   * envelope is Add and the inner `RequestType` says the step: `PreAdd` with the HCN endpoint
   * before the host hot-adds the NIC, `Add` after it.
   */
  async addNetworkInterface(settings: NetworkInterfaceSettings<O>, options: CallOptions = {}): Promise<void> {
    if (this.rpc.os === 'linux') this.rpc.require('NamespaceAddRequestSupported', 'addNetworkInterface');
    else checkInnerRequestType(settings as WcowNetworkModifyRequest, ['PreAdd', 'Add'], 'addNetworkInterface');
    await this.modify('Add', 'Network', settings, options);
  }

  /** LCOW: needs `NamespaceAddRequestSupported`. WCOW: the inner `RequestType` must be `Remove`. */
  async removeNetworkInterface(settings: NetworkInterfaceSettings<O>, options: CallOptions = {}): Promise<void> {
    if (this.rpc.os === 'linux') this.rpc.require('NamespaceAddRequestSupported', 'removeNetworkInterface');
    else checkInnerRequestType(settings as WcowNetworkModifyRequest, ['Remove'], 'removeNetworkInterface');
    await this.modify('Remove', 'Network', settings, options);
  }

  addNetworkNamespace(this: Guest<'windows'>, settings: HostComputeNamespace, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'NetworkNamespace', settings, options, 'addNetworkNamespace', 'windows');
  }

  removeNetworkNamespace(this: Guest<'windows'>, settings: HostComputeNamespace, options: CallOptions = {}): Promise<void> {
    return this.modify('Remove', 'NetworkNamespace', settings, options, 'removeNetworkNamespace', 'windows');
  }

  /** Tells a Windows guest its hvsock addresses (connect sends it once with the runtime id). */
  updateHvSocketAddress(this: Guest<'windows'>, settings: HvSocketAddress, options: CallOptions = {}): Promise<void> {
    return this.modify('Update', 'HvSocket', settings, options, 'updateHvSocketAddress', 'windows');
  }

  // --- Resources and policy ---

  /** Makes the Linux GCS recompute the `/pods` cgroup memory limit, after a memory resize. */
  async updateCgroupMemoryLimits(this: Guest<'linux'>, options: CallOptions = {}): Promise<void> {
    this.rpc.requireOs('linux', 'updateCgroupMemoryLimits');
    await this.rpc.modify(NULL_GUID, { RequestType: 'Update', ResourceType: 'PodCgroupMemoryLimit' }, options);
  }

  /** Sets the security policy of a confidential UVM. */
  addSecurityPolicy(settings: ConfidentialOptions, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'SecurityPolicy', settings, options);
  }

  /** Adds a signed policy fragment. */
  injectPolicyFragment(settings: SecurityPolicyFragment, options: CallOptions = {}): Promise<void> {
    return this.modify('Add', 'SecurityPolicyFragment', settings, options);
  }

  /**
   * Any UVM-wide ModifySettings: the settings are checked against the schema this guest's OS takes
   * for the resource. The named methods above are this with the request filled in.
   */
  async modifySettings(request: GuestModificationRequest, options: CallOptions = {}): Promise<void> {
    await this.rpc.modify(NULL_GUID, request, options);
  }

  // --- Diagnostics ---

  /** The stacks of every GCS goroutine (Linux) as text; can exceed 64 KiB. */
  async dumpStacks(options: CallOptions = {}): Promise<string> {
    const response = await this.rpc.callBase('DumpStacks', NULL_GUID, options, GcsDumpStacksResponseSchema);
    const stacks = response.GuestStacks ?? '';
    if (typeof stacks !== 'string') throw new ProtocolError(`The guest's DumpStacks answer has GuestStacks = ${JSON.stringify(stacks)}, not text.`);
    return stacks;
  }

  // --- Containers and processes ---

  /**
   * Creates a container (Create with the config double-encoded). The exit notification is listened
   * for before the request goes out, so `container.wait()` never misses it.
   */
  async createContainer(containerId: string, config: ContainerConfig<O>, options: CallOptions = {}): Promise<GuestContainer> {
    const id = checkContainerId(containerId, 'createContainer');
    if (this.containers.has(id)) {
      throw new StateError('createContainer', 'exists', `A container "${id}" was already created on this connection; pick another id.`);
    }
    const schema = this.os === 'linux' ? LcowContainerConfigSchema : isRecord(config) && 'CWCOWHostedSystem' in config ? CwcowHostedSystemSchema : HostedSystemSchema;
    assertWith(schema, config, 'container config');
    const container = new GuestContainer(this.rpc, id);
    this.containers.set(id, container);
    try {
      const body = { ContainerId: id, ActivityId: NULL_GUID, ContainerConfig: encodeJsonInString(config, schema) };
      await this.rpc.call('Create', GcsCreateRequestSchema, body, { ...options, containerId: id });
      return container;
    } catch (error) {
      this.containers.delete(id);
      throw error;
    }
  }

  /** Removes a container's state in the guest (needs `DeleteContainerStateSupported`). */
  async deleteContainerState(containerId: string, options: CallOptions = {}): Promise<void> {
    const id = checkContainerId(containerId, 'deleteContainerState');
    this.rpc.require('DeleteContainerStateSupported', 'deleteContainerState');
    await this.rpc.callBase('DeleteContainerState', id, options);
    this.containers.delete(id);
  }

  /**
   * Runs a process in the UVM itself (gcs-bridge.md §5.4): a listener is bound for each
   * `CreateStd*Pipe`, ExecuteProcess is sent with the null container id, and the infinite
   * WaitForProcess follows at once.
   */
  execInUvm(parameters: ProcessParameters, options: CallOptions = {}): Promise<GuestProcess> {
    return this.rpc.startProcess(NULL_GUID, parameters, ProcessParametersSchema, options);
  }

  /** Closes the connection; pending calls and waits reject with a ConnectionClosedError. */
  async close(): Promise<void> {
    await this.bridge.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async handshake(options: GuestConnectOptions<O>, callOptions: CallOptions): Promise<void> {
    const caps = this.rpc.capabilities;
    if (this.os === 'windows') {
      if (options.coldStart !== false && caps.SendHostCreateMessage === true) {
        const config = { SystemType: 'Container' as const, TimeZoneInformation: options.timeZone ?? undefined };
        const body = { ContainerId: NULL_GUID, ActivityId: NULL_GUID, ContainerConfig: encodeJsonInString(config, GcsUvmConfigSchema) };
        await this.rpc.call('Create', GcsCreateRequestSchema, body, { ...callOptions, containerId: NULL_GUID });
        if (caps.SendHostStartMessage === true) await this.rpc.callBase('Start', NULL_GUID, callOptions);
      }
      const address: HvSocketAddress = { LocalAddress: (options.runtimeId ?? '').toLowerCase(), ParentAddress: HV_VM_ID.windowsGcsHost };
      await this.rpc.modify(NULL_GUID, { RequestType: 'Update', ResourceType: 'HvSocket', Settings: address }, callOptions);
    }
    if (options.securityPolicy !== undefined) {
      await this.rpc.modify(NULL_GUID, { RequestType: 'Add', ResourceType: 'SecurityPolicy', Settings: options.securityPolicy }, callOptions);
    }
  }

  /** The UVM-wide ModifySettings behind the named methods; `os` names the OS an OS-only method needs. */
  private modify(
    requestType: GuestRequestType,
    resourceType: GuestModificationRequest['ResourceType'],
    settings: unknown,
    options: CallOptions,
    operation?: string,
    os?: GuestOs,
  ): Promise<void> {
    if (operation !== undefined && os !== undefined && this.rpc.os !== os) {
      return Promise.reject(new StateError(operation, this.rpc.os, `${operation} is for ${osName(os)} guests; this guest runs ${osName(this.rpc.os)}.`));
    }
    if (!isRecord(settings)) {
      return Promise.reject(new ValidationError(`${resourceType ?? 'resource'} settings`, [{ path: '/settings', message: `must be the ${resourceType ?? ''} settings object; got ${showValue(settings)}.` }]));
    }
    return this.rpc.modify(NULL_GUID, { RequestType: requestType, ResourceType: resourceType, Settings: settings } as GuestModificationRequest, options);
  }

  private readonly onNotification = (body: GcsNotificationBody): void => {
    const id = body.ContainerId;
    const container = typeof id === 'string' ? this.containers.get(id) : undefined;
    if (container === undefined) {
      // §7 item 12: a notification for a container we do not track is logged, not fatal.
      this.rpc.logger.warn({ containerId: id, type: body.Type }, 'GCS notification for a container this connection does not track: ignored');
      return;
    }
    container.notify(body);
  };

  private readonly onClose = (error: ConnectionClosedError): void => {
    for (const container of this.containers.values()) container.disconnected(error);
    try {
      this.emit('disconnect', error);
    } catch (listenerError) {
      this.rpc.logger.error({ err: listenerError }, 'a Guest disconnect listener threw');
    }
  };
}

async function acceptOnce(listener: DuplexListener, signal: AbortSignal | undefined): Promise<Duplex> {
  try {
    return await raceAbort(listener.accept(signal === undefined ? {} : { signal }), signal, 'accepting the GCS connection');
  } finally {
    // One bridge per listener, as the Go host does: a later GCS dial is not ours to take.
    await listener.close().catch(() => undefined);
  }
}

function connectIssues(options: GuestConnectOptions): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (typeof options !== 'object' || (options as unknown) === null) return [{ path: '', message: 'options must be an object with at least { os }.' }];
  const os: unknown = options.os;
  if (os !== 'linux' && os !== 'windows') {
    issues.push({ path: '/os', message: `must be "linux" or "windows"; got ${showValue(os)}.` });
  }
  if (options.os === 'windows' && !isGuid(options.runtimeId)) {
    issues.push({
      path: '/runtimeId',
      message: `a Windows guest needs the UVM's runtime id (a GUID) for the HvSocket address update after the handshake; got ${showValue(options.runtimeId)}.`,
    });
  }
  const port = options.firstStdioPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 0xffffffff)) {
    issues.push({ path: '/firstStdioPort', message: `must be a vsock port from 1 to 4294967295; got ${String(port)}.` });
  }
  return issues;
}

function checkInnerRequestType(settings: WcowNetworkModifyRequest, allowed: readonly string[], operation: string): void {
  const inner: unknown = isRecord(settings) ? settings.RequestType : undefined;
  if (typeof inner !== 'string' || !allowed.includes(inner)) {
    throw new ValidationError(operation, [
      { path: '/RequestType', message: `the inner RequestType of a Windows network request for ${operation} must be ${allowed.join(' or ')}; got ${showValue(inner)}.` },
    ]);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
