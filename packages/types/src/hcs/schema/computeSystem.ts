import Type, { type Static } from 'typebox';
import { opt, struct } from '../../goSchema.js';
import { ContainerSchema } from './container.js';
import { VersionSchema } from './version.js';
import { VirtualMachineSchema } from './virtualMachine.js';

/** The document passed to HcsCreateComputeSystem: a utility VM (`VirtualMachine`) or a container (hcs-host.md §5.2). */
export const ComputeSystemSchema = struct('ComputeSystem', {
  Owner: opt(Type.String()),
  SchemaVersion: opt(VersionSchema),
  HostingSystemId: opt(Type.String()),
  HostedSystem: opt(Type.Unknown()),
  Container: opt(ContainerSchema),
  VirtualMachine: opt(VirtualMachineSchema),
  ShouldTerminateOnLastHandleClosed: opt(Type.Boolean()),
});
export type ComputeSystem = Static<typeof ComputeSystemSchema>;

/** The `HostedSystem` settings of a container created inside a utility VM (hcs-host.md §5.11). */
export const HostedSystemSchema = struct('HostedSystem', {
  SchemaVersion: opt(VersionSchema),
  Container: opt(ContainerSchema),
});
export type HostedSystem = Static<typeof HostedSystemSchema>;
