import Type, { type Static } from 'typebox';
import { goField } from '../../goJson.js';
import { anyKey, int32, map, openObject, opt, struct, uint32, uint64, uint8 } from '../../goSchema.js';
import { ZERO_TIME, dateTime, guid } from '../../stringFormats.js';
import { PropertyTypeSchema } from './enums.js';
import { ProcessDetailsSchema } from './processes.js';
import { VersionSchema } from './version.js';

/** The query of HcsGetComputeSystemProperties and HcsGetServiceProperties (hcs-host.md §5.8). */
export const PropertyQuerySchema = struct('PropertyQuery', {
  PropertyTypes: opt(Type.Array(PropertyTypeSchema)),
  Queries: opt(map(anyKey(), Type.Unknown())),
});
export type PropertyQuery = Static<typeof PropertyQuerySchema>;

/** The schema versions and protocol the guest connection negotiated. */
export const GuestConnectionInfoSchema = struct('GuestConnectionInfo', {
  SupportedSchemaVersions: opt(Type.Array(VersionSchema)),
  ProtocolVersion: opt(int32()),
  GuestDefinedCapabilities: opt(Type.Unknown()),
});
export type GuestConnectionInfo = Static<typeof GuestConnectionInfoSchema>;

/** Processors and memory of one virtual NUMA node. */
export const VirtualNodeInfoSchema = struct('VirtualNodeInfo', {
  VirtualNodeIndex: opt(int32()),
  PhysicalNodeNumber: opt(int32()),
  VirtualProcessorCount: opt(int32()),
  MemoryUsageInPages: opt(int32()),
});
export type VirtualNodeInfo = Static<typeof VirtualNodeInfoSchema>;

/** Dynamic-memory state of a VM; assigned memory is in 4 KiB pages. */
export const VmMemorySchema = struct('VmMemory', {
  AvailableMemory: opt(int32()),
  AvailableMemoryBuffer: opt(int32()),
  ReservedMemory: opt(uint64()),
  AssignedMemory: opt(uint64()),
  SlpActive: opt(Type.Boolean()),
  BalancingEnabled: opt(Type.Boolean()),
  DmOperationInProgress: opt(Type.Boolean()),
});
export type VmMemory = Static<typeof VmMemorySchema>;

/** The `Memory` property of a VM (hcs-host.md §2.4). */
export const MemoryInformationForVmSchema = struct('MemoryInformationForVm', {
  VirtualNodeCount: opt(uint32()),
  VirtualMachineMemory: opt(VmMemorySchema),
  VirtualNodes: opt(Type.Array(VirtualNodeInfoSchema)),
});
export type MemoryInformationForVm = Static<typeof MemoryInformationForVmSchema>;

/** One answer to a `PropertyQuery.Queries` entry. */
export const PropertyResponseSchema = struct('PropertyResponse', {
  Response: opt(Type.Unknown()),
});
export type PropertyResponse = Static<typeof PropertyResponseSchema>;

/** Where a shared-memory section landed in guest physical memory. */
export const SharedMemoryRegionInfoSchema = struct('SharedMemoryRegionInfo', {
  SectionName: opt(Type.String()),
  GuestPhysicalAddress: opt(int32()),
});
export type SharedMemoryRegionInfo = Static<typeof SharedMemoryRegionInfoSchema>;

/** Memory use, in bytes. */
export const MemoryStatsSchema = struct('MemoryStats', {
  MemoryUsageCommitBytes: opt(uint64()),
  MemoryUsageCommitPeakBytes: opt(uint64()),
  MemoryUsagePrivateWorkingSetBytes: opt(uint64()),
});
export type MemoryStats = Static<typeof MemoryStatsSchema>;

/** Processor time used, in 100 ns units. */
export const ProcessorStatsSchema = struct('ProcessorStats', {
  TotalRuntime100ns: opt(uint64()),
  RuntimeUser100ns: opt(uint64()),
  RuntimeKernel100ns: opt(uint64()),
});
export type ProcessorStats = Static<typeof ProcessorStatsSchema>;

/** Storage I/O counters. */
export const StorageStatsSchema = struct('StorageStats', {
  ReadCountNormalized: opt(uint64()),
  ReadSizeBytes: opt(uint64()),
  WriteCountNormalized: opt(uint64()),
  WriteSizeBytes: opt(uint64()),
});
export type StorageStats = Static<typeof StorageStatsSchema>;

/** Runtime statistics of a system; the two times are always written. */
export const StatisticsSchema = struct('Statistics', {
  Timestamp: goField(dateTime(), { keep: true, zero: ZERO_TIME }),
  ContainerStartTime: goField(dateTime(), { keep: true, zero: ZERO_TIME }),
  Uptime100ns: opt(uint64()),
  Processor: opt(ProcessorStatsSchema),
  Memory: opt(MemoryStatsSchema),
  Storage: opt(StorageStatsSchema),
});
export type Statistics = Static<typeof StatisticsSchema>;

