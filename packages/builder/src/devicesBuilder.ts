import {
  HVSOCK_SECURITY_DESCRIPTOR,
  isGuid,
  PLAN9_PORT,
  Plan9ShareFlags,
  SCSI_CONTROLLER_GUIDS,
  SCSI_LUNS_PER_CONTROLLER,
  showValue,
  WindowsBuild,
  type Attachment,
  type ComPort,
  type Devices,
  type HvSocketServiceConfig,
  type InterruptModerationName,
  type NetworkAdapter,
  type Plan9Share,
  type RdpConnectionOptions,
  type Scsi,
  type VirtualPciDevice,
  type VirtualPMemDevice,
  type VirtualPMemImageFormat,
  type VirtualSmbShare,
  type VirtualSmbShareOptions,
} from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import { DocPath } from './documentPaths.js';
import { lowerGuid } from './guidText.js';
import type { IssueList } from './issueList.js';
import { jsonPointer } from './jsonPointer.js';
import { isInteger, isList, withoutUndefined } from './values.js';

/** A disk on a SCSI controller. */
export interface ScsiDiskOptions {
  /** Controller index 0–3 (added with `addScsiController`). */
  readonly controller: number;
  /** 0–63. */
  readonly lun: number;
  /** Host path: a VHD/VHDX for `VirtualDisk`, a physical disk for `PassThru`, provider-defined for `ExtensibleVirtualDisk`. */
  readonly path: string;
  /** Default `VirtualDisk`. */
  readonly type?: 'VirtualDisk' | 'PassThru' | 'ExtensibleVirtualDisk';
  readonly readOnly?: boolean;
  /** HCS caching mode, e.g. `Uncached`, `Cached`, `ReadOnlyCached`. */
  readonly cachingMode?: string;
  /** The disk provider of an `ExtensibleVirtualDisk`. */
  readonly extensibleVirtualDiskType?: string;
  readonly ignoreFlushes?: boolean;
  readonly noWriteHardening?: boolean;
  readonly disableExpansionOptimization?: boolean;
  readonly ignoreRelativeLocator?: boolean;
  readonly captureIoAttributionContext?: boolean;
  readonly supportCompressedVolumes?: boolean;
  readonly alwaysAllowSparseFiles?: boolean;
}

/** The virtual persistent-memory controller (legacy LCOW layers). */
export interface VPMemControllerOptions {
  /** 1–128 devices. */
  readonly maximumCount: number;
  /** Size of each device, a multiple of 4096. */
  readonly maximumSizeBytes: number;
  readonly backing?: string;
  /**
   * Whether later layers may be mapped into a device at an offset (added at run time through
   * `VirtualPMem/Devices/<n>/Mappings/<offset>`, never in the create document). Default: true from
   * Windows build 18362, which is also the first build that supports it.
   */
  readonly multiMapping?: boolean;
}

/** A VHD exposed as persistent memory in slot `index`. */
export interface VPMemDeviceOptions {
  readonly index: number;
  readonly hostPath: string;
  readonly readOnly?: boolean;
  /** Default `Vhd1`. */
  readonly imageFormat?: VirtualPMemImageFormat;
}

/** VSMB share flags, camel-cased from `VirtualSmbShareOptions`. */
export interface VsmbShareFlags {
  readonly readOnly?: boolean;
  readonly shareRead?: boolean;
  readonly cacheIo?: boolean;
  readonly noOplocks?: boolean;
  readonly takeBackupPrivilege?: boolean;
  readonly useShareRootIdentity?: boolean;
  readonly noDirectmap?: boolean;
  readonly noLocks?: boolean;
  readonly noDirnotify?: boolean;
  readonly vmSharedMemory?: boolean;
  readonly restrictFileAccess?: boolean;
  readonly forceLevelIIOplocks?: boolean;
  readonly reparseBaseLayer?: boolean;
  readonly pseudoOplocks?: boolean;
  readonly nonCacheIo?: boolean;
  readonly pseudoDirnotify?: boolean;
  readonly singleFileMapping?: boolean;
}

/** A VSMB share (Windows guests). */
export interface VsmbShareOptions {
  /** Unique among the VM's VSMB shares. */
  readonly name: string;
  readonly path: string;
  /** With `restrictFileAccess`, the only files of `path` the guest sees. */
  readonly allowedFiles?: readonly string[];
  readonly options?: VsmbShareFlags;
}

