import { stringEnum } from '../../goSchema.js';

// Enumerations of schema v2 (hcs-schema2-fields.json `enums`) plus the string sets the spec fixes for
// plain string fields. Each is an `as const` object, the union of its values, and (for strings) a schema.

/** How a process-isolated container is isolated (`Container.IsolationType`). */
export const IsolationType = {
  HostProcess: 'HostProcess',
} as const;
export type IsolationType = (typeof IsolationType)[keyof typeof IsolationType];
export const IsolationTypeSchema = stringEnum('IsolationType', IsolationType);

/** The operation of a `ContainerCredentialGuardOperationRequest`. */
export const ContainerCredentialGuardModifyOperation = {
  AddInstance: 'AddInstance',
  RemoveInstance: 'RemoveInstance',
} as const;
export type ContainerCredentialGuardModifyOperation = (typeof ContainerCredentialGuardModifyOperation)[keyof typeof ContainerCredentialGuardModifyOperation];
export const ContainerCredentialGuardModifyOperationSchema = stringEnum('ContainerCredentialGuardModifyOperation', ContainerCredentialGuardModifyOperation);

/** The operation of a `HostProcessorModificationRequest` (hcs-host.md §5.6). */
export const CPUGroupOperation = {
  CreateGroup: 'CreateGroup',
  DeleteGroup: 'DeleteGroup',
  SetProperty: 'SetProperty',
} as const;
export type CPUGroupOperation = (typeof CPUGroupOperation)[keyof typeof CPUGroupOperation];
export const CPUGroupOperationSchema = stringEnum('CPUGroupOperation', CPUGroupOperation);

/** Values of `CpuGroupProperty.PropertyCode` (hcs-host.md §5.6). */
export const CPUGroupPropertyCode = {
  CPUCapacity: 0x10000,
  CPUSchedulingPriority: 0x20000,
  IdleLPReserve: 0x30000,
} as const;
export type CPUGroupPropertyCode = (typeof CPUGroupPropertyCode)[keyof typeof CPUGroupPropertyCode];

/** How a `Device` assigned to a container is identified. */
export const DeviceType = {
  ClassGuid: 'ClassGuid',
  DeviceInstance: 'DeviceInstance',
  GpuMirror: 'GpuMirror',
} as const;
export type DeviceType = (typeof DeviceType)[keyof typeof DeviceType];
export const DeviceTypeSchema = stringEnum('DeviceType', DeviceType);

/** Interrupt moderation of an SR-IOV network adapter (`IovSettings.InterruptModeration`). */
export const InterruptModerationName = {
  Default: 'Default',
  Adaptive: 'Adaptive',
  Off: 'Off',
  Low: 'Low',
  Medium: 'Medium',
  High: 'High',
} as const;
export type InterruptModerationName = (typeof InterruptModerationName)[keyof typeof InterruptModerationName];
export const InterruptModerationNameSchema = stringEnum('InterruptModerationName', InterruptModerationName);

/** The numeric equivalents of {@link InterruptModerationName}. */
export const InterruptModerationValue = {
  Default: 0,
  Adaptive: 1,
  Off: 2,
  Low: 100,
  Medium: 200,
  High: 300,
} as const;
export type InterruptModerationValue = (typeof InterruptModerationValue)[keyof typeof InterruptModerationValue];

/** Container layer file-system filters. */
export const FileSystemFilterType = {
  UnionFS: 'UnionFS',
  WCIFS: 'WCIFS',
} as const;
export type FileSystemFilterType = (typeof FileSystemFilterType)[keyof typeof FileSystemFilterType];

/** How guest memory is backed (`VirtualMachineMemory.Backing`, `NumaSetting.MemoryBackingType`). */
export const MemoryBackingType = {
  Physical: 'Physical',
  Virtual: 'Virtual',
  Hybrid: 'Hybrid',
} as const;
export type MemoryBackingType = (typeof MemoryBackingType)[keyof typeof MemoryBackingType];
export const MemoryBackingTypeSchema = stringEnum('MemoryBackingType', MemoryBackingType);

