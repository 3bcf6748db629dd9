/**
 * GCS bridge framing (gcs-bridge.md §2.1, §2.6): every message is a 16-byte little-endian header
 * (`Type` u32, `Size` u32 counting the header, `ID` u64) followed by `Size - 16` bytes of UTF-8 JSON.
 */
import { ProtocolError, ValidationError } from '../errors.js';
import { assertUint32, describe } from './inputChecks.js';

/** Bytes in a message header. */
export const GCS_HEADER_SIZE = 16;

/** Byte offsets of the header fields. */
export const GcsHeaderOffset = { type: 0, size: 4, id: 8 } as const;

/**
 * The Go host's receive limit: it treats any message larger than this (header included) as a fatal
 * bridge error. The Linux GCS has no limit, and DumpStacks or statistics responses can exceed it.
 */
export const GCS_GO_HOST_MAX_MESSAGE_SIZE = 0x10000;

/**
 * The receive limit uvm uses unless told otherwise: 8 MiB, well above the Go host's 64 KiB as
 * §2.6 recommends, yet small enough that a corrupt `Size` cannot make a reader allocate gigabytes.
 */
export const GCS_DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

const MAX_ID = (1n << 64n) - 1n;

/** A decoded message header. */
export interface GcsHeader {
  /** The message type (see `decodeMessageType`). */
  readonly type: number;
  /** Total message length in bytes, header included. */
  readonly size: number;
  /** The request id, 0..2^64-1; notifications carry 0. */
  readonly id: bigint;
}

/** One complete message: its header and its payload bytes. */
export interface GcsFrame {
  readonly header: GcsHeader;
  readonly payload: Uint8Array;
}

export interface GcsDecodeOptions {
  /** Largest acceptable `Size`, header included; {@link GCS_DEFAULT_MAX_MESSAGE_SIZE} when omitted. */
  readonly maxMessageSize?: number;
}

/** Writes a header; throws ValidationError for a field that does not fit its type. */
export function encodeHeader(header: GcsHeader): Uint8Array {
  assertUint32(header.type, 'type');
  assertUint32(header.size, 'size');
  if (header.size < GCS_HEADER_SIZE) {
    throw new ValidationError('GCS size', [
      { path: '/size', message: `must be at least ${GCS_HEADER_SIZE}, the header itself (a GCS crashes on a smaller size); got ${header.size}.` },
    ]);
  }
  assertId(header.id);
  const bytes = new Uint8Array(GCS_HEADER_SIZE);
  writeGcsHeader(bytes, 0, header.type, header.size, Number(header.id & LOW_32), Number(header.id >> 32n));
  return bytes;
}

/**
 * Reads a header from the first 16 bytes of `bytes`. Throws ProtocolError when fewer than 16 bytes
 * are given, when `Size` is below 16, or when it exceeds `maxMessageSize`.
 */
