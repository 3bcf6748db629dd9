import { NativeStream, type DoneCallback, type ReadCallback, type StreamDriver } from './nativeStream.js';
import type { AcceptCallback, AcceptDriver } from './socketListener.js';
import { epollPump } from './epollPump.js';
import { ERRNO, LINUX, libc } from './libc.js';
import { abortReason } from '@uvm/types';
import { errnoError, type SocketError } from './socketErrors.js';

const READ_SIZE = 64 * 1024;
// Reads go into a fresh buffer that becomes the chunk; a short read is copied into a right-sized
// one so a few bytes never pin 64 KiB. The next read's buffer is made only when needed.
let nextReadBuffer: Buffer | undefined;

const IN = LINUX.EPOLLIN | LINUX.EPOLLRDHUP | LINUX.EPOLLHUP | LINUX.EPOLLERR;
const OUT = LINUX.EPOLLOUT | LINUX.EPOLLHUP | LINUX.EPOLLERR;

const wouldBlock = (errno: number) => errno === ERRNO.EAGAIN || errno === ERRNO.EWOULDBLOCK;

/**
 * A non-blocking Linux descriptor in the epoll pump. Readiness is remembered per direction (the pump
 * is edge-triggered): a direction is ready until a call on it returns EAGAIN, and the next edge makes
 * it ready again and retries what was waiting.
 */
class Descriptor {
  private readable = true;
  private writable = true;
  private readonly token: number;
  private fd: number;
  onReadable: (() => void) | undefined;
  onWritable: (() => void) | undefined;

  constructor(fd: number) {
    this.fd = fd;
    this.token = epollPump().register(fd, (events) => {
      if ((events & IN) !== 0) {
        this.readable = true;
        this.onReadable?.();
      }
      if ((events & OUT) !== 0) {
        this.writable = true;
        this.onWritable?.();
      }
    });
  }

  get open(): boolean {
    return this.fd >= 0;
  }

  get number(): number {
    return this.fd;
  }

  /** Runs `call` if the direction is ready; returns its result, or undefined when it would block. */
  attempt(direction: 'read' | 'write', call: () => number): { result: number; errno: number } | undefined {
    if (direction === 'read' ? !this.readable : !this.writable) return undefined;
    for (;;) {
      const result = call();
      const errno = result < 0 ? libc().errno() : 0;
      if (result < 0 && errno === ERRNO.EINTR) continue;
      if (result < 0 && wouldBlock(errno)) {
        if (direction === 'read') this.readable = false;
        else this.writable = false;
        return undefined;
      }
      return { result, errno };
    }
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    this.onReadable = this.onWritable = undefined;
    epollPump().unregister(this.token, fd);
    libc().close(fd);
  }
}

/** A connected socket or one end of a pipe, as a {@link StreamDriver}. */
export class DescriptorStreamDriver implements StreamDriver {
  private pendingRead: ReadCallback | undefined;
  private pendingWrite: { chunk: Buffer; offset: number; callback: DoneCallback } | undefined;
  private readonly descriptor: Descriptor;

  /** `kind` decides what half-closing means: shutdown(SHUT_WR) for a socket, closing for a pipe's write end. */
  constructor(
    fd: number,
    private readonly kind: 'socket' | 'pipe',
  ) {
    this.descriptor = new Descriptor(fd);
    this.descriptor.onReadable = () => {
      const callback = this.pendingRead;
      this.pendingRead = undefined;
      if (callback !== undefined) this.read(callback);
    };
    this.descriptor.onWritable = () => {
      if (this.pendingWrite !== undefined) this.flush();
    };
  }

  read(callback: ReadCallback): void {
    if (!this.descriptor.open) return;
    const fd = this.descriptor.number;
    const target = (nextReadBuffer ??= Buffer.allocUnsafeSlow(READ_SIZE));
    const outcome = this.descriptor.attempt('read', () => libc().read(fd, target, READ_SIZE));
    if (outcome === undefined) {
      this.pendingRead = callback;
      return;
    }
    const { result, errno } = outcome;
    if (result > READ_SIZE / 2) {
      nextReadBuffer = undefined;
      callback(null, target.subarray(0, result));
    } else if (result > 0) callback(null, Buffer.from(target.subarray(0, result)));
    else if (result === 0) callback(null, null);
    else callback(errnoError(errno, 'read'), null);
  }

  write(chunk: Buffer, callback: DoneCallback): void {
    this.pendingWrite = { chunk, offset: 0, callback };
    this.flush();
  }

