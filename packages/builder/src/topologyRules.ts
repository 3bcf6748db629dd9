import { showValue, WindowsBuild, type ComputeSystem } from '@uvm/types';
import { DocPath } from './documentPaths.js';
import { jsonPointer } from './jsonPointer.js';
import type { RuleContext } from './ruleContext.js';
import { elementsOf, isInteger, isRecord } from './values.js';

/** Hyper-V's processor limit and reservation are thousandths of a percent of one host CPU. */
const MAX_PROCESSOR_PERCENT_THOUSANDTHS = 100_000;
/** Hyper-V's relative processor weight. */
const MAX_PROCESSOR_WEIGHT = 10_000;
/** hcsshim's limits for an explicit vNUMA topology (hcs-host.md §4.4). */
const MAX_VIRTUAL_NODE = 64;
const MAX_PHYSICAL_NODE = 64;
const WILDCARD_PHYSICAL_NODE = 0xff;

/** Memory, processor and NUMA rules of hcs-host.md §4.2–§4.4. */
export function checkTopology(doc: ComputeSystem, ctx: RuleContext): void {
  checkMemory(doc, ctx);
  checkProcessor(doc, ctx);
  checkNuma(doc, ctx);
}

function checkMemory(doc: ComputeSystem, ctx: RuleContext): void {
  const memory = doc.VirtualMachine?.ComputeTopology?.Memory;
  const at = (key: string) => `${DocPath.memory}/${key}`;
  const size = memory?.SizeInMB;
  if (size === undefined || size === 0) {
    ctx.issues.add(at('SizeInMB'), 'The memory size is required: set it in MB (memory.setSizeInMB), for example 1024.');
  } else if (isInteger(size) && size > 0 && size % 2 !== 0) {
    ctx.issues.add(at('SizeInMB'), `The memory size must be an even number of MB; got ${size}. Use ${size + 1}.`);
  }
  if (!isRecord(memory)) return;
  const overcommit = memory.AllowOvercommit === true;
  if (memory.Backing === 'Physical' && overcommit) {
    ctx.issues.add(at('AllowOvercommit'), 'Physically backed memory cannot be overcommitted: remove AllowOvercommit or use the Virtual backing.');
  }
  if (memory.EnableDeferredCommit === true && !overcommit) {
    ctx.issues.add(
      at('EnableDeferredCommit'),
      'Deferred commit needs virtually backed memory (AllowOvercommit); it is not supported on physically backed VMs. Allow overcommit or turn deferred commit off.',
    );
  }
  if (memory.EnableColdDiscardHint === true && ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.COLD_DISCARD_HINT) {
    ctx.issues.add(
      at('EnableColdDiscardHint'),
      `The cold discard hint needs Windows build ${WindowsBuild.COLD_DISCARD_HINT} or later; this host is build ${ctx.host.windowsBuild}. Turn the hint off.`,
    );
  }
}

function checkProcessor(doc: ComputeSystem, ctx: RuleContext): void {
  const processor = doc.VirtualMachine?.ComputeTopology?.Processor;
  const at = (key: string) => `${DocPath.processor}/${key}`;
  const count = processor?.Count;
  if (count === undefined || count === 0) {
    ctx.issues.add(at('Count'), 'The VM needs at least one virtual processor: set the count (processor.setCount), for example 2.');
  } else if (isInteger(count) && ctx.hostKnown && count > ctx.host.logicalProcessorCount) {
    ctx.issues.add(
      at('Count'),
      `The VM cannot have more virtual processors than the host's ${ctx.host.logicalProcessorCount} logical processors; got ${count}. Use at most ${ctx.host.logicalProcessorCount}.`,
    );
  }
  if (!isRecord(processor)) return;
  checkUpTo(ctx, at('Limit'), processor.Limit, MAX_PROCESSOR_PERCENT_THOUSANDTHS, 'The processor limit (thousandths of a percent; 100000 is 100%)');
  checkUpTo(ctx, at('Reservation'), processor.Reservation, MAX_PROCESSOR_PERCENT_THOUSANDTHS, 'The processor reservation (thousandths of a percent; 100000 is 100%)');
  checkUpTo(ctx, at('Weight'), processor.Weight, MAX_PROCESSOR_WEIGHT, 'The processor weight');
  if (processor.CpuGroup !== undefined && ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.V21H1) {
    ctx.issues.add(
      `${at('CpuGroup')}/Id`,
      `Assigning a CPU group when the VM is created needs Windows build ${WindowsBuild.V21H1} or later; this host is build ${ctx.host.windowsBuild}. Remove the CPU group.`,
    );
  }
}

function checkUpTo(ctx: RuleContext, path: string, value: unknown, max: number, what: string): void {
  if (isInteger(value) && value > max) ctx.issues.add(path, `${what} must be at most ${max}; got ${value}.`);
}

