// The guest layer's hot paths over a Unix socket pair, each against a floor measured in the same
// run. (1) Round trips per second with 1 and 256 calls in flight, through GcsBridge.request (the
// protocol: framing, ids, matching, parsing) and through Guest.addMappedVirtualDisk (plus
// validation and Go-shaped JSON), against raw calls that write the same request bytes and await the
// same number of answer bytes with no protocol logic; a byte pump with no calls at all is printed
// as a stricter reference. (2) Stdout relay throughput of a GuestProcess against the same bytes
// through a plain socket. The guest end runs in a worker thread (responder.ts) and does the same
// work for both sides of each comparison.
// Run with `npx pnpm@12.21.0 --filter @uvm/guest bench` (after a build); not part of the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Guest, type DuplexListener, type StdioListenerFactory } from '@uvm/guest';
import { GcsModifySettingsRequestSchema, encodeFrame, gcsModifySettingsRequestSchema, toGoJson } from '@uvm/types';
import type { ResponderCommand, ResponderData } from './responder.js';

const ROUNDS = 7;
const RPC_MS = 1000;
const PAYLOAD_BYTES = 256 << 20;
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const DISK = { MountPath: '/run/mounts/scsi/m1', Lun: 1, ReadOnly: true };
const RESPONSE_BYTES = 16 + '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000"}'.length;

const dir = mkdtempSync(join(tmpdir(), 'uvm-bench-'));
const data: ResponderData = { dir, payloadBytes: PAYLOAD_BYTES };
const worker = new Worker(new URL('./responder.js', import.meta.url), { workerData: data });
await new Promise((resolve) => worker.once('message', resolve));

function dial(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function listen(path: string): Promise<{ server: Server; accepted: Promise<Socket> }> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, accepted };
}

const stdioListener: StdioListenerFactory = async ({ port }) => {
  const { server, accepted } = await listen(join(dir, `${port.toString(16)}.sock`));
  const listener: DuplexListener = {
    accept: () => accepted,
    close: () => {
      server.close();
      return Promise.resolve();
    },
  };
  return listener;
};

const guest = await Guest.connect(await dial(join(dir, 'gcs.sock')), { os: 'linux', stdioListener });

const REQUEST_BODY =
  toGoJson({ ContainerId: NULL_GUID, ActivityId: NULL_GUID, Request: { RequestType: 'Add', ResourceType: 'MappedVirtualDisk', Settings: DISK } }, gcsModifySettingsRequestSchema('MappedVirtualDisk', 'linux') ?? GcsModifySettingsRequestSchema) + '\n';

/** Round trips per second, `inFlight` calls outstanding at all times. */
async function callRate(inFlight: number, call: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const stop = performance.now() + RPC_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < stop) {
        await call();
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - start);
}

/** The protocol alone: GcsBridge.request with the body text ready (framing, ids, matching, parsing). */
const bridgeRate = (inFlight: number) => callRate(inFlight, () => guest.bridge.request('ModifySettings', REQUEST_BODY));
/** The whole API: Guest.addMappedVirtualDisk (validation and Go-shaped JSON on top of the protocol). */
const guestRate = (inFlight: number) => callRate(inFlight, () => guest.addMappedVirtualDisk(DISK));

/**
 * The floor: calls that write the same request bytes and each await the same number of response
 * bytes, answers matched in order by counting bytes: no framing, ids, JSON or errors.
 */
async function floorRate(inFlight: number): Promise<number> {
  const socket = await dial(join(dir, 'gcs.sock'));
  const frame = encodeFrame(0x10100a01, 1n, REQUEST_BODY);
  const waiting: (() => void)[] = [];
  let received = 0;
  let completed = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    const answered = Math.floor(received / RESPONSE_BYTES) - completed;
    completed += answered;
    for (const resolve of waiting.splice(0, answered)) resolve();
  });
  let corked = false;
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      socket.write(frame);
    });
  const rate = await callRate(inFlight, roundTrip);
  socket.destroy();
  return rate;
}

