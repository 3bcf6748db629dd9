import { describe, expect, it } from 'vitest';
import {
  HVSOCK_SERVICE_ID,
  LINUX_ENTROPY_BYTES,
  MAX_VSOCK_PORT,
  PLAN9_PORT,
  VSOCK_PORT,
  ValidationError,
  guidToBytes,
  vsockPortFromServiceId,
  vsockServiceId,
} from '@uvm/types';

describe('vsock ports', () => {
  it('match the ports the Linux UVM dials (gcs-bridge.md §1.1)', () => {
    expect(VSOCK_PORT).toEqual({ entropy: 1, log: 109, linuxGcs: 0x40000000, firstStdio: 0x40000001 });
    expect(LINUX_ENTROPY_BYTES).toBe(512);
    expect(PLAN9_PORT).toBe(564);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(VSOCK_PORT)).toBe(true);
  });
});

describe('vsockServiceId', () => {
  it.each([
    [VSOCK_PORT.entropy, '00000001-facb-11e6-bd58-64006a7986d3'],
    [VSOCK_PORT.log, '0000006d-facb-11e6-bd58-64006a7986d3'],
    [VSOCK_PORT.linuxGcs, '40000000-facb-11e6-bd58-64006a7986d3'],
    [VSOCK_PORT.firstStdio, '40000001-facb-11e6-bd58-64006a7986d3'],
    [0, '00000000-facb-11e6-bd58-64006a7986d3'],
    [MAX_VSOCK_PORT, 'ffffffff-facb-11e6-bd58-64006a7986d3'],
  ])('maps port %i to %s', (port, serviceId) => {
    expect(vsockServiceId(port)).toBe(serviceId);
  });

  it('gives the GCS service id the byte layout of the spec example', () => {
    expect(Buffer.from(guidToBytes(vsockServiceId(VSOCK_PORT.linuxGcs))).toString('hex')).toBe('00000040cbfae611bd5864006a7986d3');
  });

  it.each([[-1], [2 ** 32], [1.5], [Number.NaN], ['1'], [undefined]])('rejects %s as a port with a ValidationError at /port', (port) => {
    let caught: unknown;
    try {
      vsockServiceId(port as number);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues[0]?.path).toBe('/port');
    expect((caught as ValidationError).message).toContain('from 0 to 4294967295');
  });
});

describe('vsockPortFromServiceId', () => {
  it('recovers the port of every vsock service id', () => {
    for (const port of [0, 1, 109, 564, 0x40000000, 0x40000001, 0x7fffffff, 0x80000000, MAX_VSOCK_PORT]) {
      expect(vsockPortFromServiceId(vsockServiceId(port))).toBe(port);
    }
  });

  it('accepts upper-case service ids', () => {
    expect(vsockPortFromServiceId('4000000A-FACB-11E6-BD58-64006A7986D3')).toBe(0x4000000a);
  });

  it('returns undefined for a GUID that is not a vsock service id', () => {
    expect(vsockPortFromServiceId(HVSOCK_SERVICE_ID.windowsGcs)).toBeUndefined();
    expect(vsockPortFromServiceId('40000000-facb-11e6-bd58-64006a7986d4')).toBeUndefined();
  });

  it('rejects text that is not a GUID with a ValidationError at /serviceId', () => {
    expect(() => vsockPortFromServiceId('40000000')).toThrow(ValidationError);
    expect(() => vsockPortFromServiceId('40000000')).toThrow(/serviceId/);
  });
});
