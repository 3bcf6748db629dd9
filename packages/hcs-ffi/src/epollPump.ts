import { CompletionPump } from './completionPump.js';
import { reportPump } from './nativeStats.js';
import { ERRNO, LINUX, libc } from './libc.js';
import { errnoError } from './socketErrors.js';

export type ReadinessHandler = (events: number) => void;

// struct epoll_event is packed on x86-64 (u32 events, u64 data: 12 bytes) and naturally aligned
// elsewhere (16 bytes, data at offset 8).
const EVENT_SIZE = process.arch === 'x64' ? 12 : 16;
const DATA_OFFSET = process.arch === 'x64' ? 4 : 8;
const MAX_EVENTS = 256;
const WAKE_TOKEN = 0;

/**
 * The Linux pump: one epoll set watched by a single `epoll_wait` on the libuv pool. Descriptors are
 * registered edge-triggered for input and output once, so reads and writes need no further
 * epoll_ctl calls; an eventfd wakes the wait when the last descriptor leaves.
 */
export class EpollPump extends CompletionPump {
  private readonly epfd: number;
  private readonly wakeFd: number;
  private readonly events = Buffer.alloc(EVENT_SIZE * MAX_EVENTS);
  // The pool thread writes `events` while a wait is pending; polls on the main thread use their own.
  private readonly polled = Buffer.alloc(EVENT_SIZE * MAX_EVENTS);
  private readonly handlers = new Map<number, ReadinessHandler>();
  private nextToken = 1;

  constructor() {
    super();
    const c = libc();
    this.epfd = c.epoll_create1(LINUX.EPOLL_CLOEXEC);
    if (this.epfd < 0) throw errnoError(c.errno(), 'epoll_create1');
    this.wakeFd = c.eventfd(0, LINUX.EFD_NONBLOCK | LINUX.EFD_CLOEXEC);
    if (this.wakeFd < 0) throw errnoError(c.errno(), 'eventfd');
    if (c.epoll_ctl(this.epfd, LINUX.EPOLL_CTL_ADD, this.wakeFd, eventRecord(LINUX.EPOLLIN, WAKE_TOKEN)) < 0) {
      throw errnoError(c.errno(), 'epoll_ctl');
    }
  }

  /** Watches `fd`; `handler` gets the epoll event bits each time the descriptor becomes ready. */
  register(fd: number, handler: ReadinessHandler): number {
    const token = this.nextToken++;
    const bits = LINUX.EPOLLIN | LINUX.EPOLLOUT | LINUX.EPOLLRDHUP | LINUX.EPOLLET;
    const c = libc();
    if (c.epoll_ctl(this.epfd, LINUX.EPOLL_CTL_ADD, fd, eventRecord(bits, token)) < 0) throw errnoError(c.errno(), 'epoll_ctl');
    this.handlers.set(token, handler);
    this.retain();
    return token;
  }

  /** Stops watching; call before closing the descriptor. */
  unregister(token: number, fd: number): void {
    if (!this.handlers.delete(token)) return;
    libc().epoll_ctl(this.epfd, LINUX.EPOLL_CTL_DEL, fd, null);
    this.release();
  }

  protected startWait(done: (error: unknown, count: number) => void): void {
    libc().epoll_wait.async(this.epfd, this.events, MAX_EVENTS, -1, done);
  }

  protected pollNow(): number {
    return libc().epoll_wait(this.epfd, this.polled, MAX_EVENTS, 0);
  }

  protected wake(): void {
    libc().write(this.wakeFd, ONE, 8);
  }

  protected dispatch(count: number, from: 'wait' | 'poll'): void {
    if (count < 0) {
      const errno = libc().errno();
      if (errno !== ERRNO.EINTR) throw errnoError(errno, 'epoll_wait');
      return;
    }
    // Copy first: a handler may register or close descriptors before the loop ends.
    const events = from === 'wait' ? this.events : this.polled;
    const ready: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const at = i * EVENT_SIZE;
      ready.push([events.readUInt32LE(at), Number(events.readBigUInt64LE(at + DATA_OFFSET))]);
    }
    for (const [bits, token] of ready) {
      if (token === WAKE_TOKEN) {
        libc().read(this.wakeFd, DRAIN, 8);
        continue;
      }
      // A token that is gone belongs to a descriptor closed after the wait returned.
      this.handlers.get(token)?.(bits);
    }
  }
}

const ONE = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
const DRAIN = Buffer.alloc(8);

function eventRecord(bits: number, token: number): Buffer {
  const record = Buffer.alloc(EVENT_SIZE);
  record.writeUInt32LE(bits >>> 0, 0);
  record.writeBigUInt64LE(BigInt(token), DATA_OFFSET);
  return record;
}

let pump: EpollPump | undefined;
reportPump(() => pump);

/** The process's one Linux pump. */
export function epollPump(): EpollPump {
  pump ??= new EpollPump();
  return pump;
}
