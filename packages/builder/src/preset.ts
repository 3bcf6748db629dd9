import { isGuid, showValue, WindowsBuild, type ValidationIssue } from '@uvm/types';
import { UtilityVmBuilder } from './builder.js';
import { jsonPointer } from './jsonPointer.js';
import type { GuestOs } from './ruleContext.js';
import type { PresetOptions } from './presetOptions.js';
import { isInteger, isRecord } from './values.js';

/** Maps an option name (`memorySizeInMB`, `numa.maxSizePerNodeInMB`) to the JSON pointer an issue names. */
export type OptionPath = (option: string) => string;

/** The options' own paths, for `lcow()` and `wcow()` callers. */
export const optionPath: OptionPath = (option) => jsonPointer('options', ...(option === '' ? [] : option.split('.')));

const DEFAULT_MEMORY_MB = 1024;
const NAMED_PIPE_PREFIX = '\\\\.\\pipe\\';

/**
 * A preset in progress: the builder it fills, where its option issues point, and the warnings
 * hcsshim would log. Errors hcsshim reports become issues that `build()` throws; a value hcsshim
 * would reject is kept out of the document, so the same problem is not reported twice.
 */
export class Preset<O extends PresetOptions> {
  readonly builder: UtilityVmBuilder;
  readonly options: Partial<O>;
  readonly warnings: ValidationIssue[] = [];
  readonly windowsBuild: number;

  constructor(
    os: GuestOs,
    options: O,
    readonly where: OptionPath,
  ) {
    this.options = isRecord(options) ? options : {};
    const o = this.options;
    this.builder = new UtilityVmBuilder({
      os,
      host: o.host as O['host'],
      ...(o.newGuid === undefined ? {} : { newGuid: o.newGuid }),
      ...(o.logger === undefined ? {} : { logger: o.logger }),
    });
    this.windowsBuild = isInteger(this.builder.host.windowsBuild) ? this.builder.host.windowsBuild : 0;
  }

  /** Runs `fill`, turning a throw from reading odd options into an issue, then logs the warnings. */
  run(kind: string, fill: () => void): this {
    try {
      fill();
    } catch (error) {
      this.builder.core.record(this.where(''), `The ${kind} options could not be read (${error instanceof Error ? error.message : showValue(error)}); pass plain data.`);
    }
    for (const w of this.warnings) this.builder.core.logger.warn({ path: w.path }, w.message);
    return this;
  }

  issue(option: string, message: string): void {
    this.builder.core.record(this.where(option), message);
  }

  warn(option: string, message: string): void {
    this.warnings.push({ path: this.where(option), message });
  }

  /** hcsshim's processor count: default 1 or 2, clamped to the host with a warning (hcs-host.md §4.2). */
  processor(): number {
    const { builder: b, options: o } = this;
    const host = b.host;
    let count: unknown = o.processorCount ?? 0;
    if (!isInteger(count)) {
      this.issue('processorCount', `The processor count must be an integer; got ${showValue(count)}.`);
      count = 0;
    }
    let n = count as number;
    if (n <= 0) n = (host.processCpuCount ?? host.logicalProcessorCount) === 1 ? 1 : 2;
    if (isInteger(host.logicalProcessorCount) && n > host.logicalProcessorCount) {
      this.warn('processorCount', `${n} processors exceed the host's ${host.logicalProcessorCount} logical processors; using ${host.logicalProcessorCount}.`);
      n = host.logicalProcessorCount;
    }
    b.processor.setCount(n);
    if (o.processorLimit !== undefined) b.processor.setLimit(o.processorLimit);
    if (o.processorWeight !== undefined) b.processor.setWeight(o.processorWeight);
    if (o.cpuGroupId !== undefined && o.cpuGroupId !== '') {
      if (this.windowsBuild < WindowsBuild.V21H1) {
        this.issue('cpuGroupId', `CPU group assignment on create requires a build of ${WindowsBuild.V21H1} or higher; this host is build ${this.windowsBuild}. Remove the CPU group.`);
      } else {
        b.processor.setCpuGroup(o.cpuGroupId);
      }
    }
    return n;
  }

  resourcePartition(): void {
    const o = this.options;
    const id = o.resourcePartitionId;
    if (id === undefined || id === '') return;
    if (!isGuid(id)) {
      this.issue('resourcePartitionId', `Failed to parse resource_partition_id ${showValue(id)} to GUID: it must look like 8-4-4-4-12 hex digits.`);
    } else if (o.cpuGroupId !== undefined && o.cpuGroupId !== '') {
      this.issue('resourcePartitionId', 'cpu_group_id and resource_partition_id cannot be set at the same time: keep one of them.');
    } else {
      this.builder.setResourcePartitionId(id);
    }
  }

