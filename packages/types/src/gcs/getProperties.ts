/**
 * GetProperties (gcs-bridge.md §3.12). `Query` and `Properties` are JSON-in-string. The host has a
 * V1 query (schema1 property types) and a V2 query (HCS `PropertyQuery`); both travel in the same
 * message. The Linux GCS answers only `ProcessList` and `Statistics`, and rejects the UVM itself
 * (null container id).
 */
import Type, { type Static } from 'typebox';
import { stringEnum, struct, uint32 } from '../goSchema.js';
import { PropertiesSchema, PropertyQuerySchema } from '../hcs/schema/index.js';
import { gcsRequestBaseFields, gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { opaqueObject } from './opaque.js';
import { jsonInString, kept } from './wireFields.js';

/** The V1 (schema1) property types. */
export const GcsPropertyTypeV1 = {
  Statistics: 'Statistics',
  ProcessList: 'ProcessList',
  MappedVirtualDisk: 'MappedVirtualDisk',
  GuestConnection: 'GuestConnection',
} as const;
export type GcsPropertyTypeV1 = (typeof GcsPropertyTypeV1)[keyof typeof GcsPropertyTypeV1];

/** The property types the Linux guest's protocol defines; it acts on `ProcessList` and `Statistics` only. */
export const LinuxGuestPropertyType = {
  Memory: 'Memory',
  CpuGroup: 'CpuGroup',
  Statistics: 'Statistics',
  ProcessList: 'ProcessList',
  PendingUpdates: 'PendingUpdates',
  TerminateOnLastHandleClosed: 'TerminateOnLastHandleClosed',
  MappedDirectory: 'MappedDirectory',
  SystemGUID: 'SystemGUID',
  Network: 'Network',
  MappedPipe: 'MappedPipe',
  MappedVirtualDisk: 'MappedVirtualDisk',
} as const;
export type LinuxGuestPropertyType = (typeof LinuxGuestPropertyType)[keyof typeof LinuxGuestPropertyType];

/** The V1 query (schema1 `PropertyQuery`). */
export const GcsPropertyQueryV1Schema = struct('GcsPropertyQueryV1', {
  PropertyTypes: Type.Optional(Type.Array(stringEnum('GcsPropertyTypeV1', GcsPropertyTypeV1))),
});
export type GcsPropertyQueryV1 = Static<typeof GcsPropertyQueryV1Schema>;

export const GcsGetPropertiesRequestSchema = struct('GcsGetPropertiesRequest', {
  ...gcsRequestBaseFields,
  Query: jsonInString(GcsPropertyQueryV1Schema, { keep: true }),
});
export type GcsGetPropertiesRequest = Static<typeof GcsGetPropertiesRequestSchema>;

export const GcsGetPropertiesV2RequestSchema = struct('GcsGetPropertiesV2Request', {
  ...gcsRequestBaseFields,
  Query: jsonInString(PropertyQuerySchema, { keep: true }),
});
export type GcsGetPropertiesV2Request = Static<typeof GcsGetPropertiesV2RequestSchema>;

/**
 * The answer to either query, read as HCS `Properties` (which includes the Linux guest's
 * `LCOWMetrics`); absent on failure.
 */
export const GcsGetPropertiesResponseSchema = struct('GcsGetPropertiesResponse', {
  ...gcsResponseBaseFields,
  Properties: jsonInString(Type.Optional(PropertiesSchema), { keep: true }),
});
export type GcsGetPropertiesResponse = Static<typeof GcsGetPropertiesResponseSchema>;

export const LinuxGuestProcessDetailsSchema = struct('LinuxGuestProcessDetails', {
  ProcessId: kept(uint32()),
});
export type LinuxGuestProcessDetails = Static<typeof LinuxGuestProcessDetailsSchema>;

/** What the Linux GCS puts in `Properties`: `{}` when it has nothing to report. */
export const LinuxGuestPropertiesSchema = struct('LinuxGuestProperties', {
  ProcessList: Type.Optional(Type.Array(LinuxGuestProcessDetailsSchema)),
  /** containerd cgroup v1 metrics, with blkio, rdma and network emptied. */
  LCOWMetrics: Type.Optional(opaqueObject('containerd cgroup v1 metrics (lower-case keys).')),
});
export type LinuxGuestProperties = Static<typeof LinuxGuestPropertiesSchema>;

export const LinuxGuestGetPropertiesResponseSchema = struct('LinuxGuestGetPropertiesResponse', {
  ...linuxGuestResponseBaseFields,
  Properties: jsonInString(Type.Optional(LinuxGuestPropertiesSchema), { keep: true, zero: '' }),
});
export type LinuxGuestGetPropertiesResponse = Static<typeof LinuxGuestGetPropertiesResponseSchema>;
