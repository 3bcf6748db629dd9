import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GcsBridge, type GcsBridgeAnomaly, type GcsNotificationBody } from '@uvm/guest';
import {
  ConnectionClosedError,
  GuestError,
  ProtocolError,
  StateError,
  TimeoutError,
  ValidationError,
  encodeFrame,
  GcsRequestBaseSchema,
  type Logger,
} from '@uvm/types';
import { LINUX_NEGOTIATE_RESPONSE, ScriptedGuest } from './support/scriptedGuest.js';
import { socketDir, socketPair } from './support/unixSockets.js';

const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (fields: unknown, message?: string) => {
    lines.push({ level, message: typeof fields === 'string' ? fields : (message ?? '') });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

let dir: ReturnType<typeof socketDir>;
let bridge: GcsBridge;
let guest: ScriptedGuest;
let logger: ReturnType<typeof recordingLogger>;
let anomalies: GcsBridgeAnomaly[];

beforeEach(async () => {
  dir = socketDir();
  const pair = await socketPair(dir.path);
  logger = recordingLogger();
  bridge = new GcsBridge(pair.host, { logger });
  anomalies = [];
  bridge.on('anomaly', (a) => anomalies.push(a));
  guest = ScriptedGuest.linux(pair.guest);
});

afterEach(async () => {
  await bridge.close();
  guest.socket.destroy();
  dir.dispose();
});

const base = (containerId = NULL_GUID) => ({ ContainerId: containerId, ActivityId: NULL_GUID });
const call = (procedure: Parameters<GcsBridge['call']>[0] = 'DumpStacks', options: Parameters<GcsBridge['call']>[3] = {}) =>
  bridge.call(procedure, GcsRequestBaseSchema, base(), options);

describe('GcsBridge negotiation', () => {
  it('sends NegotiateProtocol byte for byte as the worked example of gcs-bridge.md §2.9', async () => {
    const chunks: Buffer[] = [];
    guest.socket.on('data', (c: Buffer) => chunks.push(c));
    await bridge.negotiate();
    const body = '{"ContainerId":"","ActivityId":"00000000-0000-0000-0000-000000000000","MinimumVersion":4,"MaximumVersion":4}\n';
    expect(Buffer.byteLength(body)).toBe(109);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat([hex('01 0b 10 10 7d 00 00 00 00 00 00 00 00 00 00 00'), Buffer.from(body)]));
  });

  it('exposes the capabilities and the OS of the Linux GCS answer', async () => {
    const negotiated = await bridge.negotiate();
    expect(negotiated.version).toBe(4);
    expect(negotiated.os).toBe('linux');
    expect(negotiated.capabilities.GuestDefinedCapabilities).toEqual({
      NamespaceAddRequestSupported: true,
      SignalProcessSupported: true,
      DumpStacksSupported: true,
      DeleteContainerStateSupported: true,
    });
    expect(bridge.negotiated).toBe(negotiated);
  });

  it('refuses calls before negotiation without sending anything', async () => {
    await expect(call()).rejects.toBeInstanceOf(StateError);
    await new Promise((r) => setTimeout(r, 20));
    expect(guest.requests).toHaveLength(0);
  });

  it('holds calls made during negotiation until the version-4 answer arrives', async () => {
    guest.auto.delete('NegotiateProtocol');
    const negotiating = bridge.negotiate();
    const held = call();
    const negotiate = await guest.next('NegotiateProtocol');
    await new Promise((r) => setTimeout(r, 20));
    expect(guest.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol']);
    guest.reply(negotiate, LINUX_NEGOTIATE_RESPONSE);
    await negotiating;
    const dump = await guest.next('DumpStacks');
    guest.reply(dump, '{"Result":0,"GuestStacks":"g"}');
    await expect(held).resolves.toMatchObject({ GuestStacks: 'g' });
  });

  it('fails the held calls with a StateError when negotiation fails', async () => {
    guest.auto.set('NegotiateProtocol', (r) => {
      guest.fail(r, 0x80004001, 'bridge: function not supported, header type: 269487873');
      return undefined;
    });
    const negotiating = bridge.negotiate();
    const held = call();
    await expect(negotiating).rejects.toMatchObject({ hresult: 0x80004001, hresultName: 'E_NOTIMPL' });
    await expect(held).rejects.toBeInstanceOf(StateError);
  });

  it('rejects an answer that selects another protocol version', async () => {
    guest.auto.set('NegotiateProtocol', LINUX_NEGOTIATE_RESPONSE.replace('"Version":4', '"Version":3'));
    await expect(bridge.negotiate()).rejects.toBeInstanceOf(ProtocolError);
  });

  it('negotiates once per connection', async () => {
    await bridge.negotiate();
    await expect(bridge.negotiate()).rejects.toBeInstanceOf(StateError);
    await expect(bridge.request('NegotiateProtocol', '{}')).rejects.toBeInstanceOf(StateError);
  });
});

describe('GcsBridge calls', () => {
  beforeEach(async () => {
    await bridge.negotiate();
  });

  it('allocates ids from 0 upwards, one per request', async () => {
    guest.auto.set('DumpStacks', '{"Result":0}');
    await Promise.all([call(), call(), call()]);
    expect(guest.requests.map((r) => r.id)).toEqual([0n, 1n, 2n, 3n]);
  });

  it('matches answers by id alone, in whatever order they come', async () => {
    const calls = [call(), call(), call()];
    const seen = await Promise.all([guest.next(), guest.next(), guest.next(), guest.next()]);
    const dumps = seen.filter((r) => r.procedure === 'DumpStacks');
    guest.reply(dumps[2]!, '{"Result":0,"GuestStacks":"third"}');
    guest.reply(dumps[0]!, '{"Result":0,"GuestStacks":"first"}');
    // The confidential-WCOW sidecar answers with a bare 0x20000000 type: still matched by id.
    guest.write(0x20000000, dumps[1]!.id, '{"Result":0,"GuestStacks":"second"}');
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.GuestStacks)).toEqual(['first', 'second', 'third']);
  });

  it('turns a failure Result into a GuestError with the HRESULT, its name, the message and the records', async () => {
    const pending = bridge.call('ModifySettings', GcsRequestBaseSchema, base('c1'), { containerId: 'c1' });
    const request = await guest.next('ModifySettings');
    guest.fail(request, 0xc037010e, 'container c1 not found');
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuestError);
    const g = error as GuestError;
    expect(g.hresult).toBe(0xc037010e);
    expect(g.hresultName).toBe('ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND');
    expect(g.operation).toBe('ModifySettings');
    expect(g.containerId).toBe('c1');
    expect(g.guestMessage).toBe('container c1 not found');
    expect(g.errorRecords).toEqual([{ Result: -1070137074, Message: 'container c1 not found', ModuleName: 'gcs', FileName: '', Line: 4294967295 }]);
    expect(g.message).toContain('0xC037010E (ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND)');
  });

  it('checks a body against its schema before sending it', async () => {
    await expect(bridge.call('DumpStacks', GcsRequestBaseSchema, { ContainerId: 5, ActivityId: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    expect(guest.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol']);
  });

  it('rejects bad arguments with a ValidationError instead of sending', async () => {
    await expect(bridge.request('Frobnicate' as 'DumpStacks', '{}')).rejects.toBeInstanceOf(ValidationError);
    await expect(bridge.request('DumpStacks', { ContainerId: '' } as unknown as string)).rejects.toBeInstanceOf(ValidationError);
    await expect(call('DumpStacks', { timeoutMs: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(call('DumpStacks', { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(ValidationError);
    expect(() => new GcsBridge(guest.socket, { maxMessageSize: 4 })).toThrow(ValidationError);
    expect(() => new GcsBridge(guest.socket, { abandonedIdLimit: -1 })).toThrow(ValidationError);
    expect(guest.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol']);
  });

  it('fails one call on its timeout, drops its late answer quietly, and keeps the connection', async () => {
    const slow = call('DumpStacks', { timeoutMs: 30 });
    const request = await guest.next('DumpStacks');
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    guest.reply(request, '{"Result":0}');
    guest.auto.set('DumpStacks', '{"Result":0,"GuestStacks":"ok"}');
    await expect(call()).resolves.toMatchObject({ GuestStacks: 'ok' });
    expect(anomalies).toEqual([]);
    expect(bridge.connected).toBe(true);
  });

  it('fails one call with the signal reason when it is aborted', async () => {
    const controller = new AbortController();
    const pending = call('DumpStacks', { signal: controller.signal });
    await guest.next('DumpStacks');
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(bridge.pendingCalls).toBe(0);
  });

  it('never interleaves frames, however many calls are written at once', async () => {
    guest.auto.set('ModifySettings', (r) => `{"Result":0,"Echo":${JSON.stringify(r.body.ContainerId)}}`);
    const ids = Array.from({ length: 500 }, (_, i) => `c${i}-${'x'.repeat(i % 97)}`);
    const answers = await Promise.all(ids.map((id) => bridge.call('ModifySettings', GcsRequestBaseSchema, base(id))));
    expect(answers.map((a) => a.Echo)).toEqual(ids);
  });

  it('decodes the common success answer and every near miss of it exactly as JSON.parse would', async () => {
    const answers = [
      `{"Result":0,"ActivityId":"${NULL_GUID}"}`,
      `{"Result":0,"ActivityId":"${NULL_GUID}"}\n`,
      `{"Result":0,"ActivityId":"${NULL_GUID}","Extra":1}`,
      `{"Result":0,"ActivityId":"6a5c4e7b-31b5-4b4e-9a3e-2f1c0d9e8b7a"}`,
      `{"Result":0,"ActivityId":"00000000-0000-0000-0000-00000000000\\u0030"}`,
      `{"Result":0, "ActivityId":"${NULL_GUID}"}`,
      `{"Result":1,"ActivityId":"${NULL_GUID}"}`.replace('1', '0.0'),
    ];
    for (const text of answers) {
      const pending = call();
      guest.reply(await guest.next('DumpStacks'), text);
      expect(await pending).toEqual(JSON.parse(text));
    }
    const first = call();
    guest.reply(await guest.next('DumpStacks'), answers[0]!);
    const second = call();
    guest.reply(await guest.next('DumpStacks'), answers[0]!);
    (await first as Record<string, unknown>).Result = 'changed by its caller';
    expect(await second).toEqual({ Result: 0, ActivityId: NULL_GUID });
  });

  it('fails a call whose answer is the success answer cut short', async () => {
    const pending = call();
    guest.reply(await guest.next('DumpStacks'), `{"Result":0,"ActivityId":"${NULL_GUID}"`);
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
  });

  it('sizes each request by its UTF-8 bytes, however many and however large go out together', async () => {
    guest.auto.set('DumpStacks', '{"Result":0}');
    // Past a megabyte the tick's frames are split over several writes, whole frames each.
    const ids = ['plain', 'é', '😀 and ü', 'x'.repeat(70_000), ...Array.from({ length: 8 }, (_, i) => `${i}`.repeat(300_000)), 'last'];
    await Promise.all(ids.map((id) => bridge.request('DumpStacks', JSON.stringify(base(id)))));
    const seen = guest.requests.filter((r) => r.procedure === 'DumpStacks');
    expect(seen.map((r) => r.body.ContainerId)).toEqual(ids);
    expect(seen.map((r) => r.text)).toEqual(ids.map((id) => JSON.stringify(base(id))));
  });

  it('keeps matching, aborting and closing calls that stay outstanding while thousands of others complete', async () => {
    guest.auto.set('DumpStacks', '{"Result":0}');
    const late = bridge.request('GetProperties', JSON.stringify(base()));
    const controller = new AbortController();
    const aborted = bridge.request('GetProperties', JSON.stringify(base()), { signal: controller.signal });
    const unanswered = bridge.request('GetProperties', JSON.stringify(base()));
    for (let round = 0; round < 40; round++) await Promise.all(Array.from({ length: 256 }, () => call()));
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    const [lateRequest, abortedRequest] = guest.requests.filter((r) => r.procedure === 'GetProperties');
    guest.reply(abortedRequest!, '{"Result":0}');
    guest.reply(lateRequest!, '{"Result":0,"Properties":"late"}');
    await expect(late).resolves.toMatchObject({ Properties: 'late' });
    expect(bridge.pendingCalls).toBe(1);
    expect(anomalies).toEqual([]);
    await bridge.close();
    await expect(unanswered).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(bridge.pendingCalls).toBe(0);
  });

  it('matches hundreds of answers that come back in any order, each to its own call', async () => {
    const ids = Array.from({ length: 700 }, (_, i) => `c${i}`);
    const calls = ids.map((id) => bridge.call('ModifySettings', GcsRequestBaseSchema, base(id)));
    const requests = await Promise.all(ids.map(() => guest.next('ModifySettings')));
    // A fixed shuffle: every third from the end first, then the rest backwards.
    const order = [...requests.filter((_, i) => i % 3 === 0).reverse(), ...requests.filter((_, i) => i % 3 !== 0).reverse()];
    for (const request of order) guest.reply(request, `{"Result":0,"Echo":${JSON.stringify(request.body.ContainerId)}}`);
    expect((await Promise.all(calls)).map((a) => a.Echo)).toEqual(ids);
    expect(bridge.pendingCalls).toBe(0);
  });

  it('routes notifications to subscribers with ResultInfo decoded, even when they carry the id of a pending call', async () => {
    const notes: GcsNotificationBody[] = [];
    bridge.on('notification', (n) => notes.push(n));
    const pending = call();
    const request = await guest.next('DumpStacks');
    expect(request.id).toBe(1n);
    guest.write(0x30100101, request.id, JSON.stringify({ ContainerId: 'c', ActivityId: NULL_GUID, Type: 'UnexpectedExit', Operation: 'None', Result: 0, ResultInfo: '{"a":1}' }));
    guest.reply(request, '{"Result":0}');
    await pending;
    expect(notes).toEqual([{ ContainerId: 'c', ActivityId: NULL_GUID, Type: 'UnexpectedExit', Operation: 'None', Result: 0, ResultInfo: { a: 1 } }]);
  });

  it('keeps working when a subscriber throws', async () => {
    bridge.on('notification', () => {
      throw new Error('subscriber bug');
    });
    guest.notify({ ContainerId: 'c', Type: 'None' });
    guest.auto.set('DumpStacks', '{"Result":0}');
    await expect(call()).resolves.toBeDefined();
    expect(anomalies.map((a) => a.kind)).toEqual(['listener-error']);
  });
});

describe('GcsBridge and a hostile or broken guest', () => {
  beforeEach(async () => {
    await bridge.negotiate();
  });

  it('reports an answer for an id nobody waits for and carries on', async () => {
    guest.write(0x20100c01, 999n, '{"Result":0}');
    guest.auto.set('DumpStacks', '{"Result":0}');
    await call();
    expect(anomalies).toMatchObject([{ kind: 'unknown-id', id: 999n, fatal: false }]);
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes('id 999'))).toBe(true);
  });

  it('reports answers for ids above any the bridge could have sent with their exact 64-bit id', async () => {
    for (const id of [2n ** 53n, 2n ** 53n + 1n, (1n << 64n) - 1n]) guest.write(0x20100c01, id, '{"Result":0}');
    guest.auto.set('DumpStacks', '{"Result":0}');
    await call();
    expect(anomalies.map((a) => [a.kind, a.id])).toEqual([
      ['unknown-id', 2n ** 53n],
      ['unknown-id', 2n ** 53n + 1n],
      ['unknown-id', (1n << 64n) - 1n],
    ]);
    expect(bridge.nextRequestId).toBe(2n);
  });

  it('fails the call whose answer is not JSON, with a ProtocolError, and keeps the connection', async () => {
    const pending = call();
    guest.reply(await guest.next('DumpStacks'), '{"Result":0,');
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
    guest.auto.set('DumpStacks', '{"Result":0}');
    await expect(call()).resolves.toBeDefined();
    expect(anomalies.map((a) => a.kind)).toEqual(['invalid-json']);
  });

  it('fails the call whose answer has a Result that is not a 32-bit integer', async () => {
    const pending = call();
    guest.reply(await guest.next('DumpStacks'), '{"Result":"0"}');
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
  });

  it('fails the call whose answer is too large, skipping it without buffering, and reads what follows', async () => {
    await bridge.close();
    const pair = await socketPair(dir.path, 'small.sock');
    bridge = new GcsBridge(pair.host, { maxMessageSize: 1024 });
    bridge.on('anomaly', (a) => anomalies.push(a));
    guest = ScriptedGuest.linux(pair.guest);
    await bridge.negotiate();
    const big = call();
    const next = call();
    const [first, second] = [await guest.next('DumpStacks'), await guest.next('DumpStacks')];
    guest.reply(first, JSON.stringify({ Result: 0, GuestStacks: 's'.repeat(100_000) }));
    guest.reply(second, '{"Result":0,"GuestStacks":"small"}');
    await expect(big).rejects.toBeInstanceOf(ProtocolError);
    await expect(next).resolves.toMatchObject({ GuestStacks: 'small' });
    expect(anomalies).toMatchObject([{ kind: 'oversize', fatal: false, size: 100_000 + 29 + 16 }]);
  });

  it('drops messages of types a host does not accept', async () => {
    guest.write(0x10100101, 5n, '{}');
    guest.write(0x30100201, 0n, '{}');
    guest.write(0x00000000, 0n, '{}');
    guest.auto.set('DumpStacks', '{"Result":0}');
    await call();
    expect(anomalies.map((a) => [a.kind, a.type])).toEqual([
      ['unexpected-type', 0x10100101],
      ['unexpected-type', 0x30100201],
      ['unexpected-type', 0],
    ]);
  });

  it('closes on a header announcing fewer than 16 bytes and rejects every pending call at once', async () => {
    const calls = [call(), call()];
    await guest.next('DumpStacks');
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(0x20100c01, 0);
    bad.writeUInt32LE(8, 4);
    guest.writeRaw(bad);
    for (const c of calls) await expect(c).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(anomalies).toMatchObject([{ kind: 'corrupt-size', fatal: true, size: 8 }]);
    expect(bridge.connected).toBe(false);
  });

  it('rejects every pending call when the guest stops in the middle of a message', async () => {
    const pending = call();
    const request = await guest.next('DumpStacks');
    const frame = encodeFrame(0x20100c01, request.id, '{"Result":0}');
    guest.socket.end(frame.subarray(0, frame.byteLength - 3));
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(anomalies).toMatchObject([{ kind: 'truncated', fatal: true }]);
  });

  it('rejects every pending call with a ConnectionClosedError the moment the transport closes', async () => {
    const closed = once(bridge, 'close');
    const calls = [call(), call(), call()];
    await guest.next('DumpStacks');
    guest.socket.destroy();
    const results = await Promise.allSettled(calls);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ConnectionClosedError)).toBe(true);
    await closed;
    expect(bridge.connected).toBe(false);
    await expect(call()).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