/** A Plan9 share (Linux guests). */
export interface Plan9ShareOptions {
  /** Unique among the VM's Plan9 shares. */
  readonly name: string;
  readonly path: string;
  /** The 9p access name the guest mounts; default `name`. */
  readonly accessName?: string;
  /** Default 564. */
  readonly port?: number;
  /** Adds the `ReadOnly` flag. */
  readonly readOnly?: boolean;
  /** `Plan9ShareFlags` bits; default `LinuxMetadata`, as hcsshim sets. */
  readonly flags?: number;
  /** Share only these files of `path` (adds `RestrictFileAccess`; needs Windows build 18362). */
  readonly allowedFiles?: readonly string[];
}

/** SR-IOV settings of a network adapter. */
export interface IovOptions {
  readonly offloadWeight?: number;
  readonly queuePairsRequested?: number;
  readonly interruptModeration?: InterruptModerationName;
}

/** A synthetic NIC bound to an HNS endpoint. */
export interface NetworkAdapterOptions {
  /** GUID of the HNS endpoint. */
  readonly endpointId: string;
  /** e.g. `00-15-5D-52-C0-00`. */
  readonly macAddress?: string;
  readonly iov?: IovOptions;
}

/** One function of an assigned PCI device. */
export interface VpciFunctionOptions {
  readonly deviceInstancePath: string;
  /** Default 0. */
  readonly virtualFunction?: number;
}

/** A host PCI device assigned over virtual PCI. */
export interface VpciDeviceOptions {
  readonly functions: readonly VpciFunctionOptions[];
  /** Propagate the host device's NUMA affinity to the guest (Windows build 26100). */
  readonly propagateNumaAffinity?: boolean;
  /** The device's VMBus instance GUID; default a new GUID from the builder's `newGuid`. */
  readonly vmbusGuid?: string;
}

/** A serial port connected to a named pipe on the host. */
export interface ComPortOptions {
  /** `\\.\pipe\<name>`: COM ports connect to named pipes only. */
  readonly namedPipe: string;
  readonly optimizeForDebugger?: boolean;
}

/** Who may bind and connect to one hvsock service. */
export interface HvSocketServiceOptions {
  /** SDDL, e.g. `D:P(A;;FA;;;SY)(A;;FA;;;BA)`. */
  readonly bindSecurityDescriptor?: string;
  readonly connectSecurityDescriptor?: string;
  readonly allowWildcardBinds?: boolean;
  readonly disabled?: boolean;
}

/** The hvsock defaults for services not in the service table. */
export interface HvSocketDefaults {
  readonly bindSecurityDescriptor?: string;
  readonly connectSecurityDescriptor?: string;
}

/** RDP access to the VM's console. */
export interface RdpConnectionOptionsIntent {
  readonly accessSids?: readonly string[];
  readonly namedPipe?: string;
}

export interface VideoMonitorOptions {
  readonly horizontalResolution?: number;
  readonly verticalResolution?: number;
  readonly connectionOptions?: RdpConnectionOptionsIntent;
}

/** Crash dumps of a Windows guest. */
export interface GuestCrashReportingOptions {
  readonly dumpFileName: string;
  readonly maxDumpSize?: number;
  /** e.g. `Full`. */
  readonly dumpType?: string;
}

/**
 * The VM's devices. `Plan9: {}` (Linux) or `VirtualSmb: {}` (Windows) is present from the start, as
 * hcsshim's builder does, so shares can be added at run time; the HvSocket table starts with
 * hcsshim's default bind descriptor (SYSTEM and Administrators).
 */
