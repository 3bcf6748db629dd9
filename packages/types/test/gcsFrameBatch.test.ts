import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeFrames, ValidationError } from '@uvm/types';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

describe('encodeFrames', () => {
  const frames = [
    { type: 0x10100b01, id: 0n, body: '{"ContainerId":"","ActivityId":"00000000-0000-0000-0000-000000000000","MinimumVersion":4,"MaximumVersion":4}\n' },
    { type: 0x10100a01, id: 1n, body: '{"Path":"C:\\\\ü\\\\日本","Emoji":"🦀"}' },
    { type: 0x10100c01, id: 2n ** 64n - 1n, body: '' },
    { type: 0x10100901, id: 3n, body: 'lone \ud800 surrogate' },
    { type: 0xffffffff, id: 4n, body: Uint8Array.of(1, 2, 3) },
  ];

  it('writes exactly what encodeFrame writes for each message, back to back', () => {
    const expected = concat(frames.map((f) => encodeFrame(f.type, f.id, f.body)));
    expect(Buffer.from(encodeFrames(frames))).toEqual(Buffer.from(expected));
  });

  it('writes nothing for no messages', () => {
    expect(encodeFrames([]).byteLength).toBe(0);
  });

  it('names every frame whose header fields do not fit, and writes nothing', () => {
    const error = (() => {
      try {
        encodeFrames([{ type: -1, id: 0n, body: '' }, { type: 1, id: -1n, body: '' }, { type: 1, id: 0n, body: 5 as unknown as string }]);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['/0/type', '/1/id', '/2/body']);
  });
});
