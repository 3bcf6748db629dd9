/**
 * Create (gcs-bridge.md §3.5): registers a container in the guest, or (WCOW, when the guest asks
 * for it) creates the UVM itself. `ContainerConfig` is JSON-in-string; its content depends on the
 * target:
 * - the UVM (WCOW, null container id): {@link GcsUvmConfigSchema};
 * - an LCOW container: {@link LcowContainerConfigSchema};
 * - a WCOW container: HCS `HostedSystemSchema` (`SchemaVersion` 2.1 and a `Container`);
 * - a confidential WCOW container: {@link CwcowHostedSystemSchema}.
 */
import Type, { type Static } from 'typebox';
import { goField } from '../goJson.js';
import { struct, uint32 } from '../goSchema.js';
import { HostedSystemSchema, TimeZoneInformationSchema, VersionSchema } from '../hcs/schema/index.js';
import { gcsRequestBaseFields, gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { opaqueObject } from './opaque.js';
import { jsonInString, kept } from './wireFields.js';

export const GcsCreateRequestSchema = struct('GcsCreateRequest', {
  ...gcsRequestBaseFields,
  /** The container configuration, double-encoded; pass the document or its JSON text. */
  ContainerConfig: jsonInString(Type.Unknown(), { keep: true, zero: 'null' }),
});
export type GcsCreateRequest = Static<typeof GcsCreateRequestSchema>;

/** Base only for the host. */
export const GcsCreateResponseSchema = struct('GcsCreateResponse', gcsResponseBaseFields);
export type GcsCreateResponse = Static<typeof GcsCreateResponseSchema>;

/** The Linux GCS adds the pre-v4 negotiation fields, which a v4 host ignores. */
export const LinuxGuestCreateResponseSchema = struct('LinuxGuestCreateResponse', {
  ...linuxGuestResponseBaseFields,
  SelectedVersion: Type.Optional(Type.String()),
  SelectedProtocolVersion: kept(Type.Optional(uint32())),
});
export type LinuxGuestCreateResponse = Static<typeof LinuxGuestCreateResponseSchema>;

/** `ContainerConfig` of the UVM-level Create a WCOW guest asks for (`SendHostCreateMessage`). */
export const GcsUvmConfigSchema = struct('GcsUvmConfig', {
  SystemType: kept(Type.Literal('Container')),
  /** The host's time zone (or UTC); written as null when absent. */
  TimeZoneInformation: goField(Type.Optional(TimeZoneInformationSchema), { keep: true, pointer: true }),
});
export type GcsUvmConfig = Static<typeof GcsUvmConfigSchema>;

/** `ContainerConfig` of an LCOW container ("VM-hosted container settings V2"). */
export const LcowContainerConfigSchema = struct('LcowContainerConfig', {
  /** Must be at least 2.1, else the guest answers 0xC037010D. */
  SchemaVersion: kept(VersionSchema),
  /** The guest path of the bundle, conventionally `/run/gcs/c/<containerId>`. */
  OciBundlePath: Type.Optional(Type.String()),
  /** Required: the Linux GCS crashes on a Create without it. */
  OciSpecification: opaqueObject('An OCI runtime-spec document.'),
  /** The guest path of the container's scratch directory. */
  ScratchDirPath: kept(Type.Optional(Type.String())),
});
export type LcowContainerConfig = Static<typeof LcowContainerConfigSchema>;

/** `ContainerConfig` of a confidential WCOW container; the sidecar checks `Spec` against its policy. */
export const CwcowHostedSystemSchema = struct('CwcowHostedSystem', {
  Spec: kept(opaqueObject('An OCI runtime-spec document.')),
  CWCOWHostedSystem: kept(HostedSystemSchema),
});
export type CwcowHostedSystem = Static<typeof CwcowHostedSystemSchema>;
