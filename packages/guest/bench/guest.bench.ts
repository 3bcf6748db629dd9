// The guest layer's hot paths over a Unix socket pair, each against a floor measured in the same
// run. (1) Round trips per second with 1 and 256 calls in flight, through GcsBridge.request (the
// protocol: framing, ids, matching, parsing) and through Guest.addMappedVirtualDisk (plus
// validation and Go-shaped JSON), against raw calls that do the bridge's I/O with no protocol logic:
// the same request bytes on a connection dialled the same way and kept for every round, a tick's
// frames in one write, answers counted by bytes; a byte pump with no calls at all is printed as a
// stricter reference. (2) Stdout relay throughput of a GuestProcess against the same bytes through
// a plain socket. The guest end runs in a worker thread (responder.ts) and does the same work for
// both sides of each comparison; rounds alternate which side goes first.
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
 * A connection for the floors, set up as the guest's is: dialled once to the same responder and
 * kept for every round. It does the bridge's I/O and nothing else: the frames of a tick go out as
 * one buffer in one write (as GcsBridge's write queue does), reads are the socket's `data` events,
 * and answers are counted by bytes: no framing, ids, JSON, errors or encoding (the request bytes
 * are encoded once).
 */
class RawConnection {
  /** Called with the number of whole answers each read completed. */
  onAnswers: (count: number) => void = () => undefined;
  private readonly frame = encodeFrame(0x10100a01, 1n, REQUEST_BODY);
  private batch: Uint8Array[] = [];
  private flushScheduled = false;
  private received = 0;
  private answered = 0;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      const count = Math.floor(this.received / RESPONSE_BYTES) - this.answered;
      this.answered += count;
      if (count > 0) this.onAnswers(count);
    });
  }

  /** Queues one request for this tick's write. */
  send(): void {
    this.batch.push(this.frame);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(this.flush);
  }

  close(): void {
    this.socket.destroy();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.batch;
    this.batch = [];
    this.socket.write(batch.length === 1 ? (batch[0] as Uint8Array) : Buffer.concat(batch));
  };
}

const raw = new RawConnection(await dial(join(dir, 'gcs.sock')));

/**
 * The floor: calls that each write the same request bytes and await one answer's bytes, answers
 * matched in order by counting: the I/O of the bridge with none of its protocol logic.
 */
async function floorRate(inFlight: number): Promise<number> {
  const waiting: (() => void)[] = [];
  let head = 0;
  raw.onAnswers = (count) => {
    const end = head + count;
    for (; head < end; head++) (waiting[head] as () => void)();
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
  };
  return callRate(
    inFlight,
    () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        raw.send();
      }),
  );
}

/** A stricter reference: no calls at all, a pump that sends a request for every answer it reads. */
async function pumpRate(inFlight: number): Promise<number> {
  const stop = performance.now() + RPC_MS;
  const start = performance.now();
  let done = 0;
  let outstanding = inFlight;
  await new Promise<void>((resolve) => {
    raw.onAnswers = (count) => {
      done += count;
      outstanding -= count;
      if (performance.now() >= stop) {
        if (outstanding === 0) resolve();
        return;
      }
      for (let i = 0; i < count; i++, outstanding++) raw.send();
    };
    for (let i = 0; i < inFlight; i++) raw.send();
  });
  return (done * 1000) / (performance.now() - start);
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

/** `node guest.bench.js <text>` runs only the comparisons whose label contains the text (for profiling). */
const only = process.argv[2];

async function compare(label: string, ours: () => Promise<number>, floor: () => Promise<number>, format: (n: number) => string, aim?: number): Promise<void> {
  if (only !== undefined && !label.includes(only)) return;
  await ours(); // warm up: JIT, schema compilation, socket buffers
  await floor();
  console.log(`${label}:`);
  const oursRates: number[] = [];
  const floorRates: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which side goes first, so drifting machine load falls on both.
    if (round % 2 === 1) {
      oursRates.push(await ours());
      floorRates.push(await floor());
    } else {
      floorRates.push(await floor());
      oursRates.push(await ours());
    }
    console.log(`  round ${round}: ${format(oursRates.at(-1) ?? 0)} vs floor ${format(floorRates.at(-1) ?? 0)}`);
  }
  const ratio = median(oursRates) / median(floorRates);
  console.log(`${label.slice(0, label.indexOf(' ('))}: ${format(median(oursRates))} vs ${format(median(floorRates))}, ratio ${ratio.toFixed(2)}x${aim === undefined ? '' : ` (aim ≥ ${aim}x)`}\n`);
}

console.log(`Node ${process.version}, median of ${ROUNDS} rounds, Unix sockets, guest end in a worker thread.\n`);
for (const inFlight of [1, 256]) {
  await compare(`bridge round trips, ${inFlight} in flight (GcsBridge.request vs raw calls)`, () => bridgeRate(inFlight), () => floorRate(inFlight), perSecond, 0.7);
  await compare(`guest round trips, ${inFlight} in flight (Guest.addMappedVirtualDisk vs raw calls)`, () => guestRate(inFlight), () => floorRate(inFlight), perSecond, 0.7);
  await compare(`bridge vs pump, ${inFlight} in flight (GcsBridge.request vs a byte pump with no calls, reference)`, () => bridgeRate(inFlight), () => pumpRate(inFlight), perSecond);
}
await compare(`stdout relay, ${PAYLOAD_BYTES >> 20} MiB per run (GuestProcess.stdout vs plain socket)`, relayRate, plainRate, mibPerSecond, 0.8);

await guest.close();
raw.close();
await worker.terminate();
rmSync(dir, { recursive: true, force: true });
