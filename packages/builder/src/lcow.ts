import {
  BOOT_FILE,
  MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID,
  SchemaVersion,
  showValue,
  VSOCK_PORT,
  WindowsBuild,
} from '@uvm/types';
import type { Builder } from './builder.js';
import { launchDataFromPolicy } from './launchData.js';
import { lcowKernelCommandLine, type LcowKernelCommandLineOptions } from './lcowKernelCommandLine.js';
import type { LcowConfidentialOptions, LcowOptions } from './lcowOptions.js';
import { hostPathProblem } from './pathChecks.js';
import { Preset, optionPath, type OptionPath } from './preset.js';
import { parseVpciDeviceId } from './vpciDeviceId.js';
import { withoutUndefined } from './values.js';
import { joinWindowsPath } from './windowsPath.js';

/** The device id types hcsshim assigns over vPCI (hcs-host.md §4.6). */
const VPCI_ID_TYPES: readonly string[] = ['vpci-instance-id', 'vpci', 'gpu'];
/** vsock ports a confidential guest may use besides the extra ones (hcs-host.md §4.10). */
const CONFIDENTIAL_VSOCK_PORTS = [VSOCK_PORT.entropy, VSOCK_PORT.log, VSOCK_PORT.linuxGcs, VSOCK_PORT.firstStdio];

/**
 * A Builder filled exactly as hcsshim's LCOW sandbox builder fills the document (hcs-host.md §4):
 * 1024 MB and 2 vCPUs by default, the four SCSI controllers, initrd or VHD root, kernel direct or
 * UEFI, the kernel command line of §4.8, the HvSocket defaults, `Plan9: {}` unless live migration
 * is on, and the SEV-SNP variant when `confidential` is set. Keep customising it, then `build()`.
 * Problems in the options (hcsshim's errors, with the same meaning) surface in `build()` with
 * `/options/...` paths.
 */
export function lcow(options: LcowOptions): Builder {
  return fillLcow(options, optionPath).builder;
}

/** A file the caller copies before creating a confidential LCOW VM, and grants the VM group access to. */
export interface FileCopy {
  readonly source: string;
  readonly destination: string;
}

/**
 * The copies a confidential LCOW document relies on (hcs-host.md §4.10): the VMGS template and the
 * dm-verity root VHD, from the boot files directory into the bundle (the VHD always as `rootfs.vhd`).
 */
export function lcowConfidentialFiles(bootFilesPath: string, confidential: Pick<LcowConfidentialOptions, 'bundlePath' | 'guestStateFile' | 'dmVerityRootfsVhd'>): FileCopy[] {
  const guestState = confidential.guestStateFile ?? BOOT_FILE.guestState;
  return [
    { source: joinWindowsPath(bootFilesPath, guestState), destination: joinWindowsPath(confidential.bundlePath, guestState) },
    { source: joinWindowsPath(bootFilesPath, confidential.dmVerityRootfsVhd ?? BOOT_FILE.rootfsVhd), destination: joinWindowsPath(confidential.bundlePath, BOOT_FILE.rootfsVhd) },
  ];
}

/** The preset with issue paths from `where`, for `lcow()` and `lcowFromAnnotations()`. */
export function fillLcow(options: LcowOptions, where: OptionPath): Preset<LcowOptions> {
  const preset = new Preset('linux', options, where);
  return preset.run('LCOW', () => {
    fill(preset);
  });
}

interface BootChoice {
  readonly rootFs: 'initrd' | 'vhd';
  readonly kernelDirect: boolean;
}

function fill(p: Preset<LcowOptions>): void {
  const { builder: b, options: o } = p;
  const snp = o.confidential !== undefined;
  if (o.owner !== undefined) b.setOwner(o.owner);
  b.setSchemaVersion(snp ? SchemaVersion.V2_5 : SchemaVersion.V2_1);
  const processorCount = p.processor();
  p.resourcePartition();
  p.memory(false);
  const numaImplicit = snp ? false : p.numa();
  p.storageQoS();
  const boot = snp ? undefined : fillBoot(p);
  fillDevices(p, numaImplicit);
  p.hvSocketServices();
  const hasConsole = snp ? false : p.consolePipe();
  if (o.confidential !== undefined) fillConfidential(p, o.confidential);
  if (boot !== undefined) fillKernelCommandLine(p, boot, processorCount, hasConsole);
  // Live migration cannot save Plan9 device state (hcs-host.md §4.11).
  b.devices.setPlan9Enabled(o.liveMigration !== true);
}

