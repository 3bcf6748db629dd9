import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { GO_FIELD, goField, toGoJson } from '@uvm/types';

const Range = Type.Object({ max: Type.Optional(Type.Integer()) });
const Inner = Type.Object({ B: Type.Optional(Type.Boolean()), N: Type.Optional(Type.Integer()) });
const Doc = Type.Object({
  Name: Type.Optional(Type.String()),
  Count: Type.Optional(Type.Integer()),
  Flag: Type.Optional(Type.Boolean()),
  Ptr: goField(Type.Optional(Type.Boolean()), { pointer: true }),
  Inner: Type.Optional(Inner),
  List: Type.Optional(Type.Array(Type.String())),
  Map: Type.Optional(Type.Record(Type.String(), Inner)),
  Any: Type.Optional(Type.Unknown()),
  Kept: goField(Type.Optional(Range), { keep: true }),
  KeptString: goField(Type.Optional(Type.String()), { keep: true }),
  KeptPtr: goField(Type.Optional(Inner), { keep: true, pointer: true }),
  Time: goField(Type.Optional(Type.String()), { keep: true, zero: '0001-01-01T00:00:00Z' }),
  Nested: goField(Type.Optional(Type.Unknown()), { jsonInString: true }),
});

describe('toGoJson', () => {
  it('omits zero values and writes kept fields with their Go zero value, in declaration order', () => {
    const json = toGoJson({ Nested: undefined, Name: '', Count: 0, Flag: false, List: [], Map: {} }, Doc);
    expect(json).toBe('{"Kept":{},"KeptString":"","KeptPtr":null,"Time":"0001-01-01T00:00:00Z"}');
  });

  it('writes a present empty struct as {} and keeps pointer scalars that are false', () => {
    expect(toGoJson({ Inner: {}, Ptr: false }, Doc)).toContain('"Ptr":false,"Inner":{}');
  });

  it('sorts map keys and keeps zero values inside maps', () => {
    const json = toGoJson({ Map: { b: {}, a: { B: false, N: 3 } } }, Doc);
    expect(json.startsWith('{"Map":{"a":{"N":3},"b":{}}')).toBe(true);
  });

  it('writes interface values as given, including a bare zero', () => {
    expect(toGoJson({ Any: 0 }, Doc)).toContain('"Any":0');
    expect(toGoJson({ Any: { z: 1, a: 2 } }, Doc)).toContain('"Any":{"z":1,"a":2}');
  });

  it('double-encodes JSON-in-string fields', () => {
    const json = toGoJson({ Nested: { a: [1] } }, Doc);
    expect((JSON.parse(json) as { Nested: string }).Nested).toBe('{"a":[1]}');
  });

  it('puts unknown keys after the declared ones', () => {
    expect(toGoJson({ Extra: 1, Count: 2 }, Doc)).toBe('{"Count":2,"Kept":{},"KeptString":"","KeptPtr":null,"Time":"0001-01-01T00:00:00Z","Extra":1}');
  });

  it('goField copies the schema instead of changing a shared one', () => {
    const shared = Type.String();
    const withGo = goField(Type.Optional(shared), { keep: true });
    expect(GO_FIELD in shared).toBe(false);
    expect((withGo as unknown as Record<string, unknown>)[GO_FIELD]).toEqual({ keep: true });
    expect(Type.IsOptional(withGo)).toBe(true);
  });

  it('writes strings, numbers and booleans exactly as JSON.stringify does, escapes and odd values included', () => {
    const Leaves = Type.Object({
      S: goField(Type.Optional(Type.String()), { pointer: true }),
      N: goField(Type.Optional(Type.Number()), { pointer: true }),
      B: goField(Type.Optional(Type.Boolean()), { pointer: true }),
    });
    const strings = ['', 'plain', 'quote"', 'back\\slash', 'line\nfeed\ttab', '\u0000\u001f', '\u007f', '\u2028\u2029', 'é', '😀', '\ud800', 'a\udc00b', 'x\ud83d', '<&>', `${'long '.repeat(60)}"`];
    for (const S of strings) expect(toGoJson({ S }, Leaves)).toBe(`{"S":${JSON.stringify(S)}}`);
    for (const N of [1, -12, 1.5, -0, 0.1, 1e21, 1e-7, 2 ** 53, Number.NaN, Infinity]) expect(toGoJson({ N }, Leaves)).toBe(`{"N":${JSON.stringify(N)}}`);
    for (const B of [true, false]) expect(toGoJson({ B }, Leaves)).toBe(`{"B":${String(B)}}`);
    // Values of another type than the schema says (validation's business) are still written as JSON.
    expect(toGoJson({ S: 5, N: 'five', B: 'yes' }, Leaves)).toBe('{"S":5,"N":"five","B":"yes"}');
  });

  it('writes fields whose names need quoting, skips inherited keys, and keeps the keys of a struct without fields', () => {
    const Odd = Type.Object({ 'say "hi"': Type.Optional(Type.String()), 'back\\slash\u2028': Type.Optional(Type.Integer()), __proto__x: Type.Optional(Type.Boolean()) });
    expect(toGoJson({ __proto__x: true, 'back\\slash\u2028': 2, 'say "hi"': 'x' }, Odd)).toBe('{"say \\"hi\\"":"x","back\\\\slash\u2028":2,"__proto__x":true}');
    const withInherited = Object.assign(Object.create({ Inherited: 1 }) as Record<string, unknown>, { Extra: 'e' });
    expect(toGoJson(withInherited, Odd)).toBe('{"Extra":"e"}');
    expect(toGoJson({ b: 1, a: [2] }, Type.Object({}))).toBe('{"b":1,"a":[2]}');
    expect(toGoJson('not a struct', Odd)).toBe('"not a struct"');
  });
});
