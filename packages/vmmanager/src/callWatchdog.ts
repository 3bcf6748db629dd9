import type { Logger } from '@uvm/types';

interface Watched {
  readonly operation: string;
  readonly startedAt: number;
  readonly limitMs: number;
  readonly logger: Logger;
}

const SWEEP_MS = 1000;

/**
 * hcsshim's syscall watcher: an HCS call that runs past its limit is logged as a warning, and is
 * never abandoned (abandoning one has crashed computecore.dll, ecosystem.md §1.11). One sweeping
 * timer serves every call in flight, so watching costs no timer per call.
 */
class CallWatchdog {
  private readonly calls = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private sweepMs = SWEEP_MS;

  /** Starts watching a call; pass the result to {@link CallWatchdog.end} once it settled. */
  begin(operation: string, limitMs: number, logger: Logger): object {
    const entry: Watched = { operation, startedAt: Date.now(), limitMs, logger };
    this.calls.add(entry);
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
    this.calls.delete(entry as Watched);
  }

  private sweep(): void {
    // The timer stops at the first sweep with nothing in flight, not at every lull between calls.
    if (this.calls.size === 0) {
      this.stop();
      return;
    }
    const now = Date.now();
    for (const entry of this.calls) {
      const elapsedMs = now - entry.startedAt;
      if (elapsedMs < entry.limitMs) continue;
      // Warn once per call; the call goes on and settles normally.
      this.calls.delete(entry);
      entry.logger.warn({ operation: entry.operation, elapsedMs }, `${entry.operation} is still running after ${elapsedMs} ms; it is not abandoned`);
    }
  }

  private stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.calls.size === 0) this.sweepMs = SWEEP_MS;
  }
}

/** The process-wide watchdog every UtilityVM reports its HCS calls to. */
export const callWatchdog = new CallWatchdog();
