import { callbackHub } from './callbackHub.js';
import type { CompletionPump } from './completionPump.js';

const pumps: (() => CompletionPump | undefined)[] = [];

/** Lets a pump module report itself without this module loading it (and its platform's libraries). */
export function reportPump(get: () => CompletionPump | undefined): void {
  pumps.push(get);
}

/** What the native layer holds right now, for leak checks and diagnostics. */
export interface NativeStats {
  /** HCS operations waiting for their completion callback. */
  readonly pendingOperations: number;
  /** Handles (systems, processes) receiving HCS events. */
  readonly eventRegistrations: number;
  /** Waits that keep the process alive (pending operations and exit waits). */
  readonly keepAliveHolds: number;
  /** Sockets and pending I/O using the socket pump. */
  readonly pumpUsers: number;
  /** Native waits the pump has pending on the libuv pool: never more than 1. */
  readonly pumpPendingWaits: number;
}

/** Counts of what the native layer holds: zero everywhere once everything is closed. */
export function nativeStats(): NativeStats {
  const hub = callbackHub.stats();
  let pumpUsers = 0;
  let pumpPendingWaits = 0;
  for (const get of pumps) {
    const stats = get()?.stats();
    pumpUsers += stats?.users ?? 0;
    pumpPendingWaits += stats?.pendingWaits ?? 0;
  }
  return { pendingOperations: hub.pendingCompletions, eventRegistrations: hub.eventTargets, keepAliveHolds: hub.keepAliveHolds, pumpUsers, pumpPendingWaits };
}