function bootDirectory(p: Preset<LcowOptions>): { dir: string; files: ReadonlySet<string> } | undefined {
  const o = p.options;
  const list: unknown = o.bootFiles;
  const files = new Set(Array.isArray(list) ? (list as unknown[]) : []);
  if (!Array.isArray(list)) p.issue('bootFiles', 'List the files present in the boot files directory, e.g. ["vmlinux", "initrd.img"].');
  const problem = hostPathProblem(o.bootFilesPath, 'The boot files directory');
  if (problem !== undefined) {
    p.issue('bootFilesPath', problem);
    return undefined;
  }
  return { dir: o.bootFilesPath as string, files: files as ReadonlySet<string> };
}

function fillBoot(p: Preset<LcowOptions>): BootChoice {
  const { builder: b, options: o } = p;
  const boot = bootDirectory(p);
  let rootFs: 'initrd' | 'vhd' = boot?.files.has(BOOT_FILE.rootfsVhd) === true ? 'vhd' : 'initrd';
  const supported = p.windowsBuild >= WindowsBuild.KERNEL_DIRECT && b.host.architecture !== 'arm64';
  const kernelDirect = o.kernelDirect ?? supported;
  if (kernelDirect && !supported) {
    p.issue(
      'kernelDirect',
      b.host.architecture === 'arm64'
        ? 'KernelDirectBoot is not supported on arm64 hosts: boot through UEFI (kernelDirect: false).'
        : `KernelDirectBoot is not supported on builds older than ${WindowsBuild.KERNEL_DIRECT}; this host is build ${p.windowsBuild}. Boot through UEFI (kernelDirect: false).`,
    );
  }
  const preferred: unknown = o.preferredRootFsType;
  if (preferred !== undefined) {
    if (preferred === 'initrd' || preferred === 'vhd') rootFs = preferred;
    else p.issue('preferredRootFsType', `Invalid PreferredRootFSType: ${showValue(preferred)}; use "initrd" or "vhd".`);
  }
  if (boot === undefined) return { rootFs, kernelDirect };
  const { dir, files } = boot;
  let kernel: string | undefined;
  if (kernelDirect) {
    kernel = [BOOT_FILE.uncompressedKernel, BOOT_FILE.kernel].find((f) => files.has(f));
    if (kernel === undefined) p.issue('bootFiles', `Kernel file not found in boot files path for kernel direct boot: add "${BOOT_FILE.uncompressedKernel}" or "${BOOT_FILE.kernel}".`);
  } else if (files.has(BOOT_FILE.kernel)) {
    kernel = BOOT_FILE.kernel;
  } else {
    p.issue('bootFiles', `Kernel file "${BOOT_FILE.kernel}" not found in boot files path: file does not exist.`);
  }
  const rootFile = rootFs === 'vhd' ? BOOT_FILE.rootfsVhd : BOOT_FILE.initrd;
  if (!files.has(rootFile)) p.issue('bootFiles', `"${rootFile}" not found in boot files path ${showValue(dir)}.`);
  if (kernel !== undefined) {
    if (kernelDirect) {
      b.boot.setLinuxKernelDirect({
        kernelFilePath: joinWindowsPath(dir, kernel),
        ...(rootFs === 'initrd' ? { initRdPath: joinWindowsPath(dir, BOOT_FILE.initrd) } : {}),
      });
    } else {
      b.boot.setUefi({ bootThis: { devicePath: `\\${kernel}`, vmbFsRootPath: dir } });
    }
  }
  if (rootFs === 'vhd') b.devices.addScsiDisk({ controller: 0, lun: 0, path: joinWindowsPath(dir, BOOT_FILE.rootfsVhd), readOnly: true });
  return { rootFs, kernelDirect };
}

function fillDevices(p: Preset<LcowOptions>, numaImplicit: boolean): void {
  const { builder: b, options: o } = p;
  const snp = o.confidential !== undefined;
  const vpmem = o.vpmemMaximumCount ?? 0;
  const forcedOff = o.fullyPhysicallyBacked === true || snp || b.host.architecture === 'arm64';
  if (vpmem !== 0 && !forcedOff) p.issue('vpmemMaximumCount', 'v2 shims do not support vPMem devices: use 0 (SCSI carries the layers).');
  const controllers = p.windowsBuild >= WindowsBuild.RS5 ? 4 : 1;
  for (let i = 0; i < controllers; i++) b.devices.addScsiController(i);
  if (snp || o.devices === undefined) return;
  const seen = new Set<string>();
  o.devices.forEach((device, i) => {
    if (!VPCI_ID_TYPES.includes(device.idType)) {
      p.warn(`devices.${i}.idType`, `Device type ${showValue(device.idType)} is not assigned over vPCI (use ${VPCI_ID_TYPES.join(', ')}); skipped.`);
      return;
    }
    const { deviceInstancePath, virtualFunction } = parseVpciDeviceId(device.id);
    const key = `${deviceInstancePath}\0${virtualFunction}`;
    if (seen.has(key)) {
      p.issue(`devices.${i}.id`, `Device ${deviceInstancePath} with index ${virtualFunction} is specified multiple times: assign it once.`);
      return;
    }
    seen.add(key);
    b.devices.addVpciDevice({
      functions: [{ deviceInstancePath, virtualFunction }],
      ...(p.windowsBuild >= WindowsBuild.V25H1_SERVER && numaImplicit ? { propagateNumaAffinity: true } : {}),
    });
  });
}

