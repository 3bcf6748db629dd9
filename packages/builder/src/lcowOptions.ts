import type { HostFacts, Logger } from '@uvm/types';
import type { HvSocketServiceOptions } from './devicesBuilder.js';

/** A virtual NUMA request in hcsshim's terms (hcs-host.md §4.4): implicit limits or an explicit node list. */
export interface LcowNumaOptions {
  /** Implicit topology: at most this many processors per node (needs `maxSizePerNodeInMB`). */
  readonly maxProcessorsPerNode?: number;
  readonly maxSizePerNodeInMB?: number;
  readonly preferredPhysicalNodes?: readonly number[];
  /** Explicit topology: the host node of each virtual node; the three lists have one entry per node. */
  readonly mappedPhysicalNodes?: readonly number[];
  readonly countOfProcessors?: readonly number[];
  readonly countOfMemoryBlocks?: readonly number[];
}

/** A host device to assign over vPCI, as a container runtime names it. */
export interface LcowDevice {
  /** `<device instance path>[/<virtual function index>]`. */
  readonly id: string;
  /** `vpci-instance-id`, `vpci` (legacy) or `gpu`; other types are skipped with a warning. */
  readonly idType: string;
}

/** The confidential (AMD SEV-SNP) variant (hcs-host.md §4.10). */
export interface LcowConfidentialOptions {
  /** The base64 security policy; the launch data is its SHA-256 digest. */
  readonly securityPolicy: string;
  /**
   * The sandbox's own directory. The caller copies the VMGS template and the dm-verity root VHD
   * there (see `lcowConfidentialFiles`) and grants the VM group access; the document points at the copies.
   */
  readonly bundlePath: string;
  /** VMGS template name in the boot files directory; default `kernel.vmgs`. */
  readonly guestStateFile?: string;
  /** dm-verity root VHD name in the boot files directory; default `rootfs.vhd`. */
  readonly dmVerityRootfsVhd?: string;
  /** Written as `HclEnabled` when set. */
  readonly hclEnabled?: boolean;
  /** vsock ports opened in addition to 1, 109, 0x40000000 and 0x40000001. */
  readonly extraVsockPorts?: readonly number[];
}

/**
 * The inputs of hcsshim's LCOW sandbox document (hcs-host.md §4), as typed options. Everything but
 * `host`, `bootFilesPath` and `bootFiles` has hcsshim's default.
 */
export interface LcowOptions {
  readonly host: HostFacts;
  /** Recorded by HCS as the VM's owner. */
  readonly owner?: string;
  /** The boot files directory (hcsshim's `BootFilesRootPath`), an absolute Windows path. */
  readonly bootFilesPath: string;
  /** The names of the files present in `bootFilesPath`, e.g. `['vmlinux', 'initrd.img']`: the builder never looks. */
  readonly bootFiles: readonly string[];
  /** Default 1024; rounded up to an even number. */
  readonly memorySizeInMB?: number;
  /** Default 2 (1 when the process sees one CPU); clamped to the host's logical processors. */
  readonly processorCount?: number;
  readonly processorLimit?: number;
  readonly processorWeight?: number;
  /** Needs Windows build 19043; excludes `resourcePartitionId`. */
  readonly cpuGroupId?: string;
  readonly resourcePartitionId?: string;
  readonly lowMmioGapInMB?: number;
  readonly highMmioBaseInMB?: number;
  readonly highMmioGapInMB?: number;
  /** Default true (virtually backed memory). */
  readonly allowOvercommit?: boolean;
  /** Back all memory physically: no overcommit, no VPMem. */
  readonly fullyPhysicallyBacked?: boolean;
  readonly enableDeferredCommit?: boolean;
  /** Needs Windows build 18967. */
  readonly enableColdDiscardHint?: boolean;
  readonly numa?: LcowNumaOptions;
  readonly storageQoS?: { readonly iopsMaximum?: number; readonly bandwidthMaximum?: number };
  /** Default: supported (build 18286, amd64). */
  readonly kernelDirect?: boolean;
  /** Default: `vhd` when `rootfs.vhd` is among the boot files, else `initrd`. */
  readonly preferredRootFsType?: 'initrd' | 'vhd';
  /** Host devices to assign over vPCI. */
  readonly devices?: readonly LcowDevice[];
  /** Keep PCI on in the guest kernel (omit `pci=off`). */
  readonly vpciEnabled?: boolean;
  /** VPMem is not supported by hcsshim's v2 builder: anything but 0 is an error (unless forced off). */
  readonly vpmemMaximumCount?: number;
  /** `\\.\pipe\<name>`: COM1 goes to this pipe, and the kernel and a shell use the console. */
  readonly consolePipe?: string;
  /** Extra kernel command-line options. */
  readonly kernelBootOptions?: string;
  readonly writableOverlayDirs?: boolean;
  /** Boot a dm-verity protected VHD root (needs `dmVerityCreateArgs`). */
  readonly dmVerity?: boolean;
  readonly dmVerityCreateArgs?: string;
  /** GCS log level; default `info`. */
  readonly logLevel?: string;
  readonly scrubLogs?: boolean;
  readonly disableTimeSync?: boolean;
  readonly processDumpLocation?: string;
  readonly extraExecArgs?: string;
  /** A live-migratable sandbox: no `Plan9: {}`, and vsockexec reconnects. */
  readonly liveMigration?: boolean;
  /** Extra hvsock services by GUID. */
  readonly hvSocketServiceTable?: Readonly<Record<string, HvSocketServiceOptions>>;
  readonly confidential?: LcowConfidentialOptions;
  readonly newGuid?: () => string;
  readonly logger?: Logger;
}
