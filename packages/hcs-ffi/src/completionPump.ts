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
  private nudged = false;
  private scheduled = false;
  private waits = 0;

  /** Starts the one native wait; `done` runs on the main thread with the number of events it got. */
  protected abstract startWait(done: (error: unknown, count: number) => void): void;
  /**
   * Collects events that are already there without waiting (timeout 0), on the calling thread. It
   * may run while the wait is pending on the pool, so it must use its own event buffer.
   */
  protected abstract pollNow(): number;
  /** Makes a pending wait return early. */
  protected abstract wake(): void;
  /** Hands the events of a finished wait (`from: 'wait'`) or poll (`'poll'`) to their sockets. */
  protected abstract dispatch(count: number, from: 'wait' | 'poll'): void;

  /** Something (a socket, a pending I/O) needs events; the wait runs while any user remains. */
  protected retain(): void {
    this.users++;
    this.kick();
  }

  protected release(): void {
    this.users--;
    if (this.users === 0 && this.waiting) this.wake();
  }

  /**
   * Asks for a zero-timeout poll on the next turn of the event loop, after I/O that may have made
   * something ready (a write a local peer will read). Such events are then taken on the main thread
   * at once instead of after a round trip through the pool; the pending wait stays as it is.
   */
  nudge(): void {
    if (this.nudged) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      if (!this.dispatching && this.users > 0) this.takeReady();
      this.kick();
    });
  }

  /** How many users there are and how many native waits are pending (never more than one). */
  stats(): { users: number; pendingWaits: number; completedWaits: number } {
    return { users: this.users, pendingWaits: this.waiting ? 1 : 0, completedWaits: this.waits };
  }

  /**
   * Starts the native wait, one turn of the event loop from now. That turn first polls on this
   * thread: while traffic flows, events are found there and the pool is never involved; the wait
   * on the pool starts only once a poll finds nothing.
   */
  private kick(): void {
    if (this.waiting || this.dispatching || this.scheduled || this.users === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.waiting || this.dispatching || this.users === 0) return;
      if (this.takeReady()) {
        this.kick();
        return;
      }
      this.wait();
    });
  }

  private wait(): void {
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
      this.handle(count);
      this.kick();
    });
  }

  /** Polls without waiting and hands out what it finds; true when there was something. */
  private takeReady(): boolean {
    let found = false;
    this.handle(() => {
      const count = this.pollNow();
      found = count > 0;
      return count;
    });
    return found;
  }

  /**
   * Dispatches `first` events (or the events a first poll finds), then keeps taking events that are
   * already queued: handling events usually makes more ready (a read frees the writer's buffer).
   * Bounded, so timers and other callbacks still get their turn.
   */
  private handle(first: number | (() => number)): void {
    this.dispatching = true;
    try {
      let count = typeof first === 'number' ? first : first();
      if (typeof first === 'number') this.dispatch(count, 'wait');
      else if (count > 0) this.dispatch(count, 'poll');
      for (let round = 0; count > 0 && round < INLINE_POLLS && this.users > 0; round++) {
        count = this.pollNow();
        if (count > 0) this.dispatch(count, 'poll');
      }
    } catch (error) {
      queueMicrotask(() => {
        throw toError(error);
      });
    } finally {
      this.dispatching = false;
    }
  }
}

const INLINE_POLLS = 8;
