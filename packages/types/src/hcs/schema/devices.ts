import Type, { type Static } from 'typebox';
import { anyKey, int32, int64, map, opt, ptr, struct, uint16, uint32, uint64 } from '../../goSchema.js';
import { decimalKey, guid, lun } from '../../stringFormats.js';
import { InterruptModerationNameSchema, VirtualPMemImageFormatSchema } from './enums.js';
import { Plan9Schema, VirtualSmbSchema } from './fileShares.js';
import { HvSocket2Schema } from './hvSocket.js';

/** The synthetic battery (present as `{}` to enable it). */
export const BatterySchema = struct('Battery', {});
export type Battery = Static<typeof BatterySchema>;

/** A serial port backed by a named pipe on the host. */
export const ComPortSchema = struct('ComPort', {
  NamedPipe: opt(Type.String()),
  OptimizeForDebugger: opt(Type.Boolean()),
});
export type ComPort = Static<typeof ComPortSchema>;

/** Who may connect to a VM's console over RDP. */
export const RdpConnectionOptionsSchema = struct('RdpConnectionOptions', {
  AccessSids: opt(Type.Array(Type.String())),
  NamedPipe: opt(Type.String()),
});
export type RdpConnectionOptions = Static<typeof RdpConnectionOptionsSchema>;

/** Enhanced-session video. */
export const EnhancedModeVideoSchema = struct('EnhancedModeVideo', {
  ConnectionOptions: opt(RdpConnectionOptionsSchema),
});
export type EnhancedModeVideo = Static<typeof EnhancedModeVideoSchema>;

/** A flexible I/O (emulated) device. */
export const FlexibleIoDeviceSchema = struct('FlexibleIoDevice', {
  EmulatorId: opt(Type.String()),
  HostingModel: opt(Type.String()),
  Configuration: opt(Type.Array(Type.String())),
});
export type FlexibleIoDevice = Static<typeof FlexibleIoDeviceSchema>;

/** Where and how a Windows guest writes crash dumps. */
export const WindowsCrashReportingSchema = struct('WindowsCrashReporting', {
  DumpFileName: opt(Type.String()),
  MaxDumpSize: opt(int64()),
  DumpType: opt(Type.String()),
});
export type WindowsCrashReporting = Static<typeof WindowsCrashReportingSchema>;

/** Crash dumps of a Windows guest. */
export const GuestCrashReportingSchema = struct('GuestCrashReporting', {
  WindowsCrashSettings: opt(WindowsCrashReportingSchema),
});
export type GuestCrashReporting = Static<typeof GuestCrashReportingSchema>;

/** The synthetic keyboard (present as `{}` to enable it). */
export const KeyboardSchema = struct('Keyboard', {});
export type Keyboard = Static<typeof KeyboardSchema>;

/** The synthetic mouse (present as `{}` to enable it). */
export const MouseSchema = struct('Mouse', {});
export type Mouse = Static<typeof MouseSchema>;

/** SR-IOV offload settings of a NIC; all pointer fields, so `0` is written. */
export const IovSettingsSchema = struct('IovSettings', {
  OffloadWeight: ptr(uint32()),
  QueuePairsRequested: ptr(uint32()),
  InterruptModeration: ptr(InterruptModerationNameSchema),
});
export type IovSettings = Static<typeof IovSettingsSchema>;

/** A synthetic NIC attached to an HNS endpoint. */
export const NetworkAdapterSchema = struct('NetworkAdapter', {
  EndpointId: opt(Type.String()),
  MacAddress: opt(Type.String()),
  IovSettings: opt(IovSettingsSchema),
});
export type NetworkAdapter = Static<typeof NetworkAdapterSchema>;

/** A disk on a SCSI controller: `VirtualDisk`, `PassThru` or `ExtensibleVirtualDisk` (hcs-host.md §3.4). */
export const AttachmentSchema = struct('Attachment', {
  Type: opt(Type.String()),
  Path: opt(Type.String()),
  IgnoreFlushes: opt(Type.Boolean()),
  CachingMode: opt(Type.String()),
  NoWriteHardening: opt(Type.Boolean()),
  DisableExpansionOptimization: opt(Type.Boolean()),
  IgnoreRelativeLocator: opt(Type.Boolean()),
  CaptureIoAttributionContext: opt(Type.Boolean()),
  ReadOnly: opt(Type.Boolean()),
  SupportCompressedVolumes: opt(Type.Boolean()),
  AlwaysAllowSparseFiles: opt(Type.Boolean()),
  ExtensibleVirtualDiskType: opt(Type.String()),
});
export type Attachment = Static<typeof AttachmentSchema>;

