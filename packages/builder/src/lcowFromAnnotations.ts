import { BOOT_FILE, isGuid, showValue, type HostFacts, type Logger, type ValidationIssue } from '@uvm/types';
import type { Builder } from './builder.js';
import type { HvSocketServiceOptions } from './devicesBuilder.js';
import { parseGoBool, parseGoInteger, parseGoIntegerList, type IntegerKind } from './goParse.js';
import { jsonPointer } from './jsonPointer.js';
import { fillLcow } from './lcow.js';
import { LcowAnnotation as A } from './lcowAnnotations.js';
import type { LcowDevice, LcowOptions } from './lcowOptions.js';
import type { Preset } from './preset.js';
import type { PresetNumaOptions } from './presetOptions.js';
import { isInteger, isRecord } from './values.js';

/** The fields of hcsshim's runhcs `Options` the LCOW sandbox builder reads (hcs-host.md §4). */
export interface LcowRuntimeOptions {
  /** `linux/amd64` or `linux/arm64` (any case); anything else is an error, as in hcsshim. */
  readonly sandboxPlatform?: string;
  readonly bootFilesRootPath?: string;
  /** int32; 0 or less means the default. */
  readonly vmProcessorCount?: number;
  /** int32 MB; 0 means 1024. */
  readonly vmMemorySizeInMb?: number;
  /** The GCS log level; default `info`. */
  readonly logLevel?: string;
  readonly scrubLogs?: boolean;
  /** Annotations applied when the sandbox does not set them. */
  readonly defaultContainerAnnotations?: Readonly<Record<string, string>>;
}

/** What hcsshim learns from the file system and the shim, given instead, so the builder stays pure. */
export interface LcowAnnotationContext {
  readonly owner?: string;
  /** The sandbox bundle directory (confidential sandboxes put their VMGS and root VHD there). */
  readonly bundlePath?: string;
  /** The names of the files in the boot files directory that will be used. */
  readonly bootFiles: readonly string[];
  /** The boot files directory when neither the annotation nor the runtime options name one. */
  readonly defaultBootFilesPath?: string;
  /** The sandbox spec's devices (vPCI assignment). */
  readonly devices?: readonly LcowDevice[];
  readonly newGuid?: () => string;
  readonly logger?: Logger;
}

/** hcsshim's `ConfidentialConfig`: what the shim hands the guest for policy enforcement. */
export interface LcowConfidentialConfig {
  readonly securityPolicy: string;
  readonly securityPolicyEnforcer: string;
  readonly uvmReferenceInfoFile: string;
  readonly uvmHashEnvelopeReferenceInfoFile: string;
}

/** hcsshim's side-car `SandboxOptions` (hcs-host.md §4.9): settings the shim uses outside the document. */
export interface LcowSandboxOptions {
  /** The text after `/` in the sandbox platform. */
  readonly architecture: string;
  readonly policyBasedRouting: boolean;
  readonly noWritableFileShares: boolean;
  /** Present whenever a security policy is set, even with `no_security_hardware`. */
  readonly confidentialConfig?: LcowConfidentialConfig;
  readonly enableScratchEncryption: boolean;
  /** True when memory is not overcommitted in the final document. */
  readonly fullyPhysicallyBacked: boolean;
}

export interface LcowFromAnnotationsResult {
  /** Filled as hcsshim fills the document; keep customising it, then `build()`. */
  readonly builder: Builder;
  readonly sandboxOptions: LcowSandboxOptions;
  /** The annotations after defaults and expansion, as hcsshim reads them. */
  readonly annotations: Readonly<Record<string, string>>;
  /** What hcsshim would only log: unparsable values it replaced by defaults, ignored entries. */
  readonly warnings: readonly ValidationIssue[];
}

