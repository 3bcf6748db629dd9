import koffi, { type TypeObject } from 'koffi';

// Every koffi type this package uses, defined once (ecosystem.md §1.10: a second definition of a
// named type throws). When this module is evaluated a second time in the same process (two copies of
// the package, or a test runner re-importing it), the names are already taken: the existing type is
// reused when it has the same shape, and anything else is an error that says which name clashed.

function named(name: string, primitive: string, create: () => TypeObject, members: readonly string[] = []): TypeObject {
  let existing: TypeObject;
  try {
    existing = koffi.type(name);
  } catch {
    return create();
  }
  const existingMembers = Object.keys(existing.members ?? {});
  if (existing.primitive !== primitive || existingMembers.join() !== members.join()) {
    throw new Error(
      `@uvm/hcs-ffi needs the koffi type name "${name}" for its own ${primitive} type, but another module already defined ` +
        `it differently (${existing.primitive}${existingMembers.length > 0 ? ` with members ${existingMembers.join(', ')}` : ''}). ` +
        'Rename the other type, or give it the same definition.',
    );
  }
  return existing;
}

const opaqueHandle = (name: string) => named(name, 'Pointer', () => koffi.pointer(name, koffi.opaque()));

/** `HRESULT`: a signed 32-bit status; failures are negative. */
export const HRESULT = named('HRESULT', 'Int32', () => koffi.alias('HRESULT', 'int32_t'));
/** `HANDLE` and the HCS handles: opaque pointers, which koffi 3 passes as BigInt (null for NULL). */
export const HANDLE = opaqueHandle('HANDLE');
export const HCS_SYSTEM = opaqueHandle('HCS_SYSTEM');
export const HCS_PROCESS = opaqueHandle('HCS_PROCESS');
export const HCS_OPERATION = opaqueHandle('HCS_OPERATION');

/**
 * `HCS_EVENT` in the SDK layout: HCS_EVENT_TYPE (a 32-bit enum), the event's JSON, the operation.
 * EventData decodes straight to a JS string, which is the copy the callback needs.
 */
export const HCS_EVENT = named(
  'HCS_EVENT',
  'Record',
  () => koffi.struct('HCS_EVENT', { Type: 'uint32_t', EventData: 'const char16_t *', Operation: 'HCS_OPERATION' }),
  ['Type', 'EventData', 'Operation'],
);

/** `HCS_PROCESS_INFORMATION` { ProcessId, Reserved, StdInput, StdOutput, StdError } (32 bytes on x64). */
export const HCS_PROCESS_INFORMATION = named(
  'HCS_PROCESS_INFORMATION',
  'Record',
  () =>
    koffi.struct('HCS_PROCESS_INFORMATION', {
      ProcessId: 'uint32_t',
      Reserved: 'uint32_t',
      StdInput: 'HANDLE',
      StdOutput: 'HANDLE',
      StdError: 'HANDLE',
    }),
  ['ProcessId', 'Reserved', 'StdInput', 'StdOutput', 'StdError'],
);

/** `void CALLBACK HCS_OPERATION_COMPLETION(HCS_OPERATION, void *context)`. */
export const HCS_OPERATION_COMPLETION = named('HCS_OPERATION_COMPLETION', 'Prototype', () =>
  koffi.proto('void __stdcall HCS_OPERATION_COMPLETION(HCS_OPERATION operation, void *context)'),
);

/** `void CALLBACK HCS_EVENT_CALLBACK(HCS_EVENT *event, void *context)`. */
export const HCS_EVENT_CALLBACK = named('HCS_EVENT_CALLBACK', 'Prototype', () =>
  koffi.proto('void __stdcall HCS_EVENT_CALLBACK(HCS_EVENT *event, void *context)'),
);

/** `SOCKET` on Windows: a pointer-sized handle (INVALID_SOCKET is all ones). */
export const SOCKET = opaqueHandle('SOCKET');

/** The Winsock extension functions fetched through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). */
export const AcceptExFn = named('AcceptExFn', 'Prototype', () =>
  koffi.proto(
    'int __stdcall AcceptExFn(SOCKET listenSocket, SOCKET acceptSocket, void *outputBuffer, uint32_t receiveDataLength, ' +
      'uint32_t localAddressLength, uint32_t remoteAddressLength, void *bytesReceived, void *overlapped)',
  ),
);
export const ConnectExFn = named('ConnectExFn', 'Prototype', () =>
  koffi.proto(
    'int __stdcall ConnectExFn(SOCKET socket, const void *name, int nameLength, void *sendBuffer, uint32_t sendDataLength, ' +
      'void *bytesSent, void *overlapped)',
  ),
);