function checkNuma(doc: ComputeSystem, ctx: RuleContext): void {
  const topology = doc.VirtualMachine?.ComputeTopology;
  const numa = topology?.Numa;
  const numaProcessors = topology?.Processor?.NumaProcessorsSettings;
  if (numa === undefined && numaProcessors === undefined) return;
  if (ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.V25H1_SERVER) {
    ctx.issues.add(
      numa === undefined ? `${DocPath.processor}/NumaProcessorsSettings` : DocPath.numa,
      `A vNUMA topology needs Windows build ${WindowsBuild.V25H1_SERVER} (Windows Server 2025) or later; this host is build ${ctx.host.windowsBuild}. Remove the NUMA settings.`,
    );
  }
  // Read defensively: a hand-written document may lack the always-written `count_per_node`.
  const perNode: unknown = isRecord(numaProcessors) ? numaProcessors.count_per_node : undefined;
  const maxPerNode = isRecord(perNode) ? perNode.max : undefined;
  if (isInteger(maxPerNode) && maxPerNode > 0 && !(isInteger(numa?.MaxSizePerNode) && numa.MaxSizePerNode > 0)) {
    ctx.issues.add(
      `${DocPath.numa}/MaxSizePerNode`,
      'The maximum memory size per NUMA node must be set when the maximum processors per node is set: give both (numa.setImplicit).',
    );
  }
  const settings = elementsOf(numa?.Settings);
  if (settings.length > 0) checkExplicitNuma(numa?.VirtualNodeCount, settings, ctx);
  if (!isRecord(numa)) return;
  if (topology?.Memory?.AllowOvercommit === true) {
    ctx.issues.add(
      `${DocPath.memory}/AllowOvercommit`,
      'vNUMA supports only the Physical memory backing type: turn memory overcommit off (memory.setAllowOvercommit(false)).',
    );
  }
  let processors = 0;
  let memory = 0;
  for (const s of settings) {
    if (!isRecord(s)) continue;
    if (isInteger(s.CountOfProcessors)) processors += s.CountOfProcessors;
    if (isInteger(s.CountOfMemoryBlocks)) memory += s.CountOfMemoryBlocks;
  }
  const count = topology?.Processor?.Count;
  if (processors !== 0 && isInteger(count) && processors !== count) {
    ctx.issues.add(
      `${DocPath.numa}/Settings`,
      `The vNUMA nodes have ${processors} processors in total but the VM has ${count}: make the nodes' processor counts add up to ${count}.`,
    );
  }
  const size = topology?.Memory?.SizeInMB;
  if (memory !== 0 && isInteger(size) && memory !== size) {
    ctx.issues.add(
      `${DocPath.numa}/Settings`,
      `The vNUMA nodes have ${memory} MB of memory blocks in total but the VM has ${size} MB: make the nodes' memory blocks add up to ${size}.`,
    );
  }
}

function checkExplicitNuma(nodeCount: unknown, settings: unknown[], ctx: RuleContext): void {
  if (nodeCount !== undefined && nodeCount !== settings.length) {
    ctx.issues.add(
      `${DocPath.numa}/VirtualNodeCount`,
      `VirtualNodeCount is ${showValue(nodeCount)} but ${settings.length} NUMA node settings are given; they must match.`,
    );
  }
  const seenVirtual = new Map<number, number>();
  let wildcard = 0;
  let processors = 0;
  let memory = 0;
  settings.forEach((s, i) => {
    if (!isRecord(s)) return;
    const at = (key: string) => jsonPointer('VirtualMachine', 'ComputeTopology', 'Numa', 'Settings', i, key);
    const virtual = s.VirtualNodeNumber ?? 0;
    const physical = s.PhysicalNodeNumber ?? 0;
    if (isInteger(virtual)) {
      if (virtual > MAX_VIRTUAL_NODE) ctx.issues.add(at('VirtualNodeNumber'), `Virtual NUMA node ${virtual} is out of range: use 0 to ${MAX_VIRTUAL_NODE}.`);
      const first = seenVirtual.get(virtual);
      if (first === undefined) seenVirtual.set(virtual, i);
      else ctx.issues.add(at('VirtualNodeNumber'), `Virtual NUMA node ${virtual} is already defined by setting ${first}: give each node its own number.`);
    }
    if (isInteger(physical)) {
      if (physical === WILDCARD_PHYSICAL_NODE) wildcard++;
      else if (physical >= MAX_PHYSICAL_NODE) {
        ctx.issues.add(
          at('PhysicalNodeNumber'),
          `Physical NUMA node ${physical} is out of range: use 0 to ${MAX_PHYSICAL_NODE - 1}, or ${WILDCARD_PHYSICAL_NODE} to let Hyper-V choose.`,
        );
      }
    }
    if (s.CountOfMemoryBlocks === undefined || s.CountOfMemoryBlocks === 0) {
      ctx.issues.add(at('CountOfMemoryBlocks'), `Virtual NUMA node ${showValue(virtual)} has no memory: give it memory blocks.`);
    }
    if (isInteger(s.CountOfProcessors)) processors += s.CountOfProcessors;
    if (isInteger(s.CountOfMemoryBlocks)) memory += s.CountOfMemoryBlocks;
  });
  const where = `${DocPath.numa}/Settings`;
  if (wildcard > 0 && wildcard < settings.length) {
    ctx.issues.add(where, `Physical node ${WILDCARD_PHYSICAL_NODE} (any node) cannot be mixed with specific physical nodes: use it for every node or for none.`);
  }
  if ((memory === 0) !== (processors === 0)) {
    ctx.issues.add(where, 'Partial resource allocation is not allowed: give every vNUMA topology both processors and memory, or neither.');
  } else if (memory === 0 && wildcard > 0) {
    ctx.issues.add(where, `Nodes on physical node ${WILDCARD_PHYSICAL_NODE} (any node) need processor and memory counts.`);
  }
}