/** What HcsGetComputeSystemProperties returns for a schema v2 query (hcs-host.md §5.9). */
export const PropertiesSchema = struct('Properties', {
  Id: opt(Type.String()),
  SystemType: opt(Type.String()),
  RuntimeOsType: opt(Type.String()),
  Name: opt(Type.String()),
  Owner: opt(Type.String()),
  RuntimeId: opt(Type.String()),
  SystemGUID: opt(Type.String()),
  RuntimeTemplateId: opt(Type.String()),
  State: opt(Type.String()),
  Stopped: opt(Type.Boolean()),
  ExitType: opt(Type.String()),
  Memory: opt(MemoryInformationForVmSchema),
  Statistics: opt(StatisticsSchema),
  ProcessList: opt(Type.Array(ProcessDetailsSchema)),
  TerminateOnLastHandleClosed: opt(Type.Boolean()),
  HostingSystemId: opt(Type.String()),
  SharedMemoryRegionInfo: opt(Type.Array(SharedMemoryRegionInfoSchema)),
  GuestConnectionInfo: opt(GuestConnectionInfoSchema),
  PropertyResponses: opt(map(anyKey(), PropertyResponseSchema)),
  LCOWMetrics: opt(openObject()),
});
export type Properties = Static<typeof PropertiesSchema>;

/** What HcsGetServiceProperties returns: one raw JSON document per requested type. */
export const ServicePropertiesSchema = struct('ServiceProperties', {
  Properties: opt(Type.Array(Type.Unknown())),
});
export type ServiceProperties = Static<typeof ServicePropertiesSchema>;

/** One host logical processor. */
export const LogicalProcessorSchema = struct('LogicalProcessor', {
  LpIndex: opt(uint32()),
  NodeNumber: opt(uint8()),
  PackageId: opt(uint32()),
  CoreId: opt(uint32()),
  RootVpIndex: opt(int32()),
});
export type LogicalProcessor = Static<typeof LogicalProcessorSchema>;

/** The host's logical processors (service property `ProcessorTopology`). */
export const ProcessorTopologySchema = struct('ProcessorTopology', {
  LogicalProcessorCount: opt(uint32()),
  LogicalProcessors: opt(Type.Array(LogicalProcessorSchema)),
});
export type ProcessorTopology = Static<typeof ProcessorTopologySchema>;

/** The logical processors of a CPU group. */
export const CpuGroupAffinitySchema = struct('CpuGroupAffinity', {
  LogicalProcessorCount: opt(int32()),
  LogicalProcessors: opt(Type.Array(int32())),
});
export type CpuGroupAffinity = Static<typeof CpuGroupAffinitySchema>;

/** A CPU group property; `PropertyCode` is one of {@link CPUGroupPropertyCode}. */
export const CpuGroupPropertySchema = struct('CpuGroupProperty', {
  PropertyCode: opt(uint32()),
  PropertyValue: opt(uint32()),
});
export type CpuGroupProperty = Static<typeof CpuGroupPropertySchema>;

/** One host CPU group: its processors and properties. */
export const CpuGroupConfigSchema = struct('CpuGroupConfig', {
  GroupId: opt(guid()),
  Affinity: opt(CpuGroupAffinitySchema),
  GroupProperties: opt(Type.Array(CpuGroupPropertySchema)),
  HypervisorGroupId: opt(uint64()),
});
export type CpuGroupConfig = Static<typeof CpuGroupConfigSchema>;

/** The host CPU groups (service property `CpuGroup`). */
export const CpuGroupConfigurationsSchema = struct('CpuGroupConfigurations', {
  CpuGroups: opt(Type.Array(CpuGroupConfigSchema)),
});
export type CpuGroupConfigurations = Static<typeof CpuGroupConfigurationsSchema>;

/** L3 cache monitoring counters. */
export const CacheQueryStatsResponseSchema = struct('CacheQueryStatsResponse', {
  L3OccupancyBytes: opt(int32()),
  L3TotalBwBytes: opt(int32()),
  L3LocalBwBytes: opt(int32()),
});
export type CacheQueryStatsResponse = Static<typeof CacheQueryStatsResponseSchema>;

/** Memory counters of a container. */
export const ContainerMemoryInformationSchema = struct('ContainerMemoryInformation', {
  TotalPhysicalBytes: opt(int32()),
  TotalUsage: opt(int32()),
  CommittedBytes: opt(int32()),
  SharedCommittedBytes: opt(int32()),
  CommitLimitBytes: opt(int32()),
  PeakCommitmentBytes: opt(int32()),
});
export type ContainerMemoryInformation = Static<typeof ContainerMemoryInformationSchema>;

/** Whether a container runs as a silo, and its job object. */
export const SiloPropertiesSchema = struct('SiloProperties', {
  Enabled: opt(Type.Boolean()),
  JobName: opt(Type.String()),
});
export type SiloProperties = Static<typeof SiloPropertiesSchema>;
