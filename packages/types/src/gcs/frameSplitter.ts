/**
 * Cuts a GCS bridge byte stream into messages (gcs-bridge.md §2.1, §2.6, §7 items 2 and 12), for
 * both ends of the bridge. Pure: the caller feeds chunks as they arrive and reacts to what comes out.
 *
 * Memory stays bounded whatever the peer sends: at most one message up to `maxMessageSize` is
 * buffered; a larger one is reported from its header and its payload skipped as it streams by; a
 * `Size` below 16 leaves no way to find the next message, so the splitter stops.
 */
import { ValidationError } from '../errors.js';
import { GCS_DEFAULT_MAX_MESSAGE_SIZE, GCS_HEADER_SIZE, GcsHeaderOffset, decodeHeader, gcsIdFromHalves, type GcsHeader } from './framing.js';

/** What {@link GcsFrameSplitter.push} reports. */
export type GcsStreamEvent =
  /** A complete message. `payload` may share memory with the pushed chunk: copy it to keep it. */
  | { readonly kind: 'frame'; readonly header: GcsHeader; readonly payload: Uint8Array }
  /** A header announcing more than `maxMessageSize` bytes; its payload is skipped, never buffered. */
  | { readonly kind: 'oversize'; readonly header: GcsHeader; readonly maxMessageSize: number }
  /** A header announcing fewer than 16 bytes: the stream cannot be followed any further. */
  | { readonly kind: 'corrupt'; readonly headerBytes: Uint8Array; readonly size: number };

export interface GcsFrameSplitterOptions {
  /** Largest message buffered, header included; {@link GCS_DEFAULT_MAX_MESSAGE_SIZE} when omitted. */
  readonly maxMessageSize?: number;
}

/**
 * Receives what {@link GcsFrameSplitter.pushTo} finds, for a reader that handles many small messages
 * and wants nothing allocated per message.
 */
export interface GcsFrameSink {
  /**
   * A complete message, in place: its payload is `bytes[start, end)` and its header the 16 bytes
   * before `start`. `bytes` is the pushed chunk or the splitter's own buffer: read it during the
   * call and copy what you keep. The id comes as its low and high 32 bits (exact, no bigint).
   */
  frame(type: number, idLow: number, idHigh: number, bytes: Uint8Array, start: number, end: number): void;
  /** An oversize or corrupt header, reported as {@link GcsFrameSplitter.push} reports it. */
  notice(event: Exclude<GcsStreamEvent, { readonly kind: 'frame' }>): void;
}

/** How the stream ended, from {@link GcsFrameSplitter.end}. */
export interface GcsStreamEnd {
  /** The stream stopped inside a message. */
  readonly truncated: boolean;
  /** Bytes of the unfinished message that had arrived (header included). */
  readonly pendingBytes: number;
  /** The unfinished message's header, when all 16 bytes of it arrived. */
  readonly header: GcsHeader | undefined;
}

const NO_HEADER_LIMIT = { maxMessageSize: 0xffffffff };

/** A little-endian uint32 at `offset` (the caller has checked the bytes are there). */
function uint32At(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16) | ((bytes[offset + 3] as number) << 24)) >>> 0;
}

function headerAt(bytes: Uint8Array, offset: number): GcsHeader {
  return { type: uint32At(bytes, offset), size: uint32At(bytes, offset + 4), id: gcsIdFromHalves(uint32At(bytes, offset + 8), uint32At(bytes, offset + 12)) };
}

/** Turns what the splitter finds into the events of {@link GcsFrameSplitter.push}. */
class EventSink implements GcsFrameSink {
  constructor(private readonly emit: (event: GcsStreamEvent) => void) {}

  frame(type: number, idLow: number, idHigh: number, bytes: Uint8Array, start: number, end: number): void {
    this.emit({ kind: 'frame', header: { type, size: end - start + GCS_HEADER_SIZE, id: gcsIdFromHalves(idLow, idHigh) }, payload: bytes.subarray(start, end) });
  }

  notice(event: Exclude<GcsStreamEvent, { readonly kind: 'frame' }>): void {
    this.emit(event);
  }
}

export class GcsFrameSplitter {
  readonly maxMessageSize: number;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private header: GcsHeader | undefined;
  private skipRemaining = 0;
  private skippedHeader: GcsHeader | undefined;
  private corrupt = false;
  /** Set by a corrupt header or by end(): nothing more is read. */
  private stopped = false;

  constructor(options: GcsFrameSplitterOptions = {}) {
    const max = options.maxMessageSize ?? GCS_DEFAULT_MAX_MESSAGE_SIZE;
    if (!Number.isInteger(max) || max < GCS_HEADER_SIZE || max > 0xffffffff) {
      throw new ValidationError('GCS frame splitter options', [
        { path: '/maxMessageSize', message: `must be an integer from ${GCS_HEADER_SIZE} to 4294967295 (bytes, header included); got ${String(max)}.` },
      ]);
    }
    this.maxMessageSize = max;
  }

  /** Bytes held for the message being assembled (bounded by `maxMessageSize`). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** True after a corrupt header: everything pushed from then on is ignored. */
  get failed(): boolean {
    return this.corrupt;
  }

  /** Feeds the next chunk of the stream; `emit` is called for each event, in stream order. */
  push(chunk: Uint8Array, emit: (event: GcsStreamEvent) => void): void {
    this.pushTo(chunk, new EventSink(emit));
  }

