import { getSystemErrorName } from 'node:util';

/** A system error as Node's own sockets report it: `code` is the errno name (`ECONNRESET`), `syscall` the call. */
export interface SocketError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
}

function make(code: string, errno: number, syscall: string, detail?: string): SocketError {
  const error = new Error(`${syscall} ${code}${detail === undefined ? '' : ` ${detail}`}`) as Error & Record<string, unknown>;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  return error as unknown as SocketError;
}

/** An error for a POSIX errno (positive, as libc sets it); `errno` is negative, as in Node. */
export function errnoError(errno: number, syscall: string, detail?: string): SocketError {
  let code: string;
  try {
    code = getSystemErrorName(-errno);
  } catch {
    code = `errno ${errno}`;
  }
  return make(code, -errno, syscall, detail);
}

// Win32 and Winsock codes the overlapped socket and pipe paths can complete with, named as POSIX
// names so callers match the same `code` on every platform.
const WINDOWS_NAMES: ReadonlyMap<number, string> = new Map([
  [5, 'EACCES'],
  [6, 'EBADF'],
  [64, 'ECONNRESET'], // ERROR_NETNAME_DELETED: how a reset peer completes an overlapped receive
  [109, 'EPIPE'], // ERROR_BROKEN_PIPE
  [232, 'EPIPE'], // ERROR_NO_DATA
  [995, 'ECANCELED'], // ERROR_OPERATION_ABORTED
  [1225, 'ECONNREFUSED'], // ERROR_CONNECTION_REFUSED
  [1236, 'ECONNABORTED'], // ERROR_CONNECTION_ABORTED
  [10004, 'EINTR'],
  [10013, 'EACCES'],
  [10022, 'EINVAL'],
  [10035, 'EAGAIN'],
  [10047, 'EAFNOSUPPORT'],
  [10048, 'EADDRINUSE'],
  [10049, 'EADDRNOTAVAIL'],
  [10050, 'ENETDOWN'],
  [10051, 'ENETUNREACH'],
  [10053, 'ECONNABORTED'],
  [10054, 'ECONNRESET'],
  [10057, 'ENOTCONN'],
  [10058, 'EPIPE'], // WSAESHUTDOWN
  [10060, 'ETIMEDOUT'],
  [10061, 'ECONNREFUSED'],
  [10065, 'EHOSTUNREACH'],
  [10093, 'ENOTINITIALIZED'],
]);

/** An error for a Win32 or Winsock code, with the POSIX-style `code` when there is one. */
export function windowsError(code: number, syscall: string, detail?: string): SocketError {
  return make(WINDOWS_NAMES.get(code) ?? `WINDOWS_ERROR_${code}`, code, syscall, detail);
}
