import type { ApplySecureBootTemplate, Chipset, Uefi } from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import { DocPath } from './documentPaths.js';
import { lowerGuid } from './guidText.js';
import { withoutUndefined } from './values.js';

/** The file UEFI boots from a VmbFs share (the only boot device type hcsshim uses). */
export interface UefiBootEntryOptions {
  /** Path of the boot file on the device, e.g. `\EFI\Microsoft\Boot\bootmgfw.efi` or `\kernel`. */
  readonly devicePath: string;
  /** The host directory the VmbFs device exposes; absent for a Windows guest booting from its `os` share. */
  readonly vmbFsRootPath?: string;
  readonly diskNumber?: number;
  /** Passed to the boot file: the kernel command line for a Linux guest. */
  readonly optionalData?: string;
}

/** UEFI firmware. */
export interface UefiOptions {
  readonly bootThis?: UefiBootEntryOptions;
  /** `Apply` with `secureBootTemplateId`, or `Skip`. */
  readonly applySecureBootTemplate?: ApplySecureBootTemplate;
  /** e.g. `MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID` from @uvm/types. */
  readonly secureBootTemplateId?: string;
  readonly enableDebugger?: boolean;
  readonly console?: string;
}

/** Linux kernel-direct boot (Windows build 18286, amd64): HCS loads the kernel and initrd itself. */
export interface LinuxKernelDirectOptions {
  readonly kernelFilePath: string;
  readonly initRdPath?: string;
  readonly kernelCmdLine?: string;
}

/** How the VM boots (hcs-host.md §4.5): UEFI or, for Linux guests, kernel direct. Set exactly one. */
export interface BootBuilder {
  setUefi(options: UefiOptions): this;
  setLinuxKernelDirect(options: LinuxKernelDirectOptions): this;
  /** Extra firmware parameters (`Chipset.FirmwareFile.Parameters`). */
  setFirmwareParameters(parameters: Uint8Array): this;
  /** Removes both boot methods. */
  clear(): this;
}

export class BootBuilderImpl implements BootBuilder {
  #uefi: UefiOptions | undefined;
  #direct: LinuxKernelDirectOptions | undefined;
  #firmware: string | undefined;

  constructor(private readonly core: BuilderCore) {}

  setUefi(options: UefiOptions): this {
    this.core.guard(DocPath.uefi, 'The UEFI options', () => {
      this.#uefi = { ...options, ...(options.bootThis === undefined ? {} : { bootThis: { ...options.bootThis } }) };
    });
    return this;
  }

  setLinuxKernelDirect(options: LinuxKernelDirectOptions): this {
    this.core.guard(DocPath.kernelDirect, 'The kernel-direct options', () => (this.#direct = { ...options }));
    return this;
  }

  setFirmwareParameters(parameters: Uint8Array): this {
    this.core.guard(DocPath.firmwareFile, 'The firmware parameters', () => {
      if (parameters instanceof Uint8Array) this.#firmware = Buffer.from(parameters.buffer, parameters.byteOffset, parameters.byteLength).toString('base64');
      else this.core.record(`${DocPath.firmwareFile}/Parameters`, 'Firmware parameters must be bytes (a Uint8Array or Buffer).');
    });
    return this;
  }

  clear(): this {
    this.#uefi = undefined;
    this.#direct = undefined;
    return this;
  }

  get kernelDirect(): boolean {
    return this.#direct !== undefined;
  }

  /** Sets the kernel command line wherever the boot method carries it. */
  setKernelCommandLine(commandLine: string): void {
    if (this.#direct !== undefined) this.#direct = { ...this.#direct, kernelCmdLine: commandLine };
    else if (this.#uefi?.bootThis !== undefined) this.#uefi = { ...this.#uefi, bootThis: { ...this.#uefi.bootThis, optionalData: commandLine } };
  }

  compose(): Chipset | undefined {
    const u = this.#uefi;
    const d = this.#direct;
    const uefi =
      u === undefined
        ? undefined
        : withoutUndefined<Uefi>({
            EnableDebugger: u.enableDebugger,
            ApplySecureBootTemplate: u.applySecureBootTemplate,
            SecureBootTemplateId: u.secureBootTemplateId === undefined ? undefined : lowerGuid(u.secureBootTemplateId),
            BootThis:
              u.bootThis === undefined
                ? undefined
                : withoutUndefined({
                    DeviceType: 'VmbFs',
                    DevicePath: u.bootThis.devicePath,
                    DiskNumber: u.bootThis.diskNumber,
                    OptionalData: u.bootThis.optionalData,
                    VmbFsRootPath: u.bootThis.vmbFsRootPath,
                  }),
            Console: u.console,
          });
    const direct =
      d === undefined ? undefined : withoutUndefined({ KernelFilePath: d.kernelFilePath, InitRdPath: d.initRdPath, KernelCmdLine: d.kernelCmdLine });
    if (uefi === undefined && direct === undefined && this.#firmware === undefined) return undefined;
    return withoutUndefined<Chipset>({
      Uefi: uefi,
      LinuxKernelDirect: direct,
      FirmwareFile: this.#firmware === undefined ? undefined : { Parameters: this.#firmware },
    });
  }
}
