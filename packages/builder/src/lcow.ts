import {
  BOOT_FILE,
  MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID,
  SchemaVersion,
  VSOCK_PORT,
  WindowsBuild,
  isGuid,
  type ValidationIssue,
} from '@uvm/types';
import { UtilityVmBuilder, type Builder } from './builder.js';
import { describeValue } from './describeValue.js';
import { launchDataFromPolicy } from './launchData.js';
import { lcowKernelCommandLine, type LcowKernelCommandLineOptions } from './lcowKernelCommandLine.js';
import type { LcowOptions } from './lcowOptions.js';
import { jsonPointer } from './jsonPointer.js';
import { hostPathProblem } from './pathChecks.js';
import { parseVpciDeviceId } from './vpciDeviceId.js';
import { isInteger, isRecord, withoutUndefined } from './values.js';
import { joinWindowsPath } from './windowsPath.js';

/** Maps an option name (`memorySizeInMB`, `numa.maxSizePerNodeInMB`) to the JSON pointer an issue names. */
export type OptionPath = (option: string) => string;

/** The options' own paths, for `lcow()` callers. */
export const optionPath: OptionPath = (option) => jsonPointer('options', ...option.split('.'));

/** The device id types hcsshim assigns over vPCI (hcs-host.md §4.6). */
const VPCI_ID_TYPES: readonly string[] = ['vpci-instance-id', 'vpci', 'gpu'];
/** vsock ports a confidential guest may use besides the extra ones (hcs-host.md §4.10). */
const CONFIDENTIAL_VSOCK_PORTS = [VSOCK_PORT.entropy, VSOCK_PORT.log, VSOCK_PORT.linuxGcs, VSOCK_PORT.firstStdio];
const DEFAULT_MEMORY_MB = 1024;

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

/** The Builder and the warnings hcsshim would log (ignored inputs, a clamped processor count). */
export function fillLcow(options: LcowOptions, where: OptionPath): { builder: UtilityVmBuilder; warnings: ValidationIssue[] } {
  const o: Partial<LcowOptions> = isRecord(options) ? options : {};
  const builder = new UtilityVmBuilder({
    os: 'linux',
    host: o.host as LcowOptions['host'],
    ...(o.newGuid === undefined ? {} : { newGuid: o.newGuid }),
    ...(o.logger === undefined ? {} : { logger: o.logger }),
  });
  const warnings: ValidationIssue[] = [];
  try {
    new LcowFiller(builder, o, where, warnings).fill();
  } catch (error) {
    builder.core.record(where(''), `The LCOW options could not be read (${error instanceof Error ? error.message : describeValue(error)}); pass plain data.`);
  }
  for (const w of warnings) builder.core.logger.warn({ path: w.path }, w.message);
  return { builder, warnings };
}

class LcowFiller {
  readonly #build: number;
  readonly #snp: boolean;

  constructor(
    private readonly b: UtilityVmBuilder,
    private readonly o: Partial<LcowOptions>,
    private readonly where: OptionPath,
    private readonly warnings: ValidationIssue[],
  ) {
    this.#build = isInteger(b.host.windowsBuild) ? b.host.windowsBuild : 0;
    this.#snp = o.confidential !== undefined;
  }

