/**
 * DumpStacks (gcs-bridge.md §3.14): the request is the bare base (null container id); the answer
 * holds every goroutine stack of the GCS and can exceed 64 KiB.
 */
import Type, { type Static } from 'typebox';
import { struct } from '../goSchema.js';
import { gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

export const GcsDumpStacksResponseSchema = struct('GcsDumpStacksResponse', {
  ...gcsResponseBaseFields,
  GuestStacks: kept(Type.Optional(Type.String())),
});
export type GcsDumpStacksResponse = Static<typeof GcsDumpStacksResponseSchema>;

export const LinuxGuestDumpStacksResponseSchema = struct('LinuxGuestDumpStacksResponse', {
  ...linuxGuestResponseBaseFields,
  GuestStacks: kept(Type.Optional(Type.String())),
});
export type LinuxGuestDumpStacksResponse = Static<typeof LinuxGuestDumpStacksResponseSchema>;
