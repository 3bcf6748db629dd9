import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { Duplex } from 'node:stream';
import { join } from 'node:path';
import {
  GCS_NOTIFICATION_TYPE,
  GcsFrameSplitter,
  GcsProcedure,
  encodeFrame,
  gcsRequestType,
  type GcsProcedureName,
} from '@uvm/types';
import { createGcsPeer, type GcsPeer, type GcsPeerOptions } from '@uvm/sim';

export const NULL_GUID = '00000000-0000-0000-0000-000000000000';

/** One message the peer sent. */
export interface Answer {
  readonly type: number;
  readonly id: bigint;
  readonly size: number;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

/** The host end of a bridge, speaking raw frames, for tests of the simulated GCS. */
export class RawHost {
  readonly answers: Answer[] = [];
  readonly notifications: Answer[] = [];
  readonly raw: Buffer[] = [];
  private nextId = 0n;
  private readonly waiting = new Map<bigint, (a: Answer) => void>();
  private notificationWaiters: ((a: Answer) => void)[] = [];
  private readonly splitter = new GcsFrameSplitter();

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      this.splitter.push(chunk, (event) => {
        if (event.kind !== 'frame') return;
        const text = Buffer.from(event.payload).toString('utf8');
        const answer: Answer = { type: event.header.type, id: event.header.id, size: event.header.size, text, body: JSON.parse(text) as Record<string, unknown> };
        if (answer.type === GCS_NOTIFICATION_TYPE) {
          this.notifications.push(answer);
          this.notificationWaiters.shift()?.(answer);
          return;
        }
        this.answers.push(answer);
        const waiter = this.waiting.get(answer.id);
        this.waiting.delete(answer.id);
        waiter?.(answer);
      });
    });
    socket.on('error', () => undefined);
  }

  /** Sends a request (the body as given, or JSON of an object) and resolves with its answer. */
  call(procedure: GcsProcedureName | number, body: string | Record<string, unknown>): Promise<Answer> {
    const type = typeof procedure === 'number' ? procedure : gcsRequestType(GcsProcedure[procedure]);
    const id = this.nextId++;
    const answer = this.answerTo(id);
    this.socket.write(encodeFrame(type, id, typeof body === 'string' ? body : JSON.stringify(body)));
    return answer;
  }

  answerTo(id: bigint): Promise<Answer> {
    const seen = this.answers.find((a) => a.id === id);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Writes frames without waiting, returning their ids (for pipelining). */
  send(procedure: GcsProcedureName, body: Record<string, unknown>): bigint {
    const id = this.nextId++;
    this.socket.write(encodeFrame(gcsRequestType(GcsProcedure[procedure]), id, JSON.stringify(body)));
    return id;
  }

  nextNotification(): Promise<Answer> {
    return new Promise((resolve) => this.notificationWaiters.push(resolve));
  }

  negotiate(): Promise<Answer> {
    return this.call('NegotiateProtocol', { ContainerId: '', ActivityId: NULL_GUID, MinimumVersion: 4, MaximumVersion: 4 });
  }
}

/** The stdio side: one Unix socket listener per port, accepting what the peer dials. */
export class StdioPorts {
  readonly dir = mkdtempSync(join(tmpdir(), 'uvm-sim-'));
  /** Ports in the order the peer dialled them. */
  readonly dialled: number[] = [];
  private readonly servers = new Map<number, { server: Server; accepted: Promise<Socket> }>();

  /** Listens on `port`; `accepted` resolves with the connection the peer makes to it. */
  async listen(port: number): Promise<{ readonly accepted: Promise<Socket> }> {
    const server = createServer({ allowHalfOpen: true });
    const accepted = new Promise<Socket>((resolve) =>
      server.once('connection', (socket) => {
        this.dialled.push(port);
        resolve(socket);
      }),
    );
    await new Promise<void>((resolve) => server.listen(this.path(port), resolve));
    this.servers.set(port, { server, accepted });
    return { accepted };
  }

  /** The connector a peer is given. */
  readonly connector = (port: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ path: this.path(port), allowHalfOpen: true });
      socket.once('connect', () => {
        resolve(socket);
      });
      socket.once('error', reject);
    });

  path(port: number): string {
    return join(this.dir, `${port.toString(16)}.sock`);
  }

  dispose(): void {
    for (const { server } of this.servers.values()) server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PeerSession {
  readonly peer: GcsPeer;
  readonly host: RawHost;
  readonly stdio: StdioPorts;
  close(): Promise<void>;
}

/**
 * A Duplex that is not a socket, in front of a socket: the peer cannot hand it to a process as a
 * descriptor and must relay through pipes.
 */
export function proxied(socket: Socket): Duplex {
  const proxy = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!proxy.push(chunk)) socket.pause();
  });
  socket.on('end', () => proxy.push(null));
  socket.on('error', (error) => proxy.destroy(error));
  return proxy;
}

/** A peer on one end of a Unix socket pair and a raw host on the other. */
export async function peerSession(options: Partial<Omit<GcsPeerOptions, 'transport'>> & { readonly relayThroughPipes?: boolean } = {}): Promise<PeerSession> {
  const stdio = new StdioPorts();
  const path = join(stdio.dir, 'bridge.sock');
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const hostSocket = createConnection({ path });
  const guestSocket = await accepted;
  server.close();
  const { relayThroughPipes, ...peerOptions } = options;
  const stdioConnector = relayThroughPipes === true ? async (port: number) => proxied(await stdio.connector(port)) : stdio.connector;
  const peer = createGcsPeer({ os: 'linux', transport: guestSocket, stdioConnector, ...peerOptions });
  const host = new RawHost(hostSocket);
  return {
    peer,
    host,
    stdio,
    async close() {
      hostSocket.destroy();
      await peer.close();
      stdio.dispose();
    },
  };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}