/** Which side of a live migration an operation or event belongs to. */
export const MigrationOrigin = {
  Source: 'Source',
  Destination: 'Destination',
} as const;
export type MigrationOrigin = (typeof MigrationOrigin)[keyof typeof MigrationOrigin];
export const MigrationOriginSchema = stringEnum('MigrationOrigin', MigrationOrigin);

/** How memory travels during a live migration. */
export const MigrationMemoryTransport = {
  TCP: 'TCP',
} as const;
export type MigrationMemoryTransport = (typeof MigrationMemoryTransport)[keyof typeof MigrationMemoryTransport];
export const MigrationMemoryTransportSchema = stringEnum('MigrationMemoryTransport', MigrationMemoryTransport);

/** What happens to the VM when a live migration is finalized. */
export const MigrationFinalOperation = {
  Resume: 'Resume',
  Stop: 'Stop',
} as const;
export type MigrationFinalOperation = (typeof MigrationFinalOperation)[keyof typeof MigrationFinalOperation];
export const MigrationFinalOperationSchema = stringEnum('MigrationFinalOperation', MigrationFinalOperation);

/** Live-migration progress events (`OperationSystemMigrationNotificationInfo.Event`). */
export const MigrationEvent = {
  Unknown: 'Unknown',
  MigrationDone: 'MigrationDone',
  BlackoutStarted: 'BlackoutStarted',
  OfflineDone: 'OfflineDone',
  BlackoutExited: 'BlackoutExited',
  SetupDone: 'SetupDone',
  TransferInProgress: 'TransferInProgress',
  MigrationRecoveryDone: 'MigrationRecoveryDone',
  MigrationFailed: 'MigrationFailed',
} as const;
export type MigrationEvent = (typeof MigrationEvent)[keyof typeof MigrationEvent];
export const MigrationEventSchema = stringEnum('MigrationEvent', MigrationEvent);

/** The outcome reported with a live-migration event. */
export const MigrationResult = {
  Invalid: 'Invalid',
  Success: 'Success',
  MigrationCancelled: 'MigrationCancelled',
  GuestInitiatedCancellation: 'GuestInitiatedCancellation',
  SourceMigrationFailed: 'SourceMigrationFailed',
  DestinationMigrationFailed: 'DestinationMigrationFailed',
  MigrationRecoveryFailed: 'MigrationRecoveryFailed',
} as const;
export type MigrationResult = (typeof MigrationResult)[keyof typeof MigrationResult];
export const MigrationResultSchema = stringEnum('MigrationResult', MigrationResult);

/** Bits of `Plan9Share.Flags` (hcs-host.md §5.4, §3.6). */
export const Plan9ShareFlags = {
  None: 0x0,
  ReadOnly: 0x1,
  LinuxMetadata: 0x4,
  CaseSensitive: 0x8,
  UseShareRootIdentity: 0x10,
  RestrictFileAccess: 0x80,
  UnlimitedConnections: 0x100,
} as const;
export type Plan9ShareFlags = (typeof Plan9ShareFlags)[keyof typeof Plan9ShareFlags];

/** Property types a `PropertyQuery` asks for (hcs-host.md §2.4). */
export const PropertyType = {
  Memory: 'Memory',
  GuestMemory: 'GuestMemory',
  Statistics: 'Statistics',
  ProcessList: 'ProcessList',
  TerminateOnLastHandleClosed: 'TerminateOnLastHandleClosed',
  SharedMemoryRegion: 'SharedMemoryRegion',
  ContainerCredentialGuard: 'ContainerCredentialGuard',
  GuestConnection: 'GuestConnection',
  ICHeartbeatStatus: 'ICHeartbeatStatus',
  ProcessorTopology: 'ProcessorTopology',
  CpuGroup: 'CpuGroup',
  SystemGUID: 'SystemGUID',
} as const;
export type PropertyType = (typeof PropertyType)[keyof typeof PropertyType];
export const PropertyTypeSchema = stringEnum('PropertyType', PropertyType);

