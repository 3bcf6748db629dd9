import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, HcsUnavailableError, ValidationError } from '@uvm/types';
import { HCS_EXPORTS, loadHcsApi, type HcsApi, type HcsExportName } from '@uvm/hcs-ffi';
import { fakeComputeCore } from './native/fakeComputeCore.js';

const fake = fakeComputeCore();
const api = (): HcsApi => loadHcsApi({ libraryPath: fake.libraryPath, freeString: fake.freeString });

// Every function hcs-host.md §1.4 lists, by name.
const SPEC_EXPORTS = `HcsCreateOperation HcsCreateOperationWithNotifications HcsCloseOperation HcsGetOperationContext
  HcsSetOperationContext HcsGetComputeSystemFromOperation HcsGetProcessFromOperation HcsGetOperationType HcsGetOperationId
  HcsGetOperationResult HcsGetOperationResultAndProcessInfo HcsAddResourceToOperation HcsGetProcessorCompatibilityFromSavedState
  HcsWaitForOperationResult HcsWaitForOperationResultAndProcessInfo HcsSetOperationCallback HcsCancelOperation
  HcsGetOperationProperties HcsEnumerateComputeSystems HcsEnumerateComputeSystemsInNamespace HcsCreateComputeSystem
  HcsCreateComputeSystemInNamespace HcsOpenComputeSystem HcsOpenComputeSystemInNamespace HcsCloseComputeSystem
  HcsStartComputeSystem HcsShutDownComputeSystem HcsTerminateComputeSystem HcsCrashComputeSystem HcsPauseComputeSystem
  HcsResumeComputeSystem HcsSaveComputeSystem HcsGetComputeSystemProperties HcsModifyComputeSystem HcsWaitForComputeSystemExit
  HcsSetComputeSystemCallback HcsInitializeLiveMigrationOnSource HcsStartLiveMigrationOnSource HcsStartLiveMigrationTransfer
  HcsFinalizeLiveMigration HcsCancelLiveMigration HcsCreateProcess HcsOpenProcess HcsCloseProcess HcsTerminateProcess
  HcsSignalProcess HcsGetProcessInfo HcsGetProcessProperties HcsModifyProcess HcsSetProcessCallback HcsWaitForProcessExit
  HcsGetServiceProperties HcsModifyServiceSettings HcsSubmitWerReport HcsCreateEmptyGuestStateFile
  HcsCreateEmptyRuntimeStateFile HcsGrantVmAccess HcsRevokeVmAccess HcsGrantVmGroupAccess HcsRevokeVmGroupAccess`
  .split(/\s+/)
  .filter(Boolean);

afterEach(() => {
  expect(fake.unfreedStrings()).toBe(0);
  expect(fake.badFrees()).toBe(0);
  expect(fake.openHandles()).toBe(0);
});

