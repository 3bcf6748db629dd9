import type { VirtualMachineProcessor } from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import { lowerGuid } from './guidText.js';
import { isInteger, withoutUndefined } from './values.js';

/** Virtual processors of the VM (hcs-host.md §4.2). */
export interface ProcessorBuilder {
  /**
   * Virtual processors, 1 to the host's logical processor count. With `clampToHost` a larger count
   * becomes the host's count with a logged warning, as hcsshim does; otherwise it is an issue.
   */
  setCount(count: number, options?: { readonly clampToHost?: boolean }): this;
  /** Upper bound on CPU use, in thousandths of a percent (100000 = 100%). */
  setLimit(limit: number): this;
  /** Relative scheduling weight, 0 to 10000. */
  setWeight(weight: number): this;
  /** CPU time reserved for the VM, in thousandths of a percent. */
  setReservation(reservation: number): this;
  /** Runs the VM in a host CPU group (by GUID); needs Windows build 19043; excludes a resource partition. */
  setCpuGroup(groupId: string): this;
}

export class ProcessorBuilderImpl implements ProcessorBuilder {
  #count: number | undefined;
  #clampToHost = false;
  #limit: number | undefined;
  #weight: number | undefined;
  #reservation: number | undefined;
  #cpuGroup: string | undefined;

  constructor(private readonly core: BuilderCore) {}

  setCount(count: number, options?: { readonly clampToHost?: boolean }): this {
    this.#count = count;
    this.#clampToHost = options?.clampToHost === true;
    return this;
  }

  setLimit(limit: number): this {
    this.#limit = limit;
    return this;
  }

  setWeight(weight: number): this {
    this.#weight = weight;
    return this;
  }

  setReservation(reservation: number): this {
    this.#reservation = reservation;
    return this;
  }

  setCpuGroup(groupId: string): this {
    this.#cpuGroup = groupId;
    return this;
  }

  get count(): number | undefined {
    return this.#count;
  }

  compose(): VirtualMachineProcessor {
    let count = this.#count;
    const hostCount = this.core.host.logicalProcessorCount;
    if (this.#clampToHost && isInteger(count) && isInteger(hostCount) && count > hostCount) {
      this.core.logger.warn({ count, hostCount }, `${count} processors exceed the host's ${hostCount} logical processors; using ${hostCount}.`);
      count = hostCount;
    }
    return withoutUndefined<VirtualMachineProcessor>({
      Count: count,
      Limit: this.#limit,
      Weight: this.#weight,
      Reservation: this.#reservation,
      CpuGroup: this.#cpuGroup === undefined ? undefined : { Id: lowerGuid(this.#cpuGroup) },
      NumaProcessorsSettings: undefined,
    });
  }
}
