import Type, { type Static } from 'typebox';
import { int32, int64, opt, struct } from '../../goSchema.js';

/** Flags of a VSMB share. */
export const VirtualSmbShareOptionsSchema = struct('VirtualSmbShareOptions', {
  ReadOnly: opt(Type.Boolean()),
  ShareRead: opt(Type.Boolean()),
  CacheIo: opt(Type.Boolean()),
  NoOplocks: opt(Type.Boolean()),
  TakeBackupPrivilege: opt(Type.Boolean()),
  UseShareRootIdentity: opt(Type.Boolean()),
  NoDirectmap: opt(Type.Boolean()),
  NoLocks: opt(Type.Boolean()),
  NoDirnotify: opt(Type.Boolean()),
  VmSharedMemory: opt(Type.Boolean()),
  RestrictFileAccess: opt(Type.Boolean()),
  ForceLevelIIOplocks: opt(Type.Boolean()),
  ReparseBaseLayer: opt(Type.Boolean()),
  PseudoOplocks: opt(Type.Boolean()),
  NonCacheIo: opt(Type.Boolean()),
  PseudoDirnotify: opt(Type.Boolean()),
  SingleFileMapping: opt(Type.Boolean()),
});
export type VirtualSmbShareOptions = Static<typeof VirtualSmbShareOptionsSchema>;

/** One VSMB share: name, host path, allowed files and options (hcs-host.md §3.6). */
export const VirtualSmbShareSchema = struct('VirtualSmbShare', {
  Name: opt(Type.String()),
  Path: opt(Type.String()),
  AllowedFiles: opt(Type.Array(Type.String())),
  Options: opt(VirtualSmbShareOptionsSchema),
});
export type VirtualSmbShare = Static<typeof VirtualSmbShareSchema>;

/** Virtual SMB (VSMB) file shares. */
export const VirtualSmbSchema = struct('VirtualSmb', {
  Shares: opt(Type.Array(VirtualSmbShareSchema)),
  DirectFileMappingInMB: opt(int64()),
});
export type VirtualSmb = Static<typeof VirtualSmbSchema>;

/** One Plan 9 share; `Flags` combines {@link Plan9ShareFlags} bits (hcs-host.md §3.6). */
export const Plan9ShareSchema = struct('Plan9Share', {
  Name: opt(Type.String()),
  AccessName: opt(Type.String()),
  Path: opt(Type.String()),
  Port: opt(int32()),
  Flags: opt(int32()),
  AllowedFiles: opt(Type.Array(Type.String())),
});
export type Plan9Share = Static<typeof Plan9ShareSchema>;

/** The Plan 9 file-share device; `{}` enables shares added at run time (hcs-host.md §4.11). */
export const Plan9Schema = struct('Plan9', {
  Shares: opt(Type.Array(Plan9ShareSchema)),
});
export type Plan9 = Static<typeof Plan9Schema>;
