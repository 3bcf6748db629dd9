import { describe, expect, it } from 'vitest';
import { parseVpciDeviceId } from '@uvm/builder';

describe('parseVpciDeviceId', () => {
  it.each([
    ['PCIP\\VEN_10DE&DEV_13F2\\6&17F903&0&00400000', 'PCIP\\VEN_10DE&DEV_13F2\\6&17F903&0&00400000', 0],
    ['PCIP\\VEN_8086\\4&2B4F\\3', 'PCIP\\VEN_8086\\4&2B4F', 3],
    ['PCIP/VEN_8086/4&2B4F/65535', 'PCIP\\VEN_8086\\4&2B4F', 65535],
    ['PCIP/VEN_8086//4&2B4F/./7', 'PCIP\\VEN_8086\\4&2B4F', 7],
    ['PCIP\\VEN_8086\\4&2B4F\\65536', 'PCIP\\VEN_8086\\4&2B4F\\65536', 0],
    ['PCIP\\VEN_8086\\4&2B4F\\+1', 'PCIP\\VEN_8086\\4&2B4F\\+1', 0],
    ['5', '.', 5],
  ])('splits %s into %s, function %i', (id, path, vf) => {
    expect(parseVpciDeviceId(id)).toEqual({ deviceInstancePath: path, virtualFunction: vf });
  });
});
