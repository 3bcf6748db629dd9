// Virtual persistent memory (VPMem) limits of hcsshim's legacy LCOW builder (hcs-host.md §4b.1,
// §4.12). The v2 builder supports no VPMem devices at all.

/** The most VPMem devices a UVM can have. */
export const MAX_VPMEM_COUNT = 128;

/** The VPMem device count of the legacy LCOW builder (0 on arm64). */
export const DEFAULT_VPMEM_COUNT = 64;

/** The size of each VPMem device in the legacy LCOW builder: 4 GiB. */
export const DEFAULT_VPMEM_SIZE_BYTES = 4 * 1024 * 1024 * 1024;

/** A VPMem device size must be a multiple of this (4 KiB pages). */
export const VPMEM_SIZE_ALIGNMENT_BYTES = 4096;
