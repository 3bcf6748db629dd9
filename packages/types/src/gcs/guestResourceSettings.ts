/**
 * Which settings schema each guest resource takes on each guest OS, and what the Linux GCS accepts
 * (gcs-bridge.md §4.2).
 */
import Type, { type TSchema } from 'typebox';
import { HvSocketAddressSchema, MappedDirectorySchema } from '../hcs/schema/index.js';
import type { GcsGuestOs } from './capabilities.js';
import { GuestRequestType, GuestResourceType } from './guestModification.js';
import {
  LcowCombinedLayersSchema,
  LcowContainerConstraintsSchema,
  LcowMappedDirectorySchema,
  LcowMappedVirtualDiskSchema,
  LcowMappedVpciDeviceSchema,
  LcowMappedVpmemDeviceSchema,
  LcowNetworkAdapterSchema,
  ScsiDeviceSchema,
} from './lcowResources.js';
import { ConfidentialOptionsSchema, SecurityPolicyFragmentSchema } from './securityPolicy.js';
import {
  CwcowBlockCimMountsSchema,
  CwcowCombinedLayersSchema,
  HostComputeNamespaceSchema,
  WcowCombinedLayersSchema,
  WcowMappedVirtualDiskSchema,
  WcowNetworkModifyRequestSchema,
} from './wcowResources.js';

/** PodCgroupMemoryLimit carries no settings; the Linux GCS ignores whatever is there. */
const IgnoredSettingsSchema = Type.Unknown({ description: 'Ignored by the guest.' });

const SETTINGS: Readonly<Record<GcsGuestOs, Readonly<Partial<Record<GuestResourceType, TSchema>>>>> = {
  linux: {
    MappedVirtualDisk: LcowMappedVirtualDiskSchema,
    SCSIDevice: ScsiDeviceSchema,
    MappedDirectory: LcowMappedDirectorySchema,
    VPMemDevice: LcowMappedVpmemDeviceSchema,
    VPCIDevice: LcowMappedVpciDeviceSchema,
    CombinedLayers: LcowCombinedLayersSchema,
    Network: LcowNetworkAdapterSchema,
    ContainerConstraints: LcowContainerConstraintsSchema,
    SecurityPolicy: ConfidentialOptionsSchema,
    SecurityPolicyFragment: SecurityPolicyFragmentSchema,
    PodCgroupMemoryLimit: IgnoredSettingsSchema,
  },
  windows: {
    MappedVirtualDisk: WcowMappedVirtualDiskSchema,
    MappedVirtualDiskForContainerScratch: WcowMappedVirtualDiskSchema,
    MappedDirectory: MappedDirectorySchema,
    CombinedLayers: WcowCombinedLayersSchema,
    CWCOWCombinedLayers: CwcowCombinedLayersSchema,
    WCOWBlockCims: CwcowBlockCimMountsSchema,
    Network: WcowNetworkModifyRequestSchema,
    NetworkNamespace: HostComputeNamespaceSchema,
    HvSocket: HvSocketAddressSchema,
    SecurityPolicy: ConfidentialOptionsSchema,
    SecurityPolicyFragment: SecurityPolicyFragmentSchema,
  },
};

/**
 * The schema of `Settings` for a resource on a guest OS, or undefined when that guest does not
 * handle the resource (or `resourceType` is not a resource type). For `PodCgroupMemoryLimit` it is
 * a schema that accepts anything, since the guest ignores the settings.
 */
export function guestResourceSettingsSchema(resourceType: string, os: GcsGuestOs): TSchema | undefined {
  const table = Object.hasOwn(SETTINGS, os) ? SETTINGS[os] : undefined;
  if (table === undefined || !Object.hasOwn(table, resourceType)) return undefined;
  return table[resourceType as GuestResourceType];
}

/** How the Linux GCS treats one resource type. */
export interface LinuxGcsResourceSupport {
  /** The request types it acts on; any other fails with E_FAIL ("RequestType not supported"). */
  readonly requestTypes: readonly GuestRequestType[];
  /** It does not look at `RequestType` at all. */
  readonly ignoresRequestType: boolean;
  /**
   * `uvm`: only with the null container id. `container`: only with a container's id (a
   * container-scoped request for any other resource fails).
   */
  readonly scope: 'uvm' | 'container';
}

const ALL_REQUEST_TYPES: readonly GuestRequestType[] = Object.values(GuestRequestType);
const uvm = (...requestTypes: GuestRequestType[]): LinuxGcsResourceSupport => ({ requestTypes, ignoresRequestType: false, scope: 'uvm' });
const anyRequest = (scope: 'uvm' | 'container'): LinuxGcsResourceSupport => ({ requestTypes: ALL_REQUEST_TYPES, ignoresRequestType: true, scope });

/**
 * The resource types the Linux GCS handles and the request types it accepts for each (§4.2). A
 * resource type missing here fails with E_FAIL ("invalid ResourceType") before anything happens.
 */
export const LINUX_GCS_RESOURCE_SUPPORT: Readonly<Partial<Record<GuestResourceType, LinuxGcsResourceSupport>>> = {
  [GuestResourceType.MappedVirtualDisk]: uvm('Add', 'Remove'),
  [GuestResourceType.SCSIDevice]: uvm('Remove'),
  [GuestResourceType.MappedDirectory]: uvm('Add', 'Remove'),
  [GuestResourceType.VPMemDevice]: uvm('Add', 'Remove'),
  [GuestResourceType.VPCIDevice]: uvm('Add'),
  [GuestResourceType.CombinedLayers]: uvm('Add', 'Remove'),
  [GuestResourceType.Network]: uvm('Add', 'Remove'),
  [GuestResourceType.PodCgroupMemoryLimit]: uvm('Update'),
  [GuestResourceType.SecurityPolicy]: anyRequest('uvm'),
  [GuestResourceType.SecurityPolicyFragment]: anyRequest('uvm'),
  [GuestResourceType.ContainerConstraints]: anyRequest('container'),
};
