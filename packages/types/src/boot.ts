// What a UVM boots from: the file names hcsshim looks for in the boot files directory, and the
// UEFI secure boot template confidential UVMs apply (hcs-host.md §4.5, §4.10, §4.12).

/** The default names of the files in a UVM's boot files directory. */
export const BOOT_FILE = Object.freeze({
  /** The Linux kernel (compressed); UEFI boot always uses it. */
  kernel: 'kernel',
  /** The uncompressed Linux kernel, preferred for kernel-direct boot when present. */
  uncompressedKernel: 'vmlinux',
  /** The initial ramdisk, the default root file system. */
  initrd: 'initrd.img',
  /** The root file system as a VHD, used instead of the initrd when present. */
  rootfsVhd: 'rootfs.vhd',
  /** The guest state (VMGS) file of a confidential Linux UVM. */
  guestState: 'kernel.vmgs',
  /** The signed reference measurements of a confidential UVM. */
  referenceInfo: 'reference_info.cose',
  /** The hash envelope of the reference measurements. */
  referenceInfoHashEnvelope: 'reference_info_hash_envelope.cose',
} as const);

/** `Uefi.SecureBootTemplateId` of the Microsoft Windows secure boot template. */
export const MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID = '1734c6e8-3154-4dda-ba5f-a874cc483422';
