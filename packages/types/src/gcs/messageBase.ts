/**
 * The fields every GCS request and response starts with (gcs-bridge.md §3.2, §3.3).
 *
 * Two shapes exist. The Go host's (`internal/gcs/prot`) is what a host writes and what the `Gcs…`
 * schemas describe. The Linux guest's (`internal/guest/prot`) differs only in responses: it writes
 * `ActivityId` before `ErrorMessage` and omits it when empty, where the host's struct always
 * writes a GUID. Both shapes carry the same keys and types, so either schema validates either
 * shape; the `LinuxGuest…` schemas exist to write responses exactly as the Linux GCS does.
 */
import Type, { type Static } from 'typebox';
import { goField } from '../goJson.js';
import { int32, struct, uint32 } from '../goSchema.js';
import { Guid, kept, NULL_GUID_TEXT } from './wireFields.js';

/** W3C trace context (`traceparent`, `tracestate`) carried as `otsc`. */
export const GcsTraceContextSchema = Type.Record(Type.String(), Type.String());
export type GcsTraceContext = Static<typeof GcsTraceContextSchema>;

/** The deprecated OpenCensus span context carried as `ocsc` (host side only; kept for old sidecars). */
export const GcsOpenCensusSpanContextSchema = struct('GcsOpenCensusSpanContext', {
  TraceID: Type.Optional(Type.String()),
  SpanID: Type.Optional(Type.String()),
  TraceOptions: Type.Optional(uint32()),
  Tracestate: Type.Optional(Type.String()),
});
export type GcsOpenCensusSpanContext = Static<typeof GcsOpenCensusSpanContextSchema>;

/** The request base fields, shared by every request schema (spread them first). */
export const gcsRequestBaseFields = {
  /** The target container; the null GUID targets the UVM itself. Always written, even when "". */
  ContainerId: kept(Type.String()),
  /** A correlation GUID the guest echoes; the Go host sends the null GUID. Always written. */
  ActivityId: kept(Guid),
  otsc: Type.Optional(GcsTraceContextSchema),
  ocsc: Type.Optional(GcsOpenCensusSpanContextSchema),
};

/** Every request starts with these fields; Start, Shutdown*, DumpStacks and DeleteContainerState are nothing else. */
export const GcsRequestBaseSchema = struct('GcsRequestBase', gcsRequestBaseFields);
export type GcsRequestBase = Static<typeof GcsRequestBaseSchema>;

/**
 * One entry of `ErrorRecords`. Its static type is `GcsErrorRecord` of the errors module, which
 * `GuestError` carries.
 */
export const GcsErrorRecordSchema = struct('GcsErrorRecord', {
  Result: Type.Readonly(kept(int32())),
  Message: Type.Readonly(kept(Type.String())),
  StackTrace: Type.Readonly(Type.Optional(Type.String())),
  ModuleName: Type.Readonly(kept(Type.String())),
  FileName: Type.Readonly(kept(Type.String())),
  /** 0xFFFFFFFF when the line is unknown. */
  Line: Type.Readonly(kept(uint32())),
  FunctionName: Type.Readonly(Type.Optional(Type.String())),
});

/** The response base fields in the Go host's order (spread them first). */
export const gcsResponseBaseFields = {
  /** The HRESULT as a signed 32-bit number; 0 is success. Always written. */
  Result: kept(int32()),
  ErrorMessage: Type.Optional(Type.String()),
  /** The request's ActivityId. The host's struct writes the null GUID when it is absent. */
  ActivityId: goField(Type.Optional(Guid), { keep: true, zero: NULL_GUID_TEXT }),
  ErrorRecords: Type.Optional(Type.Array(GcsErrorRecordSchema)),
};

/** The response base fields in the Linux guest's order (spread them first). */
export const linuxGuestResponseBaseFields = {
  Result: kept(int32()),
  /** Omitted when the request's ActivityId was empty (or the body could not be parsed). */
  ActivityId: Type.Optional(Type.String()),
  ErrorMessage: Type.Optional(Type.String()),
  ErrorRecords: Type.Optional(Type.Array(GcsErrorRecordSchema)),
};

/**
 * Every response starts with these fields (host shape). On failure the Linux GCS sends only them,
 * so the procedure-specific fields of a response are optional and read as 0 when absent.
 */
export const GcsResponseBaseSchema = struct('GcsResponseBase', gcsResponseBaseFields);
export type GcsResponseBase = Static<typeof GcsResponseBaseSchema>;

/** The response base as the Linux GCS writes it; use it for its error responses. */
export const LinuxGuestResponseBaseSchema = struct('LinuxGuestResponseBase', linuxGuestResponseBaseFields);
export type LinuxGuestResponseBase = Static<typeof LinuxGuestResponseBaseSchema>;
