/**
 * Settings of the ModifySettings resources a Linux guest handles (gcs-bridge.md §4.3). Every key
 * is omitted when empty unless marked otherwise.
 */
import Type, { type Static } from 'typebox';
import { int32, int64, struct, uint16, uint32, uint64, uint8 } from '../goSchema.js';
import { LayerSchema } from '../hcs/schema/index.js';
import { opaqueObject } from './opaque.js';
import { kept } from './wireFields.js';

/** `SCSIDevice` (Remove): unplug a disk inside the guest before the host removes it. */
export const ScsiDeviceSchema = struct('ScsiDevice', {
  /** Host controller index 0–3 (the guest maps it to the bus through the fixed controller GUIDs). */
  Controller: Type.Optional(uint8()),
  Lun: Type.Optional(uint8()),
});
export type ScsiDevice = Static<typeof ScsiDeviceSchema>;

/** dm-verity parameters; deprecated, the guest now reads them from the device itself. */
export const DeviceVerityInfoSchema = struct('DeviceVerityInfo', {
  Ext4SizeInBytes: Type.Optional(int64()),
  Version: Type.Optional(int64()),
  Algorithm: Type.Optional(Type.String()),
  SuperBlock: Type.Optional(Type.Boolean()),
  RootDigest: Type.Optional(Type.String()),
  Salt: Type.Optional(Type.String()),
  BlockSize: Type.Optional(int64()),
});
export type DeviceVerityInfo = Static<typeof DeviceVerityInfoSchema>;

/** `MappedVirtualDisk` on LCOW: mount (or expose) a SCSI disk; Add has a 5-second mount timeout. */
export const LcowMappedVirtualDiskSchema = struct('LcowMappedVirtualDisk', {
  /** Guest mount point, conventionally `/run/mounts/scsi/m<N>`; empty attaches only. */
  MountPath: Type.Optional(Type.String()),
  Lun: Type.Optional(uint8()),
  Controller: Type.Optional(uint8()),
  /** Partition number; 0 is the whole disk. */
  Partition: Type.Optional(uint64()),
  ReadOnly: Type.Optional(Type.Boolean()),
  /** dm-crypt the device (scratch disks). */
  Encrypted: Type.Optional(Type.Boolean()),
  /** Mount options; a confidential guest requires exactly `["ro"]` when ReadOnly, else none. */
  Options: Type.Optional(Type.Array(Type.String())),
  /** Expose the block device (a symlink at MountPath) instead of mounting it. */
  BlockDev: Type.Optional(Type.Boolean()),
  VerityInfo: Type.Optional(DeviceVerityInfoSchema),
  /** Format the disk when it has no filesystem. */
  EnsureFilesystem: Type.Optional(Type.Boolean()),
  /** e.g. `ext4`, `xfs`. */
  Filesystem: Type.Optional(Type.String()),
});
export type LcowMappedVirtualDisk = Static<typeof LcowMappedVirtualDiskSchema>;

/** `MappedDirectory` on LCOW: mount a Plan 9 share served by HCS over vsock. */
export const LcowMappedDirectorySchema = struct('LcowMappedDirectory', {
  MountPath: Type.Optional(Type.String()),
  /** The vsock port of the 9p server (564 by default). */
  Port: Type.Optional(int32()),
  /** The 9p `aname`: the share name configured on the HCS Plan9 device. */
  ShareName: Type.Optional(Type.String()),
  ReadOnly: Type.Optional(Type.Boolean()),
});
export type LcowMappedDirectory = Static<typeof LcowMappedDirectorySchema>;

/** Where a layer lives on a VPMem device that holds several layers. */
export const LcowVpmemMappingInfoSchema = struct('LcowVpmemMappingInfo', {
  DeviceOffsetInBytes: Type.Optional(uint64()),
  DeviceSizeInBytes: Type.Optional(uint64()),
});
export type LcowVpmemMappingInfo = Static<typeof LcowVpmemMappingInfoSchema>;

