import type { VirtualMachineProcessor } from '@uvm/types';
import { lowerGuid } from './guidText.js';
import { withoutUndefined } from './values.js';

/** Virtual processors of the VM (hcs-host.md §4.2). */
export interface ProcessorBuilder {
  /** Virtual processors, 1 to the host's logical processor count. */
  setCount(count: number): this;
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
  #limit: number | undefined;
  #weight: number | undefined;
  #reservation: number | undefined;
  #cpuGroup: string | undefined;

  setCount(count: number): this {
    this.#count = count;
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
    return withoutUndefined<VirtualMachineProcessor>({
      Count: this.#count,
      Limit: this.#limit,
      Weight: this.#weight,
      Reservation: this.#reservation,
      CpuGroup: this.#cpuGroup === undefined ? undefined : { Id: lowerGuid(this.#cpuGroup) },
      NumaProcessorsSettings: undefined,
    });
  }
}
