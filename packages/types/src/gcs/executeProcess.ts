/**
 * ExecuteProcess (gcs-bridge.md §3.8): starts a process in the UVM or in a container and connects
 * its stdio to host listeners. `ProcessParameters` is JSON-in-string: HCS `ProcessParametersSchema`
 * for WCOW and for LCOW processes in the UVM itself, {@link LcowProcessParametersSchema} for LCOW
 * container processes.
 */
import Type, { type Static } from 'typebox';
import { ptr, struct, uint32 } from '../goSchema.js';
import { gcsRequestBaseFields, gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { opaqueObject } from './opaque.js';
import { Guid, jsonInString, kept } from './wireFields.js';

/** WCOW stdio relay: the hvsock service GUID the guest dials for each pipe (`VsockServiceID(port)`). */
export const GcsStdioRelaySettingsSchema = struct('GcsStdioRelaySettings', {
  StdIn: ptr(Guid),
  StdOut: ptr(Guid),
  StdErr: ptr(Guid),
});
export type GcsStdioRelaySettings = Static<typeof GcsStdioRelaySettingsSchema>;

/** LCOW stdio relay: the vsock port the guest dials for each pipe (0 or absent = no pipe). */
export const GcsVsockStdioRelaySettingsSchema = struct('GcsVsockStdioRelaySettings', {
  StdIn: Type.Optional(uint32()),
  StdOut: Type.Optional(uint32()),
  StdErr: Type.Optional(uint32()),
});
export type GcsVsockStdioRelaySettings = Static<typeof GcsVsockStdioRelaySettingsSchema>;

export const GcsExecuteProcessSettingsSchema = struct('GcsExecuteProcessSettings', {
  /** The process description, double-encoded; pass the document or its JSON text. */
  ProcessParameters: jsonInString(Type.Unknown(), { keep: true, zero: 'null' }),
  /** WCOW only. */
  StdioRelaySettings: Type.Optional(GcsStdioRelaySettingsSchema),
  /** LCOW only; the Go host always sends it to a Linux guest, `{}` when there are no pipes. */
  VsockStdioRelaySettings: Type.Optional(GcsVsockStdioRelaySettingsSchema),
});
export type GcsExecuteProcessSettings = Static<typeof GcsExecuteProcessSettingsSchema>;

export const GcsExecuteProcessRequestSchema = struct('GcsExecuteProcessRequest', {
  ...gcsRequestBaseFields,
  Settings: kept(GcsExecuteProcessSettingsSchema),
});
export type GcsExecuteProcessRequest = Static<typeof GcsExecuteProcessRequestSchema>;

export const GcsExecuteProcessResponseSchema = struct('GcsExecuteProcessResponse', {
  ...gcsResponseBaseFields,
  /** The guest pid; absent on failure. */
  ProcessId: kept(Type.Optional(uint32())),
});
export type GcsExecuteProcessResponse = Static<typeof GcsExecuteProcessResponseSchema>;

export const LinuxGuestExecuteProcessResponseSchema = struct('LinuxGuestExecuteProcessResponse', {
  ...linuxGuestResponseBaseFields,
  ProcessId: kept(Type.Optional(uint32())),
});
export type LinuxGuestExecuteProcessResponse = Static<typeof LinuxGuestExecuteProcessResponseSchema>;

/**
 * The process parameters the Linux GCS reads. `OciProcess` present execs an extra process in the
 * container; absent starts the container's init process. `CreateInUtilityVM` (or the null
 * container id) runs the process in the UVM from `CommandArgs` (else `CommandLine`).
 */
export const LcowProcessParametersSchema = struct('LcowProcessParameters', {
  CommandLine: Type.Optional(Type.String()),
  CommandArgs: Type.Optional(Type.Array(Type.String())),
  WorkingDirectory: Type.Optional(Type.String()),
  Environment: Type.Optional(Type.Record(Type.String(), Type.String())),
  EmulateConsole: Type.Optional(Type.Boolean()),
  CreateStdInPipe: Type.Optional(Type.Boolean()),
  CreateStdOutPipe: Type.Optional(Type.Boolean()),
  CreateStdErrPipe: Type.Optional(Type.Boolean()),
  CreateInUtilityVM: Type.Optional(Type.Boolean()),
  /** Legacy; unused by protocol v4. */
  OciSpecification: Type.Optional(opaqueObject('An OCI runtime-spec document.')),
  OciProcess: Type.Optional(opaqueObject('An OCI runtime-spec `process` object.')),
});
export type LcowProcessParameters = Static<typeof LcowProcessParametersSchema>;