/** Annotations that expand into others with the same value (hcs-host.md §4.1). */
const EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  [A.DisableUnsafeOperations]: [A.WCOWDisableGMSA, A.DisableWritableFileShares, A.VSMBNoDirectMap, A.DisableHostProcessContainer],
};
const UNSUPPORTED: readonly string[] = [A.NetworkConfigProxy, A.VPMemNoMultiMapping, A.VirtualMachineKernelDrivers];
const PLATFORMS: readonly string[] = ['linux/amd64', 'linux/arm64'];
const HV_SOCKET_FIELDS: Readonly<Record<string, readonly [keyof HvSocketServiceOptions, 'string' | 'boolean']>> = {
  bindsecuritydescriptor: ['bindSecurityDescriptor', 'string'],
  connectsecuritydescriptor: ['connectSecurityDescriptor', 'string'],
  allowwildcardbinds: ['allowWildcardBinds', 'boolean'],
  disabled: ['disabled', 'boolean'],
};

const annotationPath = (key: string) => jsonPointer('annotations', key);

/**
 * hcsshim's LCOW sandbox builder driven by `io.microsoft.virtualmachine.*` annotations, with its
 * parsing rules (Go's ParseBool and base-10 integers; an unparsable value falls back to the default
 * with a warning) and its errors, reported with the annotation in the path (for example
 * `/annotations/io.microsoft.virtualmachine.cpugroup.id`) when `build()` runs. Returns the Builder,
 * hcsshim's side-car SandboxOptions, the processed annotations and the warnings.
 */
export function lcowFromAnnotations(
  annotations: Readonly<Record<string, string>>,
  runtimeOptions: LcowRuntimeOptions,
  host: HostFacts,
  context: LcowAnnotationContext,
): LcowFromAnnotationsResult {
  const { preset, ...rest } = fillLcowFromAnnotations(annotations, runtimeOptions, host, context);
  return { builder: preset.builder, ...rest };
}

/** {@link lcowFromAnnotations} with the preset itself, for `buildFromSpec`. */
export function fillLcowFromAnnotations(
  annotations: Readonly<Record<string, string>>,
  runtimeOptions: LcowRuntimeOptions,
  host: HostFacts,
  context: LcowAnnotationContext,
): Omit<LcowFromAnnotationsResult, 'builder'> & { preset: Preset<LcowOptions> } {
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const runtime: LcowRuntimeOptions = isRecord(runtimeOptions) ? runtimeOptions : {};
  if (!isRecord(runtimeOptions)) issues.push({ path: '/runtimeOptions', message: 'No options provided: pass the runtime options (at least sandboxPlatform).' });
  const ctx: Partial<LcowAnnotationContext> = isRecord(context) ? context : {};
  const a = processAnnotations(annotations, runtime, issues);
  const read = new AnnotationReader(a, warnings);

  const platform = typeof runtime.sandboxPlatform === 'string' ? runtime.sandboxPlatform.toLowerCase() : '';
  if (!PLATFORMS.includes(platform)) {
    issues.push({ path: '/runtimeOptions/sandboxPlatform', message: `Unsupported sandbox platform: ${showValue(runtime.sandboxPlatform)}; use "linux/amd64" or "linux/arm64".` });
  }
  const policy = read.string(A.LCOWSecurityPolicy);
  const snp = policy !== '' && !read.bool(A.NoSecurityHardware, false);
  const fullyPhysicallyBacked = read.bool(A.FullyPhysicallyBacked, false);
  const allowOvercommit = read.bool(A.AllowOvercommit, true);

  const sources = new Map<string, string>();
  const options = lcowOptions(read, runtime, ctx, host, snp, policy, sources, issues);
  const where = (option: string): string => {
    const known = sources.get(option);
    if (known !== undefined) return known;
    const device = /^devices\.(\d+)\.(\w+)$/.exec(option);
    if (device !== null) return jsonPointer('context', 'devices', device[1] ?? '', device[2] ?? '');
    return option === '' ? '/annotations' : jsonPointer('options', ...option.split('.'));
  };
  const preset = fillLcow(options, where);
  for (const i of issues) preset.builder.core.record(i.path, i.message);
  for (const w of warnings) preset.builder.core.logger.warn({ path: w.path }, w.message);

  const confidentialConfig: LcowConfidentialConfig | undefined =
    policy === ''
      ? undefined
      : {
          securityPolicy: policy,
          securityPolicyEnforcer: read.string(A.LCOWSecurityPolicyEnforcer, 'rego'),
          uvmReferenceInfoFile: read.string(A.LCOWReferenceInfoFile, BOOT_FILE.referenceInfo),
          uvmHashEnvelopeReferenceInfoFile: read.string(A.UVMHashEnvelopeReferenceInfoFile, BOOT_FILE.referenceInfoHashEnvelope),
        };
  const sandboxOptions: LcowSandboxOptions = {
    architecture: platform.slice(platform.indexOf('/') + 1),
    policyBasedRouting: read.bool(A.NetworkingPolicyBasedRouting, false),
    noWritableFileShares: read.bool(A.DisableWritableFileShares, false),
    ...(confidentialConfig === undefined ? {} : { confidentialConfig }),
    enableScratchEncryption: read.bool(A.LCOWEncryptedScratchDisk, confidentialConfig !== undefined),
    fullyPhysicallyBacked: fullyPhysicallyBacked || !allowOvercommit || snp,
  };
  return { preset, sandboxOptions, annotations: a, warnings: [...warnings, ...preset.warnings] };
}

