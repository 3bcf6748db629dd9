import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_SCSI_CONTROLLERS, SCSI_CONTROLLER_GUIDS, SCSI_LUNS_PER_CONTROLLER, ValidationError, scsiControllerGuid } from '@uvm/types';

// RFC 4122 name-based UUID, version 5: SHA-1 over the namespace (in network byte order) and the
// name, then the version and variant bits. Written here from the RFC so the table is checked
// against the derivation hcs-host.md §3.4 describes, not against itself.
function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const SCSI_NAMESPACE = 'd422512d-2bf2-4752-809d-7b82b5fcb1b4';

describe('SCSI controller GUIDs', () => {
  it('derive the RFC 4122 example correctly (checks the derivation used below)', () => {
    // RFC 4122 / Python uuid.uuid5(NAMESPACE_DNS, 'python.org').
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('are UUIDv5 of the decimal controller index in the hcsshim namespace', () => {
    const derived = Array.from({ length: MAX_SCSI_CONTROLLERS }, (_, index) => uuidV5(SCSI_NAMESPACE, String(index)));
    expect(SCSI_CONTROLLER_GUIDS).toEqual(derived);
  });

  it('list four controllers of 64 LUNs each', () => {
    expect(MAX_SCSI_CONTROLLERS).toBe(4);
    expect(SCSI_LUNS_PER_CONTROLLER).toBe(64);
    expect(SCSI_CONTROLLER_GUIDS).toHaveLength(MAX_SCSI_CONTROLLERS);
    expect(Object.isFrozen(SCSI_CONTROLLER_GUIDS)).toBe(true);
  });
});

describe('scsiControllerGuid', () => {
  it('returns the GUID of each controller index', () => {
    expect(scsiControllerGuid(0)).toBe('df6d0690-79e5-55b6-a5ec-c1e2f77f580a');
    expect(scsiControllerGuid(3)).toBe('305891a9-b251-5dfe-91a2-c25d9212275b');
  });

  it.each([[-1], [4], [0.5], [Number.NaN], ['0'], [null]])('rejects controller index %s with a ValidationError', (index) => {
    expect(() => scsiControllerGuid(index as number)).toThrow(ValidationError);
    expect(() => scsiControllerGuid(index as number)).toThrow(/index must be an integer from 0 to 3/);
  });

  it('tells a caller who passes a GUID to pass the index instead', () => {
    expect(() => scsiControllerGuid(SCSI_CONTROLLER_GUIDS[1] as unknown as number)).toThrow(/Pass the index of the controller, not its GUID/);
  });
});
