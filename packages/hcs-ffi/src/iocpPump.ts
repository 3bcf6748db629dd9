import { CompletionPump } from './completionPump.js';
import { reportPump } from './nativeStats.js';
import { windowsError } from './socketErrors.js';
import { WIN, winApi } from './winApi.js';

// OVERLAPPED_ENTRY on 64-bit Windows: completion key, OVERLAPPED*, Internal (the NTSTATUS), bytes.
const ENTRY_SIZE = 32;
const MAX_ENTRIES = 64;

interface PendingIo {
  readonly handle: bigint;
  readonly socket: boolean;
  readonly done: (error: number, bytes: number) => void;
}

/**
 * The Windows pump: one I/O completion port for every socket and pipe handle, drained by a single
 * GetQueuedCompletionStatusEx on the libuv pool. Each overlapped I/O is known by the address of its
 * OVERLAPPED; it keeps the pump running until its completion has been dispatched, which is also
 * what keeps its native buffers alive until the kernel is done with them.
 */
export class IocpPump extends CompletionPump {
  private readonly port: bigint;
  private readonly entries = Buffer.alloc(ENTRY_SIZE * MAX_ENTRIES);
  private readonly removed = [0];
  // The pool thread writes `entries` while a wait is pending; polls on the main thread use their own.
  private readonly polled = Buffer.alloc(ENTRY_SIZE * MAX_ENTRIES);
  private readonly polledCount = [0];
  private readonly pending = new Map<bigint, PendingIo>();

  constructor() {
    super();
    const w = winApi();
    const port = w.CreateIoCompletionPort(WIN.INVALID_HANDLE_VALUE, null, 0, 1);
    if (port === null) throw windowsError(w.GetLastError(), 'CreateIoCompletionPort');
    this.port = port;
  }

  /** Routes the completions of `handle` (opened overlapped) to this port. Once per handle. */
  associate(handle: bigint): void {
    const w = winApi();
    if (w.CreateIoCompletionPort(handle, this.port, 0, 0) === null) throw windowsError(w.GetLastError(), 'CreateIoCompletionPort');
  }

  /**
   * Starts one overlapped I/O. `issue` makes the call and returns whether it reported success; the
   * completion is queued to the port either way, unless the call failed with anything but
   * ERROR_IO_PENDING, in which case `done` runs at once with that error.
   */
  submit(handle: bigint, socket: boolean, overlapped: bigint, issue: () => boolean, done: (error: number, bytes: number) => void): void {
    this.pending.set(overlapped, { handle, socket, done });
    this.retain();
    let reported: boolean;
    try {
      reported = issue();
    } catch (error) {
      this.pending.delete(overlapped);
      this.release();
      throw error;
    }
    if (reported) return;
    const w = winApi();
    const error = socket ? w.WSAGetLastError() : w.GetLastError();
    if (error === WIN.ERROR_IO_PENDING) return;
    this.pending.delete(overlapped);
    this.release();
    done(error, 0);
  }

  protected startWait(done: (error: unknown, count: number) => void): void {
    winApi().GetQueuedCompletionStatusEx.async(this.port, this.entries, MAX_ENTRIES, this.removed, WIN.INFINITE, 0, (error, ok) => {
      done(error, ok !== 0 ? (this.removed[0] ?? 0) : -1);
    });
  }

  protected pollNow(): number {
    // FALSE with WAIT_TIMEOUT just means nothing is queued.
    return winApi().GetQueuedCompletionStatusEx(this.port, this.polled, MAX_ENTRIES, this.polledCount, 0, 0) !== 0 ? (this.polledCount[0] ?? 0) : 0;
  }

  protected wake(): void {
    winApi().PostQueuedCompletionStatus(this.port, 0, 0, null);
  }

  protected dispatch(count: number, from: 'wait' | 'poll'): void {
    if (count < 0) throw windowsError(winApi().GetLastError(), 'GetQueuedCompletionStatusEx');
    const entries = from === 'wait' ? this.entries : this.polled;
    const finished: [PendingIo, number, number][] = [];
    for (let i = 0; i < count; i++) {
      const at = i * ENTRY_SIZE;
      const overlapped = entries.readBigUInt64LE(at + 8);
      const io = this.pending.get(overlapped);
      // A null OVERLAPPED is the wake-up packet.
      if (overlapped === 0n || io === undefined) continue;
      this.pending.delete(overlapped);
      const status = entries.readBigUInt64LE(at + 16);
      finished.push([io, status === 0n ? 0 : this.errorOf(io, overlapped), entries.readUInt32LE(at + 24)]);
    }
    for (const [io, error, bytes] of finished) {
      this.release();
      io.done(error, bytes);
    }
  }

  // The entry holds an NTSTATUS; the overlapped-result call turns it into the Win32/Winsock code.
  private errorOf(io: PendingIo, overlapped: bigint): number {
    const w = winApi();
    const bytes = [0];
    if (io.socket) return w.WSAGetOverlappedResult(io.handle, overlapped, bytes, 0, [0]) !== 0 ? 0 : w.WSAGetLastError();
    return w.GetOverlappedResult(io.handle, overlapped, bytes, 0) !== 0 ? 0 : w.GetLastError();
  }
}

let pump: IocpPump | undefined;
reportPump(() => pump);

/** The process's one Windows pump. */
export function iocpPump(): IocpPump {
  pump ??= new IocpPump();
  return pump;
}
