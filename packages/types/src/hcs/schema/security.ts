import Type, { type Static } from 'typebox';
import { int64, opt, ptr, struct } from '../../goSchema.js';
import { base64 } from '../../stringFormats.js';
import { VmIsolationTypeSchema } from './enums.js';

/** Hardware isolation of a confidential VM (SNP, VBS, guest-state-only) and its launch data (hcs-host.md §4.10). */
export const IsolationSettingsSchema = struct('IsolationSettings', {
  IsolationType: opt(VmIsolationTypeSchema),
  DebugHost: opt(Type.String()),
  DebugPort: opt(int64()),
  LaunchData: opt(base64()),
  HclEnabled: ptr(Type.Boolean()),
});
export type IsolationSettings = Static<typeof IsolationSettingsSchema>;

/** TPM and hardware isolation of a VM. */
export const SecuritySettingsSchema = struct('SecuritySettings', {
  EnableTpm: opt(Type.Boolean()),
  Isolation: opt(IsolationSettingsSchema),
});
export type SecuritySettings = Static<typeof SecuritySettingsSchema>;

/** The guest state (VMGS) file of a VM. */
export const GuestStateSchema = struct('GuestState', {
  GuestStateFilePath: opt(Type.String()),
  GuestStateFileType: opt(Type.String()),
  RuntimeStateFilePath: opt(Type.String()),
  ForceTransientState: opt(Type.Boolean()),
});
export type GuestState = Static<typeof GuestStateSchema>;
