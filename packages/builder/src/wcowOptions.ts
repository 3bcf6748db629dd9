import type { VmIsolationType } from '@uvm/types';
import type { RegistryValueOptions } from './builder.js';
import type { PresetOptions } from './presetOptions.js';

/** The confidential WCOW variant: BlockCIM boot from SCSI, a block-storage VMGS (hcs-host.md §4b.3). */
export interface WcowConfidentialOptions {
  /** The base64 security policy; the launch data is its SHA-256 digest, as for LCOW. */
  readonly securityPolicy: string;
  /** Default `SecureNestedPaging` (AMD SEV-SNP). */
  readonly isolationType?: VmIsolationType;
  /**
   * The VMGS file. Default: `cwcow.snp.vmgs`, `cwcow.vbs.vmgs` or `cwcow.gso.vmgs` (by isolation
   * type) in `bootFilesPath`.
   */
  readonly guestStateFilePath?: string;
  /** The confidential boot files directory (hcsshim: `<exe dir>\WindowsBootFiles\confidential`). */
  readonly bootFilesPath?: string;
  /** The EFI partition VHD, SCSI LUN 1. */
  readonly efiVhdPath: string;
  /** The boot CIM VHD, SCSI LUN 2, read-only. */
  readonly bootCimVhdPath: string;
  /** Attach the EFI VHD writable. */
  readonly writableEfi?: boolean;
  /** `ApplySecureBootTemplate: Skip` instead of the Microsoft Windows template. */
  readonly disableSecureBoot?: boolean;
  /** Firmware parameters, written as the base64 of the string's UTF-8 bytes. */
  readonly firmwareParameters?: string;
  /** The sandbox directory; its `EmptyDoNotModify` subdirectory is the default VSMB share. */
  readonly bundlePath: string;
}

/** The inputs of hcsshim's legacy WCOW utility VM document (hcs-host.md §4b.1, §4b.3). */
export interface WcowOptions extends PresetOptions {
  /** The UVM id; names the dump files when `dumpDirectoryPath` is set. */
  readonly id?: string;
  /** The utility VM image layer; its `UtilityVM\Files` is the `os` VSMB share the VM boots from. */
  readonly uvmLayerPath?: string;
  /** The directory of the scratch disk `sandbox.vhdx`, attached at SCSI LUN 0. */
  readonly scratchDirectory: string;
  /** Turns Windows Error Reporting on in the guest so process dumps are written. */
  readonly processDumpLocation?: string;
  /** Leave out `EnableCompartmentNamespace` (hcsshim adds it by default). */
  readonly disableCompartmentNamespace?: boolean;
  /**
   * Registry values to add; allowed: System `CurrentControlSet\Services`, `CurrentControlSet\Policies`
   * and `Software` keys, and any Software key, each value with exactly one kind of data.
   */
  readonly additionalRegistryKeys?: readonly RegistryValueOptions[];
  /** Open the guest log forwarding service (default true, false for confidential VMs). */
  readonly logForwarding?: boolean;
  /** Keyboard, enhanced-mode video and a video monitor. */
  readonly enableGraphicsConsole?: boolean;
  /** Where HCS writes saved states and crash dumps (needs `id`). */
  readonly dumpDirectoryPath?: string;
  /** Do not direct-map files of the `os` share. */
  readonly vsmbNoDirectMap?: boolean;
  readonly confidential?: WcowConfidentialOptions;
}
