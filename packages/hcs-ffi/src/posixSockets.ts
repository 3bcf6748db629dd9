import { StateError, ValidationError, throwIfAborted, type ValidationIssue } from '@uvm/types';
import { DescriptorAcceptDriver, DescriptorStreamDriver, connectDescriptor } from './descriptorDriver.js';
import { LINUX, libc } from './libc.js';
import { NativeStream } from './nativeStream.js';
import { NativeSocketListener } from './socketListener.js';
import { errnoError } from './socketErrors.js';

/** Well-known vsock context ids (`VMADDR_CID_*`). */
export const VSOCK_CID = Object.freeze({
  /** Bind to every local context id. */
  any: 0xffffffff,
  /** This machine, through the vsock loopback transport. */
  local: 1,
  /** The host, as seen from a guest. */
  host: 2,
});

const UNIX_PATH_MAX = 108;
const LISTEN_BACKLOG = 511;
const SOCKET_FLAGS = LINUX.SOCK_STREAM | LINUX.SOCK_NONBLOCK | LINUX.SOCK_CLOEXEC;

/** Options for the socket calls. */
export interface SocketCallOptions {
  readonly signal?: AbortSignal;
}

function requireLinux(operation: string): void {
  if (process.platform !== 'linux') {
    throw new StateError(
      operation,
      process.platform,
      `${operation} uses AF_UNIX/AF_VSOCK through epoll, which @uvm/hcs-ffi provides on Linux only; on Windows use listenHvSocket and connectHvSocket.`,
    );
  }
}

function check(subject: string, issues: (ValidationIssue | undefined)[]): void {
  const found = issues.filter((i): i is ValidationIssue => i !== undefined);
  if (found.length > 0) throw new ValidationError(subject, found);
}

function u32Issue(value: unknown, path: string, what: string): ValidationIssue | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff
    ? undefined
    : { path, message: `${what} must be an integer from 0 to 4294967295; got ${String(value)}.` };
}

/** `struct sockaddr_un` for a filesystem path (family, then the NUL-terminated path). */
export function packUnixAddress(path: string): Buffer {
  const bytes = Buffer.from(typeof path === 'string' ? path : '', 'utf8');
  check('unix socket path', [
    bytes.length === 0
      ? { path: '/path', message: 'path must be a non-empty string naming the socket file.' }
      : path.includes('\0')
        ? { path: '/path', message: 'path must not contain a NUL character.' }
        : bytes.length >= UNIX_PATH_MAX
          ? { path: '/path', message: `path must be shorter than ${UNIX_PATH_MAX} bytes in UTF-8 (it has ${bytes.length}); use a shorter directory such as /tmp.` }
          : undefined,
  ]);
  const address = Buffer.alloc(2 + bytes.length + 1);
  address.writeUInt16LE(LINUX.AF_UNIX, 0);
  bytes.copy(address, 2);
  return address;
}

/** `struct sockaddr_vm` (16 bytes): family, reserved, port, context id, flags, zero padding. */
export function packVsockAddress(cid: number, port: number): Buffer {
  check('vsock address', [u32Issue(cid, '/cid', 'cid'), u32Issue(port, '/port', 'port')]);
  const address = Buffer.alloc(16);
  address.writeUInt16LE(LINUX.AF_VSOCK, 0);
  address.writeUInt32LE(port, 4);
  address.writeUInt32LE(cid, 8);
  return address;
}

function openSocket(domain: number, operation: string): number {
  const c = libc();
  const fd = c.socket(domain, SOCKET_FLAGS, 0);
  if (fd < 0) throw errnoError(c.errno(), 'socket', operation);
  return fd;
}

function listenOn(domain: number, address: Buffer, description: string): NativeSocketListener {
  const c = libc();
  const fd = openSocket(domain, description);
  if (c.bind(fd, address, address.length) < 0 || c.listen(fd, LISTEN_BACKLOG) < 0) {
    const errno = c.errno();
    c.close(fd);
    throw errnoError(errno, 'listen', description);
  }
  return new NativeSocketListener(new DescriptorAcceptDriver(fd), description);
}

/** Listens on a Unix domain socket at `path` (the file must not exist yet). Linux only. */
export function listenUnixSocket(path: string): NativeSocketListener {
  requireLinux('listenUnixSocket');
  return listenOn(LINUX.AF_UNIX, packUnixAddress(path), `unix:${path}`);
}

/** Connects to a Unix domain socket at `path`. Linux only. */
export async function connectUnixSocket(path: string, options: SocketCallOptions = {}): Promise<NativeStream> {
  requireLinux('connectUnixSocket');
  const address = packUnixAddress(path);
  throwIfAborted(options.signal, 'connectUnixSocket');
  return connectDescriptor(openSocket(LINUX.AF_UNIX, `unix:${path}`), address, `unix:${path}`, options.signal);
}

/**
 * Listens on an AF_VSOCK port, as a Linux guest (or a host with vsock loopback) does; `cid` defaults
 * to {@link VSOCK_CID.any}. Linux only.
 */
export function listenVsock(port: number, options: { readonly cid?: number } = {}): NativeSocketListener {
  requireLinux('listenVsock');
  const cid = options.cid ?? VSOCK_CID.any;
  return listenOn(LINUX.AF_VSOCK, packVsockAddress(cid, port), `vsock:${cid}:${port}`);
}

/**
 * Connects to an AF_VSOCK (cid, port); a Linux guest reaches a host hvsock listener on service
 * `vsockServiceId(port)` with cid {@link VSOCK_CID.host}. Linux only.
 */
export async function connectVsock(cid: number, port: number, options: SocketCallOptions = {}): Promise<NativeStream> {
  requireLinux('connectVsock');
  const address = packVsockAddress(cid, port);
  throwIfAborted(options.signal, 'connectVsock');
  return connectDescriptor(openSocket(LINUX.AF_VSOCK, `vsock:${cid}:${port}`), address, `vsock:${cid}:${port}`, options.signal);
}

/** A connected pair of AF_UNIX stream sockets, both ends as streams on the pump. Linux only. */
export function socketPair(): [NativeStream, NativeStream] {
  requireLinux('socketPair');
  const c = libc();
  const fds = [-1, -1];
  if (c.socketpair(LINUX.AF_UNIX, SOCKET_FLAGS, 0, fds) < 0) throw errnoError(c.errno(), 'socketpair');
  return [fds[0] ?? -1, fds[1] ?? -1].map((fd) => new NativeStream(new DescriptorStreamDriver(fd, 'socket'))) as [NativeStream, NativeStream];
}
