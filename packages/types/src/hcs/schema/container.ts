import Type, { type Static } from 'typebox';
import { int32, opt, struct, uint32, uint64 } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';
import { ContainerCredentialGuardStateSchema } from './containerCredentialGuard.js';
import { ContainerDefinitionDeviceSchema } from './deviceNamespace.js';
import { DeviceTypeSchema, IsolationTypeSchema } from './enums.js';
import { HvSocketSchema } from './hvSocket.js';
import { RegistryChangesSchema } from './registry.js';
import { StorageQoSSchema } from './virtualMachine.js';

/** A host device assigned to a container. */
export const DeviceSchema = struct('Device', {
  Type: opt(DeviceTypeSchema),
  InterfaceClassGuid: opt(guid()),
  LocationPath: opt(Type.String()),
});
export type Device = Static<typeof DeviceSchema>;

/** Guest OS settings of a container. */
export const GuestOsSchema = struct('GuestOs', {
  HostName: opt(Type.String()),
});
export type GuestOs = Static<typeof GuestOsSchema>;

/** A host directory mapped into a container. */
export const MappedDirectorySchema = struct('MappedDirectory', {
  HostPath: opt(Type.String()),
  HostPathType: opt(Type.String()),
  ContainerPath: opt(Type.String()),
  ReadOnly: opt(Type.Boolean()),
});
export type MappedDirectory = Static<typeof MappedDirectorySchema>;

/** A host named pipe mapped into a container. */
export const MappedPipeSchema = struct('MappedPipe', {
  ContainerPipeName: opt(Type.String()),
  HostPath: opt(Type.String()),
  HostPathType: opt(Type.String()),
});
export type MappedPipe = Static<typeof MappedPipeSchema>;

/** Memory of a container, in MB. */
export const MemorySchema = struct('Memory', {
  SizeInMB: opt(uint64()),
});
export type Memory = Static<typeof MemorySchema>;

/** Networking of a container: namespace, adapters, DNS. */
export const NetworkingSchema = struct('Networking', {
  AllowUnqualifiedDnsQuery: opt(Type.Boolean()),
  DnsSearchList: opt(Type.String()),
  NetworkSharedContainerName: opt(Type.String()),
  Namespace: opt(Type.String()),
  NetworkAdapters: opt(Type.Array(Type.String())),
});
export type Networking = Static<typeof NetworkingSchema>;

/** Processors of a container. */
export const ProcessorSchema = struct('Processor', {
  Count: opt(int32()),
  Maximum: opt(int32()),
  Weight: opt(int32()),
});
export type Processor = Static<typeof ProcessorSchema>;

/** One container image layer, by GUID and path. */
export const LayerSchema = struct('Layer', {
  Id: opt(guid()),
  Path: opt(Type.String()),
  PathType: opt(Type.String()),
  Cache: opt(Type.String()),
});
export type Layer = Static<typeof LayerSchema>;

/** The layers and scratch of a container. */
export const StorageSchema = struct('Storage', {
  Layers: opt(Type.Array(LayerSchema)),
  Path: opt(Type.String()),
  QoS: opt(StorageQoSSchema),
  PrivilegedContainerRootPath: opt(Type.String()),
});
export type Storage = Static<typeof StorageSchema>;

/** A process-isolated container or a container hosted in a utility VM (hcs-host.md §5.11). */
export const ContainerSchema = struct('Container', {
  GuestOs: opt(GuestOsSchema),
  Storage: opt(StorageSchema),
  MappedDirectories: opt(Type.Array(MappedDirectorySchema)),
  MappedPipes: opt(Type.Array(MappedPipeSchema)),
  Memory: opt(MemorySchema),
  Processor: opt(ProcessorSchema),
  Networking: opt(NetworkingSchema),
  HvSocket: opt(HvSocketSchema),
  ContainerCredentialGuard: opt(ContainerCredentialGuardStateSchema),
  RegistryChanges: opt(RegistryChangesSchema),
  AssignedDevices: opt(Type.Array(DeviceSchema)),
  AdditionalDeviceNamespace: opt(ContainerDefinitionDeviceSchema),
  IsolationType: opt(IsolationTypeSchema),
});
export type Container = Static<typeof ContainerSchema>;

/** A CimFS image to mount (schema 2.5). */
export const CimMountSchema = struct('CimMount', {
  ImagePath: opt(Type.String()),
  FileSystemName: opt(Type.String()),
  VolumeGuid: opt(guid()),
  MountFlags: opt(uint32()),
});
export type CimMount = Static<typeof CimMountSchema>;