/** A SCSI controller and its attachments, keyed by LUN ("0" to "63"). */
export const ScsiSchema = struct('Scsi', {
  Attachments: opt(map(lun(), AttachmentSchema)),
});
export type Scsi = Static<typeof ScsiSchema>;

/** One shared-memory section. */
export const SharedMemoryRegionSchema = struct('SharedMemoryRegion', {
  SectionName: opt(Type.String()),
  StartOffset: opt(int32()),
  Length: opt(int32()),
  AllowGuestWrite: opt(Type.Boolean()),
  HiddenFromGuest: opt(Type.Boolean()),
});
export type SharedMemoryRegion = Static<typeof SharedMemoryRegionSchema>;

/** Shared-memory regions between host and guest. */
export const SharedMemoryConfigurationSchema = struct('SharedMemoryConfiguration', {
  Regions: opt(Type.Array(SharedMemoryRegionSchema)),
});
export type SharedMemoryConfiguration = Static<typeof SharedMemoryConfigurationSchema>;

/** The synthetic video monitor. */
export const VideoMonitorSchema = struct('VideoMonitor', {
  HorizontalResolution: opt(int32()),
  VerticalResolution: opt(int32()),
  ConnectionOptions: opt(RdpConnectionOptionsSchema),
});
export type VideoMonitor = Static<typeof VideoMonitorSchema>;

/** A VHD exposed to the guest as persistent memory. */
export const VirtualPMemDeviceSchema = struct('VirtualPMemDevice', {
  HostPath: opt(Type.String()),
  ReadOnly: opt(Type.Boolean()),
  ImageFormat: opt(VirtualPMemImageFormatSchema),
});
export type VirtualPMemDevice = Static<typeof VirtualPMemDeviceSchema>;

/** The virtual persistent-memory controller and its devices, keyed by slot number. */
export const VirtualPMemControllerSchema = struct('VirtualPMemController', {
  Devices: opt(map(decimalKey(), VirtualPMemDeviceSchema)),
  MaximumCount: opt(uint32()),
  MaximumSizeBytes: opt(uint64()),
  Backing: opt(Type.String()),
});
export type VirtualPMemController = Static<typeof VirtualPMemControllerSchema>;

/** One PCI function: the host device instance path and the virtual function index. */
export const VirtualPciFunctionSchema = struct('VirtualPciFunction', {
  DeviceInstancePath: opt(Type.String()),
  VirtualFunction: opt(uint16()),
});
export type VirtualPciFunction = Static<typeof VirtualPciFunctionSchema>;

/** A device assigned to the VM over virtual PCI (schema 2.3+), keyed by a VMBus GUID (hcs-host.md §4.6). */
export const VirtualPciDeviceSchema = struct('VirtualPciDevice', {
  Functions: opt(Type.Array(VirtualPciFunctionSchema)),
  PropagateNumaAffinity: ptr(Type.Boolean()),
});
export type VirtualPciDevice = Static<typeof VirtualPciDeviceSchema>;

/** Every device of a VM; absent devices are not created. The vPCI key is spelled `VirtualPci` (hcs-host.md §5.4). */
export const DevicesSchema = struct('Devices', {
  ComPorts: opt(map(decimalKey(), ComPortSchema)),
  Scsi: opt(map(anyKey(), ScsiSchema)),
  VirtualPMem: opt(VirtualPMemControllerSchema),
  NetworkAdapters: opt(map(anyKey(), NetworkAdapterSchema)),
  VideoMonitor: opt(VideoMonitorSchema),
  Keyboard: opt(KeyboardSchema),
  Mouse: opt(MouseSchema),
  HvSocket: opt(HvSocket2Schema),
  EnhancedModeVideo: opt(EnhancedModeVideoSchema),
  GuestCrashReporting: opt(GuestCrashReportingSchema),
  VirtualSmb: opt(VirtualSmbSchema),
  Plan9: opt(Plan9Schema),
  Battery: opt(BatterySchema),
  FlexibleIov: opt(map(anyKey(), FlexibleIoDeviceSchema)),
  SharedMemory: opt(SharedMemoryConfigurationSchema),
  VirtualPci: opt(map(guid(), VirtualPciDeviceSchema)),
});
export type Devices = Static<typeof DevicesSchema>;

/** An extra VHD mapped into an existing VPMem device at a byte offset. */
export const VirtualPMemMappingSchema = struct('VirtualPMemMapping', {
  HostPath: opt(Type.String()),
  ImageFormat: opt(VirtualPMemImageFormatSchema),
});
export type VirtualPMemMapping = Static<typeof VirtualPMemMappingSchema>;