function fillConfidential(p: Preset<LcowOptions>, c: LcowConfidentialOptions): void {
  const b = p.builder;
  const boot = bootDirectory(p);
  const bundleProblem = hostPathProblem(c.bundlePath, 'The bundle directory');
  if (bundleProblem !== undefined) p.issue('confidential.bundlePath', bundleProblem);
  const guestStateFile = c.guestStateFile ?? BOOT_FILE.guestState;
  const rootfsVhd = c.dmVerityRootfsVhd ?? BOOT_FILE.rootfsVhd;
  if (boot !== undefined) {
    if (!boot.files.has(guestStateFile)) p.issue('bootFiles', `The GuestState vmgs file '${joinWindowsPath(boot.dir, guestStateFile)}' was not found: add it to the boot files.`);
    if (!boot.files.has(rootfsVhd)) p.issue('bootFiles', `The DM Verity VHD file '${joinWindowsPath(boot.dir, rootfsVhd)}' was not found: add it to the boot files.`);
  }
  b.boot.setUefi({ applySecureBootTemplate: 'Apply', secureBootTemplateId: MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID });
  const launchData = typeof c.securityPolicy === 'string' ? launchDataFromPolicy(c.securityPolicy) : { ok: false as const, reason: 'is not a string' };
  if (!launchData.ok) p.issue('confidential.securityPolicy', `Failed to create security policy digest: the policy ${launchData.reason}.`);
  b.security.setIsolation({
    type: 'SecureNestedPaging',
    ...(launchData.ok ? { launchData: launchData.value } : {}),
    ...(c.hclEnabled === undefined ? {} : { hclEnabled: c.hclEnabled }),
  });
  b.security.lockDownHvSocket([...CONFIDENTIAL_VSOCK_PORTS, ...(c.extraVsockPorts ?? [])]);
  b.memory.setAllowOvercommit(false);
  if (bundleProblem === undefined) {
    b.devices.addScsiDisk({ controller: 0, lun: 0, path: joinWindowsPath(c.bundlePath, BOOT_FILE.rootfsVhd), readOnly: true });
    b.security.setGuestState({ guestStateFilePath: joinWindowsPath(c.bundlePath, guestStateFile), guestStateFileType: 'FileMode', forceTransientState: true });
  }
}

function fillKernelCommandLine(p: Preset<LcowOptions>, boot: BootChoice, processorCount: number, hasConsole: boolean): void {
  const o = p.options;
  let dmVerityCreateArgs: string | undefined;
  if (boot.rootFs === 'vhd' && o.dmVerity === true) {
    if (o.dmVerityCreateArgs === undefined || o.dmVerityCreateArgs === '') {
      p.issue('dmVerityCreateArgs', 'DmVerityCreateArgs should be set when DmVerityMode is true and not booting from a vmgs file.');
    } else {
      dmVerityCreateArgs = o.dmVerityCreateArgs;
    }
  }
  if (o.writableOverlayDirs === true && boot.rootFs === 'initrd') {
    p.warn('writableOverlayDirs', 'Ignoring writable overlay directories: the initrd root file system is already writable.');
  }
  p.builder.boot.setKernelCommandLine(
    lcowKernelCommandLine({
      rootFs: boot.rootFs,
      kernelDirect: boot.kernelDirect,
      processorCount,
      hasConsole,
      ...withoutUndefined<Partial<LcowKernelCommandLineOptions>>({
        dmVerityCreateArgs,
        kernelBootOptions: o.kernelBootOptions,
        vpciEnabled: o.vpciEnabled,
        writableOverlayDirs: o.writableOverlayDirs,
        liveMigration: o.liveMigration,
        logLevel: o.logLevel,
        disableTimeSync: o.disableTimeSync,
        scrubLogs: o.scrubLogs,
        processDumpLocation: o.processDumpLocation,
        extraExecArgs: o.extraExecArgs,
      }),
    }),
  );
}