  #issue(option: string, message: string): void {
    this.b.core.record(this.where(option), message);
  }

  #warn(option: string, message: string): void {
    this.warnings.push({ path: this.where(option), message });
  }

  fill(): void {
    const { b, o } = this;
    if (o.owner !== undefined) b.setOwner(o.owner);
    b.setSchemaVersion(this.#snp ? SchemaVersion.V2_5 : SchemaVersion.V2_1);
    const processorCount = this.#processor();
    this.#resourcePartition();
    const overcommit = this.#memory();
    const numaImplicit = this.#snp ? false : this.#numa();
    this.#storageQoS();
    const boot = this.#snp ? undefined : this.#boot();
    this.#devices(numaImplicit);
    this.#hvSocketAndConsole();
    if (this.#snp) this.#confidential();
    if (!this.#snp && boot !== undefined) this.#kernelCommandLine(boot, processorCount);
    b.memory.setAllowOvercommit(this.#snp ? false : overcommit);
    b.devices.setPlan9Enabled(o.liveMigration !== true);
  }

  #processor(): number {
    const { b, o } = this;
    const host = b.host;
    let count = o.processorCount ?? 0;
    if (!isInteger(count)) {
      this.#issue('processorCount', `The processor count must be an integer; got ${describeValue(count)}.`);
      count = 0;
    }
    if (count <= 0) count = (host.processCpuCount ?? host.logicalProcessorCount) === 1 ? 1 : 2;
    if (isInteger(host.logicalProcessorCount) && count > host.logicalProcessorCount) {
      this.#warn('processorCount', `${count} processors exceed the host's ${host.logicalProcessorCount} logical processors; using ${host.logicalProcessorCount}.`);
      count = host.logicalProcessorCount;
    }
    b.processor.setCount(count);
    if (o.processorLimit !== undefined) b.processor.setLimit(o.processorLimit);
    if (o.processorWeight !== undefined) b.processor.setWeight(o.processorWeight);
    if (o.cpuGroupId !== undefined && o.cpuGroupId !== '') {
      if (this.#build < WindowsBuild.V21H1) {
        this.#issue('cpuGroupId', `CPU group assignment on create requires a build of ${WindowsBuild.V21H1} or higher; this host is build ${this.#build}. Remove the CPU group.`);
      } else {
        b.processor.setCpuGroup(o.cpuGroupId);
      }
    }
    return count;
  }

  #resourcePartition(): void {
    const { b, o } = this;
    const id = o.resourcePartitionId;
    if (id === undefined || id === '') return;
    if (!isGuid(id)) {
      this.#issue('resourcePartitionId', `Failed to parse resource_partition_id ${describeValue(id)} to GUID: it must look like 8-4-4-4-12 hex digits.`);
    } else if (o.cpuGroupId !== undefined && o.cpuGroupId !== '') {
      this.#issue('resourcePartitionId', 'cpu_group_id and resource_partition_id cannot be set at the same time: keep one of them.');
    } else {
      b.setResourcePartitionId(id);
    }
  }

  #memory(): boolean {
    const { b, o } = this;
    let size = o.memorySizeInMB ?? 0;
    if (!isInteger(size) || size < 0) {
      this.#issue('memorySizeInMB', `The memory size must be a non-negative integer number of MB; got ${describeValue(size)}.`);
      size = 0;
    }
    if (size === 0) size = DEFAULT_MEMORY_MB;
    // hcsshim rounds up to an even number of MB (hcs-host.md §4.3).
    b.memory.setSizeInMB(size % 2 === 0 ? size : size + 1);
    b.memory.setMmio({
      ...(o.lowMmioGapInMB === undefined ? {} : { lowGapInMB: o.lowMmioGapInMB }),
      ...(o.highMmioBaseInMB === undefined ? {} : { highBaseInMB: o.highMmioBaseInMB }),
      ...(o.highMmioGapInMB === undefined ? {} : { highGapInMB: o.highMmioGapInMB }),
    });
    const overcommit = o.fullyPhysicallyBacked === true ? false : (o.allowOvercommit ?? true);
    if (o.enableDeferredCommit === true) {
      if (!overcommit && !this.#snp) {
        this.#issue('enableDeferredCommit', 'enable_deferred_commit is not supported on physically backed vms: allow overcommit or turn deferred commit off.');
      } else {
        b.memory.setDeferredCommit(true);
      }
    }
    if (o.enableColdDiscardHint === true) {
      if (this.#build < WindowsBuild.COLD_DISCARD_HINT) {
        this.#issue('enableColdDiscardHint', `EnableColdDiscardHint is not supported on builds older than ${WindowsBuild.COLD_DISCARD_HINT}; this host is build ${this.#build}.`);
      } else {
        b.memory.setColdDiscardHint(true);
      }
    }
    return overcommit;
  }

  /** Returns whether the topology is implicit, which decides vPCI NUMA affinity. */
  #numa(): boolean {
    const n = this.o.numa;
    if (n === undefined) return false;
    const maxProcessors = n.maxProcessorsPerNode ?? 0;
    const mapped = n.mappedPhysicalNodes ?? [];
    if (maxProcessors === 0 && mapped.length === 0) return false;
    if (this.#build < WindowsBuild.V25H1_SERVER) {
      this.#issue('numa', `vNUMA topology is not supported on build ${this.#build} of Windows: it needs build ${WindowsBuild.V25H1_SERVER} (Windows Server 2025).`);
      return false;
    }
    const preferred = n.preferredPhysicalNodes === undefined ? {} : { preferredPhysicalNodes: n.preferredPhysicalNodes };
    if (maxProcessors > 0) {
      const maxSize = n.maxSizePerNodeInMB ?? 0;
      if (maxSize === 0) {
        this.#issue('numa.maxSizePerNodeInMB', 'Max size per node must be set when max processors per NUMA node is set.');
        return false;
      }
      this.b.numa.setImplicit({ maxProcessorsPerNode: maxProcessors, maxSizePerNodeInMB: maxSize, ...preferred });
      return true;
    }
    const processors = n.countOfProcessors ?? [];
    const blocks = n.countOfMemoryBlocks ?? [];
    if (processors.length !== mapped.length || blocks.length !== mapped.length) {
      this.#issue(
        'numa',
        `Mismatch in number of physical NUMA nodes (${mapped.length}) and the corresponding processor (${processors.length}) and memory blocks (${blocks.length}) counts: give one of each per node.`,
      );
      return false;
    }
    this.b.numa.setExplicit({
      nodes: mapped.map((physicalNode, i) => ({ physicalNode, countOfProcessors: processors[i] ?? 0, countOfMemoryBlocks: blocks[i] ?? 0 })),
      ...preferred,
    });
    return false;
  }

  #storageQoS(): void {
    const q = this.o.storageQoS;
    if (q?.iopsMaximum !== undefined) this.b.storageQoS.setIopsMaximum(q.iopsMaximum);
    if (q?.bandwidthMaximum !== undefined) this.b.storageQoS.setBandwidthMaximum(q.bandwidthMaximum);
  }

  #bootDirectory(): { dir: string; files: ReadonlySet<string> } | undefined {
    const { o } = this;
    const files = new Set(Array.isArray(o.bootFiles) ? o.bootFiles : []);
    if (!Array.isArray(o.bootFiles)) this.#issue('bootFiles', 'List the files present in the boot files directory, e.g. ["vmlinux", "initrd.img"].');
    const problem = hostPathProblem(o.bootFilesPath, 'The boot files directory');
    if (problem !== undefined) {
      this.#issue('bootFilesPath', problem);
      return undefined;
    }
    return { dir: o.bootFilesPath as string, files };
  }

  #boot(): { rootFs: 'initrd' | 'vhd'; kernelDirect: boolean } | undefined {
    const { b, o } = this;
    const boot = this.#bootDirectory();
    let rootFs: 'initrd' | 'vhd' = boot?.files.has(BOOT_FILE.rootfsVhd) === true ? 'vhd' : 'initrd';
    const supported = this.#build >= WindowsBuild.KERNEL_DIRECT && b.host.architecture !== 'arm64';
    const kernelDirect = o.kernelDirect ?? supported;
    if (kernelDirect && !supported) {
      this.#issue(
        'kernelDirect',
        b.host.architecture === 'arm64'
          ? 'KernelDirectBoot is not supported on arm64 hosts: boot through UEFI (kernelDirect: false).'
          : `KernelDirectBoot is not supported on builds older than ${WindowsBuild.KERNEL_DIRECT}; this host is build ${this.#build}. Boot through UEFI (kernelDirect: false).`,
      );
    }
    const preferred: unknown = o.preferredRootFsType;
    if (preferred !== undefined) {
      if (preferred === 'initrd' || preferred === 'vhd') rootFs = preferred;
      else this.#issue('preferredRootFsType', `Invalid PreferredRootFSType: ${describeValue(preferred)}; use "initrd" or "vhd".`);
    }
    if (boot === undefined) return { rootFs, kernelDirect };
    const { dir, files } = boot;
    let kernel: string | undefined;
    if (kernelDirect) {
      kernel = [BOOT_FILE.uncompressedKernel, BOOT_FILE.kernel].find((f) => files.has(f));
      if (kernel === undefined) this.#issue('bootFiles', `Kernel file not found in boot files path for kernel direct boot: add "${BOOT_FILE.uncompressedKernel}" or "${BOOT_FILE.kernel}".`);
    } else if (files.has(BOOT_FILE.kernel)) {
      kernel = BOOT_FILE.kernel;
    } else {
      this.#issue('bootFiles', `Kernel file "${BOOT_FILE.kernel}" not found in boot files path: file does not exist.`);
    }
    const rootFile = rootFs === 'vhd' ? BOOT_FILE.rootfsVhd : BOOT_FILE.initrd;
    if (!files.has(rootFile)) this.#issue('bootFiles', `"${rootFile}" not found in boot files path ${describeValue(dir)}.`);
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
    if (rootFs === 'vhd') this.#rootDisk(joinWindowsPath(dir, BOOT_FILE.rootfsVhd));
    return { rootFs, kernelDirect };
  }

  #rootDisk(path: string): void {
    this.b.devices.addScsiDisk({ controller: 0, lun: 0, path, readOnly: true });
  }

  #devices(numaImplicit: boolean): void {
    const { b, o } = this;
    const vpmem = o.vpmemMaximumCount ?? 0;
    const forcedOff = o.fullyPhysicallyBacked === true || this.#snp || b.host.architecture === 'arm64';
    if (vpmem !== 0 && !forcedOff) this.#issue('vpmemMaximumCount', 'v2 shims do not support vPMem devices: use 0 (SCSI carries the layers).');
    const controllers = this.#build >= WindowsBuild.RS5 ? 4 : 1;
    for (let i = 0; i < controllers; i++) b.devices.addScsiController(i);
    if (this.#snp || o.devices === undefined) return;
    const seen = new Set<string>();
    o.devices.forEach((device, i) => {
      if (!VPCI_ID_TYPES.includes(device.idType)) {
        this.#warn(`devices.${i}.idType`, `Device type ${describeValue(device.idType)} is not assigned over vPCI (use ${VPCI_ID_TYPES.join(', ')}); skipped.`);
        return;
      }
      const { deviceInstancePath, virtualFunction } = parseVpciDeviceId(device.id);
      const key = `${deviceInstancePath}\0${virtualFunction}`;
      if (seen.has(key)) {
        this.#issue(`devices.${i}.id`, `Device ${deviceInstancePath} with index ${virtualFunction} is specified multiple times: assign it once.`);
        return;
      }
      seen.add(key);
      b.devices.addVpciDevice({
        functions: [{ deviceInstancePath, virtualFunction }],
        ...(this.#build >= WindowsBuild.V25H1_SERVER && numaImplicit ? { propagateNumaAffinity: true } : {}),
      });
    });
  }

  #hvSocketAndConsole(): void {
    const { b, o } = this;
    for (const [serviceId, service] of Object.entries(o.hvSocketServiceTable ?? {})) b.devices.setHvSocketService(serviceId, service);
    const pipe = o.consolePipe;
    if (this.#snp || pipe === undefined || pipe === '') return;
    if (!pipe.startsWith('\\\\.\\pipe\\')) this.#issue('consolePipe', `Listener for serial console is not a named pipe: use \\\\.\\pipe\\<name>; got ${describeValue(pipe)}.`);
    else b.devices.addComPort(0, { namedPipe: pipe });
  }

  #confidential(): void {
    const { b, o } = this;
    const c = o.confidential;
    if (c === undefined) return;
    const boot = this.#bootDirectory();
    const bundleProblem = hostPathProblem(c.bundlePath, 'The bundle directory');
    if (bundleProblem !== undefined) this.#issue('confidential.bundlePath', bundleProblem);
    const guestStateFile = c.guestStateFile ?? BOOT_FILE.guestState;
    const rootfsVhd = c.dmVerityRootfsVhd ?? BOOT_FILE.rootfsVhd;
    if (boot !== undefined) {
      if (!boot.files.has(guestStateFile)) {
        this.#issue('bootFiles', `The GuestState vmgs file '${joinWindowsPath(boot.dir, guestStateFile)}' was not found: add it to the boot files.`);
      }
      if (!boot.files.has(rootfsVhd)) {
        this.#issue('bootFiles', `The DM Verity VHD file '${joinWindowsPath(boot.dir, rootfsVhd)}' was not found: add it to the boot files.`);
      }
    }
    b.boot.setUefi({ applySecureBootTemplate: 'Apply', secureBootTemplateId: MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID });
    const launchData = typeof c.securityPolicy === 'string' ? launchDataFromPolicy(c.securityPolicy) : { ok: false as const, reason: 'is not a string' };
    if (!launchData.ok) this.#issue('confidential.securityPolicy', `Failed to create security policy digest: the policy ${launchData.reason}.`);
    b.security.setIsolation({
      type: 'SecureNestedPaging',
      ...(launchData.ok ? { launchData: launchData.value } : {}),
      ...(c.hclEnabled === undefined ? {} : { hclEnabled: c.hclEnabled }),
    });
    b.security.lockDownHvSocket([...CONFIDENTIAL_VSOCK_PORTS, ...(c.extraVsockPorts ?? [])]);
    if (bundleProblem === undefined) {
      this.#rootDisk(joinWindowsPath(c.bundlePath, BOOT_FILE.rootfsVhd));
      b.security.setGuestState({ guestStateFilePath: joinWindowsPath(c.bundlePath, guestStateFile), guestStateFileType: 'FileMode', forceTransientState: true });
    }
  }

  #kernelCommandLine(boot: { rootFs: 'initrd' | 'vhd'; kernelDirect: boolean }, processorCount: number): void {
    const { b, o } = this;
    let dmVerityCreateArgs: string | undefined;
    if (boot.rootFs === 'vhd' && o.dmVerity === true) {
      if (o.dmVerityCreateArgs === undefined || o.dmVerityCreateArgs === '') {
        this.#issue('dmVerityCreateArgs', 'DmVerityCreateArgs should be set when DmVerityMode is true and not booting from a vmgs file.');
      } else {
        dmVerityCreateArgs = o.dmVerityCreateArgs;
      }
    }
    if (o.writableOverlayDirs === true && boot.rootFs === 'initrd') {
      this.#warn('writableOverlayDirs', 'Ignoring writable overlay directories: the initrd root file system is already writable.');
    }
    const hasConsole = b.devices.hasComPort(0);
    b.boot.setKernelCommandLine(
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
}
