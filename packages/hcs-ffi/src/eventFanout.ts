import type { Logger } from '@uvm/types';

/** Listeners of one handle's events. A listener that throws is logged and never stops the others. */
export class EventFanout<E> {
  private readonly listeners = new Set<(event: E) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly source: string,
  ) {}

  add(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, source: this.source }, 'An HCS event listener threw; the error was dropped.');
      }
    }
  }
}
