import { describe, expect, it } from 'vitest';
import { launchDataFromPolicy } from '@uvm/builder';

describe('launchDataFromPolicy', () => {
  it('is the base64 SHA-256 of the decoded policy', () => {
    expect(launchDataFromPolicy('e30=')).toEqual({ ok: true, value: 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=' });
    expect(launchDataFromPolicy('')).toEqual({ ok: true, value: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' });
  });

  it('skips line breaks as Go does', () => {
    expect(launchDataFromPolicy('e3\r\n0=')).toEqual(launchDataFromPolicy('e30='));
  });

  it.each(['e30', 'e30=====', 'e3 0=', '{}', 'e3-0', 'e30_'])('rejects %j, which is not padded standard base64', (policy) => {
    expect(launchDataFromPolicy(policy).ok).toBe(false);
  });
});
