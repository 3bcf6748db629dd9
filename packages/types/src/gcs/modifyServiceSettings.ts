/**
 * ModifyServiceSettings (gcs-bridge.md §3.16; Windows guests only, gated by
 * `LogForwardingSupported`): configures the guest's log forwarding service. The Linux GCS answers
 * E_NOTIMPL. The response is the base only.
 */
import Type, { type Static } from 'typebox';
import { stringEnum, struct } from '../goSchema.js';
import { gcsRequestBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

/** The calls the log forwarding service takes. */
export const LogForwardServiceRpcType = {
  /** Set the log sources: `Settings` is base64 of a JSON log-sources document. */
  ModifyServiceSettings: 'ModifyServiceSettings',
  StartLogForwarding: 'StartLogForwarding',
  StopLogForwarding: 'StopLogForwarding',
} as const;
export type LogForwardServiceRpcType = (typeof LogForwardServiceRpcType)[keyof typeof LogForwardServiceRpcType];

export const GcsLogForwardServiceRequestSchema = struct('GcsLogForwardServiceRequest', {
  RPCType: Type.Optional(stringEnum('LogForwardServiceRpcType', LogForwardServiceRpcType)),
  Settings: Type.Optional(Type.String()),
});
export type GcsLogForwardServiceRequest = Static<typeof GcsLogForwardServiceRequestSchema>;

export const GcsModifyServiceSettingsRequestSchema = struct('GcsModifyServiceSettingsRequest', {
  ...gcsRequestBaseFields,
  /** The only service is `LogForwardService`. */
  PropertyType: kept(Type.Literal('LogForwardService')),
  Settings: Type.Optional(GcsLogForwardServiceRequestSchema),
});
export type GcsModifyServiceSettingsRequest = Static<typeof GcsModifyServiceSettingsRequestSchema>;
