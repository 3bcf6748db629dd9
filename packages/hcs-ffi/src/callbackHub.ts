import koffi from 'koffi';
import { HCS_EVENT, HCS_EVENT_CALLBACK, HCS_OPERATION_COMPLETION } from './nativeTypes.js';

type CompletionHandler = () => void;
type EventHandler = (type: number, data: string | undefined) => void;

interface CopiedEvent {
  readonly target: number;
  readonly type: number;
  readonly data: string | undefined;
}

interface RawEvent {
  readonly Type: number;
  readonly EventData: string | null;
}

/**
 * The one bridge between HCS's threads and the event loop, shared by every computecore binding in
 * the process: a single registered completion callback and a single registered event callback.
 * HCS gets a small number as the context, never a pointer into JS memory (ecosystem.md §1.11); the
 * number maps to a handler here. koffi runs a callback from a foreign thread on the main thread and
 * blocks that thread until it returns, so the callbacks only copy what they need and queue it; the
 * handlers run later from setImmediate.
 */
class CallbackHub {
  private nextId = 1;
  private readonly completions = new Map<number, CompletionHandler>();
  private readonly eventTargets = new Map<number, EventHandler>();
  private readonly queue: (number | CopiedEvent)[] = [];
  private drainScheduled = false;
  private completionPointer: bigint | undefined;
  private eventPointer: bigint | undefined;
  private holds = 0;
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  /** The registered HCS_OPERATION_COMPLETION, created on first use and kept for the process's life. */
  get completionCallback(): bigint {
    this.completionPointer ??= koffi.register((_operation: unknown, context: unknown) => {
      this.enqueue(toId(context));
    }, koffi.pointer(HCS_OPERATION_COMPLETION));
    return this.completionPointer;
  }

  /** The registered HCS_EVENT_CALLBACK. */
  get eventCallback(): bigint {
    this.eventPointer ??= koffi.register((event: unknown, context: unknown) => {
      if (typeof event !== 'bigint') return;
      const raw = koffi.decode(event, HCS_EVENT) as RawEvent;
      this.enqueue({ target: toId(context), type: raw.Type >>> 0, data: raw.EventData ?? undefined });
    }, koffi.pointer(HCS_EVENT_CALLBACK));
    return this.eventPointer;
  }

  /** A context id whose completion runs `handler` once. */
  expectCompletion(handler: CompletionHandler): number {
    const id = this.nextId++;
    this.completions.set(id, handler);
    return id;
  }

  /** Forgets a completion that will never come (the call that would start the operation failed). */
  cancelCompletion(id: number): void {
    this.completions.delete(id);
  }

  /** A context id whose events run `handler` until {@link removeEventTarget}. */
  addEventTarget(handler: EventHandler): number {
    const id = this.nextId++;
    this.eventTargets.set(id, handler);
    return id;
  }

  removeEventTarget(id: number): void {
    this.eventTargets.delete(id);
  }

  /**
   * Keeps the process alive until the returned function is called. koffi's relay from foreign
   * threads is unref'd (ecosystem.md §1.7), so without this a process awaiting HCS would just exit.
   */
  hold(): () => void {
    this.holds++;
    this.keepAlive ??= setInterval(() => undefined, 1 << 30);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0 && this.keepAlive !== undefined) {
        clearInterval(this.keepAlive);
        this.keepAlive = undefined;
      }
    };
  }

  stats(): { pendingCompletions: number; eventTargets: number; keepAliveHolds: number } {
    return { pendingCompletions: this.completions.size, eventTargets: this.eventTargets.size, keepAliveHolds: this.holds };
  }

  private enqueue(item: number | CopiedEvent): void {
    this.queue.push(item);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => {
        this.drain();
      });
    }
  }

  private drain(): void {
    this.drainScheduled = false;
    const items = this.queue.splice(0);
    for (const item of items) {
      try {
        if (typeof item === 'number') {
          const handler = this.completions.get(item);
          this.completions.delete(item);
          handler?.();
        } else {
          // Unknown ids are events for a handle already closed: dropped, as hcsshim does.
          this.eventTargets.get(item.target)?.(item.type, item.data);
        }
      } catch (error) {
        // A handler bug must not stop the other completions; it surfaces as an uncaught exception.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

function toId(context: unknown): number {
  return typeof context === 'bigint' ? Number(context) : typeof context === 'number' ? context : 0;
}

/** The process-wide hub. */
export const callbackHub = new CallbackHub();
