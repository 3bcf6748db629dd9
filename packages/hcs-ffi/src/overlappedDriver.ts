import koffi from 'koffi';
import type { IocpPump } from './iocpPump.js';
import { NativeStream, type DoneCallback, type ReadCallback, type StreamDriver } from './nativeStream.js';
import type { AcceptCallback, AcceptDriver } from './socketListener.js';
import { windowsError } from './socketErrors.js';
import { WIN, winApi } from './winApi.js';

const OVERLAPPED_SIZE = 32;
const WSABUF_SIZE = 16;
const READ_SIZE = 64 * 1024;
/** AcceptEx wants room for each address plus 16 bytes. */
const ACCEPT_ADDRESS_SIZE = 36 + 16;

/** Memory the kernel writes into while an overlapped I/O is pending: it must not move, so it is C heap. */
class NativeBlock {
  readonly address: bigint;
  private freed = false;

  constructor(readonly size: number) {
    this.address = koffi.alloc('uint8_t', size) as bigint;
  }

  bytes(offset = 0, length = this.size - offset): Uint8Array {
    return new Uint8Array(koffi.view(this.address + BigInt(offset), length));
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    koffi.free(this.address);
  }
}

/** Fills in a WSABUF { ULONG len; CHAR *buf } at `offset` of `block`. */
function writeWsaBuf(block: NativeBlock, offset: number, data: bigint, length: number): void {
  const view = Buffer.from(block.bytes(offset, WSABUF_SIZE).buffer, 0, WSABUF_SIZE);
  view.writeUInt32LE(length, 0);
  view.writeBigUInt64LE(data, 8);
}

/**
 * An overlapped socket (WSARecv/WSASend) or pipe handle (ReadFile/WriteFile) on the completion port,
 * as a {@link StreamDriver}. Native buffers live until their I/O has completed, even after close:
 * closing cancels pending I/O, whose completions still arrive and are only then released.
 */
export class OverlappedStreamDriver implements StreamDriver {
  // OVERLAPPED | WSABUF | flags (8) | data
  private readonly readBlock = new NativeBlock(OVERLAPPED_SIZE + WSABUF_SIZE + 8 + READ_SIZE);
  // OVERLAPPED | WSABUF
  private readonly writeBlock = new NativeBlock(OVERLAPPED_SIZE + WSABUF_SIZE);
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly handle: bigint,
    private readonly socket: boolean,
    private readonly pump: IocpPump,
    options: { readonly associated?: boolean } = {},
  ) {
    if (options.associated !== true) pump.associate(handle);
  }

  read(callback: ReadCallback): void {
    if (this.closed) return;
    const block = this.readBlock;
    block.bytes(0, OVERLAPPED_SIZE).fill(0);
    const overlapped = block.address;
    const data = overlapped + BigInt(OVERLAPPED_SIZE + WSABUF_SIZE + 8);
    writeWsaBuf(block, OVERLAPPED_SIZE, data, READ_SIZE);
    block.bytes(OVERLAPPED_SIZE + WSABUF_SIZE, 8).fill(0);
    const w = winApi();
    this.start(
      overlapped,
      () =>
        this.socket
          ? w.WSARecv(this.handle, overlapped + BigInt(OVERLAPPED_SIZE), 1, null, overlapped + BigInt(OVERLAPPED_SIZE + WSABUF_SIZE), overlapped, null) === 0
          : w.ReadFile(this.handle, data, READ_SIZE, null, overlapped) !== 0,
      (error, bytes) => {
        // After close, completions (ERROR_OPERATION_ABORTED) only release memory.
        if (this.closed) return;
        if (error === 0 && bytes > 0) callback(null, Buffer.from(block.bytes(OVERLAPPED_SIZE + WSABUF_SIZE + 8, bytes)));
        else if (error === 0 || error === WIN.ERROR_BROKEN_PIPE || error === WIN.ERROR_HANDLE_EOF || error === WIN.WSAEDISCON) callback(null, null);
        else callback(windowsError(error, this.socket ? 'WSARecv' : 'ReadFile'), null);
      },
    );
  }

  write(chunk: Buffer, callback: DoneCallback): void {
    if (this.closed) return;
    if (chunk.length === 0) {
      callback(null);
      return;
    }
    const data = new NativeBlock(chunk.length);
    data.bytes().set(chunk);
    this.send(data, 0, callback);
  }

  private send(data: NativeBlock, offset: number, callback: DoneCallback): void {
    const block = this.writeBlock;
    block.bytes(0, OVERLAPPED_SIZE).fill(0);
    const overlapped = block.address;
    const length = data.size - offset;
    const pointer = data.address + BigInt(offset);
    writeWsaBuf(block, OVERLAPPED_SIZE, pointer, length);
    const w = winApi();
    this.start(
      overlapped,
      () =>
        this.socket
          ? w.WSASend(this.handle, overlapped + BigInt(OVERLAPPED_SIZE), 1, null, 0, overlapped, null) === 0
          : w.WriteFile(this.handle, pointer, length, null, overlapped) !== 0,
      (error, bytes) => {
        if (error === 0 && bytes < length && !this.closed) {
          this.send(data, offset + bytes, callback);
          return;
        }
        data.free();
        if (this.closed) return;
        callback(error === 0 ? null : windowsError(error, this.socket ? 'WSASend' : 'WriteFile'));
      },
    );
  }

  shutdownWrite(callback: DoneCallback): void {
    if (this.closed) {
      callback(null);
      return;
    }
    if (!this.socket) {
      // A pipe's write end has no other direction: closing it is how the reader sees EOF.
      this.close();
      callback(null);
      return;
    }
    const w = winApi();
    const failed = w.shutdown(this.handle, WIN.SD_SEND) !== 0 ? w.WSAGetLastError() : 0;
    // WSAENOTCONN: the peer is already gone, so there is nothing left to half-close.
    callback(failed === 0 || failed === 10057 ? null : windowsError(failed, 'shutdown'));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const w = winApi();
    if (this.socket) w.closesocket(this.handle);
    else w.CloseHandle(this.handle);
    this.release();
  }

  private start(overlapped: bigint, issue: () => boolean, done: (error: number, bytes: number) => void): void {
    this.inFlight++;
    this.pump.submit(this.handle, this.socket, overlapped, issue, (error, bytes) => {
      this.inFlight--;
      done(error, bytes);
      this.release();
    });
  }

  private release(): void {
    if (!this.closed || this.inFlight > 0) return;
    this.readBlock.free();
    this.writeBlock.free();
  }
}

