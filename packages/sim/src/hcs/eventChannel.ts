/**
 * The events of one open handle. HCS calls back on its own threads and the backends relay the
 * callbacks to the event loop, so events arrive asynchronously, in order, and only while the handle
 * is open; a listener that throws does not stop the others.
 */
export class EventChannel<E> {
  private readonly listeners = new Set<(event: E) => void>();
  private queue: E[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly onListenerError: (error: unknown) => void,
    /** Runs after each event reached the listeners (for waiters that follow the event). */
    private readonly afterDelivery: (event: E) => void = () => undefined,
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  add(listener: (event: E) => void): () => void {
    if (this.closed) return () => undefined;
    const wrapped = (event: E) => {
      listener(event);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  post(event: E): void {
    if (this.closed) return;
    this.queue.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.flush();
    });
  }

  /** Stops delivery: queued events are dropped, as HCS drains callbacks when a handle closes. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.listeners.clear();
  }

  private flush(): void {
    this.scheduled = false;
    const events = this.queue;
    this.queue = [];
    for (const event of events) {
      if (this.closed) return;
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (error) {
          this.onListenerError(error);
        }
      }
      this.afterDelivery(event);
    }
  }
}
