import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionClosedError,
  GuestError,
  HcsError,
  HcsUnavailableError,
  ProtocolError,
  StateError,
  TimeoutError,
  UvmError,
  ValidationError,
  abortReason,
  isAbortError,
  throwIfAborted,
  type GcsErrorRecord,
} from '@uvm/types';

const SYSTEM = 'uvm-7c1f';

describe('HcsError', () => {
  it('reads as operation, system, what happened, HRESULT and hint, then one line per HCS event', () => {
    const error = new HcsError({
      hresult: -2143878898,
      operation: 'HcsOpenComputeSystem',
      systemId: SYSTEM,
      errorEvents: [
        { message: 'The system was not found.', provider: '17103e3f-3c6e-4677-bb17-3b267eb5be57', eventId: 12, source: 'vmcompute' },
        { message: 'Second event.' },
      ],
    });
    const [first, ...events] = error.message.split('\n');
    expect(first).toBe(
      `HcsOpenComputeSystem failed for compute system "${SYSTEM}": A virtual machine or container with the specified identifier does not exist. ` +
        '[0x8037010E (HCS_E_SYSTEM_NOT_FOUND)] The system may have exited and been cleaned up; list systems to see what exists.',
    );
    expect(events).toEqual([
      '  HCS event: The system was not found. (provider 17103e3f-3c6e-4677-bb17-3b267eb5be57, event id 12, source vmcompute)',
      '  HCS event: Second event.',
    ]);
  });

  it('keeps the HRESULT unsigned with its name, and the details as fields', () => {
    const cause = new Error('native');
    const error = new HcsError({ hresult: -2143878898, operation: 'HcsStartComputeSystem', systemId: SYSTEM, errorMessage: 'boom', cause });
    expect(error).toBeInstanceOf(UvmError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HcsError');
    expect(error.code).toBe('ERR_UVM_HCS');
    expect(error.hresult).toBe(0x8037010e);
    expect(error.hresultName).toBe('HCS_E_SYSTEM_NOT_FOUND');
    expect(error.operation).toBe('HcsStartComputeSystem');
    expect(error.systemId).toBe(SYSTEM);
    expect(error.errorMessage).toBe('boom');
    expect(error.errorEvents).toEqual([]);
    expect(error.cause).toBe(cause);
  });

  it("prefers HCS's own error message to the table's description", () => {
    const error = new HcsError({ hresult: 0x80370105, operation: 'HcsPauseComputeSystem', errorMessage: 'The VM is not running' });
    expect(error.message).toContain('HcsPauseComputeSystem failed: The VM is not running. [0x80370105 (HCS_E_INVALID_STATE)]');
  });

  it('falls back to the description when HCS gives an empty or blank error message', () => {
    for (const errorMessage of ['', '   ']) {
      const error = new HcsError({ hresult: 0x80370105, operation: 'HcsPauseComputeSystem', errorMessage });
      expect(error.message).toContain('failed: The requested virtual machine or container operation is not valid in the current state.');
      expect(error.message).not.toContain(': .');
    }
  });

  it('names the process and its system when both are known', () => {
    const error = new HcsError({ hresult: 0x8037011f, operation: 'HcsSignalProcess', systemId: SYSTEM, processId: 42 });
    expect(error.message).toContain(`HcsSignalProcess failed for process 42 in compute system "${SYSTEM}"`);
    expect(error.processId).toBe(42);
  });

  it('names the process even without its system', () => {
    const error = new HcsError({ hresult: 0x8037011f, operation: 'HcsSignalProcess', processId: 42 });
    expect(error.message).toContain('HcsSignalProcess failed for process 42:');
  });

  it('formats a bare Win32 code and an unknown HRESULT readably', () => {
    expect(new HcsError({ hresult: 0x490, operation: 'HcsOpenProcess' }).message).toContain('[0x80070490 (ERROR_NOT_FOUND)]');
    const unknown = new HcsError({ hresult: 0x8badf00d, operation: 'HcsModifyComputeSystem' });
    expect(unknown.message).toBe('HcsModifyComputeSystem failed: HCS returned an error. [0x8BADF00D]');
    expect(unknown.hresultName).toBeUndefined();
  });

  it('shows an event without a message as such', () => {
    const error = new HcsError({ hresult: 0x80004005, operation: 'HcsCreateComputeSystem', errorEvents: [{ eventId: 7 }, { message: '' }] });
    expect(error.message.split('\n').slice(1)).toEqual(['  HCS event: (no message) (event id 7)', '  HCS event: (no message)']);
  });
});

describe('GuestError', () => {
  const record: GcsErrorRecord = {
    Result: -1070137074,
    Message: 'container c1 not found',
    ModuleName: 'gcs',
    FileName: 'internal/guest/runtime/hcsv2/uvm.go',
    Line: 312,
    FunctionName: 'hcsv2.(*Host).GetCreatedContainer',
  };

  it('reads as guest operation, container, message, HRESULT and hint', () => {
    const error = new GuestError({ hresult: -1070137076, operation: 'NegotiateProtocol', guestMessage: 'no supported version' });
    expect(error.message).toBe(
      'guest NegotiateProtocol failed: no supported version. [0xC037010C (ERROR_VMCOMPUTE_UNSUPPORTED_PROTOCOL_VERSION)] ' +
        'The GCS must speak bridge protocol version 4; update the guest image.',
    );
    expect(error.code).toBe('ERR_UVM_GUEST');
    expect(error.name).toBe('GuestError');
    expect(error.hresult).toBe(0xc037010c);
  });

  it('names the container and lists where in the guest each error record came from', () => {
    const error = new GuestError({
      hresult: -1070137074,
      operation: 'SignalProcess',
      containerId: 'c1',
      guestMessage: 'container c1 not found',
      errorRecords: [record],
    });
    const [first, ...rest] = error.message.split('\n');
    expect(first).toContain('guest SignalProcess failed for container "c1": container c1 not found. [0xC037010E (ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND)]');
    expect(rest).toEqual([
      '  guest error record: container c1 not found (gcs, internal/guest/runtime/hcsv2/uvm.go:312, in hcsv2.(*Host).GetCreatedContainer)',
    ]);
    expect(error.errorRecords).toEqual([record]);
  });

  it('uses the first error record when the response has no ErrorMessage', () => {
    const error = new GuestError({ hresult: -2147467259, operation: 'ModifySettings', errorRecords: [{ ...record, Result: -2147467259, Message: 'mount failed' }] });
    expect(error.message.split('\n')[0]).toContain('guest ModifySettings failed: mount failed. [0x80004005 (E_FAIL)]');
  });

  it('leaves out an unknown line number and an empty file name', () => {
    const error = new GuestError({ hresult: -2147467259, operation: 'ModifySettings', errorRecords: [{ Result: -2147467259, Message: 'x', ModuleName: 'gcs-sidecar', FileName: '', Line: 4294967295 }] });
    expect(error.message.split('\n')[1]).toBe('  guest error record: x (gcs-sidecar)');
  });

  it("shows a record's HRESULT when it differs from the response's", () => {
    const error = new GuestError({ hresult: -2147467259, operation: 'ModifySettings', guestMessage: 'mount failed', errorRecords: [record] });
    expect(error.message.split('\n')[1]).toMatch(/GetCreatedContainer\) \[0xC037010E \(ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND\)\]$/);
  });

  it('falls back to the description when the guest message is empty', () => {
    const error = new GuestError({ hresult: -2147023728, operation: 'WaitForProcess', guestMessage: '' });
    expect(error.message).toContain('guest WaitForProcess failed: Element not found. [0x80070490 (ERROR_NOT_FOUND)]');
  });
});

