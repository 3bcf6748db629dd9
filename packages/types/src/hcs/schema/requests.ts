import Type, { type Static } from 'typebox';
import { opt, struct, uint32 } from '../../goSchema.js';
import { guid } from '../../stringFormats.js';
import { CPUGroupOperationSchema, PropertyTypeSchema, RequestTypeSchema } from './enums.js';

/** The body of HcsModifyComputeSystem: resource path, request type, settings, guest request (hcs-host.md §3). */
export const ModifySettingRequestSchema = struct('ModifySettingRequest', {
  ResourcePath: opt(Type.String()),
  RequestType: opt(RequestTypeSchema),
  Settings: opt(Type.Unknown()),
  GuestRequest: opt(Type.Unknown()),
});
export type ModifySettingRequest = Static<typeof ModifySettingRequestSchema>;

/** The body of HcsModifyServiceSettings. */
export const ModificationRequestSchema = struct('ModificationRequest', {
  PropertyType: opt(PropertyTypeSchema),
  Settings: opt(Type.Unknown()),
});
export type ModificationRequest = Static<typeof ModificationRequestSchema>;

/** A host CPU-group operation sent through `ModificationRequest` (hcs-host.md §5.6). */
export const HostProcessorModificationRequestSchema = struct('HostProcessorModificationRequest', {
  Operation: opt(CPUGroupOperationSchema),
  OperationDetails: opt(Type.Unknown()),
});
export type HostProcessorModificationRequest = Static<typeof HostProcessorModificationRequestSchema>;

/** Creates a host CPU group from logical processors. */
export const CreateGroupOperationSchema = struct('CreateGroupOperation', {
  GroupId: opt(guid()),
  LogicalProcessorCount: opt(uint32()),
  LogicalProcessors: opt(Type.Array(uint32())),
});
export type CreateGroupOperation = Static<typeof CreateGroupOperationSchema>;

/** Deletes a host CPU group. */
export const DeleteGroupOperationSchema = struct('DeleteGroupOperation', {
  GroupId: opt(guid()),
});
export type DeleteGroupOperation = Static<typeof DeleteGroupOperationSchema>;

/** The options of HcsSaveComputeSystem. */
export const SaveOptionsSchema = struct('SaveOptions', {
  SaveType: opt(Type.String()),
  SaveStateFilePath: opt(Type.String()),
});
export type SaveOptions = Static<typeof SaveOptionsSchema>;

/** Why a hosted system is paused. */
export const PauseNotificationSchema = struct('PauseNotification', {
  Reason: opt(Type.String()),
});
export type PauseNotification = Static<typeof PauseNotificationSchema>;

/** The options of HcsPauseComputeSystem. */
export const PauseOptionsSchema = struct('PauseOptions', {
  SuspensionLevel: opt(Type.String()),
  HostedNotification: opt(PauseNotificationSchema),
});
export type PauseOptions = Static<typeof PauseOptionsSchema>;
