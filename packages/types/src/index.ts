// The public surface of @uvm/types. Each block lists one module's exports.

// Errors
export {
  AbortError,
  ConnectionClosedError,
  GuestError,
  HcsError,
  HcsUnavailableError,
  ProtocolError,
  StateError,
  TimeoutError,
  UvmError,
  ValidationError,
  abortReason,
  isAbortError,
  throwIfAborted,
  type GcsErrorRecord,
  type GuestErrorOptions,
  type HcsErrorEvent,
  type HcsErrorOptions,
  type HcsUnavailableReason,
  type UvmErrorCode,
  type ValidationIssue,
} from './errors.js';

// HRESULTs
export {
  KNOWN_HRESULTS,
  describeHResult,
  facilityOf,
  formatHResult,
  hresultFromWin32,
  hresultHex,
  hresultName,
  isAccessDenied,
  isAlreadyStopped,
  isFailure,
  isInvalidState,
  isNotExist,
  isNotSupported,
  isPending,
  isVmNotAvailable,
  sameHResult,
  toHResult,
  win32FromHResult,
  type HResultInfo,
} from './hresult.js';

// HCS result documents
export { parseHcsResultDocument, type HcsResultDocument } from './hcsResultDocument.js';

// Logging
export { childLogger, silentLogger, type LogFn, type Logger } from './logger.js';

// Host facts the builder's rules depend on
export type { HostFacts } from './hostFacts.js';

// Go encoding/json output
export { GO_FIELD, goField, toGoJson, type GoField } from './goJson.js';

// The Hcs backend interface and its events
export type {
  ComputeSystemQuery,
  ComputeSystemSummary,
  Hcs,
  HcsCallOptions,
  HcsCreatedProcess,
  HcsDocument,
  HcsHostInfo,
  HcsOpenOptions,
  HcsProcess,
  HcsProcessInfo,
  HcsProcessStdio,
  HcsSystem,
  VmSocketListener,
} from './hcs.js';
export {
  HcsEventOptions,
  HcsEventType,
  parseProcessEvent,
  parseProcessExit,
  parseSystemEvent,
  type HcsProcessEvent,
  type HcsProcessExit,
  type HcsSystemEvent,
  type SystemExitStatus,
} from './hcsEvents.js';

