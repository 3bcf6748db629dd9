import type {
  Attachment,
  HvSocketServiceConfig,
  NetworkAdapter,
  Plan9Share,
  ProcessorLimits,
  Properties,
  PropertyQuery,
  PropertyType,
  SaveOptions,
  Statistics,
  VirtualPciDevice,
  VirtualPMemDevice,
  VirtualPMemMapping,
  VirtualSmbShare,
  VmSocketListener,
} from '@uvm/types';
import type { UtilityVMExit } from './utilityVmExit.js';

// The VM manager's methods grouped by concern (hcs-host.md §3). UtilityVM implements them all, so a
// caller can depend on the one narrow interface it needs and a test can fake just that.

/** Cancels the call; HCS is asked to cancel the operation and the promise rejects once it let go. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** For the long operations: also bounded in time. */
export interface TimedCallOptions extends CallOptions {
  /** Fails with a TimeoutError after this many ms; the defaults are hcsshim's (`HcsTimeouts`). */
  readonly timeoutMs?: number;
}

/** Where a UtilityVM is in its life. */
export type UtilityVMState = 'created' | 'running' | 'paused' | 'exited' | 'closed';

/** One VM's life: start, stop, pause, save, wait, properties (hcs-host.md §3.1). */
export interface LifetimeManager {
  /** The compute system id. */
  readonly id: string;
  /** The Hyper-V VM GUID HCS assigned (lower case); the VM id of every hvsock address of this VM. */
  readonly runtimeId: string;
  readonly state: UtilityVMState;
  /** When `start()` succeeded, or undefined. */
  readonly startedTime: Date | undefined;
  /** When the exit was observed, or undefined while the VM runs. */
  readonly stoppedTime: Date | undefined;
  /** Why the VM stopped when it stopped unexpectedly (an HcsError); undefined while it runs or after a clean exit. */
  readonly exitError: Error | undefined;
  /** Boots the VM (HcsStartComputeSystem). */
  start(options?: TimedCallOptions): Promise<void>;
  /** Asks the guest to shut down and resolves once the VM has exited; a no-op once it has. */
  shutdown(options?: TimedCallOptions): Promise<UtilityVMExit>;
  /** Stops the VM at once and resolves once it has exited; a no-op once it has. */
  terminate(options?: TimedCallOptions): Promise<UtilityVMExit>;
  pause(options?: TimedCallOptions): Promise<void>;
  resume(options?: TimedCallOptions): Promise<void>;
  /** Saves a paused VM's state (HcsSaveComputeSystem with `{SaveType, SaveStateFilePath}`). */
  save(saveOptions: SaveOptions, options?: TimedCallOptions): Promise<void>;
  /** Resolves with the exit, clean or unexpected; rejects if the VM is closed before it exits. */
  wait(options?: CallOptions): Promise<UtilityVMExit>;
  /** The basic properties plus a section per requested property type (hcs-host.md §2.4). */
  properties(types: readonly PropertyType[], options?: CallOptions): Promise<Properties>;
  /** A full schema-2 query, `Queries` included, sent as given (hcsshim's PropertiesV3). */
  queryProperties(query: PropertyQuery, options?: CallOptions): Promise<Properties>;
  /** The `Statistics` section: uptime, processor time, memory and storage counters. */
  statistics(options?: CallOptions): Promise<Statistics>;
  /** Closes the handle (and this VM's listeners); the VM is terminated if its document says so. Idempotent. */
  close(): Promise<void>;
}

/** Network adapters (hcs-host.md §3.2 NetworkManager). */
export interface NetworkManager {
  addNetworkAdapter(nicId: string, adapter: NetworkAdapter, options?: CallOptions): Promise<void>;
  /** Removes an adapter; `adapter` is sent as the request settings when given, as hcsshim does. */
  removeNetworkAdapter(nicId: string, adapter?: NetworkAdapter, options?: CallOptions): Promise<void>;
  updateNetworkAdapter(nicId: string, adapter: NetworkAdapter, options?: CallOptions): Promise<void>;
}

/** SCSI disks, by controller index (0–3) and LUN (0–63). */
export interface ScsiManager {
  addScsiDisk(controller: number, lun: number, attachment: Attachment, options?: CallOptions): Promise<void>;
  removeScsiDisk(controller: number, lun: number, options?: CallOptions): Promise<void>;
}

/** Virtual PCI devices, by VMBus instance GUID. */
export interface PciManager {
  addPciDevice(vmbusGuid: string, device: VirtualPciDevice, options?: CallOptions): Promise<void>;
  removePciDevice(vmbusGuid: string, options?: CallOptions): Promise<void>;
}

/** Host named pipes mapped into the VM (`\\.\pipe\name`). */
export interface PipeManager {
  addPipe(hostPath: string, options?: CallOptions): Promise<void>;
  removePipe(hostPath: string, options?: CallOptions): Promise<void>;
}

/** Plan 9 shares of a Linux VM. */
export interface Plan9Manager {
  addPlan9Share(share: Plan9Share, options?: CallOptions): Promise<void>;
  /** Removes the share named `share.Name`; the share is sent as the request settings. */
  removePlan9Share(share: Plan9Share, options?: CallOptions): Promise<void>;
}

/** The VM's hvsock service table, and listeners for its hvsock connections. */
export interface VmSocketManager {
  /**
   * Creates, changes or deletes a service table entry. HCS creates an unknown service id, removes an
   * existing one when the config has no descriptors and `Disabled: true`, and updates it otherwise.
   */
  updateHvSocketService(serviceId: string, config: HvSocketServiceConfig, options?: CallOptions): Promise<void>;
  removeHvSocketService(serviceId: string, options?: CallOptions): Promise<void>;
  /**
   * Listens on (this VM's runtime id, `serviceId`). Callable before `start()` (the GCS, entropy and
   * log listeners must be bound before the VM boots); accepts reject with the VM's exit error when
   * the VM exits, and the listener closes with the VM.
   */
  listen(serviceId: string, options?: CallOptions): Promise<VmSocketListener>;
  /** `listen(vsockServiceId(port))`: the listener a Linux guest reaches on vsock port `port`. */
  listenVsock(port: number, options?: CallOptions): Promise<VmSocketListener>;
}

/** VPMem devices and the mappings multi-mapped onto them. */
export interface VpmemManager {
  addVpmemDevice(device: number, settings: VirtualPMemDevice, options?: CallOptions): Promise<void>;
  removeVpmemDevice(device: number, options?: CallOptions): Promise<void>;
  addVpmemMapping(device: number, offsetBytes: number, mapping: VirtualPMemMapping, options?: CallOptions): Promise<void>;
  removeVpmemMapping(device: number, offsetBytes: number, options?: CallOptions): Promise<void>;
}

/** Virtual SMB shares of a Windows VM. */
export interface VsmbManager {
  addVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void>;
  /** Replaces the share named `share.Name`, e.g. with a grown `AllowedFiles` list. */
  updateVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void>;
  removeVsmbShare(share: VirtualSmbShare, options?: CallOptions): Promise<void>;
}

/** CPU and memory of a running VM. */
export interface ResourceManager {
  /** Moves the VM into host CPU group `groupId`; `NULL_GUID` takes it out of its group. */
  setCpuGroup(groupId: string, options?: CallOptions): Promise<void>;
  updateProcessorLimits(limits: ProcessorLimits, options?: CallOptions): Promise<void>;
  /** Sets the VM's memory to `sizeInMB` (sent as a bare JSON number). */
  updateMemory(sizeInMB: number, options?: CallOptions): Promise<void>;
}
