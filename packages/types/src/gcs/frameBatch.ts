/**
 * Several GCS messages encoded into one buffer: byte for byte what `encodeFrame` gives for each,
 * back to back. A sender that batches the messages of one tick (gcs-bridge.md §7 item 3: one write
 * queue) makes one allocation and one write for the batch instead of several per message.
 */
import { ValidationError, type ValidationIssue } from '../errors.js';
import { GCS_HEADER_SIZE, GcsHeaderOffset } from './framing.js';
import { describe, isIntegerIn } from './inputChecks.js';

/** One message for {@link encodeFrames}. */
export interface GcsOutgoingFrame {
  /** The message type (uint32). */
  readonly type: number;
  /** The request id, 0..2^64-1. */
  readonly id: bigint;
  /** The JSON payload; a string is written as UTF-8. */
  readonly body: string | Uint8Array;
}

const MAX_ID = (1n << 64n) - 1n;
const MAX_SIZE = 0xffffffff;

/**
 * Encodes `frames` into one buffer, in order. Throws a ValidationError naming every frame whose
 * type, id or size does not fit the header (and writes nothing then).
 */
export function encodeFrames(frames: readonly GcsOutgoingFrame[]): Uint8Array {
  const sizes = new Array<number>(frames.length);
  const issues: ValidationIssue[] = [];
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as GcsOutgoingFrame;
    const { type, id, body } = frame;
    if (!isIntegerIn(type, 0, 0xffffffff)) issues.push({ path: `/${i}/type`, message: `must be an unsigned 32-bit integer; got ${describe(type)}.` });
    if (typeof id !== 'bigint' || id < 0n || id > MAX_ID) issues.push({ path: `/${i}/id`, message: `must be a bigint from 0n to 2n ** 64n - 1n; got ${describe(id)}.` });
    let length: number;
    if (typeof body === 'string') length = Buffer.byteLength(body, 'utf8');
    else if (body instanceof Uint8Array) length = body.byteLength;
    else {
      issues.push({ path: `/${i}/body`, message: `must be a string or a Uint8Array; got ${describe(body)}.` });
      continue;
    }
    const size = GCS_HEADER_SIZE + length;
    if (size > MAX_SIZE) issues.push({ path: `/${i}/body`, message: `is ${length} bytes; a message cannot exceed 4 GiB.` });
    sizes[i] = size;
    total += size;
  }
  if (issues.length > 0) throw new ValidationError('GCS frames', issues);
  // Node's Buffer is the fast UTF-8 writer here; every byte of it is written below.
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < frames.length; i++) {
    const { type, id, body } = frames[i] as GcsOutgoingFrame;
    const size = sizes[i] as number;
    out.writeUInt32LE(type, offset + GcsHeaderOffset.type);
    out.writeUInt32LE(size, offset + GcsHeaderOffset.size);
    out.writeBigUInt64LE(id, offset + GcsHeaderOffset.id);
    if (typeof body === 'string') out.write(body, offset + GCS_HEADER_SIZE, size - GCS_HEADER_SIZE, 'utf8');
    else out.set(body, offset + GCS_HEADER_SIZE);
    offset += size;
  }
  return out;
}