// --- HCS schema v2: schemas, types, validation, serialization (src/hcs/) ---
// computeSystem
export {
  type ComputeSystem,
  ComputeSystemSchema,
  type HostedSystem,
  HostedSystemSchema,
} from './hcs/schema/index.js';
// version
export {
  type Version,
  VersionSchema,
} from './hcs/schema/index.js';
// schemaVersion
export {
  isSchemaVersionSupported,
  SchemaVersion,
  schemaVersionForBuild,
  WindowsBuild,
} from './hcs/schema/index.js';
// virtualMachine
export {
  type DebugOptions,
  DebugOptionsSchema,
  type GuestConnection,
  GuestConnectionSchema,
  type RestoreState,
  RestoreStateSchema,
  type StorageQoS,
  StorageQoSSchema,
  type VirtualMachine,
  VirtualMachineSchema,
} from './hcs/schema/index.js';
// chipset
export {
  type Chipset,
  ChipsetSchema,
  type FirmwareFile,
  FirmwareFileSchema,
  type LinuxKernelDirect,
  LinuxKernelDirectSchema,
  type Uefi,
  type UefiBootEntry,
  UefiBootEntrySchema,
  UefiSchema,
} from './hcs/schema/index.js';
// topology
export {
  type CpuGroup,
  CpuGroupSchema,
  type Numa,
  type NumaNode,
  type NumaNodeMemory,
  NumaNodeMemorySchema,
  type NumaNodeProcessor,
  NumaNodeProcessorSchema,
  NumaNodeSchema,
  type NumaProcessors,
  NumaProcessorsSchema,
  NumaSchema,
  type NumaSetting,
  NumaSettingSchema,
  type ProcessorLimits,
  ProcessorLimitsSchema,
  type Range,
  RangeSchema,
  type Topology,
  TopologySchema,
  type VirtualMachineMemory,
  VirtualMachineMemorySchema,
  type VirtualMachineProcessor,
  VirtualMachineProcessorSchema,
} from './hcs/schema/index.js';
// devices
export {
  type Attachment,
  AttachmentSchema,
  type Battery,
  BatterySchema,
  type ComPort,
  ComPortSchema,
  type Devices,
  DevicesSchema,
  type EnhancedModeVideo,
  EnhancedModeVideoSchema,
  type FlexibleIoDevice,
  FlexibleIoDeviceSchema,
  type GuestCrashReporting,
  GuestCrashReportingSchema,
  type IovSettings,
  IovSettingsSchema,
  type Keyboard,
  KeyboardSchema,
  type Mouse,
  MouseSchema,
  type NetworkAdapter,
  NetworkAdapterSchema,
  type RdpConnectionOptions,
  RdpConnectionOptionsSchema,
  type Scsi,
  ScsiSchema,
  type SharedMemoryConfiguration,
  SharedMemoryConfigurationSchema,
  type SharedMemoryRegion,
  SharedMemoryRegionSchema,
  type VideoMonitor,
  VideoMonitorSchema,
  type VirtualPciDevice,
  VirtualPciDeviceSchema,
  type VirtualPciFunction,
  VirtualPciFunctionSchema,
  type VirtualPMemController,
  VirtualPMemControllerSchema,
  type VirtualPMemDevice,
  VirtualPMemDeviceSchema,
  type VirtualPMemMapping,
  VirtualPMemMappingSchema,
  type WindowsCrashReporting,
  WindowsCrashReportingSchema,
} from './hcs/schema/index.js';
// hvSocket
export {
  type HvSocket,
  type HvSocket2,
  HvSocket2Schema,
  type HvSocketAddress,
  HvSocketAddressSchema,
  HvSocketSchema,
  type HvSocketServiceConfig,
  HvSocketServiceConfigSchema,
  type HvSocketSystemConfig,
  HvSocketSystemConfigSchema,
} from './hcs/schema/index.js';
// fileShares
export {
  type Plan9,
  Plan9Schema,
  type Plan9Share,
  Plan9ShareSchema,
  type VirtualSmb,
  VirtualSmbSchema,
  type VirtualSmbShare,
  type VirtualSmbShareOptions,
  VirtualSmbShareOptionsSchema,
  VirtualSmbShareSchema,
} from './hcs/schema/index.js';
// security
export {
  type GuestState,
  GuestStateSchema,
  type IsolationSettings,
  IsolationSettingsSchema,
  type SecuritySettings,
  SecuritySettingsSchema,
} from './hcs/schema/index.js';
// registry
export {
  type RegistryChanges,
  RegistryChangesSchema,
  type RegistryKey,
  RegistryKeySchema,
  type RegistryValue,
  RegistryValueSchema,
} from './hcs/schema/index.js';
// requests
export {
  type CreateGroupOperation,
  CreateGroupOperationSchema,
  type DeleteGroupOperation,
  DeleteGroupOperationSchema,
  type HostProcessorModificationRequest,
  HostProcessorModificationRequestSchema,
  type ModificationRequest,
  ModificationRequestSchema,
  type ModifySettingRequest,
  ModifySettingRequestSchema,
  type PauseNotification,
  PauseNotificationSchema,
  type PauseOptions,
  PauseOptionsSchema,
  type SaveOptions,
  SaveOptionsSchema,
} from './hcs/schema/index.js';
// processes
export {
  type CloseHandle,
  CloseHandleSchema,
  type ConsoleSize,
  ConsoleSizeSchema,
  type ProcessDetails,
  ProcessDetailsSchema,
  type ProcessModifyRequest,
  ProcessModifyRequestSchema,
  type ProcessParameters,
  ProcessParametersSchema,
  type ProcessStatus,
  ProcessStatusSchema,
} from './hcs/schema/index.js';
// properties
export {
  type CacheQueryStatsResponse,
  CacheQueryStatsResponseSchema,
  type ContainerMemoryInformation,
  ContainerMemoryInformationSchema,
  type CpuGroupAffinity,
  CpuGroupAffinitySchema,
  type CpuGroupConfig,
  CpuGroupConfigSchema,
  type CpuGroupConfigurations,
  CpuGroupConfigurationsSchema,
  type CpuGroupProperty,
  CpuGroupPropertySchema,
  type GuestConnectionInfo,
  GuestConnectionInfoSchema,
  type LogicalProcessor,
  LogicalProcessorSchema,
  type MemoryInformationForVm,
  MemoryInformationForVmSchema,
  type MemoryStats,
  MemoryStatsSchema,
  type ProcessorStats,
  ProcessorStatsSchema,
  type ProcessorTopology,
  ProcessorTopologySchema,
  type Properties,
  PropertiesSchema,
  type PropertyQuery,
  PropertyQuerySchema,
  type PropertyResponse,
  PropertyResponseSchema,
  type ServiceProperties,
  ServicePropertiesSchema,
  type SharedMemoryRegionInfo,
  SharedMemoryRegionInfoSchema,
  type SiloProperties,
  SiloPropertiesSchema,
  type Statistics,
  StatisticsSchema,
  type StorageStats,
  StorageStatsSchema,
  type VirtualNodeInfo,
  VirtualNodeInfoSchema,
  type VmMemory,
  VmMemorySchema,
} from './hcs/schema/index.js';
// migration
export {
  type BlackoutExitedEventDetails,
  BlackoutExitedEventDetailsSchema,
  type CompatibilityInfo,
  CompatibilityInfoSchema,
  type MemoryMigrationTransferThrottleParams,
  MemoryMigrationTransferThrottleParamsSchema,
  type MigrationCancelOptions,
  MigrationCancelOptionsSchema,
  type MigrationCompressionSettings,
  MigrationCompressionSettingsSchema,
  type MigrationFinalizedOptions,
  MigrationFinalizedOptionsSchema,
  type MigrationInitializeOptions,
  MigrationInitializeOptionsSchema,
  type MigrationNetworkSettings,
  MigrationNetworkSettingsSchema,
  type MigrationStartOptions,
  MigrationStartOptionsSchema,
  type MigrationTransferOptions,
  MigrationTransferOptionsSchema,
  type OperationSystemMigrationNotificationInfo,
  OperationSystemMigrationNotificationInfoSchema,
  type StartOptions,
  StartOptionsSchema,
} from './hcs/schema/index.js';
// container
export {
  type CimMount,
  CimMountSchema,
  type Container,
  ContainerSchema,
  type Device,
  DeviceSchema,
  type GuestOs,
  GuestOsSchema,
  type Layer,
  LayerSchema,
  type MappedDirectory,
  MappedDirectorySchema,
  type MappedPipe,
  MappedPipeSchema,
  type Memory,
  MemorySchema,
  type Networking,
  NetworkingSchema,
  type Processor,
  ProcessorSchema,
  type Storage,
  StorageSchema,
} from './hcs/schema/index.js';
// containerCredentialGuard
export {
  type ContainerCredentialGuardAddInstanceRequest,
  ContainerCredentialGuardAddInstanceRequestSchema,
  type ContainerCredentialGuardHvSocketServiceConfig,
  ContainerCredentialGuardHvSocketServiceConfigSchema,
  type ContainerCredentialGuardInstance,
  ContainerCredentialGuardInstanceSchema,
  type ContainerCredentialGuardOperationRequest,
  ContainerCredentialGuardOperationRequestSchema,
  type ContainerCredentialGuardRemoveInstanceRequest,
  ContainerCredentialGuardRemoveInstanceRequestSchema,
  type ContainerCredentialGuardState,
  ContainerCredentialGuardStateSchema,
  type ContainerCredentialGuardSystemInfo,
  ContainerCredentialGuardSystemInfoSchema,
} from './hcs/schema/index.js';
// deviceNamespace
export {
  type ContainerDefinitionDevice,
  ContainerDefinitionDeviceSchema,
  type DeviceCategory,
  DeviceCategorySchema,
  type DeviceExtension,
  type DeviceExtensionNamespace,
  DeviceExtensionNamespaceSchema,
  DeviceExtensionSchema,
  type DeviceInstance,
  DeviceInstanceSchema,
  type DeviceNamespace,
  DeviceNamespaceSchema,
  type InterfaceClass,
  InterfaceClassSchema,
  type ObjectDirectory,
  ObjectDirectorySchema,
  type ObjectNamespace,
  ObjectNamespaceSchema,
  type ObjectSymlink,
  ObjectSymlinkSchema,
} from './hcs/schema/index.js';
// timeZone
export {
  type SystemTime,
  SystemTimeSchema,
  type TimeZoneInformation,
  TimeZoneInformationSchema,
} from './hcs/schema/index.js';
// enums
export {
  ApplySecureBootTemplate,
  ApplySecureBootTemplateSchema,
  ContainerCredentialGuardModifyOperation,
  ContainerCredentialGuardModifyOperationSchema,
  CPUGroupOperation,
  CPUGroupOperationSchema,
  CPUGroupPropertyCode,
  DeviceType,
  DeviceTypeSchema,
  FileSystemFilterType,
  InterruptModerationName,
  InterruptModerationNameSchema,
  InterruptModerationValue,
  IsolationType,
  IsolationTypeSchema,
  MemoryBackingType,
  MemoryBackingTypeSchema,
  MigrationEvent,
  MigrationEventSchema,
  MigrationFinalOperation,
  MigrationFinalOperationSchema,
  MigrationMemoryTransport,
  MigrationMemoryTransportSchema,
  MigrationOrigin,
  MigrationOriginSchema,
  MigrationResult,
  MigrationResultSchema,
  Plan9ShareFlags,
  ProcessModifyOperation,
  ProcessModifyOperationSchema,
  PropertyType,
  PropertyTypeSchema,
  RegistryHive,
  RegistryHiveSchema,
  RegistryValueType,
  RegistryValueTypeSchema,
  RequestType,
  RequestTypeSchema,
  StdioHandle,
  StdioHandleSchema,
  VirtualPMemImageFormat,
  VirtualPMemImageFormatSchema,
  VirtualSlitType,
  VirtualSlitTypeSchema,
  VmIsolationType,
  VmIsolationTypeSchema,
} from './hcs/schema/index.js';

