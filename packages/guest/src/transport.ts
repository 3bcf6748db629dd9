import type { Duplex } from 'node:stream';

/**
 * Something that yields connections: structurally what `VmSocketListener` of `@uvm/types` and
 * `UtilityVM.listen()` provide, and what a `net` server wrapped in a few lines provides in tests.
 */
export interface DuplexListener {
  /** Resolves with the next connection; rejects when the listener closes or the signal aborts. */
  accept(options?: { readonly signal?: AbortSignal }): Promise<Duplex>;
  /** Stops listening; pending accepts reject. */
  close(): Promise<void>;
}

/** The channel a process stdio relay listens on: the port and the hvsock service id it maps to. */
export interface StdioChannel {
  /** The vsock port, allocated from `0x40000001` upwards, one per pipe (gcs-bridge.md §3.8). */
  readonly port: number;
  /** `vsockServiceId(port)`: the hvsock service id the host listens on for that port. */
  readonly serviceId: string;
}

/**
 * Binds a listener for one stdio relay channel. The host layer passes hvsock listeners on the
 * UVM's runtime id (`(channel) => vm.listen(channel.serviceId)`); tests pass anything.
 */
export type StdioListenerFactory = (
  channel: StdioChannel,
  options: { readonly signal?: AbortSignal },
) => DuplexListener | Promise<DuplexListener>;

/** Per-call options every async method takes. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Fails this call (not the connection) with a `TimeoutError` when the guest has not answered in time. */
  readonly timeoutMs?: number;
}

/** True when `value` looks like a {@link DuplexListener} rather than a stream. */
export function isDuplexListener(value: unknown): value is DuplexListener {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<DuplexListener> & { pipe?: unknown };
  return typeof candidate.accept === 'function' && typeof candidate.close === 'function' && typeof candidate.pipe !== 'function';
}
