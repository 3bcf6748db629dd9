import type { Hcs } from '@uvm/types';
import { createHcsSimulator, type HcsSimulator, type HcsSimulatorOptions } from '@uvm/sim';

/** One call a UtilityVM made to its backend. */
export interface RecordedCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The simulator, with every call recorded in order. */
export interface RecordingSimulator {
  readonly sim: HcsSimulator;
  /** Pass this to UtilityVM: it is the simulator, recording. */
  readonly hcs: Hcs;
  readonly calls: RecordedCall[];
  /** The request documents of every HcsModifyComputeSystem call, as sent. */
  modifyRequests(): unknown[];
}

export function recordingSimulator(options?: HcsSimulatorOptions): RecordingSimulator {
  const sim = createHcsSimulator(options);
  const calls: RecordedCall[] = [];
  const hcs = new Proxy(sim, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    sim,
    hcs,
    calls,
    modifyRequests: () => calls.filter((c) => c.method === 'modifyComputeSystem').map((c) => c.args[1]),
  };
}
