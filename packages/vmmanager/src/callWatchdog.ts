import type { Logger } from '@uvm/types';

/** One HCS call under watch; `slot` is its place in the watchdog's list while it is watched. */
interface Watched {
  readonly operation: string;
  readonly limitMs: number;
  readonly logger: Logger;
  slot: number;
  /** The first sweep that found the call running: the call started no later than this. */
  seenAt: number;
}

const SWEEP_MS = 1000;
const NOT_SEEN = -1;

/**
 * hcsshim's syscall watcher: an HCS call that runs past its limit is logged as a warning, and is
 * never abandoned (abandoning one has crashed computecore.dll, ecosystem.md §1.11). One sweeping
 * timer serves every call in flight, so watching costs no timer per call; the calls sit in a plain
 * array (an ended call's slot takes the last call), so a watch costs no hashing either.
 *
 * Nearly every call ends before the next sweep, so a call reads no clock: the first sweep that
 * finds it running notes the time, and it is reported once at least its limit has passed since
 * then. A warning therefore never comes early, and comes at most two sweeps late.
 */
class CallWatchdog {
  private readonly calls: Watched[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweepMs = SWEEP_MS;

  /** Starts watching a call; pass the result to {@link CallWatchdog.end} once it settled. */
  begin(operation: string, limitMs: number, logger: Logger): object {
    const entry: Watched = { operation, limitMs, logger, slot: this.calls.length, seenAt: NOT_SEEN };
    this.calls.push(entry);
    if (limitMs < this.sweepMs) {
      this.sweepMs = Math.max(1, limitMs);
      this.stop();
    }
    this.timer ??= setInterval(() => {
      this.sweep();
    }, this.sweepMs).unref();
    return entry;
  }

  end(entry: object): void {
    this.forget(entry as Watched);
  }

  private forget(entry: Watched): void {
    const slot = entry.slot;
    if (slot < 0) return;
    entry.slot = -1;
    const last = this.calls.pop();
    if (last !== undefined && last !== entry) {
      this.calls[slot] = last;
      last.slot = slot;
    }
  }

  private sweep(): void {
    // The timer stops at the first sweep with nothing in flight, not at every lull between calls.
    if (this.calls.length === 0) {
      this.stop();
      return;
    }
    const now = Date.now();
    const overdue: Watched[] = [];
    for (const entry of this.calls) {
      if (entry.seenAt === NOT_SEEN) entry.seenAt = now;
      else if (now - entry.seenAt >= entry.limitMs) overdue.push(entry);
    }
    for (const entry of overdue) {
      // Warn once per call; the call goes on and settles normally.
      this.forget(entry);
      const elapsedMs = now - entry.seenAt;
      try {
        entry.logger.warn({ operation: entry.operation, elapsedMs }, `${entry.operation} has been running for at least ${elapsedMs} ms; it is not abandoned`);
      } catch {
        // A caller's logger that throws must not take the process down from inside a timer.
      }
    }
  }

  private stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.calls.length === 0) this.sweepMs = SWEEP_MS;
  }
}

/** The process-wide watchdog every UtilityVM reports its HCS calls to. */
export const callWatchdog = new CallWatchdog();
