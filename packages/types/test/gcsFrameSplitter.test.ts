import { describe, expect, it } from 'vitest';
import { encodeFrame, GCS_HEADER_SIZE, GcsFrameSplitter, gcsIdFromHalves, ValidationError, type GcsFrameSink, type GcsStreamEvent } from '@uvm/types';

const frame = (type: number, id: bigint, body: string) => encodeFrame(type, id, body);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function collect(splitter: GcsFrameSplitter, chunks: Uint8Array[]): GcsStreamEvent[] {
  const events: GcsStreamEvent[] = [];
  for (const chunk of chunks) splitter.push(chunk, (e) => events.push(e.kind === 'frame' ? { ...e, payload: e.payload.slice() } : e));
  return events;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

describe('GcsFrameSplitter', () => {
  const stream = concat(frame(0x20100b01, 0n, '{"Result":0}'), frame(0x30100101, 0n, '{"ContainerId":"c"}'), frame(0x20100601, 7n, ''));

  it('cuts messages out of one chunk in stream order', () => {
    const events = collect(new GcsFrameSplitter(), [stream]);
    expect(events.map((e) => e.kind)).toEqual(['frame', 'frame', 'frame']);
    const frames = events.filter((e) => e.kind === 'frame');
    expect(frames.map((f) => [f.header.type, f.header.id, text(f.payload)])).toEqual([
      [0x20100b01, 0n, '{"Result":0}'],
      [0x30100101, 0n, '{"ContainerId":"c"}'],
      [0x20100601, 7n, ''],
    ]);
  });

  it('gives the same messages whether the stream comes whole or a byte at a time', () => {
    const whole = collect(new GcsFrameSplitter(), [stream]);
    const byByte = collect(new GcsFrameSplitter(), bytewise(stream));
    expect(byByte).toEqual(whole);
  });

  it('gives the same messages for every split point of the stream', () => {
    const whole = collect(new GcsFrameSplitter(), [stream]);
    for (let cut = 1; cut < stream.byteLength; cut++) {
      expect(collect(new GcsFrameSplitter(), [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
    }
  });

  it('reports an oversize message from its header, skips its payload without buffering it, and carries on', () => {
    const big = frame(0x20100c01, 3n, 'x'.repeat(1000));
    const after = frame(0x20100a01, 4n, '{}');
    const splitter = new GcsFrameSplitter({ maxMessageSize: 100 });
    const events: GcsStreamEvent[] = [];
    let maxBuffered = 0;
    for (const chunk of bytewise(concat(big, after))) {
      splitter.push(chunk, (e) => events.push(e));
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    expect(events.map((e) => e.kind)).toEqual(['oversize', 'frame']);
    expect(events[0]).toMatchObject({ kind: 'oversize', header: { id: 3n, size: 1016 }, maxMessageSize: 100 });
    expect(events[1]).toMatchObject({ kind: 'frame', header: { id: 4n } });
    expect(maxBuffered).toBeLessThan(100);
  });

  it('skips an oversize message that arrives in one chunk with the next message', () => {
    const events = collect(new GcsFrameSplitter({ maxMessageSize: 64 }), [concat(frame(0x20100c01, 1n, 'y'.repeat(200)), frame(0x20100a01, 2n, '{}'))]);
    expect(events.map((e) => e.kind)).toEqual(['oversize', 'frame']);
  });

  it('stops at a header announcing fewer than 16 bytes and ignores everything after it', () => {
    const bad = new Uint8Array(GCS_HEADER_SIZE);
    new DataView(bad.buffer).setUint32(4, 8, true);
    const splitter = new GcsFrameSplitter();
    const events = collect(splitter, [concat(frame(0x20100a01, 1n, '{}'), bad, frame(0x20100a01, 2n, '{}'))]);
    expect(events.map((e) => e.kind)).toEqual(['frame', 'corrupt']);
    expect(events[1]).toMatchObject({ kind: 'corrupt', size: 8 });
    expect(splitter.failed).toBe(true);
    expect(collect(splitter, [frame(0x20100a01, 3n, '{}')])).toEqual([]);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it('says at the end whether the stream stopped inside a header, inside a payload, or at a boundary', () => {
    const one = frame(0x20100a01, 9n, '{"Result":0}');
    const inHeader = new GcsFrameSplitter();
    collect(inHeader, [one.subarray(0, 10)]);
    expect(inHeader.end()).toEqual({ truncated: true, pendingBytes: 10, header: undefined });

    const inPayload = new GcsFrameSplitter();
    collect(inPayload, [one.subarray(0, one.byteLength - 1)]);
    expect(inPayload.end()).toMatchObject({ truncated: true, pendingBytes: one.byteLength - 1, header: { id: 9n, size: one.byteLength } });

    const atBoundary = new GcsFrameSplitter();
    collect(atBoundary, [one]);
    expect(atBoundary.end()).toEqual({ truncated: false, pendingBytes: 0, header: undefined });
  });

  it('says a stream that ended while skipping an oversize message was truncated', () => {
    const splitter = new GcsFrameSplitter({ maxMessageSize: 32 });
    const big = frame(0x20100c01, 5n, 'z'.repeat(100));
    collect(splitter, [big.subarray(0, 50)]);
    expect(splitter.end()).toMatchObject({ truncated: true, pendingBytes: 50, header: { id: 5n } });
  });

  it('rejects a maximum message size below the header size with a ValidationError', () => {
    expect(() => new GcsFrameSplitter({ maxMessageSize: 8 })).toThrow(ValidationError);
    expect(() => new GcsFrameSplitter({ maxMessageSize: 1.5 })).toThrow(ValidationError);
  });
});

describe('GcsFrameSplitter.pushTo', () => {
  // Ids whose high half is set too, to check both halves reach the sink.
  const stream = concat(
    frame(0x20100a01, 0x1_0000_0002n, '{"Result":0}'),
    frame(0x30100101, 0n, '{"ContainerId":"c"}'),
    frame(0x20000000, (1n << 64n) - 1n, ''),
    frame(0x20100c01, 7n, 'é😀'),
  );

  /** What pushTo hands over, as push() would report it. */
  function collectInPlace(splitter: GcsFrameSplitter, chunks: Uint8Array[]): GcsStreamEvent[] {
    const events: GcsStreamEvent[] = [];
    const sink: GcsFrameSink = {
      frame: (type, idLow, idHigh, bytes, start, end) => {
        events.push({ kind: 'frame', header: { type, size: end - start + GCS_HEADER_SIZE, id: gcsIdFromHalves(idLow, idHigh) }, payload: bytes.slice(start, end) });
      },
      notice: (event) => events.push(event),
    };
    for (const chunk of chunks) splitter.pushTo(chunk, sink);
    return events;
  }

  it('hands over the messages push() reports, in place, for every split point of the stream', () => {
    const expected = collect(new GcsFrameSplitter(), [stream]);
    expect(expected.map((e) => e.kind === 'frame' && e.header.id)).toEqual([0x1_0000_0002n, 0n, (1n << 64n) - 1n, 7n]);
    expect(collectInPlace(new GcsFrameSplitter(), [stream])).toEqual(expected);
    expect(collectInPlace(new GcsFrameSplitter(), bytewise(stream))).toEqual(expected);
    for (let cut = 1; cut < stream.byteLength; cut++) {
      expect(collectInPlace(new GcsFrameSplitter(), [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
  });

  it('reports oversize and corrupt headers through the sink as push() does', () => {
    const bad = new Uint8Array(GCS_HEADER_SIZE);
    new DataView(bad.buffer).setUint32(4, 3, true);
    const chunks = [concat(frame(0x20100c01, 1n, 'y'.repeat(200)), frame(0x20100a01, 2n, '{}'), bad)];
    const events = collectInPlace(new GcsFrameSplitter({ maxMessageSize: 64 }), chunks);
    expect(events).toEqual(collect(new GcsFrameSplitter({ maxMessageSize: 64 }), chunks));
    expect(events.map((e) => e.kind)).toEqual(['oversize', 'frame', 'corrupt']);
  });

  it('gives a corrupt header as a copy that outlives the chunk it came in', () => {
    const chunk = Buffer.alloc(GCS_HEADER_SIZE);
    chunk.writeUInt32LE(0x20100a01, 0);
    chunk.writeUInt32LE(5, 4);
    const [event] = collect(new GcsFrameSplitter(), [chunk]);
    chunk.fill(0xff);
    expect(event).toMatchObject({ kind: 'corrupt', size: 5 });
    expect(event?.kind === 'corrupt' && [...event.headerBytes.subarray(0, 8)]).toEqual([0x01, 0x0a, 0x10, 0x20, 5, 0, 0, 0]);
  });
});
