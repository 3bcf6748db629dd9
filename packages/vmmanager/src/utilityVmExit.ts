import { HcsError, toHResult, type SystemExitStatus } from '@uvm/types';

/** How a utility VM ended. */
export interface UtilityVMExit {
  /** HCS's `ExitType`: `GracefulExit`, `ForcedExit`, `UnexpectedExit`, …; undefined when the service went away. */
  readonly exitType: string | undefined;
  /** The exit event's `Status` HRESULT (unsigned), when HCS sent one. */
  readonly status: number | undefined;
  /** True when nobody asked the VM to stop: it crashed, or the compute service disconnected. */
  readonly unexpected: boolean;
  /** Why an unexpected exit happened (an HcsError); undefined for a clean exit. */
  readonly error: Error | undefined;
  readonly stoppedTime: Date;
}

const ERROR_VMCOMPUTE_UNEXPECTED_EXIT = 0xc0370106;
const HCS_E_SERVICE_DISCONNECT = 0x8037011e;

/** The exit an HCS `SystemExited` event reports; `UnexpectedExit` carries ERROR_VMCOMPUTE_UNEXPECTED_EXIT as hcsshim does. */
export function exitFromEvent(systemId: string, status: SystemExitStatus, unexpected: boolean, stoppedTime: Date): UtilityVMExit {
  const hresult = status.Status === undefined ? undefined : toHResult(status.Status);
  const error = unexpected
    ? new HcsError({
        hresult: ERROR_VMCOMPUTE_UNEXPECTED_EXIT,
        operation: 'the utility VM',
        systemId,
        errorMessage: `The VM exited unexpectedly (ExitType ${status.ExitType ?? 'unknown'}${hresult === undefined || hresult === 0 ? '' : `, status 0x${hresult.toString(16).toUpperCase().padStart(8, '0')}`}).`,
      })
    : undefined;
  return { exitType: status.ExitType, status: hresult, unexpected, error, stoppedTime };
}

/** The compute service disconnected: the VM is gone from this process's point of view. */
export function exitFromServiceDisconnect(systemId: string, stoppedTime: Date): UtilityVMExit {
  return {
    exitType: undefined,
    status: undefined,
    unexpected: true,
    error: new HcsError({
      hresult: HCS_E_SERVICE_DISCONNECT,
      operation: 'the utility VM',
      systemId,
      errorMessage: 'Lost communication with the compute service; the VM can no longer be managed.',
    }),
    stoppedTime,
  };
}

/** The exit of a VM that had already stopped when it was opened. */
export function exitFromProperties(systemId: string, exitType: string | undefined, stoppedTime: Date): UtilityVMExit {
  return exitFromEvent(systemId, exitType === undefined ? {} : { ExitType: exitType }, exitType === 'UnexpectedExit', stoppedTime);
}
