/**
 * NegotiateProtocol (gcs-bridge.md §3.4): the first request on every connection.
 */
import Type, { type Static } from 'typebox';
import { struct, uint32 } from '../goSchema.js';
import { GcsCapabilitiesSchema, LinuxGuestCapabilitiesSchema } from './capabilities.js';
import { gcsRequestBaseFields, gcsResponseBaseFields, linuxGuestResponseBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

/**
 * The bridge protocol version: the only one the Go host and the Linux GCS speak. Send it as both
 * minimum and maximum, and fail the connection unless the response's `Version` equals it.
 */
export const GCS_PROTOCOL_VERSION = 4;

export const GcsNegotiateProtocolRequestSchema = struct('GcsNegotiateProtocolRequest', {
  ...gcsRequestBaseFields,
  MinimumVersion: kept(uint32()),
  MaximumVersion: kept(uint32()),
});
export type GcsNegotiateProtocolRequest = Static<typeof GcsNegotiateProtocolRequestSchema>;

export const GcsNegotiateProtocolResponseSchema = struct('GcsNegotiateProtocolResponse', {
  ...gcsResponseBaseFields,
  /** The selected version; absent on failure. */
  Version: Type.Optional(uint32()),
  Capabilities: kept(Type.Optional(GcsCapabilitiesSchema)),
});
export type GcsNegotiateProtocolResponse = Static<typeof GcsNegotiateProtocolResponseSchema>;

/** The NegotiateProtocol response as the Linux GCS writes it (gcs-bridge.md §2.9). */
export const LinuxGuestNegotiateProtocolResponseSchema = struct('LinuxGuestNegotiateProtocolResponse', {
  ...linuxGuestResponseBaseFields,
  Version: kept(Type.Optional(uint32())),
  Capabilities: kept(Type.Optional(LinuxGuestCapabilitiesSchema)),
});
export type LinuxGuestNegotiateProtocolResponse = Static<typeof LinuxGuestNegotiateProtocolResponseSchema>;
