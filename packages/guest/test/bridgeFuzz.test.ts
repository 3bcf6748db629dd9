import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GcsBridge, Guest } from '@uvm/guest';
import { GcsFrameSplitter, GcsRequestBaseSchema, encodeFrame, responseTypeFor, UvmError } from '@uvm/types';

// Feeds the client random and mutated frames and cut-off streams, deterministically (seeded), and
// checks that nothing escapes the bridge, memory stays bounded and every call settles.

const SEED = 0x5eed_0006;
const CONNECTIONS = 2500;
const MAX_MESSAGE_SIZE = 4096;
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const NEGOTIATED = '{"Result":0,"Version":4,"Capabilities":{"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"SignalProcessSupported":true,"DeleteContainerStateSupported":true}}}';

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The host's transport: what the bridge writes is parsed here; what the test pushes is what the bridge reads. */
class FakeTransport extends Duplex {
  readonly requests: { type: number; id: bigint }[] = [];
  private readonly splitter = new GcsFrameSplitter();
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.splitter.push(chunk, (e) => {
      if (e.kind === 'frame') this.requests.push({ type: e.header.type, id: e.header.id });
    });
    callback();
  }
}

const JSON_SHAPES = [
  '{"Result":0}',
  '{"Result":0,"GuestStacks":"stacks"}',
  '{"Result":-2147467259,"ErrorMessage":"boom","ErrorRecords":[{"Result":-2147467259,"Message":"boom","ModuleName":"gcs","FileName":"","Line":4294967295}]}',
  '{"Result":-2147023728}',
  '{"Result":"0"}',
  '{"Result":1.5}',
  '{"Result":99999999999}',
  '{"Result":0,"ProcessId":"seven"}',
  '{"Result":0,"ProcessId":-1}',
  '{"Result":0,"ProcessId":12}',
  '{"Result":0,"ExitCode":3}',
  '{"Result":0,"ExitCode":1e40}',
  '{"Result":0,"Properties":"{\\"ProcessList\\":[]}"}',
  '{"Result":0,"Properties":"not json"}',
  '{"Result":0,"Properties":7}',
  '{"Result":0,"ErrorRecords":"nope"}',
  '[]',
  'null',
  '"text"',
  '42',
  '',
  '{',
  '{"Result":0,"x":{"y":{"z":[1,2,{"w":null}]}}}',
];

const NOTIFICATIONS = [
  '{"ContainerId":"c1","ActivityId":"00000000-0000-0000-0000-000000000000","Type":"UnexpectedExit","Operation":"None","Result":0}',
  '{"ContainerId":"c1","Type":"GracefulExit","ResultInfo":"{\\"a\\":1}"}',
  '{"ContainerId":"c1","ResultInfo":"{broken"}',
  '{"ContainerId":5}',
  '{"ContainerId":"unknown"}',
  'garbage',
];

const TYPES = [0x20100c01, 0x20100901, 0x20100501, 0x20100601, 0x20000000, 0x30100101, 0x30100201, 0x10100101, 0x00000000, 0xffffffff];

interface Stats {
  frames: number;
  calls: number;
  settled: number;
  maxBuffered: number;
  maxPending: number;
  escaped: unknown[];
}

function randomFrame(rand: () => number, pendingIds: bigint[]): Uint8Array {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const roll = rand();
  let frame: Uint8Array;
  if (roll < 0.35 && pendingIds.length > 0) {
    frame = encodeFrame(pick(TYPES.slice(0, 5)), pick(pendingIds), pick(JSON_SHAPES));
  } else if (roll < 0.5) {
    frame = encodeFrame(0x30100101, rand() < 0.5 ? 0n : BigInt(Math.floor(rand() * 10)), pick(NOTIFICATIONS));
  } else if (roll < 0.6) {
    frame = encodeFrame(pick(TYPES), BigInt(Math.floor(rand() * 2 ** 32)) * BigInt(Math.floor(rand() * 2 ** 32)), pick(JSON_SHAPES));
  } else if (roll < 0.7) {
    const payload = new Uint8Array(Math.floor(rand() * 200));
    for (let i = 0; i < payload.length; i++) payload[i] = Math.floor(rand() * 256);
    frame = encodeFrame(pick(TYPES), pendingIds.length > 0 ? pick(pendingIds) : 0n, payload);
  } else if (roll < 0.75) {
    // An oversize answer: skipped from its header, never buffered.
    frame = encodeFrame(0x20100c01, pendingIds.length > 0 ? pick(pendingIds) : 1n, '{"Result":0,"GuestStacks":"' + 's'.repeat(MAX_MESSAGE_SIZE) + '"}');
  } else {
    // Mutate a plausible frame: flip bytes anywhere, header included.
    frame = encodeFrame(pick(TYPES), pendingIds.length > 0 ? pick(pendingIds) : 0n, pick(JSON_SHAPES));
    const flips = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < flips; i++) {
      const at = Math.floor(rand() * frame.length);
      // Header sizes are mutated rarely, or nearly every connection would end at the first frame.
      if (at >= 4 && at < 8 && rand() < 0.9) continue;
      frame[at] = Math.floor(rand() * 256);
    }
  }
  return frame;
}

