import { release } from 'node:os';
import koffi, { type LibraryHandle } from 'koffi';
import { HcsError, HcsUnavailableError, ValidationError } from '@uvm/types';
// The prototype strings below name the types this module registers.
import './nativeTypes.js';
import { toError } from './toError.js';

// The native surface of computecore.dll: every export of hcs-host.md §1.4, declared once with its C
// signature and resolved on first use. PWSTR* out-params are declared `void **` so the binding gets
// the pointer itself, decodes the UTF-16 and gives the memory back with the configured freer.

declare const handleKind: unique symbol;
/** An `HCS_SYSTEM` handle (a pointer, as koffi passes it). Never forge one: a wrong handle crashes the process. */
export type HcsSystemHandle = bigint & { readonly [handleKind]: 'HCS_SYSTEM' };
/** An `HCS_PROCESS` handle. */
export type HcsProcessHandle = bigint & { readonly [handleKind]: 'HCS_PROCESS' };
/** An `HCS_OPERATION` handle. */
export type HcsOperationHandle = bigint & { readonly [handleKind]: 'HCS_OPERATION' };

/** The HRESULT of a call that also returns a document (a PWSTR* out-param), already decoded and freed. */
export interface HcsDocumentResult {
  /** Signed, as HCS returns it: negative means failure. */
  readonly hresult: number;
  /** The document, or undefined when HCS left the out-pointer NULL. */
  readonly document: string | undefined;
}

/** The HRESULT of a call that returns a handle through an out-param. */
export interface HcsHandleResult<H> {
  readonly hresult: number;
  readonly handle: H | null;
}

/** `HCS_PROCESS_INFORMATION`; a std handle is null when absent (0 or INVALID_HANDLE_VALUE). */
export interface HcsProcessInformation {
  readonly processId: number;
  readonly stdInput: bigint | null;
  readonly stdOutput: bigint | null;
  readonly stdError: bigint | null;
}

export interface HcsProcessInfoResult extends HcsDocumentResult {
  readonly processInformation: HcsProcessInformation;
}

type Context = bigint | null;
type Callback = bigint | null;

/**
 * Every computecore.dll export, named as in the C header. Arguments follow the C signature with the
 * out-params removed; their values come back in the result object instead. String arguments are JS
 * strings (sent as UTF-16); handles, contexts and registered callbacks are BigInts (or null).
 */
export interface HcsApiFunctions {
  HcsCreateOperation(context: Context, callback: Callback): HcsOperationHandle | null;
  HcsCreateOperationWithNotifications(eventTypes: number, context: Context, callback: Callback): HcsOperationHandle | null;
  HcsCloseOperation(operation: HcsOperationHandle): void;
  HcsGetOperationContext(operation: HcsOperationHandle): bigint | null;
  HcsSetOperationContext(operation: HcsOperationHandle, context: Context): number;
  HcsGetComputeSystemFromOperation(operation: HcsOperationHandle): HcsSystemHandle | null;
  HcsGetProcessFromOperation(operation: HcsOperationHandle): HcsProcessHandle | null;
  HcsGetOperationType(operation: HcsOperationHandle): number;
  HcsGetOperationId(operation: HcsOperationHandle): bigint;
  HcsGetOperationResult(operation: HcsOperationHandle): HcsDocumentResult;
  HcsGetOperationResultAndProcessInfo(operation: HcsOperationHandle): HcsProcessInfoResult;
  HcsAddResourceToOperation(operation: HcsOperationHandle, type: number, uri: string, handle: bigint | null): number;
  HcsGetProcessorCompatibilityFromSavedState(runtimeFileName: string): HcsDocumentResult;
  HcsWaitForOperationResult(operation: HcsOperationHandle, timeoutMs: number): HcsDocumentResult;
  HcsWaitForOperationResultAndProcessInfo(operation: HcsOperationHandle, timeoutMs: number): HcsProcessInfoResult;
  HcsSetOperationCallback(operation: HcsOperationHandle, context: Context, callback: Callback): number;
  HcsCancelOperation(operation: HcsOperationHandle): number;
  HcsGetOperationProperties(operation: HcsOperationHandle, options: string | null): HcsDocumentResult;

