/**
 * The container notification (gcs-bridge.md §2.5, §3.18): sent unsolicited with Type
 * `GCS_NOTIFICATION_TYPE` and id 0, once per container, after its init process exited and a
 * WaitForProcess reported that exit.
 */
import Type, { type Static } from 'typebox';
import { int32, stringEnum, struct } from '../goSchema.js';
import { gcsRequestBaseFields, GcsTraceContextSchema } from './messageBase.js';
import { jsonInString, kept } from './wireFields.js';

/** What happened to the container. The Linux GCS sends UnexpectedExit, or GracefulExit/ForcedExit after SIGTERM/SIGKILL to init. */
export const GcsNotificationType = {
  None: 'None',
  GracefulExit: 'GracefulExit',
  ForcedExit: 'ForcedExit',
  UnexpectedExit: 'UnexpectedExit',
  Reboot: 'Reboot',
  Constructed: 'Constructed',
  Started: 'Started',
  Paused: 'Paused',
  Unknown: 'Unknown',
} as const;
export type GcsNotificationType = (typeof GcsNotificationType)[keyof typeof GcsNotificationType];

/** The operation in progress; the Linux GCS always sends None. */
export const GcsActiveOperation = {
  None: 'None',
  Construct: 'Construct',
  Start: 'Start',
  Pause: 'Pause',
  Resume: 'Resume',
  Shutdown: 'Shutdown',
  Terminate: 'Terminate',
} as const;
export type GcsActiveOperation = (typeof GcsActiveOperation)[keyof typeof GcsActiveOperation];

const NotificationTypeField = stringEnum('GcsNotificationType', GcsNotificationType);
const ActiveOperationField = stringEnum('GcsActiveOperation', GcsActiveOperation);

/** The notification in the host struct's shape (the Go host reads only `ContainerId`). */
export const GcsContainerNotificationSchema = struct('GcsContainerNotification', {
  ...gcsRequestBaseFields,
  Type: kept(NotificationTypeField),
  Operation: kept(ActiveOperationField),
  /** An HRESULT; the Linux GCS always sends 0. */
  Result: kept(int32()),
  /** JSON-in-string; the host struct writes `"null"` when it is absent. */
  ResultInfo: jsonInString(Type.Optional(Type.Unknown()), { keep: true, zero: 'null' }),
});
export type GcsContainerNotification = Static<typeof GcsContainerNotificationSchema>;

/** The notification as the Linux GCS writes it: no `ocsc`, `ResultInfo` omitted when empty. */
export const LinuxGuestContainerNotificationSchema = struct('LinuxGuestContainerNotification', {
  ContainerId: kept(Type.String()),
  /** The ActivityId of the container's Create request. */
  ActivityId: kept(Type.String()),
  otsc: Type.Optional(GcsTraceContextSchema),
  Type: kept(NotificationTypeField),
  Operation: kept(ActiveOperationField),
  Result: kept(int32()),
  ResultInfo: jsonInString(Type.Optional(Type.Unknown()), { keep: false }),
});
export type LinuxGuestContainerNotification = Static<typeof LinuxGuestContainerNotificationSchema>;