  private flush(): void {
    const pending = this.pendingWrite;
    if (pending === undefined || !this.descriptor.open) return;
    const fd = this.descriptor.number;
    while (pending.offset < pending.chunk.length) {
      const rest = pending.chunk.subarray(pending.offset);
      const outcome = this.descriptor.attempt('write', () => libc().write(fd, rest, rest.length));
      if (outcome === undefined) return;
      if (outcome.result < 0) {
        this.pendingWrite = undefined;
        pending.callback(errnoError(outcome.errno, 'write'));
        return;
      }
      pending.offset += outcome.result;
    }
    this.pendingWrite = undefined;
    epollPump().nudge();
    pending.callback(null);
  }

  /** Waits for a connect in progress to finish; SO_ERROR says how it went. */
  awaitConnect(callback: DoneCallback): void {
    const previous = this.descriptor.onWritable;
    this.descriptor.onWritable = () => {
      this.descriptor.onWritable = previous;
      const c = libc();
      const value = Buffer.alloc(4);
      const failed = c.getsockopt(this.descriptor.number, LINUX.SOL_SOCKET, LINUX.SO_ERROR, value, [4]) < 0 ? c.errno() : value.readInt32LE(0);
      callback(failed === 0 ? null : errnoError(failed, 'connect'));
    };
  }

  shutdownWrite(callback: DoneCallback): void {
    if (!this.descriptor.open) {
      callback(null);
      return;
    }
    if (this.kind === 'pipe') {
      // A pipe's write end has no other direction: closing it is how the reader sees EOF.
      this.close();
      callback(null);
      return;
    }
    const c = libc();
    // ENOTCONN only says the peer is already gone; the half-close has nothing left to do.
    const failed = c.shutdown(this.descriptor.number, LINUX.SHUT_WR) < 0 ? c.errno() : 0;
    callback(failed === 0 || failed === ERRNO.ENOTCONN ? null : errnoError(failed, 'shutdown'));
  }

  close(): void {
    this.pendingRead = undefined;
    this.pendingWrite = undefined;
    this.descriptor.close();
  }
}

/** A listening socket, as an {@link AcceptDriver} yielding {@link NativeStream}s. */
export class DescriptorAcceptDriver implements AcceptDriver {
  private pending: AcceptCallback | undefined;
  private readonly descriptor: Descriptor;

  constructor(fd: number) {
    this.descriptor = new Descriptor(fd);
    this.descriptor.onReadable = () => {
      const callback = this.pending;
      this.pending = undefined;
      if (callback !== undefined) this.accept(callback);
    };
  }

  accept(callback: AcceptCallback): void {
    if (!this.descriptor.open) return;
    const fd = this.descriptor.number;
    const outcome = this.descriptor.attempt('read', () => libc().accept4(fd, null, null, LINUX.SOCK_NONBLOCK | LINUX.SOCK_CLOEXEC));
    if (outcome === undefined) {
      this.pending = callback;
      return;
    }
    if (outcome.result < 0) callback(errnoError(outcome.errno, 'accept4'), null);
    else callback(null, new NativeStream(new DescriptorStreamDriver(outcome.result, 'socket')));
  }

  close(): void {
    this.pending = undefined;
    this.descriptor.close();
  }
}

/**
 * Connects a non-blocking socket and resolves with it as a stream. A connect that is in progress
 * (EINPROGRESS) completes when the socket becomes writable; SO_ERROR then says how it went.
 */
export function connectDescriptor(fd: number, address: Buffer, description: string, signal?: AbortSignal): Promise<NativeStream> {
  const c = libc();
  let result: number;
  let errno: number;
  do {
    result = c.connect(fd, address, address.length);
    errno = result < 0 ? c.errno() : 0;
  } while (result < 0 && errno === ERRNO.EINTR);
  if (result < 0 && errno !== ERRNO.EINPROGRESS) {
    c.close(fd);
    return Promise.reject(errnoError(errno, 'connect', description));
  }
  const driver = new DescriptorStreamDriver(fd, 'socket');
  if (result === 0) return Promise.resolve(new NativeStream(driver));
  return new Promise<NativeStream>((resolve, reject) => {
    const onAbort = () => {
      driver.close();
      reject(abortReason(signal as AbortSignal, 'connect'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    driver.awaitConnect((error) => {
      signal?.removeEventListener('abort', onAbort);
      if (error === null) {
        resolve(new NativeStream(driver));
      } else {
        driver.close();
        reject(errnoError(-(error as SocketError).errno, 'connect', description));
      }
    });
  });
}