  HcsEnumerateComputeSystems(query: string | null, operation: HcsOperationHandle): number;
  HcsEnumerateComputeSystemsInNamespace(idNamespace: string | null, query: string | null, operation: HcsOperationHandle): number;
  HcsCreateComputeSystem(id: string, configuration: string, operation: HcsOperationHandle, securityDescriptor: null): HcsHandleResult<HcsSystemHandle>;
  HcsCreateComputeSystemInNamespace(
    idNamespace: string | null,
    id: string,
    configuration: string,
    operation: HcsOperationHandle,
    options: bigint | null,
  ): HcsHandleResult<HcsSystemHandle>;
  HcsOpenComputeSystem(id: string, requestedAccess: number): HcsHandleResult<HcsSystemHandle>;
  HcsOpenComputeSystemInNamespace(idNamespace: string | null, id: string, requestedAccess: number): HcsHandleResult<HcsSystemHandle>;
  HcsCloseComputeSystem(computeSystem: HcsSystemHandle): void;
  HcsStartComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsShutDownComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsTerminateComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsCrashComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsPauseComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsResumeComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsSaveComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsGetComputeSystemProperties(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, propertyQuery: string | null): number;
  HcsModifyComputeSystem(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, configuration: string, identity: bigint | null): number;
  HcsWaitForComputeSystemExit(computeSystem: HcsSystemHandle, timeoutMs: number): HcsDocumentResult;
  HcsSetComputeSystemCallback(computeSystem: HcsSystemHandle, callbackOptions: number, context: Context, callback: Callback): number;
  HcsInitializeLiveMigrationOnSource(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsStartLiveMigrationOnSource(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsStartLiveMigrationTransfer(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsFinalizeLiveMigration(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsCancelLiveMigration(computeSystem: HcsSystemHandle, operation: HcsOperationHandle, options: string | null): number;

  HcsCreateProcess(
    computeSystem: HcsSystemHandle,
    processParameters: string,
    operation: HcsOperationHandle,
    securityDescriptor: null,
  ): HcsHandleResult<HcsProcessHandle>;
  HcsOpenProcess(computeSystem: HcsSystemHandle, processId: number, requestedAccess: number): HcsHandleResult<HcsProcessHandle>;
  HcsCloseProcess(process: HcsProcessHandle): void;
  HcsTerminateProcess(process: HcsProcessHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsSignalProcess(process: HcsProcessHandle, operation: HcsOperationHandle, options: string | null): number;
  HcsGetProcessInfo(process: HcsProcessHandle, operation: HcsOperationHandle): number;
  HcsGetProcessProperties(process: HcsProcessHandle, operation: HcsOperationHandle, propertyQuery: string | null): number;
  HcsModifyProcess(process: HcsProcessHandle, operation: HcsOperationHandle, settings: string): number;
  HcsSetProcessCallback(process: HcsProcessHandle, callbackOptions: number, context: Context, callback: Callback): number;
  HcsWaitForProcessExit(process: HcsProcessHandle, timeoutMs: number): HcsDocumentResult;

  HcsGetServiceProperties(propertyQuery: string | null): HcsDocumentResult;
  HcsModifyServiceSettings(settings: string): HcsDocumentResult;
  HcsSubmitWerReport(settings: string): number;
  HcsCreateEmptyGuestStateFile(guestStateFilePath: string): number;
  HcsCreateEmptyRuntimeStateFile(runtimeStateFilePath: string): number;
  HcsGrantVmAccess(vmId: string, filePath: string): number;
  HcsRevokeVmAccess(vmId: string, filePath: string): number;
  HcsGrantVmGroupAccess(filePath: string): number;
  HcsRevokeVmGroupAccess(filePath: string): number;
}

/** The name of a computecore.dll export. */
export type HcsExportName = keyof HcsApiFunctions;

/** The same functions run on the libuv thread pool, for the ones that may block (waits, closes, service RPCs). */
export type HcsApiAsync = {
  readonly [K in HcsExportName]: (...args: Parameters<HcsApiFunctions[K]>) => Promise<ReturnType<HcsApiFunctions[K]>>;
};

/**
 * The raw binding of computecore.dll (hcs-host.md §1.4), for callers that need an export the `Hcs`
 * interface does not cover. Exports resolve on first use; one this Windows build lacks throws an
 * `HcsError` (ERROR_PROC_NOT_FOUND) naming it when called, and never earlier.
 */
export interface HcsApi extends HcsApiFunctions {
  /** The library this table was loaded from. */
  readonly libraryPath: string;
  /** Every export, run on the libuv pool instead of the calling thread. */
  readonly async: HcsApiAsync;
  /** Whether the library has the export (resolving it if needed), like the SDK's `IsHcsXxxPresent`. */
  hasExport(name: HcsExportName): boolean;
}

/**
 * How to free the strings computecore.dll returns: `CoTaskMemFree` (what hcsshim does, the default),
 * `LocalFree` (what the HCS documentation says), or a `void f(void *)` export of another library.
 */
export type FreeStringOption = 'CoTaskMemFree' | 'LocalFree' | { readonly library: string; readonly symbol: string };

/** Options for {@link loadHcsApi}. */
export interface LoadHcsApiOptions {
  /** Path of the library; default `%SystemRoot%\System32\computecore.dll`. */
  readonly libraryPath?: string;
  /** How returned strings are freed; required when the library is not Windows' computecore.dll. */
  readonly freeString?: FreeStringOption;
}

type OutParams = 'none' | 'document' | 'handle' | 'processInfoAndDocument' | 'uint64';
type Since = 'rs5' | 'later';

interface ExportSpec {
  readonly declaration: string;
  readonly out: OutParams;
  readonly since: Since;
}

const op = 'HCS_OPERATION operation';
const sys = 'HCS_SYSTEM computeSystem';
const proc = 'HCS_PROCESS process';
const docOut = '_Out_ void **resultDocument';
const systemCall = (name: string, since: Since = 'rs5'): ExportSpec => ({
  declaration: `HRESULT __stdcall ${name}(${sys}, ${op}, const char16_t *options)`,
  out: 'none',
  since,
});
const processCall = (name: string, last: string): ExportSpec => ({
  declaration: `HRESULT __stdcall ${name}(${proc}, ${op}, ${last})`,
  out: 'none',
  since: 'rs5',
});

/** Every export with its C signature; `since: 'later'` marks the ones Windows 10 1809 / Server 2019 did not document. */
export const HCS_EXPORTS: { readonly [K in HcsExportName]: ExportSpec } = Object.freeze({
  HcsCreateOperation: {
    declaration: 'HCS_OPERATION __stdcall HcsCreateOperation(const void *context, HCS_OPERATION_COMPLETION *callback)',
    out: 'none',
    since: 'rs5',
  },
  HcsCreateOperationWithNotifications: {
    declaration:
      'HCS_OPERATION __stdcall HcsCreateOperationWithNotifications(uint32_t eventTypes, const void *context, HCS_EVENT_CALLBACK *callback)',
    out: 'none',
    since: 'later',
  },
  HcsCloseOperation: { declaration: `void __stdcall HcsCloseOperation(${op})`, out: 'none', since: 'rs5' },
  HcsGetOperationContext: { declaration: `void * __stdcall HcsGetOperationContext(${op})`, out: 'none', since: 'rs5' },
  HcsSetOperationContext: { declaration: `HRESULT __stdcall HcsSetOperationContext(${op}, void *context)`, out: 'none', since: 'rs5' },
  HcsGetComputeSystemFromOperation: {
    declaration: `HCS_SYSTEM __stdcall HcsGetComputeSystemFromOperation(${op})`,
    out: 'none',
    since: 'rs5',
  },
  HcsGetProcessFromOperation: { declaration: `HCS_PROCESS __stdcall HcsGetProcessFromOperation(${op})`, out: 'none', since: 'rs5' },
  HcsGetOperationType: { declaration: `int32_t __stdcall HcsGetOperationType(${op})`, out: 'none', since: 'rs5' },
  HcsGetOperationId: { declaration: `uint64_t __stdcall HcsGetOperationId(${op})`, out: 'uint64', since: 'rs5' },
  HcsGetOperationResult: { declaration: `HRESULT __stdcall HcsGetOperationResult(${op}, ${docOut})`, out: 'document', since: 'rs5' },
  HcsGetOperationResultAndProcessInfo: {
    declaration: `HRESULT __stdcall HcsGetOperationResultAndProcessInfo(${op}, _Out_ HCS_PROCESS_INFORMATION *processInformation, ${docOut})`,
    out: 'processInfoAndDocument',
    since: 'rs5',
  },
  HcsAddResourceToOperation: {
    declaration: `HRESULT __stdcall HcsAddResourceToOperation(${op}, uint32_t type, const char16_t *uri, HANDLE handle)`,
    out: 'none',
    since: 'rs5',
  },
  HcsGetProcessorCompatibilityFromSavedState: {
    declaration:
      'HRESULT __stdcall HcsGetProcessorCompatibilityFromSavedState(const char16_t *runtimeFileName, _Out_ void **processorFeaturesString)',
    out: 'document',
    since: 'rs5',
  },
  HcsWaitForOperationResult: {
    declaration: `HRESULT __stdcall HcsWaitForOperationResult(${op}, uint32_t timeoutMs, ${docOut})`,
    out: 'document',
    since: 'rs5',
  },
  HcsWaitForOperationResultAndProcessInfo: {
    declaration: `HRESULT __stdcall HcsWaitForOperationResultAndProcessInfo(${op}, uint32_t timeoutMs, _Out_ HCS_PROCESS_INFORMATION *processInformation, ${docOut})`,
    out: 'processInfoAndDocument',
    since: 'rs5',
  },
  HcsSetOperationCallback: {
    declaration: `HRESULT __stdcall HcsSetOperationCallback(${op}, const void *context, HCS_OPERATION_COMPLETION *callback)`,
    out: 'none',
    since: 'rs5',
  },
  HcsCancelOperation: { declaration: `HRESULT __stdcall HcsCancelOperation(${op})`, out: 'none', since: 'rs5' },
  HcsGetOperationProperties: {
    declaration: `HRESULT __stdcall HcsGetOperationProperties(${op}, const char16_t *options, ${docOut})`,
    out: 'document',
    since: 'later',
  },

  HcsEnumerateComputeSystems: {
    declaration: `HRESULT __stdcall HcsEnumerateComputeSystems(const char16_t *query, ${op})`,
    out: 'none',
    since: 'rs5',
  },
  HcsEnumerateComputeSystemsInNamespace: {
    declaration: `HRESULT __stdcall HcsEnumerateComputeSystemsInNamespace(const char16_t *idNamespace, const char16_t *query, ${op})`,
    out: 'none',
    since: 'later',
  },
  HcsCreateComputeSystem: {
    declaration: `HRESULT __stdcall HcsCreateComputeSystem(const char16_t *id, const char16_t *configuration, ${op}, const void *securityDescriptor, _Out_ HCS_SYSTEM *computeSystem)`,
    out: 'handle',
    since: 'rs5',
  },
  HcsCreateComputeSystemInNamespace: {
    declaration: `HRESULT __stdcall HcsCreateComputeSystemInNamespace(const char16_t *idNamespace, const char16_t *id, const char16_t *configuration, ${op}, const void *options, _Out_ HCS_SYSTEM *computeSystem)`,
    out: 'handle',
    since: 'later',
  },
  HcsOpenComputeSystem: {
    declaration: 'HRESULT __stdcall HcsOpenComputeSystem(const char16_t *id, uint32_t requestedAccess, _Out_ HCS_SYSTEM *computeSystem)',
    out: 'handle',
    since: 'rs5',
  },
  HcsOpenComputeSystemInNamespace: {
    declaration:
      'HRESULT __stdcall HcsOpenComputeSystemInNamespace(const char16_t *idNamespace, const char16_t *id, uint32_t requestedAccess, _Out_ HCS_SYSTEM *computeSystem)',
    out: 'handle',
    since: 'later',
  },
  HcsCloseComputeSystem: { declaration: `void __stdcall HcsCloseComputeSystem(${sys})`, out: 'none', since: 'rs5' },
  HcsStartComputeSystem: systemCall('HcsStartComputeSystem'),
  HcsShutDownComputeSystem: systemCall('HcsShutDownComputeSystem'),
  HcsTerminateComputeSystem: systemCall('HcsTerminateComputeSystem'),
  HcsCrashComputeSystem: systemCall('HcsCrashComputeSystem'),
  HcsPauseComputeSystem: systemCall('HcsPauseComputeSystem'),
  HcsResumeComputeSystem: systemCall('HcsResumeComputeSystem'),
  HcsSaveComputeSystem: systemCall('HcsSaveComputeSystem'),
  HcsGetComputeSystemProperties: {
    declaration: `HRESULT __stdcall HcsGetComputeSystemProperties(${sys}, ${op}, const char16_t *propertyQuery)`,
    out: 'none',
    since: 'rs5',
  },
  HcsModifyComputeSystem: {
    declaration: `HRESULT __stdcall HcsModifyComputeSystem(${sys}, ${op}, const char16_t *configuration, HANDLE identity)`,
    out: 'none',
    since: 'rs5',
  },
  HcsWaitForComputeSystemExit: {
    declaration: `HRESULT __stdcall HcsWaitForComputeSystemExit(${sys}, uint32_t timeoutMs, _Out_ void **result)`,
    out: 'document',
    since: 'rs5',
  },
  HcsSetComputeSystemCallback: {
    declaration: `HRESULT __stdcall HcsSetComputeSystemCallback(${sys}, uint32_t callbackOptions, const void *context, HCS_EVENT_CALLBACK *callback)`,
    out: 'none',
    since: 'rs5',
  },
  HcsInitializeLiveMigrationOnSource: systemCall('HcsInitializeLiveMigrationOnSource', 'later'),
  HcsStartLiveMigrationOnSource: systemCall('HcsStartLiveMigrationOnSource', 'later'),
  HcsStartLiveMigrationTransfer: systemCall('HcsStartLiveMigrationTransfer', 'later'),
  HcsFinalizeLiveMigration: systemCall('HcsFinalizeLiveMigration', 'later'),
  HcsCancelLiveMigration: systemCall('HcsCancelLiveMigration', 'later'),

  HcsCreateProcess: {
    declaration: `HRESULT __stdcall HcsCreateProcess(${sys}, const char16_t *processParameters, ${op}, const void *securityDescriptor, _Out_ HCS_PROCESS *process)`,
    out: 'handle',
    since: 'rs5',
  },
  HcsOpenProcess: {
    declaration: `HRESULT __stdcall HcsOpenProcess(${sys}, uint32_t processId, uint32_t requestedAccess, _Out_ HCS_PROCESS *process)`,
    out: 'handle',
    since: 'rs5',
  },
  HcsCloseProcess: { declaration: `void __stdcall HcsCloseProcess(${proc})`, out: 'none', since: 'rs5' },
  HcsTerminateProcess: processCall('HcsTerminateProcess', 'const char16_t *options'),
  HcsSignalProcess: processCall('HcsSignalProcess', 'const char16_t *options'),
  HcsGetProcessInfo: { declaration: `HRESULT __stdcall HcsGetProcessInfo(${proc}, ${op})`, out: 'none', since: 'rs5' },
  HcsGetProcessProperties: processCall('HcsGetProcessProperties', 'const char16_t *propertyQuery'),
  HcsModifyProcess: processCall('HcsModifyProcess', 'const char16_t *settings'),
  HcsSetProcessCallback: {
    declaration: `HRESULT __stdcall HcsSetProcessCallback(${proc}, uint32_t callbackOptions, void *context, HCS_EVENT_CALLBACK *callback)`,
    out: 'none',
    since: 'rs5',
  },
  HcsWaitForProcessExit: {
    declaration: `HRESULT __stdcall HcsWaitForProcessExit(${proc}, uint32_t timeoutMs, _Out_ void **result)`,
    out: 'document',
    since: 'rs5',
  },

  HcsGetServiceProperties: {
    declaration: 'HRESULT __stdcall HcsGetServiceProperties(const char16_t *propertyQuery, _Out_ void **result)',
    out: 'document',
    since: 'rs5',
  },
  HcsModifyServiceSettings: {
    declaration: 'HRESULT __stdcall HcsModifyServiceSettings(const char16_t *settings, _Out_ void **result)',
    out: 'document',
    since: 'rs5',
  },
  HcsSubmitWerReport: { declaration: 'HRESULT __stdcall HcsSubmitWerReport(const char16_t *settings)', out: 'none', since: 'rs5' },
  HcsCreateEmptyGuestStateFile: {
    declaration: 'HRESULT __stdcall HcsCreateEmptyGuestStateFile(const char16_t *guestStateFilePath)',
    out: 'none',
    since: 'rs5',
  },
  HcsCreateEmptyRuntimeStateFile: {
    declaration: 'HRESULT __stdcall HcsCreateEmptyRuntimeStateFile(const char16_t *runtimeStateFilePath)',
    out: 'none',
    since: 'rs5',
  },
  HcsGrantVmAccess: {
    declaration: 'HRESULT __stdcall HcsGrantVmAccess(const char16_t *vmId, const char16_t *filePath)',
    out: 'none',
    since: 'rs5',
  },
  HcsRevokeVmAccess: {
    declaration: 'HRESULT __stdcall HcsRevokeVmAccess(const char16_t *vmId, const char16_t *filePath)',
    out: 'none',
    since: 'rs5',
  },
  HcsGrantVmGroupAccess: { declaration: 'HRESULT __stdcall HcsGrantVmGroupAccess(const char16_t *filePath)', out: 'none', since: 'rs5' },
  HcsRevokeVmGroupAccess: { declaration: 'HRESULT __stdcall HcsRevokeVmGroupAccess(const char16_t *filePath)', out: 'none', since: 'rs5' },
});

const ERROR_PROC_NOT_FOUND = 0x8007007f;
const INVALID_HANDLE_VALUE = 0xffffffffffffffffn;

/** The default library: computecore.dll from System32, never from the working directory. */
export function defaultComputeCorePath(): string {
  const root = process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows';
  return `${root}\\System32\\computecore.dll`;
}

type KoffiFunction = ReturnType<LibraryHandle['func']>;
type Invoker = (...args: unknown[]) => unknown;

/**
 * Loads computecore.dll (or a library with the same exports) and returns its raw binding. Throws
 * `HcsUnavailableError` when the library cannot be loaded and `ValidationError` for bad options.
 */
export function loadHcsApi(options: LoadHcsApiOptions = {}): HcsApi {
  const libraryPath = options.libraryPath ?? defaultComputeCorePath();
  if (typeof libraryPath !== 'string' || libraryPath === '') {
    throw new ValidationError('loadHcsApi options', [{ path: '/libraryPath', message: 'libraryPath must be a non-empty path to computecore.dll or a library with its exports.' }]);
  }
  const freeString = options.freeString ?? (options.libraryPath === undefined || process.platform === 'win32' ? 'CoTaskMemFree' : undefined);
  if (freeString === undefined) {
    throw new ValidationError('loadHcsApi options', [
      {
        path: '/freeString',
        message:
          'freeString is required when libraryPath is not Windows\' computecore.dll: name the `void f(void *)` export that frees the ' +
          'strings the library returns, e.g. { library: libraryPath, symbol: "FakeFree" }.',
      },
    ]);
  }
  let library: LibraryHandle;
  try {
    library = koffi.load(libraryPath);
  } catch (error) {
    throw new HcsUnavailableError('library-missing', `Cannot load ${libraryPath}: ${(error as Error).message}`, { cause: error });
  }
  const free = loadFreer(freeString);
  return buildApi(library, libraryPath, free);
}

function loadFreer(option: FreeStringOption): (pointer: bigint) => void {
  const [path, declaration] =
    option === 'CoTaskMemFree'
      ? ['ole32.dll', 'void __stdcall CoTaskMemFree(void *pv)']
      : option === 'LocalFree'
        ? ['kernel32.dll', 'void * __stdcall LocalFree(void *hMem)']
        : typeof option === 'object' && typeof option.library === 'string' && typeof option.symbol === 'string' && /^\w+$/.test(option.symbol)
          ? [option.library, `void ${option.symbol}(void *pointer)`]
          : [undefined, undefined];
  if (path === undefined) {
    throw new ValidationError('loadHcsApi options', [
      { path: '/freeString', message: "freeString must be 'CoTaskMemFree', 'LocalFree' or { library, symbol } naming a `void f(void *)` export." },
    ]);
  }
  try {
    const fn = koffi.load(path).func(declaration) as (pointer: bigint) => void;
    return (pointer) => {
      fn(pointer);
    };
  } catch (error) {
    throw new HcsUnavailableError('load-failed', `Cannot load the string freer ${declaration} from ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function buildApi(library: LibraryHandle, libraryPath: string, free: (pointer: bigint) => void): HcsApi {
  const resolved = new Map<HcsExportName, KoffiFunction | null>();
  const resolve = (name: HcsExportName): KoffiFunction | null => {
    let fn = resolved.get(name);
    if (fn === undefined) {
      try {
        fn = library.func(HCS_EXPORTS[name].declaration);
      } catch {
        fn = null;
      }
      resolved.set(name, fn);
    }
    return fn;
  };
  const takeString = (pointer: unknown): string | undefined => {
    if (typeof pointer !== 'bigint') return undefined;
    try {
      return koffi.decode.string16(pointer);
    } finally {
      free(pointer);
    }
  };

  const api = { libraryPath, hasExport: (name: HcsExportName) => Object.hasOwn(HCS_EXPORTS, name) && resolve(name) !== null } as Record<string, unknown>;
  const asyncApi: Record<string, unknown> = {};
  for (const name of Object.keys(HCS_EXPORTS) as HcsExportName[]) {
    const { out } = HCS_EXPORTS[name];
    const lazily = (make: (fn: KoffiFunction) => Invoker, target: Record<string, unknown>) => {
      Object.defineProperty(target, name, {
        configurable: true,
        enumerable: true,
        get() {
          const fn = resolve(name);
          const value = fn === null ? missingExport(name, libraryPath, target === asyncApi) : make(fn);
          Object.defineProperty(target, name, { value, enumerable: true });
          return value;
        },
      });
    };
    lazily((fn) => syncInvoker(name, fn, out, takeString), api);
    lazily((fn) => asyncInvoker(name, fn, out, takeString), asyncApi);
  }
  api.async = asyncApi;
  return api as unknown as HcsApi;
}

function outArgs(out: OutParams): unknown[] {
  switch (out) {
    case 'document':
    case 'handle':
      return [[null]];
    case 'processInfoAndDocument':
      return [{}, [null]];
    default:
      return [];
  }
}

function shape(out: OutParams, result: unknown, outs: unknown[], takeString: (p: unknown) => string | undefined): unknown {
  switch (out) {
    case 'none':
      return result;
    case 'uint64':
      return BigInt(result as number | bigint);
    case 'document':
      return { hresult: result, document: takeString((outs[0] as unknown[])[0]) };
    case 'handle':
      return { hresult: result, handle: (outs[0] as unknown[])[0] ?? null };
    case 'processInfoAndDocument':
      return { hresult: result, processInformation: processInformation(outs[0] as RawProcessInformation), document: takeString((outs[1] as unknown[])[0]) };
  }
}

interface RawProcessInformation {
  ProcessId?: number;
  StdInput?: bigint | null;
  StdOutput?: bigint | null;
  StdError?: bigint | null;
}

function stdHandle(value: bigint | null | undefined): bigint | null {
  return typeof value === 'bigint' && value !== 0n && value !== INVALID_HANDLE_VALUE ? value : null;
}

function processInformation(raw: RawProcessInformation): HcsProcessInformation {
  return {
    processId: raw.ProcessId ?? 0,
    stdInput: stdHandle(raw.StdInput),
    stdOutput: stdHandle(raw.StdOutput),
    stdError: stdHandle(raw.StdError),
  };
}

type ArgumentKind = 'string' | 'pointer' | 'uint32' | 'int32';

interface Parameter {
  readonly name: string;
  readonly kind: ArgumentKind;
}

/** The in-parameters of a declaration, in order; out-params are filled by the binding, not the caller. */
function inParameters(declaration: string): Parameter[] {
  const list = declaration.slice(declaration.indexOf('(') + 1, declaration.lastIndexOf(')'));
  return list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('_Out_'))
    .map((p) => {
      const name = /(\w+)$/.exec(p)?.[1] ?? p;
      const kind: ArgumentKind = p.includes('char16_t') ? 'string' : p.includes('*') || /^(HCS_\w+|HANDLE)\s/.test(p) ? 'pointer' : p.startsWith('int32_t') ? 'int32' : 'uint32';
      return { name, kind };
    });
}

type Check = (value: unknown) => boolean;

const CHECKS: Record<ArgumentKind, Check> = {
  string: (value) => value === null || typeof value === 'string',
  pointer: (value) => value === null || typeof value === 'bigint',
  uint32: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff,
  int32: (value) => typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff,
};

const EXPECTED: Record<ArgumentKind, string> = {
  string: 'a string (or null)',
  pointer: 'a BigInt handle or pointer (or null)',
  uint32: 'an integer from 0 to 4294967295',
  int32: 'a 32-bit signed integer',
};

/** The ValidationError for arguments that do not fit the export's C signature. */
function argumentError(name: HcsExportName, args: readonly unknown[]): ValidationError {
  const parameters = inParameters(HCS_EXPORTS[name].declaration);
  const issues = [];
  if (args.length !== parameters.length) {
    issues.push({ path: '', message: `${name} takes ${parameters.length} arguments (${parameters.map((p) => p.name).join(', ')}); got ${args.length}.` });
  } else {
    parameters.forEach((parameter, i) => {
      const value = args[i];
      if (CHECKS[parameter.kind](value)) return;
      const got = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value === 'bigint' ? `${value}n` : String(value);
      issues.push({ path: `/${i}`, message: `${parameter.name} must be ${EXPECTED[parameter.kind]}; got ${got}.` });
    });
  }
  return new ValidationError(
    `${name} arguments`,
    issues.map((issue) => ({ ...issue, message: `${issue.message} C signature: ${HCS_EXPORTS[name].declaration}.` })),
  );
}

/**
 * Checks arguments before koffi sees them: koffi takes a number where a pointer is expected, and the
 * library then reads that address and crashes the process. A wrong argument is a ValidationError.
 */
function argumentChecker(name: HcsExportName): (args: readonly unknown[]) => void {
  const checks = inParameters(HCS_EXPORTS[name].declaration).map((p) => CHECKS[p.kind]);
  return (args) => {
    if (args.length !== checks.length || !checks.every((check, i) => check(args[i]))) throw argumentError(name, args);
  };
}

const never: Check = () => false;

/**
 * A checked call of an export without out-params, written out per arity: rest parameters and
 * spreading would double the cost of the cheapest calls (benchmark (1) in bench/).
 */
function directInvoker(name: HcsExportName, fn: KoffiFunction): Invoker {
  const checks = inParameters(HCS_EXPORTS[name].declaration).map((p) => CHECKS[p.kind]);
  const [c0 = never, c1 = never, c2 = never, c3 = never] = checks;
  const fail = (...args: unknown[]): never => {
    throw argumentError(name, args);
  };
  const call = fn as (...args: unknown[]) => unknown;
  switch (checks.length) {
    case 1:
      return (a: unknown) => (c0(a) ? call(a) : fail(a));
    case 2:
      return (a: unknown, b: unknown) => (c0(a) && c1(b) ? call(a, b) : fail(a, b));
    case 3:
      return (a: unknown, b: unknown, c: unknown) => (c0(a) && c1(b) && c2(c) ? call(a, b, c) : fail(a, b, c));
    case 4:
      return (a: unknown, b: unknown, c: unknown, d: unknown) => (c0(a) && c1(b) && c2(c) && c3(d) ? call(a, b, c, d) : fail(a, b, c, d));
    default: {
      const check = argumentChecker(name);
      return (...args) => {
        check(args);
        return call(...args);
      };
    }
  }
}

function syncInvoker(name: HcsExportName, fn: KoffiFunction, out: OutParams, takeString: (p: unknown) => string | undefined): Invoker {
  if (out === 'none') return directInvoker(name, fn);
  const check = argumentChecker(name);
  return (...args) => {
    check(args);
    const outs = outArgs(out);
    return shape(out, fn(...args, ...outs), outs, takeString);
  };
}

function asyncInvoker(name: HcsExportName, fn: KoffiFunction, out: OutParams, takeString: (p: unknown) => string | undefined): Invoker {
  const check = argumentChecker(name);
  return (...args) =>
    new Promise((resolve, reject) => {
      check(args);
      const outs = outArgs(out);
      (fn.async as (...a: unknown[]) => void)(...args, ...outs, (error: unknown, result: unknown) => {
        if (error !== null && error !== undefined) reject(toError(error));
        else resolve(shape(out, result, outs, takeString));
      });
    });
}

function missingExport(name: HcsExportName, libraryPath: string, isAsync: boolean): Invoker {
  const error = () => {
    const build = process.platform === 'win32' ? ` (this host is Windows build ${release().split('.')[2] ?? release()})` : '';
    const needed =
      HCS_EXPORTS[name].since === 'rs5'
        ? 'It is part of computecore.dll since Windows 10 1809 / Windows Server 2019 (build 17763)'
        : 'It was added to computecore.dll after Windows 10 1809 / Windows Server 2019 (build 17763)';
    return new HcsError({
      hresult: ERROR_PROC_NOT_FOUND,
      operation: name,
      errorMessage: `${libraryPath}${build} does not export ${name}. ${needed}; run on a Windows build that has it.`,
    });
  };
  return isAsync
    ? () => Promise.reject(error())
    : () => {
        throw error();
      };
}