/** Defaults, expansion and the annotations hcsshim refuses (hcs-host.md §4.1 step 2). */
function processAnnotations(annotations: unknown, runtime: LcowRuntimeOptions, issues: ValidationIssue[]): Record<string, string> {
  const a: Record<string, string> = {};
  if (isRecord(annotations)) {
    for (const [k, v] of Object.entries(annotations)) {
      if (typeof v === 'string') a[k] = v;
      else issues.push({ path: annotationPath(k), message: `Annotation values are strings; got ${showValue(v)}.` });
    }
  } else if (annotations !== undefined && annotations !== null) {
    // A missing map is an empty one, as in hcsshim; anything else is a mistake.
    issues.push({ path: '/annotations', message: `Annotations must be an object of strings; got ${showValue(annotations)}.` });
  }
  const defaults = runtime.defaultContainerAnnotations;
  if (isRecord(defaults)) {
    for (const [k, v] of Object.entries(defaults)) if (!Object.hasOwn(a, k) && typeof v === 'string') a[k] = v;
  }
  for (const [key, expansions] of Object.entries(EXPANSIONS)) {
    const value = a[key];
    if (value === undefined) continue;
    for (const k of expansions) {
      const existing = a[k];
      if (existing !== undefined && existing !== value) {
        issues.push({
          path: annotationPath(k),
          message: `Annotation expansion conflict: ${key} = ${JSON.stringify(value)} expands to ${k}, which is already ${JSON.stringify(existing)}. Remove one of them or make them agree.`,
        });
        continue;
      }
      a[k] = value;
    }
  }
  const isTrue = (k: string) => {
    const v = a[k];
    if (v === undefined) return false;
    const parsed = parseGoBool(v);
    return parsed.ok && parsed.value;
  };
  if (isTrue(A.DisableHostProcessContainer) && isTrue(A.HostProcessContainer)) {
    issues.push({
      path: annotationPath(A.HostProcessContainer),
      message: `Specified annotations conflict: ${A.HostProcessContainer} and ${A.DisableHostProcessContainer} cannot both be true.`,
    });
  }
  for (const k of UNSUPPORTED) {
    if (a[k] !== undefined && a[k] !== '') issues.push({ path: annotationPath(k), message: `${k} annotation is not supported: remove it.` });
  }
  return a;
}

/** Reads annotations with hcsshim's rules; a value Go cannot parse is a warning and the default. */
class AnnotationReader {
  constructor(
    private readonly a: Readonly<Record<string, string>>,
    private readonly warnings: ValidationIssue[],
  ) {}

  has(key: string): boolean {
    return this.a[key] !== undefined;
  }

  string(key: string, fallback = ''): string {
    return this.a[key] ?? fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    return this.nullableBool(key) ?? fallback;
  }

  nullableBool(key: string): boolean | undefined {
    const v = this.a[key];
    if (v === undefined) return undefined;
    const parsed = parseGoBool(v);
    if (parsed.ok) return parsed.value;
    this.#warn(key, v, parsed.reason);
    return undefined;
  }

