import koffi from 'koffi';
// The prototypes below name SOCKET and HANDLE, which this module registers.
import './nativeTypes.js';

// The Winsock and kernel32 calls behind hvsock and the completion port (Windows only). Sockets and
// pipe handles are overlapped, so every I/O call returns at once; only GetQueuedCompletionStatusEx
// waits, on the libuv pool.

export const WIN = Object.freeze({
  SOCK_STREAM: 1,
  WSA_FLAG_OVERLAPPED: 0x01,
  SOL_SOCKET: 0xffff,
  SO_UPDATE_ACCEPT_CONTEXT: 0x700b,
  SO_UPDATE_CONNECT_CONTEXT: 0x7010,
  SD_SEND: 1,
  SIO_GET_EXTENSION_FUNCTION_POINTER: 0xc8000006,
  INFINITE: 0xffffffff,
  ERROR_IO_PENDING: 997,
  ERROR_HANDLE_EOF: 38,
  ERROR_BROKEN_PIPE: 109,
  ERROR_OPERATION_ABORTED: 995,
  WSAEDISCON: 10101,
  INVALID_HANDLE_VALUE: 0xffffffffffffffffn,
  /** Extension function ids for WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). */
  WSAID_ACCEPTEX: 'b5367df1-cbac-11cf-95ca-00805f48a192',
  WSAID_CONNECTEX: '25a207b9-ddf3-4660-8ee9-76e58c74063e',
});

type Pointer = bigint | null;

export interface WinApi {
  WSAStartup(version: number, data: Buffer): number;
  WSASocketW(af: number, type: number, protocol: number, info: null, group: number, flags: number): Pointer;
  bind(socket: bigint, name: Buffer, length: number): number;
  listen(socket: bigint, backlog: number): number;
  closesocket(socket: bigint): number;
  shutdown(socket: bigint, how: number): number;
  setsockopt(socket: bigint, level: number, name: number, value: Buffer | null, length: number): number;
  WSAIoctl(socket: bigint, code: number, input: Buffer, inputLength: number, output: Buffer, outputLength: number, returned: number[], overlapped: null, routine: null): number;
  WSARecv(socket: bigint, buffers: bigint, count: number, received: null, flags: bigint, overlapped: bigint, routine: null): number;
  WSASend(socket: bigint, buffers: bigint, count: number, sent: null, flags: number, overlapped: bigint, routine: null): number;
  WSAGetLastError(): number;
  WSAGetOverlappedResult(socket: bigint, overlapped: bigint, bytes: number[], wait: number, flags: number[]): number;
  CreateIoCompletionPort(file: bigint, port: Pointer, key: number, threads: number): Pointer;
  GetQueuedCompletionStatusEx: ((port: bigint, entries: Buffer, count: number, removed: number[], timeoutMs: number, alertable: number) => number) & {
    async(port: bigint, entries: Buffer, count: number, removed: number[], timeoutMs: number, alertable: number, callback: (error: unknown, ok: number) => void): void;
  };
  PostQueuedCompletionStatus(port: bigint, bytes: number, key: number, overlapped: null): number;
  ReadFile(file: bigint, buffer: bigint, length: number, read: null, overlapped: bigint): number;
  WriteFile(file: bigint, buffer: bigint, length: number, written: null, overlapped: bigint): number;
  GetOverlappedResult(file: bigint, overlapped: bigint, bytes: number[], wait: number): number;
  CloseHandle(handle: bigint): number;
  GetLastError(): number;
}

let loaded: WinApi | undefined;

/** The Windows binding, loaded (and Winsock started) on first use. */
export function winApi(): WinApi {
  if (loaded !== undefined) return loaded;
  const ws2 = koffi.load('ws2_32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const w = (declaration: string) => ws2.func(declaration);
  const k = (declaration: string) => kernel32.func(declaration);
  const api = {
    WSAStartup: w('int __stdcall WSAStartup(uint16_t version, void *data)'),
    WSASocketW: w('SOCKET __stdcall WSASocketW(int af, int type, int protocol, void *info, uint32_t group, uint32_t flags)'),
    bind: w('int __stdcall bind(SOCKET s, const void *name, int length)'),
    listen: w('int __stdcall listen(SOCKET s, int backlog)'),
    closesocket: w('int __stdcall closesocket(SOCKET s)'),
    shutdown: w('int __stdcall shutdown(SOCKET s, int how)'),
    setsockopt: w('int __stdcall setsockopt(SOCKET s, int level, int name, const void *value, int length)'),
    WSAIoctl: w(
      'int __stdcall WSAIoctl(SOCKET s, uint32_t code, const void *input, uint32_t inputLength, void *output, uint32_t outputLength, ' +
        '_Out_ uint32_t *returned, void *overlapped, void *routine)',
    ),
    WSARecv: w('int __stdcall WSARecv(SOCKET s, void *buffers, uint32_t count, void *received, void *flags, void *overlapped, void *routine)'),
    WSASend: w('int __stdcall WSASend(SOCKET s, void *buffers, uint32_t count, void *sent, uint32_t flags, void *overlapped, void *routine)'),
    WSAGetLastError: w('int __stdcall WSAGetLastError()'),
    WSAGetOverlappedResult: w(
      'int __stdcall WSAGetOverlappedResult(SOCKET s, void *overlapped, _Out_ uint32_t *bytes, int wait, _Out_ uint32_t *flags)',
    ),
    CreateIoCompletionPort: k('HANDLE __stdcall CreateIoCompletionPort(HANDLE file, HANDLE port, uintptr_t key, uint32_t threads)'),
    GetQueuedCompletionStatusEx: k(
      'int __stdcall GetQueuedCompletionStatusEx(HANDLE port, void *entries, uint32_t count, _Out_ uint32_t *removed, uint32_t timeoutMs, int alertable)',
    ),
    PostQueuedCompletionStatus: k('int __stdcall PostQueuedCompletionStatus(HANDLE port, uint32_t bytes, uintptr_t key, void *overlapped)'),
    ReadFile: k('int __stdcall ReadFile(HANDLE file, void *buffer, uint32_t length, void *read, void *overlapped)'),
    WriteFile: k('int __stdcall WriteFile(HANDLE file, const void *buffer, uint32_t length, void *written, void *overlapped)'),
    GetOverlappedResult: k('int __stdcall GetOverlappedResult(HANDLE file, void *overlapped, _Out_ uint32_t *bytes, int wait)'),
    CloseHandle: k('int __stdcall CloseHandle(HANDLE handle)'),
    GetLastError: k('uint32_t __stdcall GetLastError()'),
  } as unknown as WinApi;
  const data = Buffer.alloc(512);
  const started = api.WSAStartup(0x0202, data);
  if (started !== 0) throw new Error(`WSAStartup failed with Winsock error ${started}.`);
  loaded = api;
  return api;
}
