import { HcsUnavailableError, type Hcs } from '@uvm/types';

let shared: Promise<Hcs> | undefined;

/**
 * The process-wide computecore.dll backend, opened on first use. `@uvm/hcs-ffi` (and koffi with it)
 * is loaded only here, so a caller that passes its own `Hcs` (the simulator) never loads native code.
 * Rejects with HcsUnavailableError saying why HCS cannot be used and how to use the simulator.
 */
export function defaultHcs(): Promise<Hcs> {
  shared ??= open();
  return shared;
}

async function open(): Promise<Hcs> {
  try {
    const { openComputeCore } = await import('@uvm/hcs-ffi');
    return openComputeCore();
  } catch (error) {
    shared = undefined;
    if (error instanceof HcsUnavailableError) {
      throw new HcsUnavailableError(
        error.reason,
        `${error.message} With UtilityVM: UtilityVM.create(id, document, { hcs: createHcsSimulator() }).`,
        { cause: error },
      );
    }
    throw error;
  }
}
