import { toError } from './toError.js';

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
  private dispatching = false;
  private waits = 0;

  /** Starts the one native wait; `done` runs on the main thread with the number of events it got. */
  protected abstract startWait(done: (error: unknown, count: number) => void): void;
  /** Collects events that are already there without waiting (timeout 0), on the calling thread. */
  protected abstract pollNow(): number;
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
    if (this.waiting || this.dispatching || this.users === 0) return;
    this.waiting = true;
    this.startWait((error, count) => {
      this.waiting = false;
      this.waits++;
      if (error !== null && error !== undefined) {
        // The wait itself failing means the pump's own descriptor is broken; nothing can recover.
        queueMicrotask(() => {
          throw toError(error);
        });
        return;
      }
      this.dispatching = true;
      try {
        this.dispatch(count);
        // Handling events usually makes more ready (a read frees the writer's buffer): take those
        // at once instead of paying a round trip through the pool for each. Bounded, so timers and
        // other callbacks still get their turn.
        for (let round = 0; round < INLINE_POLLS && this.users > 0; round++) {
          const more = this.pollNow();
          if (more <= 0) break;
          this.dispatch(more);
        }
      } catch (dispatchError) {
        queueMicrotask(() => {
          throw toError(dispatchError);
        });
      } finally {
        this.dispatching = false;
      }
      this.kick();
    });
  }
}

const INLINE_POLLS = 8;
