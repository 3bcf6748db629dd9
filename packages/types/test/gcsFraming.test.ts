import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeHeader,
  decodeMessageType,
  encodeFrame,
  encodeHeader,
  encodeMessageType,
  GCS_DEFAULT_MAX_MESSAGE_SIZE,
  GCS_GO_HOST_MAX_MESSAGE_SIZE,
  GCS_HEADER_SIZE,
  GcsHeaderOffset,
  gcsIdFromHalves,
  GcsProcedure,
  gcsRequestType,
  gcsResponseType,
  ProtocolError,
  ValidationError,
  writeGcsHeader,
} from '@uvm/types';

const hex = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// gcs-bridge.md §2.9, byte for byte.
const NEGOTIATE_REQUEST_BODY =
  '{"ContainerId":"","ActivityId":"00000000-0000-0000-0000-000000000000","MinimumVersion":4,"MaximumVersion":4}\n';
const NEGOTIATE_REQUEST_HEADER = hex('01 0b 10 10  7d 00 00 00  00 00 00 00 00 00 00 00');
const NEGOTIATE_RESPONSE_BODY =
  '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}';
const NEGOTIATE_RESPONSE_HEADER = hex('01 0b 10 20  56 01 00 00  00 00 00 00 00 00 00 00');

describe('the §2.9 worked example', () => {
  it('encodes the host NegotiateProtocol request to the exact bytes, header then payload', () => {
    const frame = encodeFrame(gcsRequestType(GcsProcedure.NegotiateProtocol), 0n, NEGOTIATE_REQUEST_BODY);
    expect(NEGOTIATE_REQUEST_BODY.length).toBe(109);
    expect(frame.byteLength).toBe(125);
    expect([...frame.subarray(0, 16)]).toEqual([...NEGOTIATE_REQUEST_HEADER]);
    expect(text(frame.subarray(16))).toBe(NEGOTIATE_REQUEST_BODY);
  });

  it('decodes the request bytes back into type, size, id and payload', () => {
    const bytes = new Uint8Array([...NEGOTIATE_REQUEST_HEADER, ...new TextEncoder().encode(NEGOTIATE_REQUEST_BODY)]);
    const { header, payload } = decodeFrame(bytes);
    expect(header).toEqual({ type: 0x10100b01, size: 125, id: 0n });
    expect(text(payload)).toBe(NEGOTIATE_REQUEST_BODY);
  });

  it('decodes the guest response header (342 bytes) and payload, and re-encodes them identically', () => {
    const payload = new TextEncoder().encode(NEGOTIATE_RESPONSE_BODY);
    const bytes = new Uint8Array([...NEGOTIATE_RESPONSE_HEADER, ...payload]);
    const frame = decodeFrame(bytes);
    expect(frame.header).toEqual({ type: gcsResponseType(GcsProcedure.NegotiateProtocol), size: 342, id: 0n });
    expect(JSON.parse(text(frame.payload))).toMatchObject({ Result: 0, Version: 4 });
    expect([...encodeFrame(frame.header.type, frame.header.id, NEGOTIATE_RESPONSE_BODY)]).toEqual([...bytes]);
  });
});

