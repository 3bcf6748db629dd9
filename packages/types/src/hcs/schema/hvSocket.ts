import Type, { type Static } from 'typebox';
import { map, opt, struct } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';

/** Who may bind and connect to one hvsock service; `Disabled` with no descriptors removes it (hcs-host.md §3.2). */
export const HvSocketServiceConfigSchema = struct('HvSocketServiceConfig', {
  BindSecurityDescriptor: opt(Type.String()),
  ConnectSecurityDescriptor: opt(Type.String()),
  AllowWildcardBinds: opt(Type.Boolean()),
  Disabled: opt(Type.Boolean()),
});
export type HvSocketServiceConfig = Static<typeof HvSocketServiceConfigSchema>;

/** Default hvsock security descriptors and the per-service table keyed by service GUID (hcs-host.md §4.7). */
export const HvSocketSystemConfigSchema = struct('HvSocketSystemConfig', {
  DefaultBindSecurityDescriptor: opt(Type.String()),
  DefaultConnectSecurityDescriptor: opt(Type.String()),
  ServiceTable: opt(map(guid(), HvSocketServiceConfigSchema)),
});
export type HvSocketSystemConfig = Static<typeof HvSocketSystemConfigSchema>;

/** The Hyper-V socket device of a VM (`Devices.HvSocket`). */
export const HvSocket2Schema = struct('HvSocket2', {
  HvSocketConfig: opt(HvSocketSystemConfigSchema),
});
export type HvSocket2 = Static<typeof HvSocket2Schema>;

/** Hyper-V socket settings of a container. */
export const HvSocketSchema = struct('HvSocket', {
  Config: opt(HvSocketSystemConfigSchema),
  EnablePowerShellDirect: opt(Type.Boolean()),
});
export type HvSocket = Static<typeof HvSocketSchema>;

/** An hvsock address pair (VM id and parent id) sent to a guest. */
export const HvSocketAddressSchema = struct('HvSocketAddress', {
  LocalAddress: opt(guid()),
  ParentAddress: opt(guid()),
});
export type HvSocketAddress = Static<typeof HvSocketAddressSchema>;
