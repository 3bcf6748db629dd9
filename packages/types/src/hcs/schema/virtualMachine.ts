import Type, { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';
import { ChipsetSchema } from './chipset.js';
import { DevicesSchema } from './devices.js';
import { MigrationInitializeOptionsSchema } from './migration.js';
import { RegistryChangesSchema } from './registry.js';
import { GuestStateSchema, SecuritySettingsSchema } from './security.js';
import { TopologySchema } from './topology.js';
import { VersionSchema } from './version.js';

/** Files HCS writes when the guest bugchecks, triple-faults or dumps firmware (hcs-host.md §5.5). */
export const DebugOptionsSchema = struct('DebugOptions', {
  BugcheckSavedStateFileName: opt(Type.String()),
  BugcheckNoCrashdumpSavedStateFileName: opt(Type.String()),
  TripleFaultSavedStateFileName: opt(Type.String()),
  FirmwareDumpFileName: opt(Type.String()),
});
export type DebugOptions = Static<typeof DebugOptionsSchema>;

/** How HCS connects to the guest's GCS through its internal bridge. */
export const GuestConnectionSchema = struct('GuestConnection', {
  UseVsock: opt(Type.Boolean()),
  UseConnectedSuspend: opt(Type.Boolean()),
});
export type GuestConnection = Static<typeof GuestConnectionSchema>;

/** Where a VM restores from: a saved-state file or a template system. */
export const RestoreStateSchema = struct('RestoreState', {
  SaveStateFilePath: opt(Type.String()),
  TemplateSystemId: opt(Type.String()),
});
export type RestoreState = Static<typeof RestoreStateSchema>;

/** Storage limits of a VM or container; zero means unlimited. */
export const StorageQoSSchema = struct('StorageQoS', {
  IopsMaximum: opt(int32()),
  BandwidthMaximum: opt(int32()),
});
export type StorageQoS = Static<typeof StorageQoSSchema>;

/** A virtual machine: firmware, topology, devices, state files, security (hcs-host.md §5.2). */
export const VirtualMachineSchema = struct('VirtualMachine', {
  Version: opt(VersionSchema),
  StopOnReset: opt(Type.Boolean()),
  Chipset: opt(ChipsetSchema),
  ComputeTopology: opt(TopologySchema),
  Devices: opt(DevicesSchema),
  GuestState: opt(GuestStateSchema),
  RestoreState: opt(RestoreStateSchema),
  RegistryChanges: opt(RegistryChangesSchema),
  StorageQoS: opt(StorageQoSSchema),
  DebugOptions: opt(DebugOptionsSchema),
  GuestConnection: opt(GuestConnectionSchema),
  SecuritySettings: opt(SecuritySettingsSchema),
  ResourcePartitionId: opt(guid()),
  MigrationOptions: opt(MigrationInitializeOptionsSchema),
});
export type VirtualMachine = Static<typeof VirtualMachineSchema>;