// validation of any schema
export {
  assertWith,
  validateWith,
  type ValidateOptions,
  type ValidationResult,
} from './schemaValidation.js';
// validation of the HCS documents
export {
  assertComputeSystem,
  assertModifySettingRequest,
  assertProcessParameters,
  assertPropertyQuery,
  validateComputeSystem,
  validateModifySettingRequest,
  validateProcessParameters,
  validatePropertyQuery,
} from './hcs/validate.js';
// serialization
export { toHcsJson } from './hcs/hcsJson.js';
// JSON Schema export
export { computeSystemJsonSchema, type JsonSchemaDocument } from './hcs/jsonSchema.js';

// --- GCS bridge protocol (src/gcs/) ---
export {
  decodeFrame,
  decodeHeader,
  encodeFrame,
  encodeHeader,
  gcsIdFromHalves,
  writeGcsHeader,
  GCS_DEFAULT_MAX_MESSAGE_SIZE,
  GCS_GO_HOST_MAX_MESSAGE_SIZE,
  GCS_HEADER_SIZE,
  GcsHeaderOffset,
  type GcsDecodeOptions,
  type GcsFrame,
  type GcsHeader,
} from './gcs/framing.js';
export {
  GcsFrameSplitter,
  type GcsFrameSink,
  type GcsFrameSplitterOptions,
  type GcsStreamEnd,
  type GcsStreamEvent,
} from './gcs/frameSplitter.js';
export {
  decodeMessageType,
  encodeMessageType,
  GCS_MESSAGE_CATEGORY_MASK,
  GCS_MESSAGE_ID_MASK,
  GCS_MESSAGE_ID_SHIFT,
  GCS_MESSAGE_KIND_MASK,
  GCS_MESSAGE_VERSION,
  GCS_MESSAGE_VERSION_MASK,
  GcsMessageCategory,
  GcsMessageKind,
  type DecodedGcsMessageType,
  type GcsMessageTypeParts,
} from './gcs/messageType.js';
export {
  GCS_NOTIFICATION_TYPE,
  gcsRequestType,
  gcsResponseType,
  GcsProcedure,
  LINUX_GCS_PROCEDURES,
  procedureName,
  procedureOf,
  responseTypeFor,
  type GcsProcedureName,
} from './gcs/procedures.js';
export { GCS_NULL_CONTAINER_ID, GCS_STDIO_FIRST_PORT, GcsErrorModuleName } from './gcs/wellKnown.js';
export { toGcsResult } from './gcs/gcsResult.js';
export {
  decodeJsonInString,
  decodeJsonInStringFields,
  encodeJsonInString,
  GCS_JSON_IN_STRING_FIELDS,
} from './gcs/jsonInString.js';
export {
  GcsErrorRecordSchema,
  GcsOpenCensusSpanContextSchema,
  GcsRequestBaseSchema,
  GcsResponseBaseSchema,
  GcsTraceContextSchema,
  LinuxGuestResponseBaseSchema,
  type GcsOpenCensusSpanContext,
  type GcsRequestBase,
  type GcsResponseBase,
  type GcsTraceContext,
  type LinuxGuestResponseBase,
} from './gcs/messageBase.js';
export {
  GcsCapabilitiesSchema,
  GuestDefinedCapabilitiesSchema,
  LinuxGuestCapabilitiesSchema,
  LinuxGuestDefinedCapabilitiesSchema,
  parseGcsCapabilities,
  type GcsCapabilities,
  type GcsGuestOs,
  type GuestDefinedCapabilities,
  type LinuxGuestCapabilities,
  type LinuxGuestDefinedCapabilities,
  type ParsedGcsCapabilities,
} from './gcs/capabilities.js';
export {
  GCS_PROTOCOL_VERSION,
  GcsNegotiateProtocolRequestSchema,
  GcsNegotiateProtocolResponseSchema,
  LinuxGuestNegotiateProtocolResponseSchema,
  type GcsNegotiateProtocolRequest,
  type GcsNegotiateProtocolResponse,
  type LinuxGuestNegotiateProtocolResponse,
} from './gcs/negotiateProtocol.js';
export {
  CwcowHostedSystemSchema,
  GcsCreateRequestSchema,
  GcsCreateResponseSchema,
  GcsUvmConfigSchema,
  LcowContainerConfigSchema,
  LinuxGuestCreateResponseSchema,
  type CwcowHostedSystem,
  type GcsCreateRequest,
  type GcsCreateResponse,
  type GcsUvmConfig,
  type LcowContainerConfig,
  type LinuxGuestCreateResponse,
} from './gcs/create.js';
export {
  GcsExecuteProcessRequestSchema,
  GcsExecuteProcessResponseSchema,
  GcsExecuteProcessSettingsSchema,
  GcsStdioRelaySettingsSchema,
  GcsVsockStdioRelaySettingsSchema,
  LcowProcessParametersSchema,
  LinuxGuestExecuteProcessResponseSchema,
  type GcsExecuteProcessRequest,
  type GcsExecuteProcessResponse,
  type GcsExecuteProcessSettings,
  type GcsStdioRelaySettings,
  type GcsVsockStdioRelaySettings,
  type LcowProcessParameters,
  type LinuxGuestExecuteProcessResponse,
} from './gcs/executeProcess.js';
export {
  GCS_INFINITE_WAIT_TIMEOUT_MS,
  GcsWaitForProcessRequestSchema,
  GcsWaitForProcessResponseSchema,
  LinuxGuestWaitForProcessResponseSchema,
  type GcsWaitForProcessRequest,
  type GcsWaitForProcessResponse,
  type LinuxGuestWaitForProcessResponse,
} from './gcs/waitForProcess.js';
export {
  GcsSignalProcessOptionsSchema,
  GcsSignalProcessRequestSchema,
  LcowSignalProcessOptionsSchema,
  WcowSignalProcessOptionsSchema,
  WcowSignalValue,
  type GcsSignalProcessOptions,
  type GcsSignalProcessRequest,
  type LcowSignalProcessOptions,
  type WcowSignalProcessOptions,
} from './gcs/signalProcess.js';
export { GcsResizeConsoleRequestSchema, type GcsResizeConsoleRequest } from './gcs/resizeConsole.js';
export {
  GcsGetPropertiesRequestSchema,
  GcsGetPropertiesResponseSchema,
  GcsGetPropertiesV2RequestSchema,
  GcsPropertyQueryV1Schema,
  GcsPropertyTypeV1,
  LinuxGuestGetPropertiesResponseSchema,
  LinuxGuestProcessDetailsSchema,
  LinuxGuestPropertiesSchema,
  LinuxGuestPropertyType,
  type GcsGetPropertiesRequest,
  type GcsGetPropertiesResponse,
  type GcsGetPropertiesV2Request,
  type GcsPropertyQueryV1,
  type LinuxGuestGetPropertiesResponse,
  type LinuxGuestProcessDetails,
  type LinuxGuestProperties,
} from './gcs/getProperties.js';
export { gcsModifySettingsRequestSchema, GcsModifySettingsRequestSchema, type GcsModifySettingsRequest } from './gcs/modifySettings.js';
export {
  GcsDumpStacksResponseSchema,
  LinuxGuestDumpStacksResponseSchema,
  type GcsDumpStacksResponse,
  type LinuxGuestDumpStacksResponse,
} from './gcs/dumpStacks.js';
export {
  GcsLogForwardServiceRequestSchema,
  GcsModifyServiceSettingsRequestSchema,
  LogForwardServiceRpcType,
  type GcsLogForwardServiceRequest,
  type GcsModifyServiceSettingsRequest,
} from './gcs/modifyServiceSettings.js';
export {
  GcsActiveOperation,
  GcsContainerNotificationSchema,
  GcsNotificationType,
  LinuxGuestContainerNotificationSchema,
  type GcsContainerNotification,
  type LinuxGuestContainerNotification,
} from './gcs/notification.js';
export { GCS_BODY_SCHEMAS, type GcsBodySchemas } from './gcs/bodySchemas.js';
export {
  GuestModificationRequestSchema,
  GuestRequestType,
  GuestResourceType,
  type GuestModificationRequest,
} from './gcs/guestModification.js';
export {
  guestResourceSettingsSchema,
  LINUX_GCS_RESOURCE_SUPPORT,
  type LinuxGcsResourceSupport,
} from './gcs/guestResourceSettings.js';
export {
  DeviceVerityInfoSchema,
  LcowCombinedLayersSchema,
  LcowContainerConstraintsSchema,
  LcowIpConfigSchema,
  LcowMappedDirectorySchema,
  LcowMappedVirtualDiskSchema,
  LcowMappedVpciDeviceSchema,
  LcowMappedVpmemDeviceSchema,
  LcowNetworkAdapterSchema,
  LcowRouteSchema,
  LcowVpmemMappingInfoSchema,
  ScsiDeviceSchema,
  type DeviceVerityInfo,
  type LcowCombinedLayers,
  type LcowContainerConstraints,
  type LcowIpConfig,
  type LcowMappedDirectory,
  type LcowMappedVirtualDisk,
  type LcowMappedVpciDevice,
  type LcowMappedVpmemDevice,
  type LcowNetworkAdapter,
  type LcowRoute,
  type LcowVpmemMappingInfo,
  type ScsiDevice,
} from './gcs/lcowResources.js';
export {
  BlockCimDeviceSchema,
  CwcowBlockCimMountsSchema,
  CwcowCombinedLayersSchema,
  HcnNamespaceResourceType,
  HcnNamespaceType,
  HcnSchemaVersionSchema,
  HostComputeNamespaceResourceSchema,
  HostComputeNamespaceSchema,
  WcowCombinedLayersSchema,
  WcowMappedVirtualDiskSchema,
  WcowNetworkModifyRequestSchema,
  WcowRs4NetworkModifyRequestSchema,
  type BlockCimDevice,
  type CwcowBlockCimMounts,
  type CwcowCombinedLayers,
  type HcnSchemaVersion,
  type HostComputeNamespace,
  type HostComputeNamespaceResource,
  type WcowCombinedLayers,
  type WcowMappedVirtualDisk,
  type WcowNetworkModifyRequest,
  type WcowRs4NetworkModifyRequest,
} from './gcs/wcowResources.js';
export {
  ConfidentialOptionsSchema,
  SecurityPolicyFragmentSchema,
  type ConfidentialOptions,
  type SecurityPolicyFragment,
} from './gcs/securityPolicy.js';