export interface DevicesBuilder {
  /** Adds SCSI controller 0–3 (one of the four well-known GUIDs). Adding it again changes nothing. */
  addScsiController(index: number): this;
  addScsiDisk(disk: ScsiDiskOptions): this;
  setVPMemController(options: VPMemControllerOptions): this;
  addVPMemDevice(device: VPMemDeviceOptions): this;
  /** Keep (true) or drop (false) the VSMB device; adding a share keeps it. */
  setVsmbEnabled(enabled: boolean): this;
  setVsmbDirectFileMappingInMB(sizeInMB: number): this;
  addVsmbShare(share: VsmbShareOptions): this;
  /** Keep (true) or drop (false) `Plan9: {}`; adding a share keeps it. */
  setPlan9Enabled(enabled: boolean): this;
  addPlan9Share(share: Plan9ShareOptions): this;
  /** Adds a NIC under `id` (usually a GUID; it becomes a resource path segment). */
  addNetworkAdapter(id: string, adapter: NetworkAdapterOptions): this;
  addVpciDevice(device: VpciDeviceOptions): this;
  /** Connects COM1 (0) or COM2 (1) to a named pipe. */
  addComPort(port: number, options: ComPortOptions): this;
  setHvSocketDefaults(defaults: HvSocketDefaults): this;
  /** Adds or replaces the hvsock service `serviceId` (a GUID, stored in lower case). */
  setHvSocketService(serviceId: string, service: HvSocketServiceOptions): this;
  enableKeyboard(): this;
  enableMouse(): this;
  setVideoMonitor(options?: VideoMonitorOptions): this;
  enableEnhancedModeVideo(connectionOptions?: RdpConnectionOptionsIntent): this;
  /** Keyboard, enhanced-mode video and a video monitor, as hcsshim's graphics console. */
  enableGraphicsConsole(): this;
  setGuestCrashReporting(options: GuestCrashReportingOptions): this;
}

/** HvSocket settings imposed over the caller's own (the confidential lock-down). */
export interface HvSocketOverride {
  readonly defaults: HvSocketDefaults;
  readonly services: readonly (readonly [string, HvSocketServiceConfig])[];
}

interface VpciIntent {
  readonly guid: string;
  readonly device: VirtualPciDevice;
}

export class DevicesBuilderImpl implements DevicesBuilder {
  readonly #controllers: unknown[] = [];
  readonly #disks: { readonly options: ScsiDiskOptions; readonly attachment: Attachment }[] = [];
  #vpmem: VPMemControllerOptions | undefined;
  readonly #vpmemDevices: VPMemDeviceOptions[] = [];
  #vsmbEnabled: boolean;
  #vsmbDirectMapping: number | undefined;
  readonly #vsmbShares: VirtualSmbShare[] = [];
  #plan9Enabled: boolean;
  readonly #plan9Shares: Plan9Share[] = [];
  readonly #adapters: [string, NetworkAdapter][] = [];
  readonly #vpci: VpciIntent[] = [];
  readonly #comPorts: [number, ComPort][] = [];
  #hvSocketDefaults: HvSocketDefaults = { bindSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators };
  readonly #services = new Map<string, HvSocketServiceConfig>();
  #keyboard = false;
  #mouse = false;
  #videoMonitor: VideoMonitorOptions | undefined;
  #enhancedVideo: { connectionOptions?: RdpConnectionOptionsIntent } | undefined;
  #crash: GuestCrashReportingOptions | undefined;

  constructor(private readonly core: BuilderCore) {
    this.#vsmbEnabled = core.os === 'windows';
    this.#plan9Enabled = core.os === 'linux';
  }