export function decodeHeader(bytes: Uint8Array, options: GcsDecodeOptions = {}): GcsHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new ValidationError('GCS header', [{ path: '', message: `must be a Uint8Array (or Buffer); got ${describe(bytes)}.` }]);
  }
  if (bytes.byteLength < GCS_HEADER_SIZE) {
    throw new ProtocolError(`A GCS message header is ${GCS_HEADER_SIZE} bytes; got only ${bytes.byteLength}.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, GCS_HEADER_SIZE);
  const header: GcsHeader = {
    type: view.getUint32(GcsHeaderOffset.type, true),
    size: view.getUint32(GcsHeaderOffset.size, true),
    id: view.getBigUint64(GcsHeaderOffset.id, true),
  };
  checkSize(header, options.maxMessageSize ?? GCS_DEFAULT_MAX_MESSAGE_SIZE);
  return header;
}

/**
 * One message as bytes: the header (with `Size` = 16 + the UTF-8 length of `body`) followed by
 * `body`. The Go host ends its JSON with a newline; pass it in `body` to match its bytes exactly.
 */
export function encodeFrame(type: number, id: bigint, body: string | Uint8Array): Uint8Array {
  assertUint32(type, 'type');
  assertId(id);
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new ValidationError('GCS body', [{ path: '/body', message: `must be a string or a Uint8Array; got ${describe(body)}.` }]);
  }
  const bodyBytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  const size = GCS_HEADER_SIZE + bodyBytes;
  if (size > 0xffffffff) {
    throw new ValidationError('GCS body', [{ path: '/body', message: `is ${bodyBytes} bytes; a message cannot exceed 4 GiB.` }]);
  }
  // Every byte is written below, so the unzeroed (pooled) allocation is safe and saves a pass.
  const frame = Buffer.allocUnsafe(size);
  writeGcsHeader(frame, 0, type, size, Number(id & LOW_32), Number(id >> 32n));
  if (typeof body === 'string') frame.write(body, GCS_HEADER_SIZE, 'utf8');
  else frame.set(body, GCS_HEADER_SIZE);
  return frame;
}

/**
 * Splits a buffer that holds exactly one message into its header and payload. Throws ProtocolError
 * when the header is invalid (see {@link decodeHeader}) or `bytes` is not exactly `Size` long.
 */
export function decodeFrame(bytes: Uint8Array, options: GcsDecodeOptions = {}): GcsFrame {
  const header = decodeHeader(bytes, options);
  if (bytes.byteLength !== header.size) {
    throw new ProtocolError(`The GCS message header says ${header.size} bytes, but ${bytes.byteLength} bytes were given.`);
  }
  return { header, payload: bytes.subarray(GCS_HEADER_SIZE) };
}

/** The id whose low and high 32 bits these are (as {@link GcsFrameSink} hands them over). */
export function gcsIdFromHalves(low: number, high: number): bigint {
  return high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
}

const LOW_32 = 0xffff_ffffn;

/**
 * Writes a message header at `offset` of `target`, the id given as its low and high 32 bits (as a
 * {@link GcsFrameSink} receives it): for a writer that puts many messages into one buffer without
 * a bigint per id. Unchecked: `type`, `size` and the halves must be uint32s and `target` must have
 * the 16 bytes; {@link encodeFrame} is the checked way.
 */
export function writeGcsHeader(target: Uint8Array, offset: number, type: number, size: number, idLow: number, idHigh: number): void {
  target[offset + GcsHeaderOffset.type] = type;
  target[offset + GcsHeaderOffset.type + 1] = type >>> 8;
  target[offset + GcsHeaderOffset.type + 2] = type >>> 16;
  target[offset + GcsHeaderOffset.type + 3] = type >>> 24;
  target[offset + GcsHeaderOffset.size] = size;
  target[offset + GcsHeaderOffset.size + 1] = size >>> 8;
  target[offset + GcsHeaderOffset.size + 2] = size >>> 16;
  target[offset + GcsHeaderOffset.size + 3] = size >>> 24;
  target[offset + GcsHeaderOffset.id] = idLow;
  target[offset + GcsHeaderOffset.id + 1] = idLow >>> 8;
  target[offset + GcsHeaderOffset.id + 2] = idLow >>> 16;
  target[offset + GcsHeaderOffset.id + 3] = idLow >>> 24;
  target[offset + GcsHeaderOffset.id + 4] = idHigh;
  target[offset + GcsHeaderOffset.id + 5] = idHigh >>> 8;
  target[offset + GcsHeaderOffset.id + 6] = idHigh >>> 16;
  target[offset + GcsHeaderOffset.id + 7] = idHigh >>> 24;
}

function assertId(id: unknown): asserts id is bigint {
  if (typeof id !== 'bigint' || id < 0n || id > MAX_ID) {
    throw new ValidationError('GCS id', [{ path: '/id', message: `must be a bigint from 0n to 2n ** 64n - 1n; got ${describe(id)}.` }]);
  }
}

function checkSize(header: GcsHeader, maxMessageSize: number): void {
  if (header.size < GCS_HEADER_SIZE) {
    throw new ProtocolError(`A GCS message header says the message is ${header.size} bytes, less than the ${GCS_HEADER_SIZE}-byte header itself.`);
  }
  if (header.size > maxMessageSize) {
    throw new ProtocolError(
      `A GCS message of ${header.size} bytes exceeds the limit of ${maxMessageSize} bytes; raise maxMessageSize if the guest legitimately sends more.`,
    );
  }
}
