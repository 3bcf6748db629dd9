import { describe, expect, it } from 'vitest';
import { AF_HYPERV, HVSOCK_SECURITY_DESCRIPTOR, HVSOCK_SERVICE_ID, HV_PROTOCOL_RAW, HV_VM_ID, NULL_GUID, normalizeGuid } from '@uvm/types';

describe('hvsock constants', () => {
  it('name the socket family and protocol go-winio uses', () => {
    expect(AF_HYPERV).toBe(34);
    expect(HV_PROTOCOL_RAW).toBe(1);
  });

  it('hold the well-known VM ids of gcs-bridge.md §1.2', () => {
    expect(HV_VM_ID).toEqual({
      wildcard: NULL_GUID,
      broadcast: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      loopback: 'e0e16197-dd56-4a10-9195-5ee7a155a838',
      children: '90db8b89-0d35-4f79-8ce9-49ea0ac8b7cd',
      parent: 'a42e7cda-d03f-480c-9cc2-a4de20abb878',
      siloHost: '36bd0c5c-7276-4223-88ba-7d03b654c568',
      windowsGcsHost: '894cc2d6-9d79-424f-93fe-42969ae6d8d1',
    });
  });

  it('hold the Windows guest service ids of gcs-bridge.md §1.1', () => {
    expect(HVSOCK_SERVICE_ID).toEqual({
      windowsGcs: 'acef5661-84a1-4e44-856b-6245e69f4620',
      windowsSidecarGcs: 'ae8da506-a019-4553-a52b-902bc0fa0411',
      windowsLogging: '172dad59-976d-45f2-8b6c-6d1b13f2ac4d',
    });
  });

  it('write every id in the lower-case form sent on the wire', () => {
    for (const id of [...Object.values(HV_VM_ID), ...Object.values(HVSOCK_SERVICE_ID)]) expect(normalizeGuid(id)).toBe(id);
  });

  it('give the SDDL strings hcsshim puts in HvSocketConfig', () => {
    expect(HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators).toBe('D:P(A;;FA;;;SY)(A;;FA;;;BA)');
    expect(HVSOCK_SECURITY_DESCRIPTOR.everyone).toBe('D:P(A;;FA;;;WD)');
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(HV_VM_ID)).toBe(true);
    expect(Object.isFrozen(HVSOCK_SERVICE_ID)).toBe(true);
    expect(Object.isFrozen(HVSOCK_SECURITY_DESCRIPTOR)).toBe(true);
  });
});
