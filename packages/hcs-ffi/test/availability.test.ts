import { describe, expect, it } from 'vitest';
import { HcsUnavailableError } from '@uvm/types';
import { hcsAvailability, openComputeCore } from '@uvm/hcs-ffi';
import { fakeComputeCore } from './native/fakeComputeCore.js';

describe('hcsAvailability', () => {
  it.runIf(process.platform !== 'win32')('says HCS is unavailable on a machine that is not Windows, and points at the simulator', () => {
    const availability = hcsAvailability();
    expect(availability).toMatchObject({ available: false, reason: 'not-windows' });
    expect(!availability.available && availability.message).toContain(`this machine runs ${process.platform}`);
    expect(!availability.available && availability.message).toContain("@uvm/sim's createHcsSimulator()");
  });

  it.runIf(process.platform !== 'win32')('makes openComputeCore throw HcsUnavailableError with that reason and message', () => {
    const availability = hcsAvailability();
    let error: unknown;
    try {
      openComputeCore();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HcsUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_UVM_HCS_UNAVAILABLE', reason: 'not-windows', message: !availability.available && availability.message });
  });

  it('checks only that a library given by path exists and loads', () => {
    expect(hcsAvailability({ libraryPath: fakeComputeCore().libraryPath })).toEqual({ available: true });
    expect(hcsAvailability({ libraryPath: '/nonexistent/computecore.so' })).toMatchObject({ available: false, reason: 'library-missing' });
    expect(hcsAvailability({ libraryPath: import.meta.filename })).toMatchObject({ available: false, reason: 'load-failed' });
  });
});
