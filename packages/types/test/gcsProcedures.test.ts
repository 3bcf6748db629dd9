import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GCS_NOTIFICATION_TYPE,
  gcsRequestType,
  gcsResponseType,
  GcsProcedure,
  LINUX_GCS_PROCEDURES,
  procedureName,
  procedureOf,
  responseTypeFor,
  ValidationError,
  type GcsProcedureName,
} from '@uvm/types';

const SPEC = new URL('./fixtures/spec/gcs-protocol-fields.json', import.meta.url);
const fields = JSON.parse(readFileSync(SPEC, 'utf8')) as {
  messages: { rpc: string; proc?: string; requestType?: string; responseType?: string; notifyType?: string }[];
};

describe('GcsProcedure', () => {
  it('has every procedure of gcs-protocol-fields.json with its code, request and response type', () => {
    const rpcs = fields.messages.filter((m) => m.proc !== undefined);
    expect(Object.keys(GcsProcedure).sort()).toEqual(rpcs.map((m) => m.rpc).sort());
    for (const m of rpcs) {
      const code = GcsProcedure[m.rpc as GcsProcedureName];
      expect(code, m.rpc).toBe(Number(m.proc));
      expect(gcsRequestType(code), m.rpc).toBe(Number(m.requestType));
      expect(gcsResponseType(code), m.rpc).toBe(Number(m.responseType));
      expect(procedureName(code)).toBe(m.rpc);
      expect(procedureName(gcsRequestType(code))).toBe(m.rpc);
      expect(procedureName(gcsResponseType(code))).toBe(m.rpc);
    }
  });

  it('names the notification type as the spec gives it', () => {
    const notify = fields.messages.find((m) => m.notifyType !== undefined);
    expect(GCS_NOTIFICATION_TYPE).toBe(Number(notify?.notifyType));
  });

  it('lists the 13 procedures the Linux GCS serves and leaves out the three it answers with E_NOTIMPL', () => {
    expect(LINUX_GCS_PROCEDURES.size).toBe(13);
    for (const name of ['UpdateContainer', 'LifecycleNotification', 'ModifyServiceSettings'] as const) {
      expect(LINUX_GCS_PROCEDURES.has(GcsProcedure[name])).toBe(false);
    }
    expect(LINUX_GCS_PROCEDURES.has(GcsProcedure.NegotiateProtocol)).toBe(true);
    expect(LINUX_GCS_PROCEDURES.has(GcsProcedure.DeleteContainerState)).toBe(true);
  });
});

describe('responseTypeFor', () => {
  it('replaces the top nibble with 2, for known and unknown request types alike', () => {
    expect(responseTypeFor(0x10100b01)).toBe(0x20100b01);
    expect(responseTypeFor(0x10100e01)).toBe(0x20100e01);
    expect(responseTypeFor(0x30100101)).toBe(0x20100101);
    expect(responseTypeFor(0xf0abcdef)).toBe(0x20abcdef);
  });

  it('rejects values that are not a uint32', () => {
    expect(() => responseTypeFor(-1)).toThrow(ValidationError);
    expect(() => responseTypeFor(Number.NaN)).toThrow(ValidationError);
  });
});

describe('procedureName and procedureOf', () => {
  it('return undefined / the bare code for types no procedure has, such as the sidecar rejection', () => {
    expect(procedureName(0x20000000)).toBeUndefined();
    expect(procedureName(0x00100001)).toBeUndefined();
    expect(procedureName(-5)).toBeUndefined();
    expect(procedureOf(0x20000000)).toBe(0);
    expect(procedureOf(0x20100a01)).toBe(GcsProcedure.ModifySettings);
  });

  it('gcsRequestType refuses a code that already carries kind bits', () => {
    expect(() => gcsRequestType(0x10100101)).toThrow(/top 4 bits clear/);
  });
});
