import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, type DuplexListener, type GuestConnectOptions, type GuestOs, type StdioListenerFactory } from '@uvm/guest';
import { createGcsPeer, type GcsPeer, type GcsPeerOptions } from '@uvm/sim';

/** A listener on a Unix socket path, structurally what the host layer's hvsock listener is. */
async function unixListener(path: string): Promise<DuplexListener> {
  const server = createServer({ allowHalfOpen: true });
  const queue: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  server.on('connection', (socket) => {
    const next = waiting.shift();
    if (next === undefined) queue.push(socket);
    else next(socket);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    accept: () => {
      const ready = queue.shift();
      return ready === undefined ? new Promise<Socket>((resolve) => waiting.push(resolve)) : Promise.resolve(ready);
    },
    close: () => {
      server.close();
      return Promise.resolve();
    },
  };
}

function dial(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path, allowHalfOpen: true });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export interface GuestWithPeer<O extends GuestOs> {
  readonly guest: Guest<O>;
  readonly peer: GcsPeer;
  close(): Promise<void>;
}

/**
 * A Guest and a simulated GCS over a Unix socket pair, with process stdio on one Unix socket per
 * vsock port: the Guest listens (as the host does on hvsock), the peer dials (as the guest does).
 */
export async function guestWithPeer<O extends GuestOs>(
  os: O,
  options: { readonly connect?: Partial<GuestConnectOptions<O>>; readonly peer?: Partial<GcsPeerOptions> } = {},
): Promise<GuestWithPeer<O>> {
  const dir = mkdtempSync(join(tmpdir(), 'uvm-e2e-'));
  const portPath = (port: number) => join(dir, `${port.toString(16)}.sock`);
  const bridgePath = join(dir, 'gcs.sock');
  const bridgeListener = await unixListener(bridgePath);
  const stdioListener: StdioListenerFactory = ({ port }) => unixListener(portPath(port));
  const guestEnd = await dial(bridgePath);
  const peer = createGcsPeer({ os, transport: guestEnd, stdioConnector: (port) => dial(portPath(port)), ...options.peer });
  const connectOptions = {
    os,
    stdioListener,
    ...(os === 'windows' ? { runtimeId: '6a5c4e7b-31b5-4b4e-9a3e-2f1c0d9e8b7a' } : {}),
    ...options.connect,
  } as GuestConnectOptions<O>;
  const guest = await Guest.connect(bridgeListener, connectOptions);
  return {
    guest,
    peer,
    async close() {
      await guest.close();
      await peer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function readAll(stream: NodeJS.ReadableStream | null): Promise<string> {
  if (stream === null) throw new Error('no stream');
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}
