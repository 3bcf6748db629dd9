import type { Duplex } from 'node:stream';
import {
  ConnectionClosedError,
  HV_VM_ID,
  ValidationError,
  abortReason,
  isGuid,
  showValue,
  type ValidationIssue,
  type VmSocketListener,
} from '@uvm/types';
import { createDuplexPair } from '../duplexPair.js';

/** Which side of the partition boundary bound a listener. */
type Side = 'host' | 'guest';

interface PendingAccept {
  readonly resolve: (connection: Duplex) => void;
  readonly reject: (error: Error) => void;
}

/** A socket error shaped like Node's (`code` is the errno name), so callers handle it the same way. */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * In-process Hyper-V sockets. An address is (VM id, service id); the host binds listeners on the
 * guest's runtime id (or the wildcard id) and the guest dials them, and the other way round for
 * services the guest offers. Every connection is a duplex pair; the hub counts what is open so a
 * test can prove nothing leaked.
 */
export class VmSocketHub {
  private readonly listeners = new Map<string, HubListener>();
  private readonly connectionsByVm = new Map<string, Set<Duplex>>();
  private openConnections = 0;

  get listenerCount(): number {
    return this.listeners.size;
  }

  get connectionCount(): number {
    return this.openConnections;
  }

  /** Binds a listener. A second bind of the same address fails with `EADDRINUSE`, as a socket does. */
  listen(side: Side, vmId: string, serviceId: string): VmSocketListener {
    checkAddress(vmId, serviceId);
    const key = addressKey(side, vmId, serviceId);
    if (this.listeners.has(key)) {
      throw socketError('EADDRINUSE', `bind EADDRINUSE: a ${side} listener already holds hvsock address (${vmId.toLowerCase()}, ${serviceId.toLowerCase()}).`);
    }
    const listener = new HubListener(vmId.toLowerCase(), serviceId.toLowerCase(), () => this.listeners.delete(key));
    this.listeners.set(key, listener);
    return listener;
  }

  /**
   * Connects from `from` (the dialling side) to the listener the other side bound for `vmId`
   * (falling back to the other side's wildcard listener). Rejects with `ECONNREFUSED` when nobody
   * listens, like an hvsock connect.
   */
  dial(from: Side, vmId: string, serviceId: string): Duplex {
    checkAddress(vmId, serviceId);
    const to: Side = from === 'host' ? 'guest' : 'host';
    const listener = this.listeners.get(addressKey(to, vmId, serviceId)) ?? this.listeners.get(addressKey(to, HV_VM_ID.wildcard, serviceId));
    if (listener === undefined) {
      throw socketError('ECONNREFUSED', `connect ECONNREFUSED: nobody listens on hvsock address (${vmId.toLowerCase()}, ${serviceId.toLowerCase()}) on the ${to} side.`);
    }
    const [dialer, accepted] = createDuplexPair();
    this.track(vmId.toLowerCase(), dialer, accepted);
    listener.offer(accepted);
    return dialer;
  }

  /** The VM stopped: its end of every connection goes away, so the other end reads EOF. */
  dropVm(vmId: string): void {
    for (const stream of this.connectionsByVm.get(vmId.toLowerCase()) ?? []) stream.destroy();
    // Guest-side listeners die with the guest; host listeners stay bound until their owner closes them.
    for (const [key, listener] of this.listeners) {
      if (key.startsWith(`guest/${vmId.toLowerCase()}/`)) void listener.close();
    }
  }

  /** Closes every listener and connection (the backend is closing). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.close()));
    for (const set of this.connectionsByVm.values()) for (const stream of set) stream.destroy();
  }

  private track(vmId: string, a: Duplex, b: Duplex): void {
    let set = this.connectionsByVm.get(vmId);
    if (set === undefined) {
      set = new Set();
      this.connectionsByVm.set(vmId, set);
    }
    const streams = set;
    let open = 2;
    this.openConnections++;
    const closed = (stream: Duplex) => () => {
      streams.delete(stream);
      if (--open === 0) this.openConnections--;
      if (streams.size === 0) this.connectionsByVm.delete(vmId);
    };
    for (const stream of [a, b]) {
      streams.add(stream);
      stream.once('close', closed(stream));
    }
  }
}

function addressKey(side: Side, vmId: string, serviceId: string): string {
  return `${side}/${vmId.toLowerCase()}/${serviceId.toLowerCase()}`;
}

function checkAddress(vmId: unknown, serviceId: unknown): void {
  const issues: ValidationIssue[] = [];
  if (!isGuid(vmId)) issues.push({ path: '/vmId', message: `vmId must be a GUID (the VM's runtime id); got ${showValue(vmId)}.` });
  if (!isGuid(serviceId)) {
    issues.push({ path: '/serviceId', message: `serviceId must be a GUID (vsockServiceId(port) gives the one for a vsock port); got ${showValue(serviceId)}.` });
  }
  if (issues.length > 0) throw new ValidationError('hvsock address', issues);
}

/** One bound address: connections queue until accepted; closing rejects pending accepts. */
class HubListener implements VmSocketListener {
  private readonly backlog: Duplex[] = [];
  private readonly waiting = new Set<PendingAccept>();
  private closed = false;

  constructor(
    readonly vmId: string,
    readonly serviceId: string,
    private readonly unbind: () => void,
  ) {}

  offer(connection: Duplex): void {
    const next = this.waiting.values().next();
    if (!next.done) {
      this.waiting.delete(next.value);
      next.value.resolve(connection);
    } else {
      this.backlog.push(connection);
    }
  }

  accept(options?: { readonly signal?: AbortSignal }): Promise<Duplex> {
    const signal = options?.signal;
    if (this.closed) return Promise.reject(new ConnectionClosedError(`The hvsock listener on (${this.vmId}, ${this.serviceId}) is closed.`));
    if (signal?.aborted === true) return Promise.reject(abortReason(signal, 'accept'));
    const queued = this.backlog.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise<Duplex>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(pending);
        reject(abortReason(signal as AbortSignal, 'accept'));
      };
      const pending: PendingAccept = {
        resolve: (connection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.waiting.add(pending);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.unbind();
    const error = new ConnectionClosedError(`The hvsock listener on (${this.vmId}, ${this.serviceId}) was closed while accepting.`);
    for (const pending of this.waiting) pending.reject(error);
    this.waiting.clear();
    // Connections nobody accepted are refused after the fact: the dialler reads EOF.
    for (const connection of this.backlog.splice(0)) connection.destroy();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
