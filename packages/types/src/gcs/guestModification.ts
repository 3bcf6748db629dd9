/**
 * The envelope of a ModifySettings request (gcs-bridge.md §4.1, §4.2): which guest resource,
 * what to do with it, and its settings.
 */
import Type, { type Static } from 'typebox';
import { stringEnum, struct } from '../goSchema.js';

/** Every `ResourceType` a guest knows (§4.2). */
export const GuestResourceType = {
  MappedVirtualDisk: 'MappedVirtualDisk',
  MappedVirtualDiskForContainerScratch: 'MappedVirtualDiskForContainerScratch',
  SCSIDevice: 'SCSIDevice',
  MappedDirectory: 'MappedDirectory',
  VPMemDevice: 'VPMemDevice',
  VPCIDevice: 'VPCIDevice',
  CombinedLayers: 'CombinedLayers',
  CWCOWCombinedLayers: 'CWCOWCombinedLayers',
  WCOWBlockCims: 'WCOWBlockCims',
  Network: 'Network',
  NetworkNamespace: 'NetworkNamespace',
  HvSocket: 'HvSocket',
  ContainerConstraints: 'ContainerConstraints',
  SecurityPolicy: 'SecurityPolicy',
  SecurityPolicyFragment: 'SecurityPolicyFragment',
  PodCgroupMemoryLimit: 'PodCgroupMemoryLimit',
} as const;
export type GuestResourceType = (typeof GuestResourceType)[keyof typeof GuestResourceType];

/** What to do with the resource. An absent `RequestType` is treated as Add by both guests. */
export const GuestRequestType = {
  Add: 'Add',
  Remove: 'Remove',
  /** WCOW networking: hand over the endpoint before the host hot-adds the NIC. */
  PreAdd: 'PreAdd',
  Update: 'Update',
} as const;
export type GuestRequestType = (typeof GuestRequestType)[keyof typeof GuestRequestType];

/**
 * The `Request` of a ModifySettings body. `Settings` depends on `ResourceType` and the guest OS:
 * see `guestResourceSettingsSchema`, and `gcsModifySettingsRequestSchema` to validate and write a
 * whole body with the right settings schema.
 */
export const GuestModificationRequestSchema = struct('GuestModificationRequest', {
  RequestType: Type.Optional(stringEnum('GuestRequestType', GuestRequestType)),
  ResourceType: Type.Optional(stringEnum('GuestResourceType', GuestResourceType)),
  Settings: Type.Optional(Type.Unknown()),
});
export type GuestModificationRequest = Static<typeof GuestModificationRequestSchema>;
