import type { MemoryBackingType, VirtualMachineMemory, VirtualSlitType } from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import { DocPath } from './documentPaths.js';
import type { IssueList } from './issueList.js';
import { withoutUndefined } from './values.js';

/** Memory-mapped I/O gaps, in MB. */
export interface MmioOptions {
  readonly lowGapInMB?: number;
  readonly highBaseInMB?: number;
  readonly highGapInMB?: number;
}

/** Memory of the VM (hcs-host.md §4.3); every setter returns the sub-builder for chaining. */
export interface MemoryBuilder {
  /** Memory size in MB; HCS needs an even number. */
  setSizeInMB(sizeInMB: number): this;
  /**
   * How guest memory is backed. Unless overcommit is set explicitly, `Virtual` allows overcommit
   * and `Physical`/`Hybrid` do not, as hcsshim's builder does.
   */
  setBacking(backing: MemoryBackingType): this;
  /** Virtually backed (overcommittable) memory; `false` backs every page with host memory. */
  setAllowOvercommit(allow: boolean): this;
  /** Commit memory only when the guest touches it; needs overcommit. */
  setDeferredCommit(enable: boolean): this;
  setHotHint(enable: boolean): this;
  setColdHint(enable: boolean): this;
  /** Lets the guest discard cold pages; needs Windows build 18967. */
  setColdDiscardHint(enable: boolean): this;
  setMmio(mmio: MmioOptions): this;
  /** The SLIT the guest sees; defaults to `FirmwareFallbackMeasured` when a vNUMA topology is set. */
  setSlitType(slitType: VirtualSlitType): this;
}

export class MemoryBuilderImpl implements MemoryBuilder {
  #size: number | undefined;
  #backing: MemoryBackingType | undefined;
  #overcommit: boolean | undefined;
  #deferredCommit: boolean | undefined;
  #hotHint: boolean | undefined;
  #coldHint: boolean | undefined;
  #coldDiscardHint: boolean | undefined;
  #mmio: MmioOptions = {};
  #slitType: VirtualSlitType | undefined;

  constructor(private readonly core: BuilderCore) {}

  setSizeInMB(sizeInMB: number): this {
    this.#size = sizeInMB;
    return this;
  }

  setBacking(backing: MemoryBackingType): this {
    this.#backing = backing;
    return this;
  }

  setAllowOvercommit(allow: boolean): this {
    this.#overcommit = allow;
    return this;
  }

  setDeferredCommit(enable: boolean): this {
    this.#deferredCommit = enable;
    return this;
  }

  setHotHint(enable: boolean): this {
    this.#hotHint = enable;
    return this;
  }

  setColdHint(enable: boolean): this {
    this.#coldHint = enable;
    return this;
  }

  setColdDiscardHint(enable: boolean): this {
    this.#coldDiscardHint = enable;
    return this;
  }

  setMmio(mmio: MmioOptions): this {
    this.core.guard(DocPath.memory, 'The MMIO options', () => {
      this.#mmio = { ...this.#mmio, ...withoutUndefined<MmioOptions>({ lowGapInMB: mmio.lowGapInMB, highBaseInMB: mmio.highBaseInMB, highGapInMB: mmio.highGapInMB }) };
    });
    return this;
  }

  setSlitType(slitType: VirtualSlitType): this {
    this.#slitType = slitType;
    return this;
  }

  /** Overcommit as the document will say: explicit, else derived from the backing. */
  get allowOvercommit(): boolean | undefined {
    return this.#overcommit ?? (this.#backing === undefined ? undefined : this.#backing === 'Virtual');
  }

  get sizeInMB(): number | undefined {
    return this.#size;
  }

  compose(issues: IssueList): VirtualMachineMemory {
    if (this.#overcommit === false && this.#backing === 'Virtual') {
      issues.add(`${DocPath.memory}/AllowOvercommit`, 'Virtual backing means overcommitted memory: remove setAllowOvercommit(false) or use the Physical backing.');
    }
    return withoutUndefined<VirtualMachineMemory>({
      SizeInMB: this.#size,
      Backing: this.#backing,
      AllowOvercommit: this.allowOvercommit,
      EnableHotHint: this.#hotHint,
      EnableColdHint: this.#coldHint,
      EnableColdDiscardHint: this.#coldDiscardHint,
      EnableDeferredCommit: this.#deferredCommit,
      LowMmioGapInMB: this.#mmio.lowGapInMB,
      HighMmioBaseInMB: this.#mmio.highBaseInMB,
      HighMmioGapInMB: this.#mmio.highGapInMB,
      SlitType: this.#slitType,
    });
  }
}