/** Registry hives a `RegistryKey` can name. */
export const RegistryHive = {
  System: 'System',
  Software: 'Software',
  Security: 'Security',
  Sam: 'Sam',
} as const;
export type RegistryHive = (typeof RegistryHive)[keyof typeof RegistryHive];
export const RegistryHiveSchema = stringEnum('RegistryHive', RegistryHive);

/** The kind of a `RegistryValue`. */
export const RegistryValueType = {
  None: 'None',
  String: 'String',
  ExpandedString: 'ExpandedString',
  MultiString: 'MultiString',
  Binary: 'Binary',
  DWord: 'DWord',
  QWord: 'QWord',
  CustomType: 'CustomType',
} as const;
export type RegistryValueType = (typeof RegistryValueType)[keyof typeof RegistryValueType];
export const RegistryValueTypeSchema = stringEnum('RegistryValueType', RegistryValueType);

/** How the guest's NUMA distance table (SLIT) is built (`VirtualMachineMemory.SlitType`). */
export const VirtualSlitType = {
  None: 'None',
  Firmware: 'Firmware',
  Measured: 'Measured',
  FirmwareFallbackMeasured: 'FirmwareFallbackMeasured',
} as const;
export type VirtualSlitType = (typeof VirtualSlitType)[keyof typeof VirtualSlitType];
export const VirtualSlitTypeSchema = stringEnum('VirtualSlitType', VirtualSlitType);

/** The `RequestType` of a `ModifySettingRequest` (hcs-host.md §3.5); `PreAdd` is for WCOW guest networking only. */
export const RequestType = {
  Add: 'Add',
  Remove: 'Remove',
  PreAdd: 'PreAdd',
  Update: 'Update',
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];
export const RequestTypeSchema = stringEnum('RequestType', RequestType);

/** The `Operation` of a `ProcessModifyRequest` (hcs-host.md §5.7). */
export const ProcessModifyOperation = {
  ConsoleSize: 'ConsoleSize',
  CloseHandle: 'CloseHandle',
} as const;
export type ProcessModifyOperation = (typeof ProcessModifyOperation)[keyof typeof ProcessModifyOperation];
export const ProcessModifyOperationSchema = stringEnum('ProcessModifyOperation', ProcessModifyOperation);

/** Which standard handle a `CloseHandle` request closes (hcs-host.md §2.3). */
export const StdioHandle = {
  StdIn: 'StdIn',
  StdOut: 'StdOut',
  StdErr: 'StdErr',
  All: 'All',
} as const;
export type StdioHandle = (typeof StdioHandle)[keyof typeof StdioHandle];
export const StdioHandleSchema = stringEnum('StdioHandle', StdioHandle);

/** `Uefi.ApplySecureBootTemplate`: whether the template named by `SecureBootTemplateId` is applied. */
export const ApplySecureBootTemplate = {
  Apply: 'Apply',
  Skip: 'Skip',
} as const;
export type ApplySecureBootTemplate = (typeof ApplySecureBootTemplate)[keyof typeof ApplySecureBootTemplate];
export const ApplySecureBootTemplateSchema = stringEnum('ApplySecureBootTemplate', ApplySecureBootTemplate);

/** `IsolationSettings.IsolationType`: the hardware isolation of a confidential VM (hcs-host.md §5.5). */
export const VmIsolationType = {
  SecureNestedPaging: 'SecureNestedPaging',
  VirtualizationBasedSecurity: 'VirtualizationBasedSecurity',
  GuestStateOnly: 'GuestStateOnly',
} as const;
export type VmIsolationType = (typeof VmIsolationType)[keyof typeof VmIsolationType];
export const VmIsolationTypeSchema = stringEnum('VmIsolationType', VmIsolationType);

/** The image format of a virtual PMEM device or mapping (hcs-host.md §5.4). */
export const VirtualPMemImageFormat = {
  Vhd1: 'Vhd1',
  Vhdx: 'Vhdx',
} as const;
export type VirtualPMemImageFormat = (typeof VirtualPMemImageFormat)[keyof typeof VirtualPMemImageFormat];
export const VirtualPMemImageFormatSchema = stringEnum('VirtualPMemImageFormat', VirtualPMemImageFormat);