describe('encodeHeader / decodeHeader', () => {
  it('round-trips every field, including ids above 2^53 and at the u64 limit', () => {
    for (const id of [0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const header = { type: 0x20100a01, size: 0xffffffff, id };
      expect(decodeHeader(encodeHeader(header), { maxMessageSize: Infinity })).toEqual(header);
    }
  });

  it('writes little-endian fields at offsets 0, 4 and 8', () => {
    const bytes = encodeHeader({ type: 0x30100101, size: 0x12345678, id: 0x0102030405060708n });
    expect(GcsHeaderOffset).toEqual({ type: 0, size: 4, id: 8 });
    expect([...bytes]).toEqual([0x01, 0x01, 0x10, 0x30, 0x78, 0x56, 0x34, 0x12, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('reads a header at a non-zero offset of a larger buffer (a Buffer slice of a stream chunk)', () => {
    const chunk = new Uint8Array(40);
    chunk.set(encodeHeader({ type: 0x10100601, size: 30, id: 9n }), 7);
    expect(decodeHeader(chunk.subarray(7))).toEqual({ type: 0x10100601, size: 30, id: 9n });
  });

  it('rejects a buffer shorter than 16 bytes with a ProtocolError naming the length', () => {
    for (const length of [0, 1, 15]) {
      expect(() => decodeHeader(new Uint8Array(length))).toThrow(ProtocolError);
      expect(() => decodeHeader(new Uint8Array(length))).toThrow(`got only ${length}`);
    }
  });

  it('rejects a Size below the header size, which would make a GCS allocate ~4 GiB', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(4, 15, true);
    expect(() => decodeHeader(bytes)).toThrow(ProtocolError);
    expect(() => encodeHeader({ type: 0x10100101, size: 15, id: 0n })).toThrow(ValidationError);
  });

  it('rejects a Size above the limit, 8 MiB by default, and accepts what the Go host would reject', () => {
    expect(GCS_GO_HOST_MAX_MESSAGE_SIZE).toBe(0x10000);
    expect(GCS_DEFAULT_MAX_MESSAGE_SIZE).toBeGreaterThan(GCS_GO_HOST_MAX_MESSAGE_SIZE);
    const big = encodeHeader({ type: 0x20100c01, size: GCS_GO_HOST_MAX_MESSAGE_SIZE + 1, id: 3n });
    expect(decodeHeader(big).size).toBe(0x10001);
    expect(() => decodeHeader(big, { maxMessageSize: GCS_GO_HOST_MAX_MESSAGE_SIZE })).toThrow(/exceeds the limit of 65536/);
    const huge = encodeHeader({ type: 0x20100c01, size: GCS_DEFAULT_MAX_MESSAGE_SIZE + 1, id: 3n });
    expect(() => decodeHeader(huge)).toThrow(ProtocolError);
  });

  it('rejects out-of-range fields with a ValidationError naming the field', () => {
    const bad = [
      { type: -1, size: 16, id: 0n },
      { type: 2 ** 32, size: 16, id: 0n },
      { type: 1.5, size: 16, id: 0n },
      { type: 1, size: 16, id: -1n },
      { type: 1, size: 16, id: 2n ** 64n },
      { type: 1, size: 16, id: 5 as unknown as bigint },
    ];
    for (const header of bad) expect(() => encodeHeader(header)).toThrow(ValidationError);
    expect(() => encodeHeader({ type: 1, size: 16, id: 5 as unknown as bigint })).toThrow(/\/id: must be a bigint/);
  });

  it('rejects a non-buffer with a ValidationError, not a TypeError', () => {
    expect(() => decodeHeader('0123456789abcdef' as unknown as Uint8Array)).toThrow(ValidationError);
  });
});

describe('encodeFrame / decodeFrame', () => {
  it('counts the UTF-8 bytes of the body, not its UTF-16 length', () => {
    const body = '{"Message":"größe ✓ 🚀"}';
    const frame = encodeFrame(0x20100101, 1n, body);
    expect(frame.byteLength).toBe(GCS_HEADER_SIZE + new TextEncoder().encode(body).byteLength);
    expect(decodeHeader(frame).size).toBe(frame.byteLength);
    expect(text(decodeFrame(frame).payload)).toBe(body);
  });

  it('writes a lone surrogate as U+FFFD and counts exactly the bytes it writes', () => {
    const frame = encodeFrame(0x20100101, 1n, '{"M":"\ud800"}');
    expect(text(decodeFrame(frame).payload)).toBe('{"M":"\ufffd"}');
  });

  it('takes a byte body as is, and an empty body makes a 16-byte message', () => {
    const frame = encodeFrame(0x10100201, 7n, new Uint8Array([0x7b, 0x7d]));
    expect(text(decodeFrame(frame).payload)).toBe('{}');
    expect(encodeFrame(0x10100201, 7n, '').byteLength).toBe(16);
  });

  it('refuses a buffer whose length disagrees with its Size', () => {
    const frame = encodeFrame(0x10100201, 7n, '{}');
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 1))).toThrow(/says 18 bytes, but 17/);
    expect(() => decodeFrame(new Uint8Array([...frame, 0]))).toThrow(ProtocolError);
  });

  it('rejects a body that is neither a string nor bytes', () => {
    expect(() => encodeFrame(0x10100201, 7n, { a: 1 } as unknown as string)).toThrow(ValidationError);
  });
});

describe('message types', () => {
  it('encodes and decodes kind, category, id and version', () => {
    const type = encodeMessageType({ kind: 'request', category: 'computeSystem', id: 0xb, version: 1 });
    expect(type).toBe(0x10100b01);
    expect(decodeMessageType(type)).toEqual({ kind: 'request', category: 'computeSystem', id: 0xb, version: 1 });
    expect(encodeMessageType({ kind: 'notification', category: 'computeSystem', id: 1 })).toBe(0x30100101);
    expect(encodeMessageType({ kind: 'response', category: 'computeService', id: 1 })).toBe(0x20200101);
    expect(encodeMessageType({ kind: 'none', category: 'none', id: 0, version: 0 })).toBe(0);
  });

  it('round-trips every combination of kind and category at the field limits', () => {
    for (const kind of ['none', 'request', 'response', 'notification'] as const) {
      for (const category of ['none', 'computeSystem', 'computeService'] as const) {
        for (const [id, version] of [
          [0, 0],
          [0xfff, 0xff],
          [0x123, 0x45],
        ] as const) {
          expect(decodeMessageType(encodeMessageType({ kind, category, id, version }))).toEqual({ kind, category, id, version });
        }
      }
    }
  });

  it('decodes the sidecar rejection type 0x20000000 as a response with no procedure', () => {
    expect(decodeMessageType(0x20000000)).toEqual({ kind: 'response', category: 'none', id: 0, version: 0 });
  });

  it('reports kind and category bits no message defines as unknown instead of throwing', () => {
    expect(decodeMessageType(0xf0f00101)).toEqual({ kind: 'unknown', category: 'unknown', id: 1, version: 1 });
  });

  it('rejects parts that do not fit their bit fields, listing each one', () => {
    const error = (() => {
      try {
        encodeMessageType({ kind: 'reply' as 'request', category: 'computeSystem', id: 0x1000, version: 256 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['/kind', '/id', '/version']);
    expect(() => decodeMessageType(-1)).toThrow(ValidationError);
  });
});

describe('gcsIdFromHalves', () => {
  it('joins the low and high 32 bits of an id into the 64-bit id', () => {
    expect(gcsIdFromHalves(0, 0)).toBe(0n);
    expect(gcsIdFromHalves(5, 0)).toBe(5n);
    expect(gcsIdFromHalves(2, 1)).toBe(0x1_0000_0002n);
    expect(gcsIdFromHalves(0xffffffff, 0xffffffff)).toBe((1n << 64n) - 1n);
  });
});

describe('writeGcsHeader', () => {
  it('writes a header in place at an offset, byte for byte as encodeHeader does, the id from its halves', () => {
    const target = new Uint8Array(40).fill(0xaa);
    writeGcsHeader(target, 3, 0x10100b01, 125, 0, 0);
    expect(target.subarray(3, 19)).toEqual(NEGOTIATE_REQUEST_HEADER);
    expect(target[2]).toBe(0xaa);
    expect(target[19]).toBe(0xaa);
    writeGcsHeader(target, 20, 0x20100a01, 0xffffffff, 0x89abcdef, 0x01234567);
    expect(target.subarray(20, 36)).toEqual(encodeHeader({ type: 0x20100a01, size: 0xffffffff, id: 0x0123456789abcdefn }));
  });
});