  integer(key: string, kind: IntegerKind): number | undefined {
    const v = this.a[key];
    if (v === undefined) return undefined;
    const parsed = parseGoInteger(v, kind);
    if (parsed.ok) return parsed.value;
    this.#warn(key, v, parsed.reason);
    return undefined;
  }

  list(key: string, kind: IntegerKind): number[] | undefined {
    const v = this.a[key];
    if (v === undefined || v === '') return undefined;
    const parsed = parseGoIntegerList(v, kind);
    if (parsed.ok) return parsed.value;
    this.#warn(key, v, parsed.reason);
    return undefined;
  }

  /** hvsock services from `<prefix><GUID>` annotations whose values are JSON service configurations. */
  hvSocketServices(): Record<string, HvSocketServiceOptions> {
    const table: Record<string, HvSocketServiceOptions> = {};
    // Sorted, so that two spellings of one GUID resolve the same way on every run.
    for (const key of Object.keys(this.a).sort()) {
      if (!key.startsWith(A.UVMHyperVSocketConfigPrefix)) continue;
      const id = key.slice(A.UVMHyperVSocketConfigPrefix.length);
      if (!isGuid(id)) {
        this.warnings.push({ path: annotationPath(key), message: `Ignoring hvsock service ${showValue(id)}: the annotation must end in a GUID.` });
        continue;
      }
      const service = parseServiceConfig(this.a[key] ?? '');
      if (service === undefined) {
        this.warnings.push({ path: annotationPath(key), message: 'Ignoring the hvsock service: its value is not a JSON HvSocketServiceConfig object.' });
        continue;
      }
      table[id.toLowerCase()] = service;
    }
    return table;
  }

  #warn(key: string, value: string, reason: string): void {
    this.warnings.push({ path: annotationPath(key), message: `Annotation value ${showValue(value)} ${reason}; using the default.` });
  }
}

/** Go's json.Unmarshal into HvSocketServiceConfig: keys match case-insensitively, unknown keys are ignored. */
function parseServiceConfig(text: string): HvSocketServiceOptions | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (!isRecord(parsed)) return undefined;
  const service: { -readonly [K in keyof HvSocketServiceOptions]: HvSocketServiceOptions[K] } = {};
  for (const [key, value] of Object.entries(parsed)) {
    const field = HV_SOCKET_FIELDS[key.toLowerCase()];
    if (field === undefined || value === null) continue;
    if (typeof value !== field[1]) return undefined;
    Object.assign(service, { [field[0]]: value });
  }
  return service;
}

