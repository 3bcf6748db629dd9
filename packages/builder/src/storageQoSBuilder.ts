import type { StorageQoS } from '@uvm/types';
import { withoutUndefined } from './values.js';

/** Storage limits of the VM; zero means unlimited, and the section is written only when a limit is set. */
export interface StorageQoSBuilder {
  setIopsMaximum(iops: number): this;
  /** Bytes per second. */
  setBandwidthMaximum(bytesPerSecond: number): this;
}

export class StorageQoSBuilderImpl implements StorageQoSBuilder {
  #iops: number | undefined;
  #bandwidth: number | undefined;

  setIopsMaximum(iops: number): this {
    this.#iops = iops;
    return this;
  }

  setBandwidthMaximum(bytesPerSecond: number): this {
    this.#bandwidth = bytesPerSecond;
    return this;
  }

  compose(): StorageQoS | undefined {
    // hcsshim writes the section only when a limit is set (hcs-host.md §4.11).
    if ((this.#iops ?? 0) === 0 && (this.#bandwidth ?? 0) === 0) return undefined;
    return withoutUndefined<StorageQoS>({ IopsMaximum: this.#iops, BandwidthMaximum: this.#bandwidth });
  }
}
