/**
 * Settings of the ModifySettings resources a Windows guest (or the confidential-WCOW sidecar)
 * handles (gcs-bridge.md §4.3). Every key is omitted when empty unless marked otherwise.
 */
import Type, { type Static } from 'typebox';
import { goField } from '../goJson.js';
import { int32, int64, stringEnum, struct, uint32 } from '../goSchema.js';
import { FileSystemFilterType, LayerSchema } from '../hcs/schema/index.js';
import { GuestRequestType } from './guestModification.js';
import { opaqueObject } from './opaque.js';
import { Guid, kept, NULL_GUID_TEXT } from './wireFields.js';

/** `MappedVirtualDisk` (and `MappedVirtualDiskForContainerScratch`) on WCOW. */
export const WcowMappedVirtualDiskSchema = struct('WcowMappedVirtualDisk', {
  ContainerPath: Type.Optional(Type.String()),
  Lun: Type.Optional(int32()),
});
export type WcowMappedVirtualDisk = Static<typeof WcowMappedVirtualDiskSchema>;

/** `CombinedLayers` on WCOW. */
export const WcowCombinedLayersSchema = struct('WcowCombinedLayers', {
  ContainerRootPath: Type.Optional(Type.String()),
  Layers: Type.Optional(Type.Array(LayerSchema)),
  /** Ignored by WCOW. */
  ScratchPath: Type.Optional(Type.String()),
  FilterType: Type.Optional(stringEnum('FileSystemFilterType', FileSystemFilterType)),
});
export type WcowCombinedLayers = Static<typeof WcowCombinedLayersSchema>;

/**
 * `CWCOWCombinedLayers` (confidential WCOW; the sidecar forwards it as `CombinedLayers`). For Add,
 * exactly one layer whose Path is `\\?\Volume{<guid>}\Files`. `CombinedLayers` is always written.
 */
export const CwcowCombinedLayersSchema = struct('CwcowCombinedLayers', {
  ContainerID: Type.Optional(Type.String()),
  CombinedLayers: kept(Type.Optional(WcowCombinedLayersSchema)),
});
export type CwcowCombinedLayers = Static<typeof CwcowCombinedLayersSchema>;

/** One block CIM; both keys always written. */
export const BlockCimDeviceSchema = struct('BlockCimDevice', {
  CimName: kept(Type.String()),
  Lun: kept(int32()),
});
export type BlockCimDevice = Static<typeof BlockCimDeviceSchema>;

/** `WCOWBlockCims` (handled by the confidential sidecar). `VolumeGUID` is always written. */
export const CwcowBlockCimMountsSchema = struct('CwcowBlockCimMounts', {
  /** The merged CIM first, then layer n … 1. */
  BlockCIMs: Type.Optional(Type.Array(BlockCimDeviceSchema)),
  /** The volume to mount at; the null GUID when unset. */
  VolumeGUID: goField(Type.Optional(Guid), { keep: true, zero: NULL_GUID_TEXT }),
  MountFlags: Type.Optional(uint32()),
  ContainerID: Type.Optional(Type.String()),
});
export type CwcowBlockCimMounts = Static<typeof CwcowBlockCimMountsSchema>;

/**
 * `Network` on WCOW, inside an envelope whose own RequestType is Add or Remove: `PreAdd` carries
 * the HCN endpoint before the host hot-adds the NIC, `Add` follows it with no settings.
 */
export const WcowNetworkModifyRequestSchema = struct('WcowNetworkModifyRequest', {
  AdapterId: Type.Optional(Type.String()),
  RequestType: Type.Optional(stringEnum('GuestRequestType', GuestRequestType)),
  /** An HCN HostComputeEndpoint (`ID`, `Name`, `HostComputeNetwork`, `Policies`, ...). */
  Settings: Type.Optional(opaqueObject('An HCN HostComputeEndpoint.')),
});
export type WcowNetworkModifyRequest = Static<typeof WcowNetworkModifyRequestSchema>;

/** The RS4 (Windows 1803) form of {@link WcowNetworkModifyRequestSchema}. */
export const WcowRs4NetworkModifyRequestSchema = struct('WcowRs4NetworkModifyRequest', {
  AdapterInstanceId: Type.Optional(Type.String()),
  RequestType: Type.Optional(stringEnum('GuestRequestType', GuestRequestType)),
  Settings: Type.Optional(opaqueObject('An HCN HostComputeEndpoint.')),
});
export type WcowRs4NetworkModifyRequest = Static<typeof WcowRs4NetworkModifyRequestSchema>;

/** What an HCN namespace is for. */
export const HcnNamespaceType = { Host: 'Host', HostDefault: 'HostDefault', Guest: 'Guest', GuestDefault: 'GuestDefault' } as const;
export type HcnNamespaceType = (typeof HcnNamespaceType)[keyof typeof HcnNamespaceType];

/** What an HCN namespace resource refers to. */
export const HcnNamespaceResourceType = { Container: 'Container', Endpoint: 'Endpoint' } as const;
export type HcnNamespaceResourceType = (typeof HcnNamespaceResourceType)[keyof typeof HcnNamespaceResourceType];

/** HCN's schema version; both keys always written. */
export const HcnSchemaVersionSchema = struct('HcnSchemaVersion', {
  Major: kept(int64()),
  Minor: kept(int64()),
});
export type HcnSchemaVersion = Static<typeof HcnSchemaVersionSchema>;

/** One resource attached to an HCN namespace; both keys always written. */
export const HostComputeNamespaceResourceSchema = struct('HostComputeNamespaceResource', {
  Type: kept(stringEnum('HcnNamespaceResourceType', HcnNamespaceResourceType)),
  /** Raw JSON, e.g. `{"ID":"<endpoint id>"}`; null when absent. */
  Data: kept(Type.Optional(Type.Unknown())),
});
export type HostComputeNamespaceResource = Static<typeof HostComputeNamespaceResourceSchema>;

/** `NetworkNamespace` on WCOW: an HCN namespace. `SchemaVersion` is a Go struct, so it is always written. */
export const HostComputeNamespaceSchema = struct('HostComputeNamespace', {
  ID: Type.Optional(Type.String()),
  NamespaceId: Type.Optional(uint32()),
  Type: Type.Optional(stringEnum('HcnNamespaceType', HcnNamespaceType)),
  Resources: Type.Optional(Type.Array(HostComputeNamespaceResourceSchema)),
  SchemaVersion: kept(Type.Optional(HcnSchemaVersionSchema)),
});
export type HostComputeNamespace = Static<typeof HostComputeNamespaceSchema>;
