import { Duplex, type DuplexOptions } from 'node:stream';

/** `chunk` is null at end of stream. */
export type ReadCallback = (error: Error | null, chunk: Buffer | null) => void;
export type DoneCallback = (error: Error | null) => void;

/**
 * One native descriptor seen completion-style, which both platforms can provide: epoll readiness on
 * Linux is turned into completions, and Windows overlapped I/O is completions already. At most one
 * read and one write are outstanding; a callback may run synchronously when the data is there.
 */
export interface StreamDriver {
  /** Reads what is available (up to the driver's buffer size). */
  read(callback: ReadCallback): void;
  /** Writes all of `chunk`; the callback runs once the kernel has taken every byte. */
  write(chunk: Buffer, callback: DoneCallback): void;
  /** Sends end-of-stream to the peer and keeps the read side open (shutdown(SHUT_WR) / SD_SEND). */
  shutdownWrite(callback: DoneCallback): void;
  /** Releases the descriptor; outstanding callbacks are dropped. Idempotent. */
  close(): void;
}

const HIGH_WATER_MARK = 64 * 1024;

/**
 * A native socket or pipe as a Node Duplex: backpressure comes from the Writable buffer (a write's
 * callback waits for the kernel) and from reading only while `push` returns true; `end()` half-closes;
 * a peer reset destroys the stream with the errno-named error (`ECONNRESET`).
 */
export class NativeStream extends Duplex {
  private reading = false;

  constructor(
    private readonly driver: StreamDriver,
    sides: { readonly readable?: boolean; readonly writable?: boolean } = {},
  ) {
    // `readable`/`writable` are Duplex options since Node 15, missing from @types/node 20's DuplexOptions.
    const options: DuplexOptions & { readable: boolean; writable: boolean } = {
      allowHalfOpen: true,
      readable: sides.readable ?? true,
      writable: sides.writable ?? true,
      readableHighWaterMark: HIGH_WATER_MARK,
      writableHighWaterMark: HIGH_WATER_MARK,
    };
    super(options);
  }

  override _read(): void {
    if (this.reading) return;
    this.reading = true;
    this.pull();
  }

  // Reads that complete synchronously loop here; one that completes later calls pull() again, so
  // the stack never grows with the amount of data.
  private pull(): void {
    for (;;) {
      const call = { inline: true, again: false };
      this.driver.read((error, chunk) => {
        if (error !== null) {
          this.reading = false;
          this.destroy(error);
          return;
        }
        if (chunk === null) {
          this.reading = false;
          this.push(null);
          return;
        }
        if (!this.push(chunk)) {
          this.reading = false;
          return;
        }
        if (call.inline) call.again = true;
        else this.pull();
      });
      call.inline = false;
      if (!call.again) return;
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.driver.write(chunk, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    const [only] = chunks;
    this.driver.write(chunks.length === 1 && only !== undefined ? only.chunk : Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.driver.shutdownWrite(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.driver.close();
    callback(error);
  }
}