describe('ValidationError', () => {
  it('lists every issue with its JSON pointer, and (root) for the value itself', () => {
    const error = new ValidationError('ComputeSystem', [
      { path: '', message: 'must be an object.' },
      { path: '/VirtualMachine/ComputeTopology/Memory/SizeInMB', message: 'must be at least 256.' },
    ]);
    expect(error.message).toBe(
      'ComputeSystem is invalid (2 problems):\n  (root): must be an object.\n  /VirtualMachine/ComputeTopology/Memory/SizeInMB: must be at least 256.',
    );
    expect(error.code).toBe('ERR_UVM_VALIDATION');
    expect(error.subject).toBe('ComputeSystem');
  });

  it('says "1 problem" for one issue', () => {
    expect(new ValidationError('x', [{ path: '/a', message: 'bad.' }]).message).toBe('x is invalid (1 problem):\n  /a: bad.');
  });

  it("keeps its issues when the caller's array changes later", () => {
    const issues = [{ path: '/a', message: 'bad.' }];
    const error = new ValidationError('x', issues);
    issues.push({ path: '/b', message: 'worse.' });
    expect(error.issues).toHaveLength(1);
  });
});

describe('the other error classes', () => {
  it('carry stable codes and names', () => {
    const cases: [UvmError, string, string][] = [
      [new StateError('start', 'closed', 'The VM is closed.'), 'ERR_UVM_STATE', 'StateError'],
      [new ConnectionClosedError('bridge closed'), 'ERR_UVM_CONNECTION_CLOSED', 'ConnectionClosedError'],
      [new ProtocolError('bad frame'), 'ERR_UVM_PROTOCOL', 'ProtocolError'],
      [new TimeoutError('start', 1000), 'ERR_UVM_TIMEOUT', 'TimeoutError'],
      [new AbortError(), 'ABORT_ERR', 'AbortError'],
      [new HcsUnavailableError('not-windows', 'HCS needs Windows; use @uvm/sim.'), 'ERR_UVM_HCS_UNAVAILABLE', 'HcsUnavailableError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(UvmError);
    }
  });

  it('say which operation timed out, after how long, and what to do', () => {
    const error = new TimeoutError('HcsStartComputeSystem', 240000);
    expect(error.message).toBe('HcsStartComputeSystem did not finish within 240000 ms. Raise timeoutMs if the host is slow.');
    expect(error.timeoutMs).toBe(240000);
  });

  it('keep the operation and state of a StateError', () => {
    const error = new StateError('start', 'closed', 'The VM is closed.');
    expect([error.operation, error.state, error.message]).toEqual(['start', 'closed', 'The VM is closed.']);
  });
});

describe('abort helpers', () => {
  it('reject with the reason when it is an Error, as fetch does', () => {
    const controller = new AbortController();
    controller.abort();
    expect(abortReason(controller.signal)).toBe(controller.signal.reason);
    expect(isAbortError(abortReason(controller.signal))).toBe(true);
  });

  it('wrap a reason that is not an Error in an AbortError naming the operation', () => {
    const controller = new AbortController();
    controller.abort('user pressed ^C');
    const error = abortReason(controller.signal, 'start');
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe('start was aborted.');
    expect(error.cause).toBe('user pressed ^C');
  });

  it('throw only once the signal has aborted', () => {
    expect(() => {
      throwIfAborted(undefined);
    }).not.toThrow();
    expect(() => {
      throwIfAborted(new AbortController().signal);
    }).not.toThrow();
    expect(() => {
      throwIfAborted(AbortSignal.abort('stop'), 'wait');
    }).toThrow('wait was aborted.');
  });

  it('recognise AbortSignal.timeout() as an abort, but not our own TimeoutError', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isAbortError(signal.reason)).toBe(true);
    expect(isAbortError(new TimeoutError('x', 1))).toBe(false);
    expect(isAbortError(new Error('x'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
  });
});
