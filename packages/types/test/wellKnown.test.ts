import { describe, expect, it } from 'vitest';
import {
  BOOT_FILE,
  DEFAULT_VPMEM_COUNT,
  DEFAULT_VPMEM_SIZE_BYTES,
  MAX_VPMEM_COUNT,
  MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID,
  VPMEM_SIZE_ALIGNMENT_BYTES,
  isGuid,
} from '@uvm/types';

describe('boot files', () => {
  it('use the default names hcsshim looks for in the boot files directory', () => {
    expect(BOOT_FILE).toEqual({
      kernel: 'kernel',
      uncompressedKernel: 'vmlinux',
      initrd: 'initrd.img',
      rootfsVhd: 'rootfs.vhd',
      guestState: 'kernel.vmgs',
      referenceInfo: 'reference_info.cose',
      referenceInfoHashEnvelope: 'reference_info_hash_envelope.cose',
    });
    expect(Object.isFrozen(BOOT_FILE)).toBe(true);
  });

  it('name the Microsoft Windows secure boot template by its lower-case id', () => {
    expect(MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID).toBe('1734c6e8-3154-4dda-ba5f-a874cc483422');
    expect(isGuid(MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID)).toBe(true);
  });
});

describe('VPMem limits', () => {
  it("are the legacy LCOW builder's: at most 128 devices, 64 by default of 4 GiB each", () => {
    expect(MAX_VPMEM_COUNT).toBe(128);
    expect(DEFAULT_VPMEM_COUNT).toBe(64);
    expect(DEFAULT_VPMEM_SIZE_BYTES).toBe(4 * 2 ** 30);
  });

  it('keep the default size a whole number of 4 KiB pages', () => {
    expect(VPMEM_SIZE_ALIGNMENT_BYTES).toBe(4096);
    expect(DEFAULT_VPMEM_SIZE_BYTES % VPMEM_SIZE_ALIGNMENT_BYTES).toBe(0);
  });
});