type AcceptEx = (
  listenSocket: bigint,
  acceptSocket: bigint,
  output: bigint,
  receiveLength: number,
  localLength: number,
  remoteLength: number,
  received: bigint,
  overlapped: bigint,
) => number;

/** A listening overlapped socket, accepting with AcceptEx into sockets from `createSocket`. */
export class OverlappedAcceptDriver implements AcceptDriver {
  // OVERLAPPED | two addresses | bytes received
  private readonly block = new NativeBlock(OVERLAPPED_SIZE + 2 * ACCEPT_ADDRESS_SIZE + 8);
  private pending = false;
  private closed = false;

  constructor(
    private readonly listenSocket: bigint,
    private readonly pump: IocpPump,
    private readonly acceptEx: AcceptEx,
    private readonly createSocket: () => bigint,
  ) {}

  accept(callback: AcceptCallback): void {
    if (this.closed) return;
    let socket: bigint;
    try {
      socket = this.createSocket();
    } catch (error) {
      callback(error as Error, null);
      return;
    }
    const w = winApi();
    const overlapped = this.block.address;
    this.block.bytes(0, OVERLAPPED_SIZE).fill(0);
    this.pending = true;
    this.pump.submit(
      this.listenSocket,
      true,
      overlapped,
      () =>
        this.acceptEx(
          this.listenSocket,
          socket,
          overlapped + BigInt(OVERLAPPED_SIZE),
          0,
          ACCEPT_ADDRESS_SIZE,
          ACCEPT_ADDRESS_SIZE,
          overlapped + BigInt(OVERLAPPED_SIZE + 2 * ACCEPT_ADDRESS_SIZE),
          overlapped,
        ) !== 0,
      (error) => {
        this.pending = false;
        if (this.closed || error !== 0) {
          w.closesocket(socket);
          if (this.closed) this.block.free();
          else callback(windowsError(error, 'AcceptEx'), null);
          return;
        }
        // The accepted socket inherits the listener's properties, so shutdown() works on it.
        const listener = Buffer.alloc(8);
        listener.writeBigUInt64LE(this.listenSocket);
        if (w.setsockopt(socket, WIN.SOL_SOCKET, WIN.SO_UPDATE_ACCEPT_CONTEXT, listener, 8) !== 0) {
          const failed = w.WSAGetLastError();
          w.closesocket(socket);
          callback(windowsError(failed, 'setsockopt'), null);
          return;
        }
        let stream: NativeStream;
        try {
          stream = new NativeStream(new OverlappedStreamDriver(socket, true, this.pump));
        } catch (failure) {
          w.closesocket(socket);
          callback(failure as Error, null);
          return;
        }
        callback(null, stream);
      },
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    winApi().closesocket(this.listenSocket);
    if (!this.pending) this.block.free();
  }
}
