/**
 * DumpStacks (gcs-bridge.md §3.14): the request is the bare base (null container id); the answer
 * holds every goroutine stack of the GCS and can exceed 64 KiB.
 */
import Type, { type Static } from 'typebox';
import { gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

export const GcsDumpStacksResponseSchema = Type.Object({
  ...gcsResponseBaseFields,
  GuestStacks: kept(Type.Optional(Type.String())),
});
export type GcsDumpStacksResponse = Static<typeof GcsDumpStacksResponseSchema>;

export const LinuxGuestDumpStacksResponseSchema = Type.Object({
  ...linuxGuestResponseBaseFields,
  GuestStacks: kept(Type.Optional(Type.String())),
});
export type LinuxGuestDumpStacksResponse = Static<typeof LinuxGuestDumpStacksResponseSchema>;
