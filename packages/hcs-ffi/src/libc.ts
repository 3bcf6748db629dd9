import koffi from 'koffi';

// The libc calls the Linux socket layer makes through koffi. Every descriptor is non-blocking, so
// each call returns at once; only epoll_wait ever waits, and it runs on the libuv pool.

/** Linux constants (the generic values, shared by x86-64 and arm64). */
export const LINUX = Object.freeze({
  AF_UNIX: 1,
  AF_VSOCK: 40,
  SOCK_STREAM: 1,
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 1,
  SO_ERROR: 4,
  SHUT_WR: 1,
  F_GETFL: 3,
  F_SETFL: 4,
  O_NONBLOCK: 0o4000,
  EFD_NONBLOCK: 0o4000,
  EFD_CLOEXEC: 0o2000000,
  EPOLL_CLOEXEC: 0o2000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLLIN: 0x001,
  EPOLLOUT: 0x004,
  EPOLLERR: 0x008,
  EPOLLHUP: 0x010,
  EPOLLRDHUP: 0x2000,
  EPOLLET: 0x80000000,
});

/** errno values, from koffi's table for this platform. */
export const ERRNO = koffi.os.errno as Readonly<Record<string, number>>;

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  socketpair(domain: number, type: number, protocol: number, fds: number[]): number;
  bind(fd: number, address: Buffer, length: number): number;
  listen(fd: number, backlog: number): number;
  accept4(fd: number, address: null, length: null, flags: number): number;
  connect(fd: number, address: Buffer, length: number): number;
  getsockopt(fd: number, level: number, name: number, value: Buffer, length: number[]): number;
  shutdown(fd: number, how: number): number;
  close(fd: number): number;
  read(fd: number, buffer: Buffer, length: number): number;
  write(fd: number, buffer: Buffer, length: number): number;
  fcntl(fd: number, command: number, ...args: unknown[]): number;
  eventfd(initial: number, flags: number): number;
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, event: Buffer | null): number;
  epoll_wait: ((epfd: number, events: Buffer, maxEvents: number, timeoutMs: number) => number) & {
    async(epfd: number, events: Buffer, maxEvents: number, timeoutMs: number, callback: (error: unknown, count: number) => void): void;
  };
  /** The last errno of the calling thread, as koffi saved it after the previous call. */
  errno(): number;
}

let loaded: Libc | undefined;

/** The libc binding, loaded on first use (Linux only). */
export function libc(): Libc {
  if (loaded !== undefined) return loaded;
  // The main program's symbols include libc's, whichever libc Node was linked against.
  const lib = koffi.load(null);
  const f = (declaration: string) => lib.func(declaration);
  loaded = {
    socket: f('int socket(int domain, int type, int protocol)'),
    socketpair: f('int socketpair(int domain, int type, int protocol, _Out_ int *fds)'),
    bind: f('int bind(int fd, const void *address, uint32_t length)'),
    listen: f('int listen(int fd, int backlog)'),
    accept4: f('int accept4(int fd, void *address, void *length, int flags)'),
    connect: f('int connect(int fd, const void *address, uint32_t length)'),
    getsockopt: f('int getsockopt(int fd, int level, int name, void *value, _Inout_ uint32_t *length)'),
    shutdown: f('int shutdown(int fd, int how)'),
    close: f('int close(int fd)'),
    read: f('intptr_t read(int fd, void *buffer, size_t length)'),
    write: f('intptr_t write(int fd, const void *buffer, size_t length)'),
    fcntl: f('int fcntl(int fd, int command, ...)'),
    eventfd: f('int eventfd(unsigned int initial, int flags)'),
    epoll_create1: f('int epoll_create1(int flags)'),
    epoll_ctl: f('int epoll_ctl(int epfd, int op, int fd, void *event)'),
    epoll_wait: f('int epoll_wait(int epfd, void *events, int maxEvents, int timeoutMs)'),
    errno: () => koffi.errno(),
  };
  return loaded;
}

/** Makes a descriptor non-blocking (for ones handed over by others, such as process pipes). */
export function setNonBlocking(fd: number): number {
  const c = libc();
  const flags = c.fcntl(fd, LINUX.F_GETFL);
  if (flags < 0) return -c.errno();
  return c.fcntl(fd, LINUX.F_SETFL, 'int', flags | LINUX.O_NONBLOCK) < 0 ? -c.errno() : 0;
}
