// Stream throughput through the pump against Node's own sockets over the same transport. Run with
// `npx pnpm@12.21.0 --filter @uvm/hcs-ffi bench` after a build; not part of the tests.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { socketPair } from '@uvm/hcs-ffi';

const TOTAL = 128 * 1024 * 1024;
const CHUNK = 64 * 1024;
const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const payload = Buffer.alloc(CHUNK, 0x5a);

/** MiB/s moving TOTAL bytes from `from` to `to`, honouring backpressure. */
async function throughput(from: Duplex, to: Duplex): Promise<number> {
  let received = 0;
  const done = new Promise<void>((resolve) => {
    to.on('data', (data: Buffer) => {
      received += data.length;
      if (received >= TOTAL) resolve();
    });
  });
  const start = performance.now();
  for (let sent = 0; sent < TOTAL; sent += CHUNK) {
    if (!from.write(payload)) await once(from, 'drain');
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  return TOTAL / (1024 * 1024) / seconds;
}

async function pumpPair(): Promise<number> {
  const [a, b] = socketPair();
  const rate = await throughput(a, b);
  a.destroy();
  b.destroy();
  return rate;
}

const scratch = mkdtempSync(join(tmpdir(), 'uvm-bench-'));
async function nodePair(round: number): Promise<number> {
  const path = join(scratch, `node-${round}.sock`);
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = createConnection(path);
  await once(client, 'connect');
  const [peer] = await accepted;
  const rate = await throughput(client, peer);
  client.destroy();
  peer.destroy();
  server.close();
  return rate;
}

await pumpPair();
await nodePair(0);
const ours: number[] = [];
const node: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  ours.push(await pumpPair());
  node.push(await nodePair(round));
}
rmSync(scratch, { recursive: true, force: true });
console.log(`(3) stream throughput, ${TOTAL / (1024 * 1024)} MiB one way over AF_UNIX, median of ${ROUNDS} rounds:`);
console.log(`    pump socketPair()                 ${median(ours).toFixed(0)} MiB/s`);
console.log(`    Node net sockets (baseline)       ${median(node).toFixed(0)} MiB/s`);
console.log(`    ratio ${(median(ours) / median(node)).toFixed(2)}x the baseline (aim: at least 0.7x)`);
