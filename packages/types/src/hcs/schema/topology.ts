import Type, { type Static } from 'typebox';
import { goField } from '../../goJson.js';
import { int64, opt, ptr, struct, uint32, uint64, uint8 } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';
import { MemoryBackingTypeSchema, VirtualSlitTypeSchema } from './enums.js';

/** One virtual NUMA node and the physical node, processors and memory behind it. */
export const NumaSettingSchema = struct('NumaSetting', {
  VirtualNodeNumber: opt(uint32()),
  PhysicalNodeNumber: opt(uint32()),
  VirtualSocketNumber: opt(uint32()),
  CountOfProcessors: opt(uint32()),
  CountOfMemoryBlocks: opt(uint64()),
  MemoryBackingType: opt(MemoryBackingTypeSchema),
});
export type NumaSetting = Static<typeof NumaSettingSchema>;

/** An explicit or implicit virtual NUMA topology (hcs-host.md §4.4). */
export const NumaSchema = struct('Numa', {
  VirtualNodeCount: opt(uint8()),
  PreferredPhysicalNodes: opt(Type.Array(int64())),
  Settings: opt(Type.Array(NumaSettingSchema)),
  MaxSizePerNode: opt(uint64()),
});
export type Numa = Static<typeof NumaSchema>;

/** Memory of a VM in MB, its backing and MMIO gaps; note the `Mmio` spelling (hcs-host.md §5.3). */
export const VirtualMachineMemorySchema = struct('VirtualMachineMemory', {
  SizeInMB: opt(uint64()),
  Backing: ptr(MemoryBackingTypeSchema),
  AllowOvercommit: opt(Type.Boolean()),
  EnableHotHint: opt(Type.Boolean()),
  EnableColdHint: opt(Type.Boolean()),
  EnableColdDiscardHint: opt(Type.Boolean()),
  EnableDeferredCommit: opt(Type.Boolean()),
  LowMmioGapInMB: opt(uint64()),
  HighMmioBaseInMB: opt(uint64()),
  HighMmioGapInMB: opt(uint64()),
  SlitType: ptr(VirtualSlitTypeSchema),
});
export type VirtualMachineMemory = Static<typeof VirtualMachineMemorySchema>;

/** The host CPU group a VM runs in, by GUID. */
export const CpuGroupSchema = struct('CpuGroup', {
  Id: opt(guid()),
});
export type CpuGroup = Static<typeof CpuGroupSchema>;

/** An upper bound (`max`), used by `NumaProcessors.count_per_node`. */
export const RangeSchema = struct('Range', {
  max: opt(uint32()),
});
export type Range = Static<typeof RangeSchema>;

/** Implicit vNUMA processor limits; the keys are snake_case and `count_per_node` is always written. */
export const NumaProcessorsSchema = struct('NumaProcessors', {
  count_per_node: goField(RangeSchema, { keep: true }),
  node_per_socket: opt(uint32()),
});
export type NumaProcessors = Static<typeof NumaProcessorsSchema>;

/** Virtual processors, their limit/weight/reservation, CPU group and per-node NUMA limits. */
export const VirtualMachineProcessorSchema = struct('VirtualMachineProcessor', {
  Count: opt(uint32()),
  Limit: opt(uint64()),
  Weight: opt(uint64()),
  Reservation: opt(uint64()),
  CpuGroup: opt(CpuGroupSchema),
  NumaProcessorsSettings: opt(NumaProcessorsSchema),
});
export type VirtualMachineProcessor = Static<typeof VirtualMachineProcessorSchema>;

/** Memory, processors and NUMA layout of a VM (hcs-host.md §5.3). */
export const TopologySchema = struct('Topology', {
  Memory: opt(VirtualMachineMemorySchema),
  Processor: opt(VirtualMachineProcessorSchema),
  Numa: opt(NumaSchema),
});
export type Topology = Static<typeof TopologySchema>;

/** The body of a CPU-limits update of a running VM (hcs-host.md §3.2). */
export const ProcessorLimitsSchema = struct('ProcessorLimits', {
  Limit: opt(uint64()),
  Weight: opt(uint64()),
  Reservation: opt(uint64()),
  MaximumFrequencyMHz: opt(uint32()),
});
export type ProcessorLimits = Static<typeof ProcessorLimitsSchema>;

/** A virtual-to-physical NUMA node mapping. */
export const NumaNodeSchema = struct('NumaNode', {
  VirtualNodeIndex: opt(uint32()),
  PhysicalNodeIndex: opt(uint32()),
});
export type NumaNode = Static<typeof NumaNodeSchema>;

/** Memory of a NUMA node, in pages. */
export const NumaNodeMemorySchema = struct('NumaNodeMemory', {
  TotalConsumableMemoryInPages: opt(uint64()),
  AvailableMemoryInPages: opt(uint64()),
});
export type NumaNodeMemory = Static<typeof NumaNodeMemorySchema>;

/** Processors of a NUMA node. */
export const NumaNodeProcessorSchema = struct('NumaNodeProcessor', {
  TotalAssignedProcessors: opt(uint32()),
  TotalAvailableProcessors: opt(uint32()),
});
export type NumaNodeProcessor = Static<typeof NumaNodeProcessorSchema>;