// --- Constants, GUIDs and resource paths ---
export { showValue } from './argumentChecks.js';
export { GUID_BYTES, NULL_GUID, guidFromBytes, guidToBytes, isGuid, normalizeGuid, randomGuid } from './guid.js';
export { AF_HYPERV, HVSOCK_SECURITY_DESCRIPTOR, HVSOCK_SERVICE_ID, HV_PROTOCOL_RAW, HV_VM_ID } from './hvsock.js';
export { MAX_SCSI_CONTROLLERS, SCSI_CONTROLLER_GUIDS, SCSI_LUNS_PER_CONTROLLER, scsiControllerGuid } from './scsi.js';
export { BOOT_FILE, MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID } from './boot.js';
export { DEFAULT_VPMEM_COUNT, DEFAULT_VPMEM_SIZE_BYTES, MAX_VPMEM_COUNT, VPMEM_SIZE_ALIGNMENT_BYTES } from './vpmem.js';
export { DEFAULT_HCS_TIMEOUTS, HCS_TIMEOUT_ENV_VARS, timeoutsFromEnv, type HcsTimeouts } from './hcsTimeouts.js';
export {
  CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH,
  CPU_GROUP_RESOURCE_PATH,
  CPU_LIMITS_RESOURCE_PATH,
  GPU_RESOURCE_PATH,
  IDLED_PROCESSORS_RESOURCE_PATH,
  LICENSING_RESOURCE_PATH,
  LIVE_MIGRATION_SOCKET_URI,
  MAX_COM_PORT_INDEX,
  MEMORY_RESOURCE_PATH,
  PLAN9_SHARES_RESOURCE_PATH,
  SHARED_MEMORY_REGIONS_RESOURCE_PATH,
  SILO_DEVICES_RESOURCE_PATH,
  SILO_MAPPED_DIRECTORIES_RESOURCE_PATH,
  SILO_MAPPED_PIPES_RESOURCE_PATH,
  SILO_MEMORY_RESOURCE_PATH,
  SILO_PROCESSOR_RESOURCE_PATH,
  SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH,
  VSMB_SHARES_RESOURCE_PATH,
  comPortPath,
  flexibleIovPath,
  hvSocketServicePath,
  mappedPipePath,
  networkAdapterPath,
  scsiAttachmentPath,
  virtualPciPath,
  vpmemDevicePath,
  vpmemMappingPath,
} from './resourcePaths.js';
export {
  LINUX_ENTROPY_BYTES,
  MAX_VSOCK_PORT,
  PLAN9_PORT,
  VSOCK_PORT,
  vsockPortFromServiceId,
  vsockServiceId,
} from './vsock.js';