  addScsiController(index: number): this {
    if (!this.#controllers.includes(index)) this.#controllers.push(index);
    return this;
  }

  addScsiDisk(disk: ScsiDiskOptions): this {
    this.core.guard(DocPath.scsi, 'The SCSI disk options', () => {
      const options = { ...disk };
      this.#disks.push({ options, attachment: attachment(options) });
    });
    return this;
  }

  setVPMemController(options: VPMemControllerOptions): this {
    this.core.guard(DocPath.vpmem, 'The VPMem controller options', () => (this.#vpmem = { ...options }));
    return this;
  }

  addVPMemDevice(device: VPMemDeviceOptions): this {
    this.core.guard(`${DocPath.vpmem}/Devices`, 'The VPMem device options', () => this.#vpmemDevices.push({ ...device }));
    return this;
  }

  setVsmbEnabled(enabled: boolean): this {
    this.#vsmbEnabled = enabled;
    return this;
  }

  setVsmbDirectFileMappingInMB(sizeInMB: number): this {
    this.#vsmbEnabled = true;
    this.#vsmbDirectMapping = sizeInMB;
    return this;
  }

  addVsmbShare(share: VsmbShareOptions): this {
    this.core.guard(`${DocPath.vsmb}/Shares`, 'The VSMB share options', () => {
      this.#vsmbEnabled = true;
      this.#vsmbShares.push(
        withoutUndefined<VirtualSmbShare>({
          Name: share.name,
          Path: share.path,
          AllowedFiles: share.allowedFiles === undefined ? undefined : [...share.allowedFiles],
          Options: share.options === undefined ? undefined : vsmbFlags(share.options),
        }),
      );
    });
    return this;
  }

  setPlan9Enabled(enabled: boolean): this {
    this.#plan9Enabled = enabled;
    return this;
  }

  addPlan9Share(share: Plan9ShareOptions): this {
    this.core.guard(`${DocPath.plan9}/Shares`, 'The Plan9 share options', () => {
      this.#plan9Enabled = true;
      const allowed = share.allowedFiles === undefined ? undefined : [...share.allowedFiles];
      let flags = share.flags ?? Plan9ShareFlags.LinuxMetadata;
      if (share.readOnly === true && isInteger(flags)) flags |= Plan9ShareFlags.ReadOnly;
      if (allowed !== undefined && allowed.length > 0 && isInteger(flags)) flags |= Plan9ShareFlags.RestrictFileAccess;
      this.#plan9Shares.push(
        withoutUndefined<Plan9Share>({
          Name: share.name,
          AccessName: share.accessName ?? share.name,
          Path: share.path,
          Port: share.port ?? PLAN9_PORT,
          Flags: flags,
          AllowedFiles: allowed,
        }),
      );
    });
    return this;
  }

  addNetworkAdapter(id: string, adapter: NetworkAdapterOptions): this {
    this.core.guard(DocPath.networkAdapters, 'The network adapter options', () => {
      const iov = adapter.iov;
      this.#adapters.push([
        id,
        withoutUndefined<NetworkAdapter>({
          EndpointId: lowerGuid(adapter.endpointId),
          MacAddress: adapter.macAddress,
          IovSettings:
            iov === undefined
              ? undefined
              : withoutUndefined({ OffloadWeight: iov.offloadWeight, QueuePairsRequested: iov.queuePairsRequested, InterruptModeration: iov.interruptModeration }),
        }),
      ]);
    });
    return this;
  }

