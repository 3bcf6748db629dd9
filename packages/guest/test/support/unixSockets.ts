import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuplexListener, StdioListenerFactory } from '@uvm/guest';

/** A directory for Unix socket files, removed by `dispose()`. */
export function socketDir(): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'uvm-guest-'));
  return {
    path,
    dispose: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A DuplexListener over a `net` server on a Unix socket path. */
export async function unixListener(path: string): Promise<DuplexListener & { readonly path: string; readonly server: Server }> {
  const server = createServer({ allowHalfOpen: true });
  const queued: Socket[] = [];
  const waiting: { resolve: (s: Socket) => void; reject: (e: Error) => void }[] = [];
  let closed = false;
  server.on('connection', (socket) => {
    const next = waiting.shift();
    if (next !== undefined) next.resolve(socket);
    else queued.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    server,
    accept({ signal } = {}) {
      const ready = queued.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      if (closed) return Promise.reject(new Error('listener closed'));
      return new Promise<Socket>((resolve, reject) => {
        const entry = { resolve, reject };
        waiting.push(entry);
        signal?.addEventListener('abort', () => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new Error('listener closed'));
      // close() stops listening at once; its callback waits for accepted connections, which are not ours to wait for.
      server.close();
      await Promise.resolve();
    },
  };
}

/** The stdio listener factory tests pass to Guest.connect: one Unix socket per port in `dir`. */
export function stdioListeners(dir: string, bound?: number[]): StdioListenerFactory {
  return async ({ port }) => {
    bound?.push(port);
    return unixListener(join(dir, `${port.toString(16)}.sock`));
  };
}

/** Dials the stdio relay listener of `port` the way a guest would. */
export function dialStdio(dir: string, port: number): Promise<Socket> {
  return dialPath(join(dir, `${port.toString(16)}.sock`));
}

export function dialPath(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path, allowHalfOpen: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Two connected sockets: the host end and the guest end of a bridge. */
export async function socketPair(dir: string, name = 'bridge.sock'): Promise<{ host: Socket; guest: Socket }> {
  const server = createServer({ allowHalfOpen: true });
  const path = join(dir, name);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const [host, guest] = await Promise.all([dialPath(path), accepted]);
  server.close();
  return { host, guest };
}