/** `VPMemDevice`: mount `/dev/pmem<DeviceNumber>`. */
export const LcowMappedVpmemDeviceSchema = struct('LcowMappedVpmemDevice', {
  DeviceNumber: Type.Optional(uint32()),
  MountPath: Type.Optional(Type.String()),
  MappingInfo: Type.Optional(LcowVpmemMappingInfoSchema),
  VerityInfo: Type.Optional(DeviceVerityInfoSchema),
});
export type LcowMappedVpmemDevice = Static<typeof LcowMappedVpmemDeviceSchema>;

/** `VPCIDevice` (Add): wait until the PCI device of this VMBus channel appears. */
export const LcowMappedVpciDeviceSchema = struct('LcowMappedVpciDevice', {
  VMBusGUID: Type.Optional(Type.String()),
});
export type LcowMappedVpciDevice = Static<typeof LcowMappedVpciDeviceSchema>;

/** `CombinedLayers` on LCOW: an overlay mount. Remove needs only `ContainerRootPath`. */
export const LcowCombinedLayersSchema = struct('LcowCombinedLayers', {
  /** Spelled `ContainerID`; not set on Remove. */
  ContainerID: Type.Optional(Type.String()),
  /** The overlay target, conventionally `/run/gcs/c/<id>/rootfs`. */
  ContainerRootPath: Type.Optional(Type.String()),
  /** The read-only lower directories (`Path` is a guest path). */
  Layers: Type.Optional(Type.Array(LayerSchema)),
  /** Writable directory holding `upper` and `work`; empty makes a read-only overlay. */
  ScratchPath: Type.Optional(Type.String()),
});
export type LcowCombinedLayers = Static<typeof LcowCombinedLayersSchema>;

export const LcowIpConfigSchema = struct('LcowIpConfig', {
  IPAddress: Type.Optional(Type.String()),
  PrefixLength: Type.Optional(uint8()),
});
export type LcowIpConfig = Static<typeof LcowIpConfigSchema>;

export const LcowRouteSchema = struct('LcowRoute', {
  NextHop: Type.Optional(Type.String()),
  DestinationPrefix: Type.Optional(Type.String()),
  Metric: Type.Optional(uint16()),
});
export type LcowRoute = Static<typeof LcowRouteSchema>;

/** `Network` on LCOW: a NIC in a network namespace. Remove needs `NamespaceID` and `ID`. */
export const LcowNetworkAdapterSchema = struct('LcowNetworkAdapter', {
  /** The HCN namespace GUID; the guest creates or finds its namespace by it. */
  NamespaceID: Type.Optional(Type.String()),
  /** The NIC id (GUID). */
  ID: Type.Optional(Type.String()),
  MacAddress: Type.Optional(Type.String()),
  /** A comma-separated DNS search list, despite the name. */
  DNSSuffix: Type.Optional(Type.String()),
  /** Comma-separated DNS servers. */
  DNSServerList: Type.Optional(Type.String()),
  /** MTU reduction. */
  EncapOverhead: Type.Optional(uint16()),
  /** The NIC is an assigned virtual function. */
  VPCIAssigned: Type.Optional(Type.Boolean()),
  IPConfigs: Type.Optional(Type.Array(LcowIpConfigSchema)),
  Routes: Type.Optional(Type.Array(LcowRouteSchema)),
  PolicyBasedRouting: Type.Optional(Type.Boolean()),
  /** Only meaningful with PolicyBasedRouting. */
  EnableLowMetric: Type.Optional(Type.Boolean()),
});
export type LcowNetworkAdapter = Static<typeof LcowNetworkAdapterSchema>;

/**
 * `ContainerConstraints` (container-scoped): OCI resources applied with `runc update`. Both keys
 * are always written (`{}` when empty), so a Linux update carries `"Windows":{}` too.
 */
export const LcowContainerConstraintsSchema = struct('LcowContainerConstraints', {
  Windows: kept(Type.Optional(opaqueObject('OCI runtime-spec WindowsResources.'))),
  Linux: kept(Type.Optional(opaqueObject('OCI runtime-spec LinuxResources (cpu, memory, pids, ...).'))),
});
export type LcowContainerConstraints = Static<typeof LcowContainerConstraintsSchema>;
