/**
 * WaitForProcess (gcs-bridge.md §3.9): answered only when the process exits or the timeout ends.
 */
import Type, { type Static } from 'typebox';
import { struct, uint32 } from '../goSchema.js';
import { gcsRequestBaseFields, gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

/** `TimeoutInMs` that waits forever; the Go host sends it right after every ExecuteProcess. */
export const GCS_INFINITE_WAIT_TIMEOUT_MS = 0xffffffff;

export const GcsWaitForProcessRequestSchema = struct('GcsWaitForProcessRequest', {
  ...gcsRequestBaseFields,
  ProcessId: kept(uint32()),
  /** {@link GCS_INFINITE_WAIT_TIMEOUT_MS} to wait forever; on expiry the guest answers 0xC0370109. */
  TimeoutInMs: kept(uint32()),
});
export type GcsWaitForProcessRequest = Static<typeof GcsWaitForProcessRequestSchema>;

export const GcsWaitForProcessResponseSchema = struct('GcsWaitForProcessResponse', {
  ...gcsResponseBaseFields,
  /** The exit code cast to unsigned (a negative code wraps); absent on failure. */
  ExitCode: kept(Type.Optional(uint32())),
});
export type GcsWaitForProcessResponse = Static<typeof GcsWaitForProcessResponseSchema>;

export const LinuxGuestWaitForProcessResponseSchema = struct('LinuxGuestWaitForProcessResponse', {
  ...linuxGuestResponseBaseFields,
  ExitCode: kept(Type.Optional(uint32())),
});
export type LinuxGuestWaitForProcessResponse = Static<typeof LinuxGuestWaitForProcessResponseSchema>;