/** A stricter reference: no calls at all, a pump that writes a request for every answer's bytes. */
async function pumpRate(inFlight: number): Promise<number> {
  const socket = await dial(join(dir, 'gcs.sock'));
  const frame = encodeFrame(0x10100a01, 1n, REQUEST_BODY);
  const stop = performance.now() + RPC_MS;
  const start = performance.now();
  let received = 0;
  let done = 0;
  let outstanding = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      const answered = Math.floor(received / RESPONSE_BYTES) - done;
      done += answered;
      outstanding -= answered;
      if (performance.now() >= stop) {
        if (outstanding === 0) resolve();
        return;
      }
      socket.cork();
      for (let i = 0; i < answered; i++, outstanding++) socket.write(frame);
      socket.uncork();
    });
    socket.cork();
    for (let i = 0; i < inFlight; i++, outstanding++) socket.write(frame);
    socket.uncork();
  });
  const rate = (done * 1000) / (performance.now() - start);
  socket.destroy();
  return rate;
}

/** Bytes per second read from a GuestProcess's stdout, exec to end of output. */
async function relayRate(): Promise<number> {
  const start = performance.now();
  const process = await guest.execInUvm({ CommandArgs: ['producer'], CreateStdOutPipe: true });
  let bytes = 0;
  for await (const chunk of process.stdout ?? []) bytes += (chunk as Buffer).length;
  await process.wait();
  if (bytes !== PAYLOAD_BYTES) throw new Error(`relayed ${bytes} bytes, expected ${PAYLOAD_BYTES}`);
  return (bytes * 1000) / (performance.now() - start);
}

/** The same bytes written by the same writer through a plain socket. */
async function plainRate(): Promise<number> {
  const path = join(dir, `plain-${Math.random().toString(16).slice(2)}.sock`);
  const { server, accepted } = await listen(path);
  const start = performance.now();
  const command: ResponderCommand = { kind: 'plain-write', path };
  worker.postMessage(command);
  const socket = await accepted;
  let bytes = 0;
  for await (const chunk of socket) bytes += (chunk as Buffer).length;
  server.close();
  if (bytes !== PAYLOAD_BYTES) throw new Error(`piped ${bytes} bytes, expected ${PAYLOAD_BYTES}`);
  return (bytes * 1000) / (performance.now() - start);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
const mibPerSecond = (n: number) => `${(n / (1 << 20)).toFixed(0)} MiB/s`;

async function compare(label: string, ours: () => Promise<number>, floor: () => Promise<number>, format: (n: number) => string, aim?: number): Promise<void> {
  await ours(); // warm up: JIT, schema compilation, socket buffers
  await floor();
  const oursRates: number[] = [];
  const floorRates: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    oursRates.push(await ours());
    floorRates.push(await floor());
    console.log(`  round ${round}: ${format(oursRates.at(-1) ?? 0)} vs floor ${format(floorRates.at(-1) ?? 0)}`);
  }
  const ratio = median(oursRates) / median(floorRates);
  console.log(`${label}: ${format(median(oursRates))} vs ${format(median(floorRates))}, ratio ${ratio.toFixed(2)}x${aim === undefined ? '' : ` (aim ≥ ${aim}x)`}\n`);
}

console.log(`Node ${process.version}, median of ${ROUNDS} rounds, Unix sockets, guest end in a worker thread.\n`);
for (const inFlight of [1, 256]) {
  console.log(`Round trips, ${inFlight} in flight, GcsBridge.request vs raw calls:`);
  await compare(`bridge round trips, ${inFlight} in flight`, () => bridgeRate(inFlight), () => floorRate(inFlight), perSecond, 0.7);
  console.log(`Round trips, ${inFlight} in flight, Guest.addMappedVirtualDisk vs raw calls:`);
  await compare(`guest round trips, ${inFlight} in flight`, () => guestRate(inFlight), () => floorRate(inFlight), perSecond, 0.7);
  console.log(`Round trips, ${inFlight} in flight, GcsBridge.request vs a byte pump with no calls (reference):`);
  await compare(`bridge vs pump, ${inFlight} in flight`, () => bridgeRate(inFlight), () => pumpRate(inFlight), perSecond);
}
console.log(`stdout relay, ${PAYLOAD_BYTES >> 20} MiB per run (GuestProcess.stdout vs plain socket):`);
await compare('stdout relay', relayRate, plainRate, mibPerSecond, 0.8);

await guest.close();
await worker.terminate();
rmSync(dir, { recursive: true, force: true });
