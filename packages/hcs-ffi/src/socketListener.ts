import type { Duplex } from 'node:stream';
import { ConnectionClosedError, abortReason, throwIfAborted } from '@uvm/types';
import { toError } from './toError.js';

export type AcceptCallback = (error: Error | null, connection: Duplex | null) => void;

/** A listening descriptor seen completion-style: one accept outstanding at a time. */
export interface AcceptDriver {
  accept(callback: AcceptCallback): void;
  /** Stops listening; an outstanding accept callback is dropped. Idempotent. */
  close(): void;
}

interface Waiter {
  resolve(connection: Duplex): void;
  reject(error: Error): void;
}

/**
 * A listening socket. `accept()` resolves with the next connection as a Duplex; calls queue up in
 * order. A connection that arrives for an accept that was aborted is kept for the next one.
 */
export class NativeSocketListener implements AsyncDisposable {
  private readonly waiters: Waiter[] = [];
  private readonly ready: Duplex[] = [];
  private accepting = false;
  private isClosed = false;

  /**
   * @param driver the listening descriptor
   * @param address what it is bound to, for messages (`unix:/run/x.sock`, `vsock:1:5000`, `hvsock:<vm>:<service>`)
   */
  constructor(
    private readonly driver: AcceptDriver,
    readonly address: string,
  ) {}

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Resolves with the next connection; rejects when the listener closes or the signal aborts. */
  accept(options: { readonly signal?: AbortSignal } = {}): Promise<Duplex> {
    const { signal } = options;
    if (this.isClosed) return Promise.reject(this.closedError());
    try {
      throwIfAborted(signal, 'accept');
    } catch (error) {
      return Promise.reject(toError(error));
    }
    const next = this.ready.shift();
    if (next !== undefined) return Promise.resolve(next);
    return new Promise<Duplex>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal as AbortSignal, 'accept'));
      };
      const waiter: Waiter = {
        resolve: (c) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.acceptNext();
    });
  }

  /** Stops listening; pending accepts reject and unclaimed connections are closed. Idempotent. */
  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.isClosed = true;
    this.driver.close();
    for (const connection of this.ready.splice(0)) connection.destroy();
    const error = this.closedError();
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private acceptNext(): void {
    if (this.accepting || this.isClosed || this.waiters.length === 0) return;
    this.accepting = true;
    this.driver.accept((error, connection) => {
      this.accepting = false;
      if (this.isClosed) {
        connection?.destroy();
        return;
      }
      const waiter = this.waiters.shift();
      if (error !== null || connection === null) {
        waiter?.reject(error ?? this.closedError());
      } else if (waiter === undefined) {
        this.ready.push(connection);
      } else {
        waiter.resolve(connection);
      }
      this.acceptNext();
    });
  }

  private closedError(): Error {
    return new ConnectionClosedError(`The listener on ${this.address} is closed; listen again to accept connections.`);
  }
}