  /**
   * Feeds the next chunk of the stream, like {@link GcsFrameSplitter.push}, but hands each message
   * to `sink` in place, without an event, header object, bigint or view per message.
   */
  pushTo(chunk: Uint8Array, sink: GcsFrameSink): void {
    if (this.stopped || chunk.byteLength === 0) return;
    let data = chunk;
    if (this.skipRemaining > 0) {
      const skip = Math.min(this.skipRemaining, data.byteLength);
      this.skipRemaining -= skip;
      if (this.skipRemaining === 0) this.skippedHeader = undefined;
      data = data.subarray(skip);
      if (data.byteLength === 0) return;
    }
    if (this.buffered > 0) {
      this.chunks.push(data);
      this.buffered += data.byteLength;
      this.drainBuffered(sink);
      return;
    }
    this.scan(data, sink);
  }

  /** Declares the end of the stream and says whether it stopped inside a message. */
  end(): GcsStreamEnd {
    let header = this.header ?? this.skippedHeader;
    if (header === undefined && !this.stopped && this.buffered >= GCS_HEADER_SIZE) header = decodeHeader(this.take(GCS_HEADER_SIZE, false), NO_HEADER_LIMIT);
    const pendingBytes = this.skipRemaining > 0 && header !== undefined ? header.size - this.skipRemaining : this.buffered;
    const result = { truncated: !this.stopped && (this.buffered > 0 || this.skipRemaining > 0), pendingBytes, header };
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
    this.header = undefined;
    this.skipRemaining = 0;
    this.skippedHeader = undefined;
    return result;
  }

  /** The fast path: whole messages straight out of one chunk, read in place. */
  private scan(data: Uint8Array, sink: GcsFrameSink): void {
    let offset = 0;
    while (!this.stopped) {
      const available = data.byteLength - offset;
      if (available < GCS_HEADER_SIZE) break;
      const size = uint32At(data, offset + GcsHeaderOffset.size);
      if (size < GCS_HEADER_SIZE) {
        this.fail(data, offset, size, sink);
        return;
      }
      if (size > this.maxMessageSize) {
        const header = headerAt(data, offset);
        sink.notice({ kind: 'oversize', header, maxMessageSize: this.maxMessageSize });
        const skip = Math.min(size, available);
        offset += skip;
        if (skip < size) {
          this.skipRemaining = size - skip;
          this.skippedHeader = header;
          return;
        }
        continue;
      }
      if (size > available) break;
      const idOffset = offset + GcsHeaderOffset.id;
      sink.frame(uint32At(data, offset + GcsHeaderOffset.type), uint32At(data, idOffset), uint32At(data, idOffset + 4), data, offset + GCS_HEADER_SIZE, offset + size);
      offset += size;
    }
    if (!this.stopped && offset < data.byteLength) {
      this.chunks.push(data.subarray(offset));
      this.buffered = data.byteLength - offset;
    }
  }

  /** The slow path: a message spread over several chunks. */
  private drainBuffered(sink: GcsFrameSink): void {
    while (!this.stopped) {
      if (this.header === undefined) {
        if (this.buffered < GCS_HEADER_SIZE) return;
        const bytes = this.take(GCS_HEADER_SIZE, false);
        const size = uint32At(bytes, GcsHeaderOffset.size);
        if (size < GCS_HEADER_SIZE) {
          this.fail(bytes, 0, size, sink);
          return;
        }
        const header = headerAt(bytes, 0);
        if (size > this.maxMessageSize) {
          sink.notice({ kind: 'oversize', header, maxMessageSize: this.maxMessageSize });
          this.take(GCS_HEADER_SIZE, true);
          const rest = this.buffered;
          const skip = Math.min(size - GCS_HEADER_SIZE, rest);
          this.take(skip, true);
          this.skipRemaining = size - GCS_HEADER_SIZE - skip;
          if (this.skipRemaining > 0) {
            this.skippedHeader = header;
            return;
          }
          continue;
        }
        this.header = header;
      }
      const header = this.header;
      if (this.buffered < header.size) return;
      const message = this.take(header.size, true);
      this.header = undefined;
      const idOffset = GcsHeaderOffset.id;
      sink.frame(header.type, uint32At(message, idOffset), uint32At(message, idOffset + 4), message, GCS_HEADER_SIZE, header.size);
      // Empty again: the next chunk takes the fast path.
      if (this.buffered === 0) return;
    }
  }

  /** A header announcing fewer than 16 bytes: nothing after it can be found, so the splitter stops. */
  private fail(bytes: Uint8Array, offset: number, size: number, sink: GcsFrameSink): void {
    this.corrupt = true;
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
    sink.notice({ kind: 'corrupt', headerBytes: Uint8Array.prototype.slice.call(bytes, offset, offset + GCS_HEADER_SIZE), size });
  }

  /** The first `n` buffered bytes as one array; `consume` removes them from the buffer. */
  private take(n: number, consume: boolean): Uint8Array {
    const first = this.chunks[0];
    let result: Uint8Array;
    if (first !== undefined && first.byteLength >= n) {
      result = first.subarray(0, n);
      if (consume) {
        if (first.byteLength === n) this.chunks.shift();
        else this.chunks[0] = first.subarray(n);
      }
    } else {
      result = new Uint8Array(n);
      let filled = 0;
      let i = 0;
      while (filled < n) {
        const chunk = this.chunks[i] as Uint8Array;
        const part = Math.min(chunk.byteLength, n - filled);
        result.set(chunk.subarray(0, part), filled);
        filled += part;
        if (consume) {
          if (part === chunk.byteLength) this.chunks.shift();
          else {
            this.chunks[0] = chunk.subarray(part);
            i++;
          }
        } else i++;
      }
    }
    if (consume) this.buffered -= n;
    return result;
  }
}
