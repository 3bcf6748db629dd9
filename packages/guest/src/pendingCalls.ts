/** Slots of the ring at most; a call further behind the newest moves to the stragglers. */
const RING_LIMIT = 4096;
const FIRST_RING_SIZE = 64;

/**
 * The calls of one connection that wait for their answer, by id. Ids are handed out in order from 0
 * and answers mostly come back in about that order, so the calls sit in a ring indexed by id (an
 * array read and a store per call, where a hash map hashes and rehashes); a call left more than
 * RING_LIMIT ids behind (an infinite WaitForProcess) moves to a Map of stragglers, so the ring's
 * memory stays bounded.
 *
 * The ring is one long-lived array whose slots are cleared as calls settle: unlike a Map's tables,
 * which V8 rehashes into fresh old-generation tables once the Map is old, it leaves no discarded
 * copy pointing at settled calls for the young collector to keep alive.
 */
export class PendingCalls<T> {
  private ring: (T | undefined)[] = emptyRing<T>(FIRST_RING_SIZE);
  private mask = FIRST_RING_SIZE - 1;
  /** Ids below `oldest` are in the ring no more; ids from `next` on are not handed out yet. */
  private oldest = 0;
  private next = 0;
  private inRing = 0;
  private readonly stragglers = new Map<number, T>();

  /** The id the next call gets. */
  get nextId(): number {
    return this.next;
  }

  get size(): number {
    return this.inRing + this.stragglers.size;
  }

  /** Registers a call under the next id, which it returns. */
  add(call: T): number {
    if (this.next - this.oldest > this.mask) this.makeRoom();
    const id = this.next++;
    this.ring[id & this.mask] = call;
    this.inRing++;
    return id;
  }

  get(id: number): T | undefined {
    if (id >= this.oldest && id < this.next) return this.ring[id & this.mask];
    return this.stragglers.size === 0 ? undefined : this.stragglers.get(id);
  }

  /** Removes the call with this id and returns it; undefined when no call has it. */
  take(id: number): T | undefined {
    if (id >= this.oldest && id < this.next) {
      const slot = id & this.mask;
      const call = this.ring[slot];
      if (call === undefined) return undefined;
      this.ring[slot] = undefined;
      this.inRing--;
      if (id === this.oldest) this.skipSettled();
      return call;
    }
    if (this.stragglers.size === 0) return undefined;
    const call = this.stragglers.get(id);
    if (call !== undefined) this.stragglers.delete(id);
    return call;
  }

  /** Every waiting call, oldest first, and none left behind. */
  drain(): T[] {
    const calls = [...this.stragglers.values()];
    for (let id = this.oldest; id < this.next; id++) {
      const slot = id & this.mask;
      const call = this.ring[slot];
      if (call !== undefined) calls.push(call);
      this.ring[slot] = undefined;
    }
    this.stragglers.clear();
    this.inRing = 0;
    this.oldest = this.next;
    return calls;
  }

  private skipSettled(): void {
    while (this.oldest < this.next && this.ring[this.oldest & this.mask] === undefined) this.oldest++;
  }

  /** The ring is full: double it up to RING_LIMIT, then move the oldest calls to the stragglers. */
  private makeRoom(): void {
    const size = this.mask + 1;
    if (size < RING_LIMIT) {
      const ring = emptyRing<T>(size * 2);
      const mask = size * 2 - 1;
      for (let id = this.oldest; id < this.next; id++) ring[id & mask] = this.ring[id & this.mask];
      this.ring.fill(undefined);
      this.ring = ring;
      this.mask = mask;
      return;
    }
    // Make a quarter of the ring free, so this runs once per RING_LIMIT / 4 calls at most.
    const keepFrom = this.next - (size - size / 4);
    for (; this.oldest < keepFrom; this.oldest++) {
      const slot = this.oldest & this.mask;
      const call = this.ring[slot];
      if (call === undefined) continue;
      this.stragglers.set(this.oldest, call);
      this.ring[slot] = undefined;
      this.inRing--;
    }
    this.skipSettled();
  }
}

// Array.from makes a packed array (no holes for every read to check for).
function emptyRing<T>(size: number): (T | undefined)[] {
  return Array.from({ length: size }, () => undefined);
}