function lcowOptions(
  read: AnnotationReader,
  runtime: LcowRuntimeOptions,
  ctx: Partial<LcowAnnotationContext>,
  host: HostFacts,
  snp: boolean,
  policy: string,
  sources: Map<string, string>,
  issues: ValidationIssue[],
): LcowOptions {
  const o: Record<string, unknown> = { host, bootFiles: ctx.bootFiles };
  sources.set('bootFiles', '/context/bootFiles');
  // An issue about an option points at the annotation that set it, else at the runtime option that
  // did, else at the annotation that would have.
  const from = (option: string, key: string, value: unknown) => {
    if (value === undefined) {
      if (!sources.has(option)) sources.set(option, annotationPath(key));
      return;
    }
    o[option] = value;
    sources.set(option, annotationPath(key));
  };
  const fromRuntime = (option: string, field: keyof LcowRuntimeOptions) => {
    const value = runtime[field];
    if (value === undefined) return;
    o[option] = value;
    sources.set(option, jsonPointer('runtimeOptions', field));
  };

  if (ctx.owner !== undefined) o.owner = ctx.owner;
  if (ctx.newGuid !== undefined) o.newGuid = ctx.newGuid;
  if (ctx.logger !== undefined) o.logger = ctx.logger;
  if (ctx.devices !== undefined) o.devices = ctx.devices;

  for (const [option, field] of [
    ['processorCount', 'vmProcessorCount'],
    ['memorySizeInMB', 'vmMemorySizeInMb'],
  ] as const) {
    const value = runtime[field];
    if (value !== undefined && !(isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) {
      issues.push({ path: jsonPointer('runtimeOptions', field), message: `${field} must be an int32; got ${showValue(value)}.` });
    } else if (option === 'memorySizeInMB' && value !== undefined && value < 0) {
      issues.push({ path: '/runtimeOptions/vmMemorySizeInMb', message: `vmMemorySizeInMb cannot be negative; got ${value}.` });
    } else {
      fromRuntime(option, field);
    }
  }
  from('processorCount', A.ProcessorCount, read.integer(A.ProcessorCount, 'int32'));
  // hcsshim stores limit and weight as the uint32 reinterpretation of the int32 (negative wraps).
  from('processorLimit', A.ProcessorLimit, wrapUint32(read.integer(A.ProcessorLimit, 'int32')));
  from('processorWeight', A.ProcessorWeight, wrapUint32(read.integer(A.ProcessorWeight, 'int32')));
  from('cpuGroupId', A.CPUGroupID, read.has(A.CPUGroupID) ? read.string(A.CPUGroupID) : undefined);
  from('resourcePartitionId', A.ResourcePartitionID, read.has(A.ResourcePartitionID) ? read.string(A.ResourcePartitionID) : undefined);
  from('memorySizeInMB', A.MemorySizeInMB, read.integer(A.MemorySizeInMB, 'uint64'));
  from('lowMmioGapInMB', A.MemoryLowMMIOGapInMB, read.integer(A.MemoryLowMMIOGapInMB, 'uint64'));
  from('highMmioBaseInMB', A.MemoryHighMMIOBaseInMB, read.integer(A.MemoryHighMMIOBaseInMB, 'uint64'));
  from('highMmioGapInMB', A.MemoryHighMMIOGapInMB, read.integer(A.MemoryHighMMIOGapInMB, 'uint64'));
  from('allowOvercommit', A.AllowOvercommit, read.nullableBool(A.AllowOvercommit));
  from('fullyPhysicallyBacked', A.FullyPhysicallyBacked, read.nullableBool(A.FullyPhysicallyBacked));
  from('enableDeferredCommit', A.EnableDeferredCommit, read.nullableBool(A.EnableDeferredCommit));
  from('enableColdDiscardHint', A.EnableColdDiscardHint, read.nullableBool(A.EnableColdDiscardHint));
  if (!snp) o.numa = numaOptions(read, sources);
  const iops = read.integer(A.StorageQoSIopsMaximum, 'int32');
  const bandwidth = read.integer(A.StorageQoSBandwidthMaximum, 'int32');
  o.storageQoS = { ...(iops === undefined ? {} : { iopsMaximum: iops }), ...(bandwidth === undefined ? {} : { bandwidthMaximum: bandwidth }) };

  if (ctx.defaultBootFilesPath !== undefined) {
    o.bootFilesPath = ctx.defaultBootFilesPath;
    sources.set('bootFilesPath', '/context/defaultBootFilesPath');
  }
  // An empty path is no path: the next source applies (hcs-host.md §4.5).
  if (runtime.bootFilesRootPath !== '') fromRuntime('bootFilesPath', 'bootFilesRootPath');
  from('bootFilesPath', A.BootFilesRootPath, read.string(A.BootFilesRootPath) === '' ? undefined : read.string(A.BootFilesRootPath));
  from('kernelDirect', A.KernelDirectBoot, read.nullableBool(A.KernelDirectBoot));
  from('preferredRootFsType', A.PreferredRootFSType, read.has(A.PreferredRootFSType) ? read.string(A.PreferredRootFSType) : undefined);
  from('vpciEnabled', A.VPCIEnabled, read.nullableBool(A.VPCIEnabled));
  from('vpmemMaximumCount', A.VPMemCount, read.integer(A.VPMemCount, 'uint32'));
  from('consolePipe', A.UVMConsolePipe, read.has(A.UVMConsolePipe) ? read.string(A.UVMConsolePipe) : undefined);
  from('kernelBootOptions', A.KernelBootOptions, read.has(A.KernelBootOptions) ? read.string(A.KernelBootOptions) : undefined);
  from('writableOverlayDirs', A.WritableOverlayDirs, read.nullableBool(A.WritableOverlayDirs));
  from('dmVerity', A.DmVerityMode, read.nullableBool(A.DmVerityMode));
  from('dmVerityCreateArgs', A.DmVerityCreateArgs, read.has(A.DmVerityCreateArgs) ? read.string(A.DmVerityCreateArgs) : undefined);
  if (typeof runtime.logLevel === 'string') fromRuntime('logLevel', 'logLevel');
  if (typeof runtime.scrubLogs === 'boolean') fromRuntime('scrubLogs', 'scrubLogs');
  from('disableTimeSync', A.DisableLCOWTimeSyncService, read.nullableBool(A.DisableLCOWTimeSyncService));
  from('processDumpLocation', A.ContainerProcessDumpLocation, read.has(A.ContainerProcessDumpLocation) ? read.string(A.ContainerProcessDumpLocation) : undefined);
  from('extraExecArgs', A.ExtraLCOWExecArgs, read.has(A.ExtraLCOWExecArgs) ? read.string(A.ExtraLCOWExecArgs) : undefined);
  from('liveMigration', A.LiveMigrationSupportEnabled, read.nullableBool(A.LiveMigrationSupportEnabled));
  o.hvSocketServiceTable = read.hvSocketServices();

  if (snp) {
    const hclEnabled = read.nullableBool(A.LCOWHclEnabled);
    const extraPorts = read.list(A.ExtraVSockPorts, 'uint32');
    o.confidential = {
      securityPolicy: policy,
      bundlePath: ctx.bundlePath,
      ...(read.has(A.LCOWGuestStateFile) ? { guestStateFile: read.string(A.LCOWGuestStateFile) } : {}),
      ...(read.has(A.DmVerityRootFsVhd) ? { dmVerityRootfsVhd: read.string(A.DmVerityRootFsVhd) } : {}),
      ...(hclEnabled === undefined ? {} : { hclEnabled }),
      ...(extraPorts === undefined ? {} : { extraVsockPorts: extraPorts }),
    };
    sources.set('confidential.securityPolicy', annotationPath(A.LCOWSecurityPolicy));
    sources.set('confidential.bundlePath', '/context/bundlePath');
  }
  return o as unknown as LcowOptions;
}

function numaOptions(read: AnnotationReader, sources: Map<string, string>): PresetNumaOptions {
  const maxProcessors = read.integer(A.NumaMaximumProcessorsPerNode, 'uint32');
  const maxSize = read.integer(A.NumaMaximumMemorySizePerNode, 'uint64');
  const preferred = read.list(A.NumaPreferredPhysicalNodes, 'uint32');
  const mapped = read.list(A.NumaMappedPhysicalNodes, 'uint32');
  const processors = read.list(A.NumaCountOfProcessors, 'uint32');
  const blocks = read.list(A.NumaCountOfMemoryBlocks, 'uint64');
  sources.set('numa', annotationPath(mapped !== undefined && (maxProcessors ?? 0) === 0 ? A.NumaMappedPhysicalNodes : A.NumaMaximumProcessorsPerNode));
  sources.set('numa.maxSizePerNodeInMB', annotationPath(A.NumaMaximumMemorySizePerNode));
  return {
    ...(maxProcessors === undefined ? {} : { maxProcessorsPerNode: maxProcessors }),
    ...(maxSize === undefined ? {} : { maxSizePerNodeInMB: maxSize }),
    ...(preferred === undefined ? {} : { preferredPhysicalNodes: preferred }),
    ...(mapped === undefined ? {} : { mappedPhysicalNodes: mapped }),
    ...(processors === undefined ? {} : { countOfProcessors: processors }),
    ...(blocks === undefined ? {} : { countOfMemoryBlocks: blocks }),
  };
}

function wrapUint32(value: number | undefined): number | undefined {
  return value === undefined || value === 0 ? undefined : value >>> 0;
}
