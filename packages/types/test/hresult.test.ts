import { describe, expect, it } from 'vitest';
import {
  KNOWN_HRESULTS,
  describeHResult,
  facilityOf,
  formatHResult,
  hresultFromWin32,
  hresultHex,
  hresultName,
  isAccessDenied,
  isAlreadyStopped,
  isFailure,
  isInvalidState,
  isNotExist,
  isNotSupported,
  isPending,
  isVmNotAvailable,
  sameHResult,
  toHResult,
  win32FromHResult,
} from '@uvm/types';

// Every HRESULT the spec names, with the name a person should see. hcs-host.md §1.6 gives some
// in hcsshim's post-conversion form (0x490 for 0x80070490); those are listed as given.
const HCS_HOST_1_6: readonly [number, string][] = [
  [0xc037010e, 'ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND'],
  [0x490, 'ERROR_NOT_FOUND'],
  [0x32, 'ERROR_NOT_SUPPORTED'],
  [0xd, 'ERROR_INVALID_DATA'],
  [0xc0370110, 'ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED'],
  [0x80370110, 'HCS_E_SYSTEM_ALREADY_STOPPED'],
  [0xc0370103, 'ERROR_VMCOMPUTE_OPERATION_PENDING'],
  [0xc0370105, 'ERROR_VMCOMPUTE_INVALID_STATE'],
  [0x80370105, 'HCS_E_INVALID_STATE'],
  [0x7f, 'ERROR_PROC_NOT_FOUND'],
  [0x5, 'ERROR_ACCESS_DENIED'],
  [0xc037010d, 'ERROR_VMCOMPUTE_INVALID_JSON'],
  [0xc037010b, 'ERROR_VMCOMPUTE_UNKNOWN_MESSAGE'],
  [0xc0370106, 'ERROR_VMCOMPUTE_UNEXPECTED_EXIT'],
  [0x8037011f, 'HCS_E_PROCESS_ALREADY_STOPPED'],
  [0x6, 'ERROR_INVALID_HANDLE'],
  [0x80370118, 'HCS_E_OPERATION_TIMEOUT'],
];

const ECOSYSTEM_2_2: readonly [number, string][] = [
  [0x80370100, 'HCS_E_TERMINATED_DURING_START'],
  [0x80370102, 'HCS_E_HYPERV_NOT_INSTALLED'],
  [0x80370105, 'HCS_E_INVALID_STATE'],
  [0x80370106, 'HCS_E_UNEXPECTED_EXIT'],
  [0x80370107, 'HCS_E_TERMINATED'],
  [0x80370108, 'HCS_E_CONNECT_FAILED'],
  [0x80370109, 'HCS_E_CONNECTION_TIMEOUT'],
  [0x8037010a, 'HCS_E_CONNECTION_CLOSED'],
  [0x8037010d, 'HCS_E_INVALID_JSON'],
  [0x8037010e, 'HCS_E_SYSTEM_NOT_FOUND'],
  [0x8037010f, 'HCS_E_SYSTEM_ALREADY_EXISTS'],
  [0x80370110, 'HCS_E_SYSTEM_ALREADY_STOPPED'],
  [0x80370114, 'HCS_E_SERVICE_NOT_AVAILABLE'],
  [0x80370117, 'HCS_E_OPERATION_PENDING'],
  [0x80370118, 'HCS_E_OPERATION_TIMEOUT'],
  [0x80370119, 'HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET'],
  [0x8037011b, 'HCS_E_ACCESS_DENIED'],
  [0x8037011c, 'HCS_E_GUEST_CRITICAL_ERROR'],
  [0x8037011e, 'HCS_E_SERVICE_DISCONNECT'],
  [0x8037011f, 'HCS_E_PROCESS_ALREADY_STOPPED'],
];

// gcs-bridge.md §3.19, as the GCS sends them: signed 32-bit numbers.
const GCS_BRIDGE_3_19: readonly [number, string][] = [
  [-2147467263, 'E_NOTIMPL'],
  [-2147467259, 'E_FAIL'],
  [-2147023728, 'ERROR_NOT_FOUND'],
  [-2147024809, 'E_INVALIDARG'],
  [-1070137079, 'ERROR_VMCOMPUTE_TIMEOUT'],
  [-1070137077, 'ERROR_VMCOMPUTE_UNKNOWN_MESSAGE'],
  [-1070137076, 'ERROR_VMCOMPUTE_UNSUPPORTED_PROTOCOL_VERSION'],
  [-1070137075, 'ERROR_VMCOMPUTE_INVALID_JSON'],
  [-1070137074, 'ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND'],
  [-1070137073, 'ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS'],
  [-1070137072, 'ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED'],
  [-2143878907, 'HCS_E_INVALID_STATE'],
];

