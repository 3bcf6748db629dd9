import { Duplex } from 'node:stream';

/**
 * One end of an in-memory connection. Bytes written here are read from the other end, with
 * backpressure (a write completes only once the peer's reader has room), half-close (`end()` gives
 * the peer EOF) and close (destroying one end gives the peer EOF; the peer's later writes fail
 * with `EPIPE`, as on a socket whose other side has gone).
 */
class PairedDuplex extends Duplex {
  peer: PairedDuplex | undefined;
  /** The write of the peer that is waiting until this end reads again. */
  private blockedWrite: ((error?: Error | null) => void) | undefined;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed || peer.readableEnded) {
      callback(epipe());
      return;
    }
    if (peer.push(chunk)) callback();
    else peer.blockedWrite = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer !== undefined && !peer.destroyed) peer.push(null);
    callback();
  }

  override _read(): void {
    const resume = this.blockedWrite;
    this.blockedWrite = undefined;
    resume?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A writer blocked on this end must not wait forever: its bytes are lost, like on a socket.
    const blocked = this.blockedWrite;
    this.blockedWrite = undefined;
    blocked?.(epipe());
    const peer = this.peer;
    this.peer = undefined;
    if (peer !== undefined && !peer.destroyed && !peer.readableEnded) peer.push(null);
    callback(error);
  }
}

function epipe(): Error {
  return Object.assign(new Error('write EPIPE: the other end of the connection is closed'), { code: 'EPIPE' });
}

/**
 * Two connected `Duplex` streams, like the two ends of a socket: what one writes the other reads.
 * The simulator uses it for VM socket connections and process stdio; tests can use it as a
 * transport for anything that takes a `Duplex`.
 */
export function createDuplexPair(options?: { readonly highWaterMark?: number }): [Duplex, Duplex] {
  const streamOptions = options?.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark };
  const a = new PairedDuplex(streamOptions);
  const b = new PairedDuplex(streamOptions);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
