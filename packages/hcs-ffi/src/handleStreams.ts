import { DescriptorStreamDriver } from './descriptorDriver.js';
import { iocpPump } from './iocpPump.js';
import { setNonBlocking } from './libc.js';
import { NativeStream } from './nativeStream.js';
import { OverlappedStreamDriver } from './overlappedDriver.js';
import { errnoError } from './socketErrors.js';

/**
 * One of a process's standard handles (from HCS_PROCESS_INFORMATION) as a one-way stream on the
 * pump. The stream owns the handle and closes it when destroyed. On Windows the handle is an
 * overlapped pipe; on Linux (the test double) it is a file descriptor.
 */
export function openHandleStream(handle: bigint, direction: 'read' | 'write'): NativeStream {
  const sides = direction === 'read' ? { writable: false } : { readable: false };
  if (process.platform === 'win32') return new NativeStream(new OverlappedStreamDriver(handle, false, iocpPump()), sides);
  const fd = Number(handle);
  const failed = setNonBlocking(fd);
  if (failed < 0) throw errnoError(-failed, 'fcntl', `std handle ${fd}`);
  return new NativeStream(new DescriptorStreamDriver(fd, 'pipe'), sides);
}
