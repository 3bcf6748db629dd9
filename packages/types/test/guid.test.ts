import { describe, expect, it } from 'vitest';
import { GUID_BYTES, NULL_GUID, ValidationError, guidFromBytes, guidToBytes, isGuid, normalizeGuid, randomGuid } from '@uvm/types';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('isGuid', () => {
  it('accepts the 36-character hyphenated form in either case', () => {
    expect(isGuid('40000000-facb-11e6-bd58-64006a7986d3')).toBe(true);
    expect(isGuid('ACEF5661-84A1-4E44-856B-6245E69F4620')).toBe(true);
    expect(isGuid(NULL_GUID)).toBe(true);
  });

  it.each([
    ['braces', '{acef5661-84a1-4e44-856b-6245e69f4620}'],
    ['no dashes', 'acef566184a14e44856b6245e69f4620'],
    ['a dash in the wrong place', 'acef566-184a1-4e44-856b-6245e69f4620'],
    ['a non-hex digit', 'acef5661-84a1-4e44-856b-6245e69f462g'],
    ['a trailing newline', 'acef5661-84a1-4e44-856b-6245e69f4620\n'],
    ['surrounding spaces', ' acef5661-84a1-4e44-856b-6245e69f4620 '],
    ['one digit too many', 'acef5661-84a1-4e44-856b-6245e69f46201'],
    ['an empty string', ''],
  ])('rejects text with %s', (_what, text) => {
    expect(isGuid(text)).toBe(false);
  });

  it('rejects values that are not strings instead of throwing', () => {
    expect(isGuid(undefined)).toBe(false);
    expect(isGuid(42)).toBe(false);
    expect(isGuid({ toString: () => NULL_GUID })).toBe(false);
  });
});

describe('normalizeGuid', () => {
  it('returns the lower-case form HCS and the GCS expect on the wire', () => {
    expect(normalizeGuid('DF6D0690-79E5-55B6-A5EC-C1E2F77F580A')).toBe('df6d0690-79e5-55b6-a5ec-c1e2f77f580a');
  });

  it('throws a ValidationError that quotes the bad value and shows the expected form', () => {
    const error = validationError(() => normalizeGuid('not-a-guid'));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('"not-a-guid"');
    expect(error.message).toContain('xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx');
  });

  it('tells the caller how to write a braced GUID', () => {
    const error = validationError(() => normalizeGuid('{ACEF5661-84A1-4E44-856B-6245E69F4620}'));
    expect(error.message).toContain('Write it as "acef5661-84a1-4e44-856b-6245e69f4620"');
  });

  it('reports a non-string argument as a ValidationError, not a TypeError', () => {
    const error = validationError(() => normalizeGuid(undefined as unknown as string));
    expect(error.message).toContain('got undefined');
  });
});

describe('guidToBytes and guidFromBytes', () => {
  it('lay a GUID out as Windows does: Data1, Data2 and Data3 little-endian, Data4 in order', () => {
    expect(Buffer.from(guidToBytes('40000000-facb-11e6-bd58-64006a7986d3')).toString('hex')).toBe('00000040cbfae611bd5864006a7986d3');
    expect(Buffer.from(guidToBytes('00112233-4455-6677-8899-aabbccddeeff')).toString('hex')).toBe('33221100554477668899aabbccddeeff');
  });

  it('read the same layout back as a lower-case GUID', () => {
    expect(guidFromBytes(Buffer.from('00000040cbfae611bd5864006a7986d3', 'hex'))).toBe('40000000-facb-11e6-bd58-64006a7986d3');
  });

  it('round-trip any GUID, whatever its case', () => {
    for (let i = 0; i < 200; i++) {
      const guid = randomGuid();
      expect(guidFromBytes(guidToBytes(guid.toUpperCase()))).toBe(guid);
    }
  });

  it('read a GUID at an offset inside a larger buffer, such as the service id of a SOCKADDR_HV', () => {
    const address = new Uint8Array(36);
    address.set(guidToBytes('a42e7cda-d03f-480c-9cc2-a4de20abb878'), 4);
    address.set(guidToBytes('acef5661-84a1-4e44-856b-6245e69f4620'), 20);
    expect(guidFromBytes(address, 4)).toBe('a42e7cda-d03f-480c-9cc2-a4de20abb878');
    expect(guidFromBytes(address, 20)).toBe('acef5661-84a1-4e44-856b-6245e69f4620');
    expect(guidFromBytes(address.subarray(20))).toBe('acef5661-84a1-4e44-856b-6245e69f4620');
  });

  it('refuse a buffer too short to hold a GUID', () => {
    expect(validationError(() => guidFromBytes(new Uint8Array(GUID_BYTES - 1))).issues[0]?.path).toBe('/bytes');
  });

  it('refuse an offset that leaves fewer than 16 bytes', () => {
    const error = validationError(() => guidFromBytes(new Uint8Array(36), 21));
    expect(error.issues[0]?.path).toBe('/offset');
    expect(error.message).toContain('from 0 to 20');
  });

  it('refuse a negative or fractional offset', () => {
    expect(() => guidFromBytes(new Uint8Array(36), -1)).toThrow(ValidationError);
    expect(() => guidFromBytes(new Uint8Array(36), 1.5)).toThrow(ValidationError);
  });

  it('refuse input that is not bytes', () => {
    expect(() => guidFromBytes('00000040cbfae611bd5864006a7986d3' as unknown as Uint8Array)).toThrow(ValidationError);
  });

  it('refuse to encode text that is not a GUID', () => {
    expect(() => guidToBytes('{40000000-facb-11e6-bd58-64006a7986d3}')).toThrow(ValidationError);
  });
});

describe('randomGuid', () => {
  it('returns distinct lower-case version 4 GUIDs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const guid = randomGuid();
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(guid);
    }
    expect(seen.size).toBe(100);
  });
});

describe('NULL_GUID', () => {
  it('is all zeros and encodes to 16 zero bytes', () => {
    expect(NULL_GUID).toBe('00000000-0000-0000-0000-000000000000');
    expect([...guidToBytes(NULL_GUID)]).toEqual(new Array(16).fill(0));
  });
});