  /** Size (default 1024, rounded up to even), MMIO, deferred commit and cold discard; returns overcommit. */
  memory(physical: boolean): boolean {
    const { builder: b, options: o } = this;
    let size: unknown = o.memorySizeInMB ?? 0;
    if (!isInteger(size) || size < 0) {
      this.issue('memorySizeInMB', `The memory size must be a non-negative integer number of MB; got ${showValue(size)}.`);
      size = 0;
    }
    let mb = size as number;
    if (mb === 0) mb = DEFAULT_MEMORY_MB;
    // hcsshim rounds up to an even number of MB (hcs-host.md §4.3).
    b.memory.setSizeInMB(mb % 2 === 0 ? mb : mb + 1);
    b.memory.setMmio({
      ...(o.lowMmioGapInMB === undefined ? {} : { lowGapInMB: o.lowMmioGapInMB }),
      ...(o.highMmioBaseInMB === undefined ? {} : { highBaseInMB: o.highMmioBaseInMB }),
      ...(o.highMmioGapInMB === undefined ? {} : { highGapInMB: o.highMmioGapInMB }),
    });
    const overcommit = physical || o.fullyPhysicallyBacked === true ? false : (o.allowOvercommit ?? true);
    if (o.enableDeferredCommit === true) {
      if (!overcommit) {
        this.issue('enableDeferredCommit', 'enable_deferred_commit is not supported on physically backed vms: allow overcommit or turn deferred commit off.');
      } else {
        b.memory.setDeferredCommit(true);
      }
    }
    if (o.enableColdDiscardHint === true) {
      if (this.windowsBuild < WindowsBuild.COLD_DISCARD_HINT) {
        this.issue('enableColdDiscardHint', `EnableColdDiscardHint is not supported on builds older than ${WindowsBuild.COLD_DISCARD_HINT}; this host is build ${this.windowsBuild}.`);
      } else {
        b.memory.setColdDiscardHint(true);
      }
    }
    b.memory.setAllowOvercommit(overcommit);
    return overcommit;
  }

  /** hcsshim's PrepareVNumaTopology inputs (hcs-host.md §4.4); returns whether the topology is implicit. */
  numa(): boolean {
    const n = this.options.numa;
    if (n === undefined) return false;
    const maxProcessors = n.maxProcessorsPerNode ?? 0;
    const mapped = n.mappedPhysicalNodes ?? [];
    if (maxProcessors === 0 && mapped.length === 0) return false;
    if (this.windowsBuild < WindowsBuild.V25H1_SERVER) {
      this.issue('numa', `vNUMA topology is not supported on build ${this.windowsBuild} of Windows: it needs build ${WindowsBuild.V25H1_SERVER} (Windows Server 2025).`);
      return false;
    }
    const preferred = n.preferredPhysicalNodes === undefined ? {} : { preferredPhysicalNodes: n.preferredPhysicalNodes };
    if (maxProcessors > 0) {
      const maxSize = n.maxSizePerNodeInMB ?? 0;
      if (maxSize === 0) {
        this.issue('numa.maxSizePerNodeInMB', 'Max size per node must be set when max processors per NUMA node is set.');
        return false;
      }
      this.builder.numa.setImplicit({ maxProcessorsPerNode: maxProcessors, maxSizePerNodeInMB: maxSize, ...preferred });
      return true;
    }
    const processors = n.countOfProcessors ?? [];
    const blocks = n.countOfMemoryBlocks ?? [];
    if (processors.length !== mapped.length || blocks.length !== mapped.length) {
      this.issue(
        'numa',
        `Mismatch in number of physical NUMA nodes (${mapped.length}) and the corresponding processor (${processors.length}) and memory blocks (${blocks.length}) counts: give one of each per node.`,
      );
      return false;
    }
    this.builder.numa.setExplicit({
      nodes: mapped.map((physicalNode, i) => ({ physicalNode, countOfProcessors: processors[i] ?? 0, countOfMemoryBlocks: blocks[i] ?? 0 })),
      ...preferred,
    });
    return false;
  }

  storageQoS(): void {
    const q = this.options.storageQoS;
    if (q?.iopsMaximum !== undefined) this.builder.storageQoS.setIopsMaximum(q.iopsMaximum);
    if (q?.bandwidthMaximum !== undefined) this.builder.storageQoS.setBandwidthMaximum(q.bandwidthMaximum);
  }

  hvSocketServices(): void {
    const table: PresetOptions['hvSocketServiceTable'] = this.options.hvSocketServiceTable;
    for (const [serviceId, service] of Object.entries(table ?? {})) this.builder.devices.setHvSocketService(serviceId, service);
  }

  /** COM1 to the console pipe, which must be a named pipe; returns whether a console is attached. */
  consolePipe(): boolean {
    const pipe = this.options.consolePipe;
    if (pipe === undefined || pipe === '') return false;
    if (!pipe.startsWith(NAMED_PIPE_PREFIX)) {
      this.issue('consolePipe', `Listener for serial console is not a named pipe: use \\\\.\\pipe\\<name>; got ${showValue(pipe)}.`);
      return false;
    }
    this.builder.devices.addComPort(0, { namedPipe: pipe });
    return true;
  }
}