  addVpciDevice(device: VpciDeviceOptions): this {
    this.core.guard(DocPath.vpci, 'The vPCI device options', () => {
      // The GUID is drawn now, not at build(), so building twice gives the same document.
      const guid = device.vmbusGuid ?? this.core.newGuid();
      if (device.vmbusGuid === undefined && !isGuid(guid)) {
        this.core.record(DocPath.vpci, `The newGuid option returned ${showValue(guid)}, which is not a GUID; it must return GUIDs such as crypto.randomUUID() does.`);
      }
      const functions = isList(device.functions)
        ? device.functions.map((f) => withoutUndefined({ DeviceInstancePath: f.deviceInstancePath, VirtualFunction: f.virtualFunction }))
        : undefined;
      this.#vpci.push({
        guid: lowerGuid(guid),
        device: withoutUndefined<VirtualPciDevice>({ Functions: functions, PropagateNumaAffinity: device.propagateNumaAffinity }),
      });
    });
    return this;
  }

  addComPort(port: number, options: ComPortOptions): this {
    this.core.guard(DocPath.comPorts, 'The COM port options', () => {
      this.#comPorts.push([port, withoutUndefined<ComPort>({ NamedPipe: options.namedPipe, OptimizeForDebugger: options.optimizeForDebugger })]);
    });
    return this;
  }

  setHvSocketDefaults(defaults: HvSocketDefaults): this {
    this.core.guard(DocPath.hvSocketConfig, 'The HvSocket defaults', () => {
      this.#hvSocketDefaults = withoutUndefined<HvSocketDefaults>({
        bindSecurityDescriptor: defaults.bindSecurityDescriptor,
        connectSecurityDescriptor: defaults.connectSecurityDescriptor,
      });
    });
    return this;
  }

  setHvSocketService(serviceId: string, service: HvSocketServiceOptions): this {
    this.core.guard(`${DocPath.hvSocketConfig}/ServiceTable`, 'The HvSocket service options', () => {
      this.#services.set(
        lowerGuid(serviceId),
        withoutUndefined<HvSocketServiceConfig>({
          BindSecurityDescriptor: service.bindSecurityDescriptor,
          ConnectSecurityDescriptor: service.connectSecurityDescriptor,
          AllowWildcardBinds: service.allowWildcardBinds,
          Disabled: service.disabled,
        }),
      );
    });
    return this;
  }

  enableKeyboard(): this {
    this.#keyboard = true;
    return this;
  }

  enableMouse(): this {
    this.#mouse = true;
    return this;
  }

  setVideoMonitor(options: VideoMonitorOptions = {}): this {
    this.core.guard(DocPath.videoMonitor, 'The video monitor options', () => (this.#videoMonitor = { ...options }));
    return this;
  }

  enableEnhancedModeVideo(connectionOptions?: RdpConnectionOptionsIntent): this {
    this.#enhancedVideo = connectionOptions === undefined ? {} : { connectionOptions };
    return this;
  }

  enableGraphicsConsole(): this {
    return this.enableKeyboard().enableEnhancedModeVideo().setVideoMonitor();
  }

  setGuestCrashReporting(options: GuestCrashReportingOptions): this {
    this.core.guard(DocPath.guestCrashReporting, 'The crash reporting options', () => (this.#crash = { ...options }));
    return this;
  }

  hasComPort(port: number): boolean {
    return this.#comPorts.some(([p]) => p === port);
  }

  compose(issues: IssueList, hvSocketOverride?: HvSocketOverride): Devices {
    const defaults = hvSocketOverride?.defaults ?? this.#hvSocketDefaults;
    const services = new Map(this.#services);
    for (const [id, service] of hvSocketOverride?.services ?? []) services.set(id, { ...service });
    const hvSocket = withoutUndefined({
      DefaultBindSecurityDescriptor: defaults.bindSecurityDescriptor,
      DefaultConnectSecurityDescriptor: defaults.connectSecurityDescriptor,
      ServiceTable: services.size === 0 ? undefined : Object.fromEntries([...services].map(([id, s]) => [id, { ...s }])),
    });
    return withoutUndefined<Devices>({
      ComPorts: this.#composeComPorts(issues),
      Scsi: this.#composeScsi(issues),
      VirtualPMem: this.#composeVPMem(issues),
      NetworkAdapters: this.#composeAdapters(issues),
      VideoMonitor: this.#videoMonitor === undefined ? undefined : videoMonitor(this.#videoMonitor),
      Keyboard: this.#keyboard ? {} : undefined,
      Mouse: this.#mouse ? {} : undefined,
      HvSocket: { HvSocketConfig: hvSocket },
      EnhancedModeVideo:
        this.#enhancedVideo === undefined
          ? undefined
          : withoutUndefined({ ConnectionOptions: rdpOptions(this.#enhancedVideo.connectionOptions) }),
      GuestCrashReporting:
        this.#crash === undefined
          ? undefined
          : { WindowsCrashSettings: withoutUndefined({ DumpFileName: this.#crash.dumpFileName, MaxDumpSize: this.#crash.maxDumpSize, DumpType: this.#crash.dumpType }) },
      VirtualSmb: this.#vsmbEnabled
        ? withoutUndefined({ Shares: this.#vsmbShares.length === 0 ? undefined : this.#vsmbShares.map((s) => ({ ...s })), DirectFileMappingInMB: this.#vsmbDirectMapping })
        : undefined,
      Plan9: this.#plan9Enabled ? withoutUndefined({ Shares: this.#plan9Shares.length === 0 ? undefined : this.#plan9Shares.map((s) => ({ ...s })) }) : undefined,
      VirtualPci: this.#composeVpci(issues),
    });
  }

  #composeComPorts(issues: IssueList): Record<string, ComPort> | undefined {
    if (this.#comPorts.length === 0) return undefined;
    const ports: Record<string, ComPort> = {};
    for (const [port, config] of this.#comPorts) {
      const key = String(port);
      if (Object.hasOwn(ports, key)) issues.add(jsonPointer('VirtualMachine', 'Devices', 'ComPorts', key), `COM port ${key} is connected twice: connect each port once.`);
      ports[key] = { ...config };
    }
    return ports;
  }

  #composeScsi(issues: IssueList): Record<string, Scsi> | undefined {
    const controllers = new Map<number, Record<string, Attachment>>();
    for (const index of this.#controllers) {
      if (isControllerIndex(index)) controllers.set(index, {});
      else {
        issues.add(
          DocPath.scsi,
          `SCSI controller ${showValue(index)} does not exist: a VM has at most ${SCSI_CONTROLLER_GUIDS.length} SCSI controllers, indexes 0 to ${SCSI_CONTROLLER_GUIDS.length - 1}.`,
        );
      }
    }
    const owners = new Map<number, unknown>();
    for (const { options: disk, attachment: written } of this.#disks) {
      const { controller, lun } = disk;
      if (!isControllerIndex(controller)) {
        issues.add(
          DocPath.scsi,
          `The disk ${showValue(disk.path)} names SCSI controller ${showValue(controller)}, which does not exist: use a controller index from 0 to ${SCSI_CONTROLLER_GUIDS.length - 1}.`,
        );
        continue;
      }
      const guid = SCSI_CONTROLLER_GUIDS[controller] as string;
      const attachments = controllers.get(controller);
      if (attachments === undefined) {
        issues.add(jsonPointer('VirtualMachine', 'Devices', 'Scsi', guid), `The disk ${showValue(disk.path)} is on SCSI controller ${controller}, which is not added: call devices.addScsiController(${controller}) first.`);
        continue;
      }
      const at = () => jsonPointer('VirtualMachine', 'Devices', 'Scsi', guid, 'Attachments', String(lun));
      if (!(isInteger(lun) && lun >= 0 && lun < SCSI_LUNS_PER_CONTROLLER)) {
        issues.add(at(), `The LUN of disk ${showValue(disk.path)} must be an integer from 0 to ${SCSI_LUNS_PER_CONTROLLER - 1}; got ${showValue(lun)}.`);
        continue;
      }
      const slot = controller * SCSI_LUNS_PER_CONTROLLER + lun;
      if (owners.has(slot)) {
        issues.add(at(), `LUN ${lun} of SCSI controller ${controller} is already used by ${showValue(owners.get(slot))}: give ${showValue(disk.path)} a free LUN.`);
        continue;
      }
      owners.set(slot, disk.path);
      attachments[String(lun)] = { ...written };
    }
    if (controllers.size === 0) return undefined;
    const scsi: Record<string, Scsi> = {};
    for (const [index, attachments] of [...controllers].sort(([a], [b]) => a - b)) {
      scsi[SCSI_CONTROLLER_GUIDS[index] as string] = Object.keys(attachments).length === 0 ? {} : { Attachments: attachments };
    }
    return scsi;
  }

  #composeVPMem(issues: IssueList): Devices['VirtualPMem'] {
    const controller = this.#vpmem;
    if (controller === undefined) {
      if (this.#vpmemDevices.length > 0) {
        issues.add(DocPath.vpmem, 'VPMem devices need the VPMem controller: call devices.setVPMemController({ maximumCount, maximumSizeBytes }) first.');
      }
      return undefined;
    }
    if (controller.multiMapping === true && this.core.host.windowsBuild < WindowsBuild.V19H1) {
      issues.add(
        DocPath.vpmem,
        `VPMem multi-mapping needs Windows build ${WindowsBuild.V19H1} or later; this host is build ${this.core.host.windowsBuild}. Set multiMapping to false.`,
      );
    }
    const devices: Record<string, VirtualPMemDevice> = {};
    for (const device of this.#vpmemDevices) {
      const key = String(device.index);
      const at = () => jsonPointer('VirtualMachine', 'Devices', 'VirtualPMem', 'Devices', key);
      if (!(isInteger(device.index) && device.index >= 0)) {
        issues.add(at(), `The VPMem slot must be a non-negative integer; got ${showValue(device.index)}.`);
        continue;
      }
      if (Object.hasOwn(devices, key)) {
        issues.add(at(), `VPMem slot ${key} is already used: give ${showValue(device.hostPath)} a free slot.`);
        continue;
      }
      devices[key] = withoutUndefined<VirtualPMemDevice>({ HostPath: device.hostPath, ReadOnly: device.readOnly, ImageFormat: device.imageFormat ?? 'Vhd1' });
    }
    return withoutUndefined({
      Devices: Object.keys(devices).length === 0 ? undefined : devices,
      MaximumCount: controller.maximumCount,
      MaximumSizeBytes: controller.maximumSizeBytes,
      Backing: controller.backing,
    });
  }

  /** Whether layers may be multi-mapped into VPMem devices (not part of the document). */
  get vpmemMultiMapping(): boolean {
    return this.#vpmem?.multiMapping ?? this.core.host.windowsBuild >= WindowsBuild.V19H1;
  }

  #composeAdapters(issues: IssueList): Record<string, NetworkAdapter> | undefined {
    if (this.#adapters.length === 0) return undefined;
    const adapters: Record<string, NetworkAdapter> = {};
    for (const [id, adapter] of this.#adapters) {
      if (Object.hasOwn(adapters, id)) {
        issues.add(jsonPointer('VirtualMachine', 'Devices', 'NetworkAdapters', id), `Network adapter ${showValue(id)} is added twice: give each adapter its own id.`);
      }
      adapters[id] = { ...adapter };
    }
    return adapters;
  }

  #composeVpci(issues: IssueList): Record<string, VirtualPciDevice> | undefined {
    if (this.#vpci.length === 0) return undefined;
    const devices: Record<string, VirtualPciDevice> = {};
    for (const { guid, device } of this.#vpci) {
      if (Object.hasOwn(devices, guid)) {
        issues.add(jsonPointer('VirtualMachine', 'Devices', 'VirtualPci', guid), `VMBus GUID ${guid} is used by two vPCI devices: give each device its own GUID.`);
      }
      devices[guid] = { ...device };
    }
    return devices;
  }

  /** Marks every vPCI device that did not say otherwise to propagate NUMA affinity (hcsshim's rule). */
  propagateNumaAffinityByDefault(): void {
    for (const entry of this.#vpci) {
      if (entry.device.PropagateNumaAffinity === undefined) (entry as { device: VirtualPciDevice }).device = { ...entry.device, PropagateNumaAffinity: true };
    }
  }
}

function isControllerIndex(index: unknown): index is number {
  return isInteger(index) && index >= 0 && index < SCSI_CONTROLLER_GUIDS.length;
}

function attachment(disk: ScsiDiskOptions): Attachment {
  return withoutUndefined<Attachment>({
    Type: disk.type ?? 'VirtualDisk',
    Path: disk.path,
    IgnoreFlushes: disk.ignoreFlushes,
    CachingMode: disk.cachingMode,
    NoWriteHardening: disk.noWriteHardening,
    DisableExpansionOptimization: disk.disableExpansionOptimization,
    IgnoreRelativeLocator: disk.ignoreRelativeLocator,
    CaptureIoAttributionContext: disk.captureIoAttributionContext,
    ReadOnly: disk.readOnly,
    SupportCompressedVolumes: disk.supportCompressedVolumes,
    AlwaysAllowSparseFiles: disk.alwaysAllowSparseFiles,
    ExtensibleVirtualDiskType: disk.extensibleVirtualDiskType,
  });
}

function vsmbFlags(o: VsmbShareFlags): VirtualSmbShareOptions {
  return withoutUndefined<VirtualSmbShareOptions>({
    ReadOnly: o.readOnly,
    ShareRead: o.shareRead,
    CacheIo: o.cacheIo,
    NoOplocks: o.noOplocks,
    TakeBackupPrivilege: o.takeBackupPrivilege,
    UseShareRootIdentity: o.useShareRootIdentity,
    NoDirectmap: o.noDirectmap,
    NoLocks: o.noLocks,
    NoDirnotify: o.noDirnotify,
    VmSharedMemory: o.vmSharedMemory,
    RestrictFileAccess: o.restrictFileAccess,
    ForceLevelIIOplocks: o.forceLevelIIOplocks,
    ReparseBaseLayer: o.reparseBaseLayer,
    PseudoOplocks: o.pseudoOplocks,
    NonCacheIo: o.nonCacheIo,
    PseudoDirnotify: o.pseudoDirnotify,
    SingleFileMapping: o.singleFileMapping,
  });
}

function rdpOptions(o: RdpConnectionOptionsIntent | undefined): RdpConnectionOptions | undefined {
  if (o === undefined) return undefined;
  return withoutUndefined<RdpConnectionOptions>({ AccessSids: o.accessSids === undefined ? undefined : [...o.accessSids], NamedPipe: o.namedPipe });
}

function videoMonitor(o: VideoMonitorOptions): Devices['VideoMonitor'] {
  return withoutUndefined({
    HorizontalResolution: o.horizontalResolution,
    VerticalResolution: o.verticalResolution,
    ConnectionOptions: rdpOptions(o.connectionOptions),
  });
}