describe('the raw computecore binding', () => {
  it('declares every export of hcs-host.md §1.4 exactly once, with char16_t strings and no wchar_t or long', () => {
    expect(Object.keys(HCS_EXPORTS).sort()).toEqual([...SPEC_EXPORTS].sort());
    for (const [name, spec] of Object.entries(HCS_EXPORTS)) {
      expect(spec.declaration).toContain(` ${name}(`);
      expect(spec.declaration).not.toMatch(/wchar_t|\blong\b|\bPCWSTR\b/);
    }
  });

  it('resolves every declaration against a library that exports the functions', () => {
    const table = api();
    for (const name of SPEC_EXPORTS) expect(table.hasExport(name as HcsExportName), name).toBe(true);
  });

  it('fails an export the library lacks only when it is called, with ERROR_PROC_NOT_FOUND naming it and the build that has it', async () => {
    const old = fakeComputeCore('old');
    const table = loadHcsApi({ libraryPath: old.libraryPath, freeString: old.freeString });
    expect(table.hasExport('HcsGetOperationProperties')).toBe(false);
    // Other exports keep working.
    const op = table.HcsCreateOperation(null, null)!;
    let error: unknown;
    try {
      table.HcsGetOperationProperties(op, null);
    } catch (e) {
      error = e;
    }
    table.HcsCloseOperation(op);
    expect(error).toBeInstanceOf(HcsError);
    const hcs = error as HcsError;
    expect(hcs.hresult).toBe(0x8007007f);
    expect(hcs.hresultName).toBe('ERROR_PROC_NOT_FOUND');
    expect(hcs.operation).toBe('HcsGetOperationProperties');
    expect(hcs.message).toContain('does not export HcsGetOperationProperties');
    expect(hcs.message).toContain('after Windows 10 1809 / Windows Server 2019 (build 17763)');
    await expect(table.async.HcsCreateComputeSystemInNamespace(null, 'x', '{}', op, null)).rejects.toMatchObject({ hresult: 0x8007007f });
  });

  it('round-trips UTF-16 text exactly, non-BMP characters and embedded JSON included, and frees the returned string', () => {
    const table = api();
    const query = '{"PropertyTypes":["Basic"],"Name":"héllo 🌍 \u{1f600} \\"quoted\\" \u4e2d文","Nested":{"a":[1,2,{"b":null}]}}';
    const result = table.HcsGetServiceProperties(query);
    expect(result.hresult).toBe(0);
    expect(result.document).toBe(`{"Properties":[${query}]}`);
    expect(JSON.parse(result.document!)).toEqual({ Properties: [JSON.parse(query)] });
  });

  it('returns handles and documents through out-params and the HRESULT as a signed number', async () => {
    const table = api();
    const op = table.HcsCreateOperation(null, null)!;
    const created = table.HcsCreateComputeSystem('raw-out-params', '{"Owner":"test"}', op, null);
    expect(created.hresult).toBe(0);
    expect(typeof created.handle).toBe('bigint');
    const waited = await table.async.HcsWaitForOperationResult(op, 5000);
    expect(waited).toEqual({ hresult: 0, document: undefined });
    table.HcsCloseOperation(op);
    const again = table.HcsCreateOperation(null, null)!;
    const duplicate = table.HcsCreateComputeSystem('raw-out-params', '{}', again, null);
    expect(duplicate.hresult).toBe(0x8037010f | 0);
    expect(duplicate.handle).toBeNull();
    const failed = table.HcsGetOperationResult(again);
    expect(JSON.parse(failed.document!)).toMatchObject({ Error: 0x8037010f | 0, ErrorEvents: [{ EventId: 42 }] });
    table.HcsCloseOperation(again);
    await table.async.HcsCloseComputeSystem(created.handle!);
  });

  it('reports operation facts (id, type, context, system) through the operation getters', async () => {
    const table = api();
    const op = table.HcsCreateOperation(7n, null)!;
    expect(table.HcsGetOperationContext(op)).toBe(7n);
    expect(table.HcsSetOperationContext(op, 9n)).toBe(0);
    expect(table.HcsGetOperationContext(op)).toBe(9n);
    expect(typeof table.HcsGetOperationId(op)).toBe('bigint');
    expect(table.HcsGetOperationType(op)).toBe(-1);
    expect(table.HcsAddResourceToOperation(op, 4, 'hcs:/VirtualMachine/LiveMigrationSocket', null)).toBe(0);
    const created = table.HcsCreateComputeSystem('raw-getters', '{}', op, null);
    expect(table.HcsGetOperationType(op)).toBe(1);
    expect(table.HcsGetComputeSystemFromOperation(op)).toBe(created.handle);
    expect(table.HcsGetProcessFromOperation(op)).toBeNull();
    expect((await table.async.HcsWaitForOperationResultAndProcessInfo(op, 5000)).hresult).toBe(0);
    table.HcsCloseOperation(op);
    await table.async.HcsCloseComputeSystem(created.handle!);
  });

  it('turns an argument of the wrong type into a ValidationError that quotes the C signature', () => {
    const table = api();
    let error: unknown;
    try {
      (table.HcsGetServiceProperties as (q: unknown) => unknown)(42);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('HcsGetServiceProperties(const char16_t *propertyQuery, _Out_ void **result)');
  });

  it('refuses to load a library that does not exist with HcsUnavailableError', () => {
    expect(() => loadHcsApi({ libraryPath: '/nonexistent/computecore.so', freeString: 'LocalFree' })).toThrow(HcsUnavailableError);
  });

  it('requires a freer for a library that is not Windows computecore.dll, and a valid one', () => {
    expect(() => loadHcsApi({ libraryPath: fake.libraryPath })).toThrow(/freeString is required/);
    expect(() => loadHcsApi({ libraryPath: fake.libraryPath, freeString: { library: fake.libraryPath, symbol: 'free me' } })).toThrow(ValidationError);
    expect(() => loadHcsApi({ libraryPath: fake.libraryPath, freeString: { library: fake.libraryPath, symbol: 'NoSuchFree' } })).toThrow(HcsUnavailableError);
  });
});