describe('the HRESULT table', () => {
  it.each([...HCS_HOST_1_6, ...ECOSYSTEM_2_2, ...GCS_BRIDGE_3_19])('names %i as %s', (value, name) => {
    expect(hresultName(value)).toBe(name);
    expect(describeHResult(value)?.description).toMatch(/\S/);
  });

  it('lists each value once, unsigned, with a name and a one-sentence description', () => {
    const values = KNOWN_HRESULTS.map((h) => h.value);
    expect(new Set(values).size).toBe(values.length);
    for (const info of KNOWN_HRESULTS) {
      expect(info.value).toBe(info.value >>> 0);
      expect(info.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(info.description).toMatch(/\.$/);
      if (info.hint !== undefined) expect(info.hint).toMatch(/\.$/);
    }
  });

  it('names the newest HCS code too (winerror.h, past the spec lists)', () => {
    expect(formatHResult(0x80370120)).toBe('0x80370120 (HCS_E_SYSTEM_NOT_CONFIGURED_FOR_OPERATION)');
  });

  it('uses one name per value', () => {
    const names = KNOWN_HRESULTS.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('formatHResult', () => {
  it('shows a signed HRESULT as eight upper-case hex digits and its name', () => {
    expect(formatHResult(-2143878898)).toBe('0x8037010E (HCS_E_SYSTEM_NOT_FOUND)');
  });

  it('names both severities of an HCS code', () => {
    expect(formatHResult(0x8037010e)).toBe('0x8037010E (HCS_E_SYSTEM_NOT_FOUND)');
    expect(formatHResult(0xc037010e)).toBe('0xC037010E (ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND)');
  });

  it('shows facility-7 Win32 codes in full, whether given as an HRESULT or bare as hcsshim stores them', () => {
    expect(formatHResult(0x80070490)).toBe('0x80070490 (ERROR_NOT_FOUND)');
    expect(formatHResult(0x490)).toBe('0x80070490 (ERROR_NOT_FOUND)');
    expect(formatHResult(-2147023728)).toBe('0x80070490 (ERROR_NOT_FOUND)');
  });

  it('shows an unknown Win32 code with its decimal number and an unknown HRESULT as hex alone', () => {
    expect(formatHResult(0x800704c7)).toBe('0x800704C7 (Win32 error 1223)');
    expect(formatHResult(0x8badf00d)).toBe('0x8BADF00D');
  });

  it('pads small values to eight digits', () => {
    expect(formatHResult(0)).toBe('0x00000000 (S_OK)');
    expect(hresultHex(0x10000)).toBe('0x00010000');
  });
});

describe('toHResult and the Win32 helpers', () => {
  it('turns a value that is no HRESULT into E_FAIL rather than throwing', () => {
    expect(toHResult(Number.NaN)).toBe(0x80004005);
    expect(toHResult(1.5)).toBe(0x80004005);
  });

  it('makes signed values unsigned and bare Win32 codes into facility-7 HRESULTs', () => {
    expect(toHResult(-1070137074)).toBe(0xc037010e);
    expect(toHResult(0x490)).toBe(0x80070490);
    expect(toHResult(0)).toBe(0);
  });

  it('converts between Win32 codes and HRESULTs both ways', () => {
    expect(hresultFromWin32(5)).toBe(0x80070005);
    expect(hresultFromWin32(0)).toBe(0);
    expect(win32FromHResult(0x80070005)).toBe(5);
    expect(win32FromHResult(0x5)).toBe(5);
    expect(win32FromHResult(0x8037010e)).toBeUndefined();
  });

  it('reads the facility and the severity', () => {
    expect(facilityOf(0x8037010e)).toBe(0x37);
    expect(facilityOf(0xc037010e)).toBe(0x37);
    expect(facilityOf(0x80070490)).toBe(7);
    expect(isFailure(-2143878898)).toBe(true);
    expect(isFailure(0)).toBe(false);
  });
});

describe('sameHResult and the predicates', () => {
  it('treat the two severities of an HCS code as the same error', () => {
    expect(sameHResult(0x8037010e, 0xc037010e)).toBe(true);
    expect(sameHResult(-2143878898, -1070137074)).toBe(true);
    expect(sameHResult(0x8037010e, 0x8037010f)).toBe(false);
  });

  it('treat a bare Win32 code and its HRESULT as the same error', () => {
    expect(sameHResult(0x490, 0x80070490)).toBe(true);
    expect(sameHResult(0x490, 0x80370490)).toBe(false);
  });

  it('recognise "does not exist" in either severity and as ERROR_NOT_FOUND', () => {
    for (const hr of [0x8037010e, 0xc037010e, -1070137074, 0x80070490, 0x490]) expect(isNotExist(hr)).toBe(true);
    expect(isNotExist(0x8037010f)).toBe(false);
  });

  it("follow hcsshim's classifiers of hcs-host.md §1.6", () => {
    for (const hr of [0xc0370110, 0x80370110, 0x8037011f, 0x490]) expect(isAlreadyStopped(hr)).toBe(true);
    for (const hr of [0xc037010d, 0xd, 0x32, 0xc037010b]) expect(isNotSupported(hr)).toBe(true);
    expect(isPending(0xc0370103)).toBe(true);
    expect(isPending(0x80370117)).toBe(true);
    expect(isInvalidState(0xc0370105)).toBe(true);
    expect(isInvalidState(0x80370105)).toBe(true);
    expect(isAccessDenied(5)).toBe(true);
    expect(isAccessDenied(0x8037011b)).toBe(true);
  });

  it('do not confuse unrelated failures', () => {
    expect(isAlreadyStopped(0x8037010e)).toBe(false);
    expect(isNotSupported(0x80004005)).toBe(false);
    expect(isPending(0)).toBe(false);
    expect(isAccessDenied(0x80070002)).toBe(false);
  });

  it('count a VM that is gone, stopped or in the wrong state as not available', () => {
    for (const hr of [0xc037010e, 0x490, 0xc0370110, 0x8037011f, 0xc0370105]) expect(isVmNotAvailable(hr)).toBe(true);
    expect(isVmNotAvailable(0x80070005)).toBe(false);
  });
});
