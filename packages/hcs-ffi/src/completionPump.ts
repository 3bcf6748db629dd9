/**
 * The part of the socket pump both platforms share: exactly one native wait is pending at any time
 * (epoll_wait on Linux, GetQueuedCompletionStatusEx on Windows), run on the libuv pool, however many
 * sockets are open, so open connections never each pin a pool thread. The wait runs only while
 * something uses the pump; when the last user leaves, the pending wait is woken and not re-issued,
 * so an idle pump does not keep the process alive.
 */
export abstract class CompletionPump {
  private users = 0;
  private waiting = false;
  private waits = 0;

  /** Starts the one native wait; `done` runs on the main thread with the number of events it got. */
  protected abstract startWait(done: (error: unknown, count: number) => void): void;
  /** Makes a pending wait return early. */
  protected abstract wake(): void;
  /** Hands the events of a finished wait to their sockets. */
  protected abstract dispatch(count: number): void;

  /** Something (a socket, a pending I/O) needs events; the wait runs while any user remains. */
  protected retain(): void {
    this.users++;
    this.kick();
  }

  protected release(): void {
    this.users--;
    if (this.users === 0 && this.waiting) this.wake();
  }

  /** How many users there are and how many native waits are pending (never more than one). */
  stats(): { users: number; pendingWaits: number; completedWaits: number } {
    return { users: this.users, pendingWaits: this.waiting ? 1 : 0, completedWaits: this.waits };
  }

  private kick(): void {
    if (this.waiting || this.users === 0) return;
    this.waiting = true;
    this.startWait((error, count) => {
      this.waiting = false;
      this.waits++;
      if (error !== null && error !== undefined) {
        // The wait itself failing means the pump's own descriptor is broken; nothing can recover.
        queueMicrotask(() => {
          throw error;
        });
        return;
      }
      try {
        this.dispatch(count);
      } catch (dispatchError) {
        queueMicrotask(() => {
          throw dispatchError;
        });
      }
      this.kick();
    });
  }
}
