import type { PresetOptions } from './presetOptions.js';

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
export interface LcowOptions extends PresetOptions {
  /** The boot files directory (hcsshim's `BootFilesRootPath`), an absolute Windows path. */
  readonly bootFilesPath: string;
  /** The names of the files present in `bootFilesPath`, e.g. `['vmlinux', 'initrd.img']`: the builder never looks. */
  readonly bootFiles: readonly string[];
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
  readonly confidential?: LcowConfidentialOptions;
}