async function fuzzBridge(rand: () => number, stats: Stats): Promise<void> {
  const transport = new FakeTransport();
  const bridge = new GcsBridge(transport, { maxMessageSize: MAX_MESSAGE_SIZE, abandonedIdLimit: 64 });
  const negotiating = bridge.negotiate();
  transport.push(encodeFrame(0x20100b01, 0n, NEGOTIATED));
  await negotiating;

  const calls: Promise<unknown>[] = [];
  const callCount = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < callCount; i++) {
    const options = rand() < 0.2 ? { timeoutMs: Math.floor(rand() * 3) } : rand() < 0.2 ? { signal: AbortSignal.timeout(Math.floor(rand() * 3)) } : {};
    const call = bridge.call('DumpStacks', GcsRequestBaseSchema, { ContainerId: NULL_GUID, ActivityId: NULL_GUID }, options);
    calls.push(
      call.then(
        () => undefined,
        (error: unknown) => {
          // Every failure is one of ours (or the DOM's abort/timeout reason), never a stray TypeError.
          if (!(error instanceof UvmError) && !(error instanceof DOMException)) stats.escaped.push(error);
        },
      ),
    );
  }
  stats.calls += callCount;
  await new Promise((r) => setImmediate(r));
  const ids = transport.requests.filter((r) => r.type !== 0x10100b01).map((r) => r.id);

  const frames = 20 + Math.floor(rand() * 40);
  let stream: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < frames; i++) {
    const frame = randomFrame(rand, ids);
    const joined = new Uint8Array(stream.length + frame.length);
    joined.set(stream);
    joined.set(frame, stream.length);
    stream = joined;
  }
  stats.frames += frames;
  // Answer every call properly at the end, so calls that survive the noise can still settle well.
  for (const id of ids) {
    stream = concat(stream, encodeFrame(responseTypeFor(0x10100c01), id, '{"Result":0}'));
    stats.frames++;
  }

  const ending = rand();
  // Truncated stream: cut it short anywhere, even inside a header.
  if (ending < 0.4) stream = stream.subarray(0, Math.floor(rand() * stream.length));
  let offset = 0;
  while (offset < stream.length) {
    const size = 1 + Math.floor(rand() * 700);
    transport.push(Buffer.from(stream.subarray(offset, offset + size)));
    offset += size;
    stats.maxBuffered = Math.max(stats.maxBuffered, bridge.bufferedBytes);
    stats.maxPending = Math.max(stats.maxPending, bridge.pendingCalls);
  }
  if (ending < 0.7) transport.push(null);
  else if (ending < 0.85) transport.destroy(new Error('connection reset'));
  else await bridge.close();

  await Promise.all(calls);
  stats.settled += calls.length;
  await bridge.closed;
  expect(bridge.connected).toBe(false);
  expect(bridge.pendingCalls).toBe(0);
}

async function fuzzGuest(rand: () => number, stats: Stats): Promise<void> {
  const transport = new FakeTransport();
  const connecting = Guest.connect(transport, { os: 'linux', maxMessageSize: MAX_MESSAGE_SIZE });
  transport.push(encodeFrame(0x20100b01, 0n, NEGOTIATED));
  const guest = await connecting;
  const answer = (type: number, body: string) => {
    for (const r of transport.requests.splice(0)) if (r.type !== 0x10100b01) transport.push(encodeFrame(rand() < 0.8 ? responseTypeFor(r.type) : type, r.id, body));
  };
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof UvmError)) stats.escaped.push(error);
      },
    );
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const calls: Promise<unknown>[] = [];
  const creating = guest.createContainer('c1', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} });
  await new Promise((r) => setImmediate(r));
  answer(0x20100101, pick(['{"Result":0}', '{"Result":-2147467259}', '[]']));
  const container = await creating.catch(() => undefined);
  if (container !== undefined) {
    calls.push(settle(container.wait()));
    calls.push(settle(container.properties(['ProcessList'])));
    calls.push(settle(container.exec({}).then((p) => p.wait())));
  }
  calls.push(settle(guest.dumpStacks()));
  calls.push(settle(guest.execInUvm({ CommandArgs: ['x'] }).then((p) => Promise.all([p.wait(), p.kill()]))));
  for (let round = 0; round < 4; round++) {
    await new Promise((r) => setImmediate(r));
    answer(pick(TYPES), pick(JSON_SHAPES));
    for (let i = 0; i < 10; i++) transport.push(Buffer.from(randomFrame(rand, [0n, 1n, 2n, 3n, 4n, 5n])));
    stats.frames += 11;
    stats.maxBuffered = Math.max(stats.maxBuffered, guest.bridge.bufferedBytes);
  }
  transport.push(encodeFrame(0x30100101, 0n, '{"ContainerId":"c1","Type":"UnexpectedExit"}'));
  transport.push(null);
  await Promise.all(calls);
  stats.calls += calls.length;
  stats.settled += calls.length;
  await guest.bridge.closed;
  expect(guest.connected).toBe(false);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('the GCS client under fuzzing', () => {
  it('survives 100,000+ random, mutated and cut-off frames: nothing escapes, memory stays bounded, every call settles', { timeout: 60_000 }, async () => {
    const rand = prng(SEED);
    const stats: Stats = { frames: 0, calls: 0, settled: 0, maxBuffered: 0, maxPending: 0, escaped: [] };
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const heapBefore = process.memoryUsage().heapUsed;
    try {
      for (let i = 0; i < CONNECTIONS; i++) {
        if (i % 10 === 9) await fuzzGuest(rand, stats);
        else await fuzzBridge(rand, stats);
      }
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(stats.frames).toBeGreaterThanOrEqual(100_000);
    expect(stats.settled).toBe(stats.calls);
    expect(stats.escaped).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(stats.maxBuffered).toBeLessThanOrEqual(MAX_MESSAGE_SIZE);
    expect(stats.maxPending).toBeLessThanOrEqual(8);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });
});
