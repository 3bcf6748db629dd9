import Type, { type Static } from 'typebox';
import { opt, struct } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';
import { ContainerCredentialGuardModifyOperationSchema } from './enums.js';
import { HvSocketServiceConfigSchema } from './hvSocket.js';

/** The Container Credential Guard state of a container. */
export const ContainerCredentialGuardStateSchema = struct('ContainerCredentialGuardState', {
  Cookie: opt(Type.String()),
  RpcEndpoint: opt(Type.String()),
  Transport: opt(Type.String()),
  CredentialSpec: opt(Type.String()),
});
export type ContainerCredentialGuardState = Static<typeof ContainerCredentialGuardStateSchema>;

/** The hvsock service of a Container Credential Guard instance. */
export const ContainerCredentialGuardHvSocketServiceConfigSchema = struct('ContainerCredentialGuardHvSocketServiceConfig', {
  ServiceId: opt(guid()),
  ServiceConfig: opt(HvSocketServiceConfigSchema),
});
export type ContainerCredentialGuardHvSocketServiceConfig = Static<typeof ContainerCredentialGuardHvSocketServiceConfigSchema>;

/** One Container Credential Guard instance. */
export const ContainerCredentialGuardInstanceSchema = struct('ContainerCredentialGuardInstance', {
  Id: opt(Type.String()),
  CredentialGuard: opt(ContainerCredentialGuardStateSchema),
  HvSocketConfig: opt(ContainerCredentialGuardHvSocketServiceConfigSchema),
});
export type ContainerCredentialGuardInstance = Static<typeof ContainerCredentialGuardInstanceSchema>;

/** The Container Credential Guard instances on the host. */
export const ContainerCredentialGuardSystemInfoSchema = struct('ContainerCredentialGuardSystemInfo', {
  Instances: opt(Type.Array(ContainerCredentialGuardInstanceSchema)),
});
export type ContainerCredentialGuardSystemInfo = Static<typeof ContainerCredentialGuardSystemInfoSchema>;

/** Adds or removes a Container Credential Guard instance. */
export const ContainerCredentialGuardOperationRequestSchema = struct('ContainerCredentialGuardOperationRequest', {
  Operation: opt(ContainerCredentialGuardModifyOperationSchema),
  OperationDetails: opt(Type.Unknown()),
});
export type ContainerCredentialGuardOperationRequest = Static<typeof ContainerCredentialGuardOperationRequestSchema>;

/** Details of a Container Credential Guard add. */
export const ContainerCredentialGuardAddInstanceRequestSchema = struct('ContainerCredentialGuardAddInstanceRequest', {
  Id: opt(Type.String()),
  CredentialSpec: opt(Type.String()),
  Transport: opt(Type.String()),
});
export type ContainerCredentialGuardAddInstanceRequest = Static<typeof ContainerCredentialGuardAddInstanceRequestSchema>;

/** Details of a Container Credential Guard remove. */
export const ContainerCredentialGuardRemoveInstanceRequestSchema = struct('ContainerCredentialGuardRemoveInstanceRequest', {
  Id: opt(Type.String()),
});
export type ContainerCredentialGuardRemoveInstanceRequest = Static<typeof ContainerCredentialGuardRemoveInstanceRequestSchema>;
