import { describe, expect, it } from 'vitest';
import { HcsError, parseHcsResultDocument } from '@uvm/types';

const REAL_LOOKING = JSON.stringify({
  Error: -2143878898,
  ErrorMessage: 'A virtual machine or container with the specified identifier does not exist.',
  ErrorEvents: [
    {
      Message: 'The compute system uvm-1 was not found.',
      StackTrace: 'vmcompute!ComputeService::OpenSystem+0x42',
      Provider: '17103e3f-3c6e-4677-bb17-3b267eb5be57',
      EventId: 11005,
      Flags: 0,
      Source: 'vmcompute',
      Data: [{ Type: 'String', Value: 'uvm-1' }],
    },
  ],
});

describe('parseHcsResultDocument', () => {
  it('reads the error, the message and every event field except Data', () => {
    expect(parseHcsResultDocument(REAL_LOOKING)).toEqual({
      error: 0x8037010e,
      errorMessage: 'A virtual machine or container with the specified identifier does not exist.',
      errorEvents: [
        {
          message: 'The compute system uvm-1 was not found.',
          stackTrace: 'vmcompute!ComputeService::OpenSystem+0x42',
          provider: '17103e3f-3c6e-4677-bb17-3b267eb5be57',
          eventId: 11005,
          flags: 0,
          source: 'vmcompute',
        },
      ],
    });
  });

  it('gives what HcsError needs to print the events', () => {
    const doc = parseHcsResultDocument(REAL_LOOKING);
    const error = new HcsError({ hresult: doc.error ?? 0x80004005, operation: 'HcsOpenComputeSystem', systemId: 'uvm-1', errorEvents: doc.errorEvents });
    expect(error.message).toContain('HCS event: The compute system uvm-1 was not found. (provider 17103e3f-3c6e-4677-bb17-3b267eb5be57, event id 11005, source vmcompute)');
  });

  it.each([[null], [undefined], [''], ['  \n']])('yields no error and no events for the missing document %j', (json) => {
    expect(parseHcsResultDocument(json)).toEqual({ errorEvents: [] });
  });

  it('yields no events for an empty object', () => {
    expect(parseHcsResultDocument('{}')).toEqual({ errorEvents: [] });
  });

  it('keeps text that is not JSON as the error message', () => {
    expect(parseHcsResultDocument('  The RPC server is unavailable.  ')).toEqual({ errorEvents: [], errorMessage: 'The RPC server is unavailable.' });
  });

  it.each([['[1,2]'], ['42'], ['"text"'], ['null'], ['true']])('yields nothing for the JSON value %s that is not an object', (json) => {
    expect(parseHcsResultDocument(json)).toEqual({ errorEvents: [] });
  });

  it('skips fields of the wrong type instead of throwing', () => {
    const json = JSON.stringify({
      Error: '0x8037010E',
      ErrorMessage: 12,
      ErrorEvents: [{ Message: 5, EventId: '7', Flags: null, Provider: {}, Source: 'vmcompute' }, 'not an event', null, [1]],
    });
    expect(parseHcsResultDocument(json)).toEqual({ errorEvents: [{ source: 'vmcompute' }] });
  });

  it('skips an ErrorEvents value that is not a list', () => {
    expect(parseHcsResultDocument('{"Error":-2143878898,"ErrorEvents":{"Message":"x"}}')).toEqual({ error: 0x8037010e, errorEvents: [] });
  });

  it('skips numbers that cannot be an HRESULT, an event id or flags', () => {
    const json = JSON.stringify({ Error: 1.5, ErrorEvents: [{ EventId: 2.5, Flags: -1, Message: 'm' }] });
    expect(parseHcsResultDocument(json)).toEqual({ errorEvents: [{ message: 'm' }] });
    expect(parseHcsResultDocument('{"Error":1e20}')).toEqual({ errorEvents: [] });
  });

  it('stores a signed or unsigned Error unsigned', () => {
    expect(parseHcsResultDocument('{"Error":-1070137074}').error).toBe(0xc037010e);
    expect(parseHcsResultDocument('{"Error":3224830222}').error).toBe(0xc037010e);
  });

  it('reads a document that carries a byte order mark or a trailing NUL from the UTF-16 buffer', () => {
    expect(parseHcsResultDocument('\uFEFF{"Error":-2143878898}').error).toBe(0x8037010e);
    expect(parseHcsResultDocument('{"Error":-2143878898}\0').error).toBe(0x8037010e);
  });
});
