import type { Duplex } from 'node:stream';
import { ValidationError, abortReason, vsockServiceId, type Logger } from '@uvm/types';
import { raceAbort } from './deadline.js';
import type { DuplexListener, StdioChannel, StdioListenerFactory } from './transport.js';

export type StdioName = 'stdin' | 'stdout' | 'stderr';

const NAMES: readonly StdioName[] = ['stdin', 'stdout', 'stderr'];

/** The connected relay streams of one process; a stream is absent when its pipe was not asked for. */
export interface StdioStreams {
  readonly stdin?: Duplex;
  readonly stdout?: Duplex;
  readonly stderr?: Duplex;
}

interface OpenChannel {
  readonly name: StdioName;
  readonly channel: StdioChannel;
  readonly listener: DuplexListener;
  readonly accepted: Promise<Duplex>;
}

/**
 * The relay channels of one ExecuteProcess (gcs-bridge.md §3.8, §5.4): a listener per requested
 * pipe, bound before the request goes out and accepting at once, because the guest dials while it
 * handles the request and answers only after all its dials.
 */
export class StdioChannels {
  private closed = false;
  private readonly sockets = new Set<Duplex>();

  private constructor(
    private readonly open: readonly OpenChannel[],
    private readonly logger: Logger,
  ) {}

  /**
   * Binds a listener for each wanted pipe on the ports `allocate` hands out (stdin, then stdout,
   * then stderr) and starts accepting. Closes whatever it bound when a later bind fails.
   */
  static async listen(
    wanted: Readonly<Record<StdioName, boolean>>,
    factory: StdioListenerFactory | undefined,
    allocate: () => number,
    logger: Logger,
    signal?: AbortSignal,
  ): Promise<StdioChannels> {
    const names = NAMES.filter((name) => wanted[name]);
    if (names.length === 0) return new StdioChannels([], logger);
    if (factory === undefined) {
      throw new ValidationError('process stdio', [
        {
          path: '/stdio',
          message: `the process asks for ${names.join(', ')} pipes, but the guest has no stdio listener factory; pass stdioListener to Guest.connect (the host layer provides hvsock listeners) or set CreateStd*Pipe to false.`,
        },
      ]);
    }
    const open: OpenChannel[] = [];
    try {
      for (const name of names) {
        if (signal?.aborted === true) throw abortReason(signal, 'listening for process stdio');
        const port = allocate();
        const channel: StdioChannel = { port, serviceId: vsockServiceId(port) };
        const listener = await factory(channel, signal === undefined ? {} : { signal });
        const accepted = listener.accept();
        // Observed here so a failed accept is never an unhandled rejection; connected() reports it.
        accepted.catch(() => undefined);
        open.push({ name, channel, listener, accepted });
      }
    } catch (error) {
      await closeAll(open, logger);
      throw error;
    }
    return new StdioChannels(open, logger);
  }

  /** The channel of each pipe, for the request's relay settings. */
  get channels(): Partial<Record<StdioName, StdioChannel>> {
    const result: Partial<Record<StdioName, StdioChannel>> = {};
    for (const o of this.open) result[o.name] = o.channel;
    return result;
  }

  /**
   * Waits for the guest's dial on every channel and closes the listeners (one accept each). Called
   * after the ExecuteProcess answer, when the guest has already dialled all of them.
   */
  async connected(signal?: AbortSignal): Promise<StdioStreams> {
    const streams: Partial<Record<StdioName, Duplex>> = {};
    try {
      for (const o of this.open) {
        const socket = await raceAbort(o.accepted, signal, `accepting the guest's ${o.name} connection on port 0x${o.channel.port.toString(16)}`);
        this.sockets.add(socket);
        streams[o.name] = socket;
      }
    } finally {
      await closeAll(this.open, this.logger);
    }
    return streams;
  }

  /** Closes the listeners and any connection accepted on them. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const o of this.open) {
      void o.accepted.then((socket) => socket.destroy(), () => undefined);
    }
    for (const socket of this.sockets) socket.destroy();
    await closeAll(this.open, this.logger);
  }
}

async function closeAll(open: readonly OpenChannel[], logger: Logger): Promise<void> {
  await Promise.all(
    open.map(async (o) => {
      try {
        await o.listener.close();
      } catch (error) {
        logger.warn({ err: error, port: o.channel.port }, 'closing a stdio relay listener failed');
      }
    }),
  );
}
