import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Guest, type ContainerExit } from '@uvm/guest';
import { ConnectionClosedError, GuestError, ProtocolError, StateError, TimeoutError, ValidationError } from '@uvm/types';
import { connectScripted, NULL_GUID, RUNTIME_ID, UVM_BASE, type Scripted } from './support/connectScripted.js';
import { LINUX_NEGOTIATE_RESPONSE, ScriptedGuest, WINDOWS_NEGOTIATE_RESPONSE } from './support/scriptedGuest.js';
import { dialPath, socketDir, socketPair, unixListener } from './support/unixSockets.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function scripted<O extends 'linux' | 'windows'>(...args: Parameters<typeof connectScripted<O>>): Promise<Scripted<O>> {
  const s = await connectScripted(...args);
  cleanups.push(() => s.close());
  return s;
}

const LCOW_CONFIG = { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} };

describe('Guest.connect', () => {
  it('negotiates with a Linux guest and sends nothing else', async () => {
    const s = await scripted('linux');
    expect(s.guest.os).toBe('linux');
    expect(s.guest.connected).toBe(true);
    expect(s.guest.capabilities.RuntimeOsType).toBe('Linux');
    expect(s.guest.guestCapabilities.SignalProcessSupported).toBe(true);
    expect(s.scripted.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol']);
  });

  it('accepts one connection from a listener and closes the listener', async () => {
    const dir = socketDir();
    cleanups.push(dir.dispose);
    const path = join(dir.path, 'gcs.sock');
    const listener = await unixListener(path);
    const dialled = dialPath(path).then((socket) => ScriptedGuest.linux(socket));
    const guest = await Guest.connect(listener, { os: 'linux' });
    cleanups.push(() => guest.close());
    const gcs = await dialled;
    cleanups.push(() => gcs.socket.destroy());
    expect(guest.connected).toBe(true);
    expect(listener.server.listening).toBe(false);
  });

  it('fails with a ProtocolError and closes the connection when the guest runs another OS', async () => {
    const dir = socketDir();
    cleanups.push(dir.dispose);
    const pair = await socketPair(dir.path);
    const gcs = ScriptedGuest.linux(pair.guest);
    cleanups.push(() => gcs.socket.destroy());
    await expect(Guest.connect(pair.host, { os: 'windows', runtimeId: RUNTIME_ID })).rejects.toBeInstanceOf(ProtocolError);
    expect(pair.host.destroyed).toBe(true);
  });

  it('fails with a TimeoutError when the guest never answers the negotiation, and closes the connection', async () => {
    const dir = socketDir();
    cleanups.push(dir.dispose);
    const pair = await socketPair(dir.path);
    const gcs = new ScriptedGuest(pair.guest);
    cleanups.push(() => gcs.socket.destroy());
    await expect(Guest.connect(pair.host, { os: 'linux', timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(pair.host.destroyed).toBe(true);
  });

  it('rejects bad options with a ValidationError before any I/O', async () => {
    const dir = socketDir();
    cleanups.push(dir.dispose);
    const pair = await socketPair(dir.path);
    cleanups.push(() => pair.guest.destroy());
    cleanups.push(() => pair.host.destroy());
    await expect(Guest.connect(pair.host, { os: 'windows' })).rejects.toBeInstanceOf(ValidationError);
    await expect(Guest.connect(pair.host, { os: 'solaris' as 'linux' })).rejects.toBeInstanceOf(ValidationError);
    await expect(Guest.connect(undefined as never, { os: 'linux' })).rejects.toBeInstanceOf(ValidationError);
    await expect(Guest.connect({ write: 1 } as never, { os: 'linux' })).rejects.toBeInstanceOf(ValidationError);
    expect(pair.host.destroyed).toBe(false);
  });

  it('sends a Windows guest the UVM Create and Start it asks for, then the HvSocket address', async () => {
    const s = await scripted('windows');
    expect(s.scripted.requests.map((r) => [r.procedure, r.text])).toEqual([
      ['NegotiateProtocol', expect.any(String)],
      ['Create', `{${UVM_BASE},"ContainerConfig":"{\\"SystemType\\":\\"Container\\",\\"TimeZoneInformation\\":null}"}\n`],
      ['Start', `{${UVM_BASE}}\n`],
      ['ModifySettings', `{${UVM_BASE},"Request":{"RequestType":"Update","ResourceType":"HvSocket","Settings":{"LocalAddress":"${RUNTIME_ID}","ParentAddress":"894cc2d6-9d79-424f-93fe-42969ae6d8d1"}}}\n`],
    ]);
  });

  it('puts the time zone it is given in the Windows UVM Create', async () => {
    const s = await scripted('windows', { timeZone: { Bias: -60, StandardName: 'W. Europe Standard Time' } });
    expect(s.scripted.requests.find((r) => r.procedure === 'Create')?.body.ContainerConfig).toBe('{"SystemType":"Container","TimeZoneInformation":{"Bias":-60,"StandardName":"W. Europe Standard Time"}}');
  });

  it('does not resend the UVM Create and Start on a reconnect', async () => {
    const s = await scripted('windows', { coldStart: false });
    expect(s.scripted.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol', 'ModifySettings']);
  });

  it('sends no UVM Create to a Windows guest that does not ask for it', async () => {
    const s = await scripted('windows', {}, (g) => g.auto.set('NegotiateProtocol', WINDOWS_NEGOTIATE_RESPONSE.replace('"SendHostCreateMessage":true,', '')));
    expect(s.scripted.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol', 'ModifySettings']);
  });

  it('sets the security policy of a confidential UVM right after the handshake', async () => {
    const s = await scripted('linux', { securityPolicy: { EnforcerType: 'rego', EncodedSecurityPolicy: 'cA==' } });
    expect(s.scripted.requests.map((r) => r.procedure)).toEqual(['NegotiateProtocol', 'ModifySettings']);
    expect(s.scripted.requests[1]!.body.Request).toEqual({ RequestType: 'Add', ResourceType: 'SecurityPolicy', Settings: { EnforcerType: 'rego', EncodedSecurityPolicy: 'cA==' } });
  });
});

describe('Guest capabilities gates', () => {
  const without = (flag: string) => (g: ScriptedGuest) => g.auto.set('NegotiateProtocol', LINUX_NEGOTIATE_RESPONSE.replace(`"${flag}":true`, `"${flag}":false`));

  it('refuses deleteContainerState with a StateError when the guest does not advertise it', async () => {
    const s = await scripted('linux', {}, without('DeleteContainerStateSupported'));
    await expect(s.guest.deleteContainerState('c1')).rejects.toBeInstanceOf(StateError);
  });

  it('refuses LCOW network changes when the guest cannot add namespaces', async () => {
    const s = await scripted('linux', {}, without('NamespaceAddRequestSupported'));
    await expect(s.guest.addNetworkInterface({ NamespaceID: 'n', ID: 'i' })).rejects.toBeInstanceOf(StateError);
  });
});

describe('GuestContainer', () => {
  it('resolves wait() with the exit notification routed by container id', async () => {
    const s = await scripted('linux');
    const c = await s.guest.createContainer('c1', LCOW_CONFIG);
    s.scripted.notify({ ContainerId: 'c1', ActivityId: NULL_GUID, Type: 'GracefulExit', Operation: 'None', Result: 0 });
    const expected: ContainerExit = { type: 'GracefulExit', operation: 'None', result: 0, activityId: NULL_GUID };
    await expect(c.wait()).resolves.toEqual(expected);
    expect(c.exit?.type).toBe('GracefulExit');
  });

  it('does not miss a notification that arrives before the Create answer', async () => {
    const s = await scripted('linux', {}, (g) =>
      g.auto.set('Create', (r) => {
        g.notify({ ContainerId: 'early', ActivityId: NULL_GUID, Type: 'UnexpectedExit', Operation: 'None', Result: 0 });
        g.reply(r, '{"Result":0}');
        return undefined;
      }),
    );
    const c = await s.guest.createContainer('early', LCOW_CONFIG);
    await expect(c.wait()).resolves.toMatchObject({ type: 'UnexpectedExit' });
  });

  it('logs and ignores a notification for a container it does not track', async () => {
    const warnings: string[] = [];
    const s = await scripted('linux', {
      logger: { debug() {}, info() {}, warn: (_f: unknown, m?: string) => warnings.push(m ?? ''), error() {} },
    });
    s.scripted.notify({ ContainerId: 'stranger', Type: 'UnexpectedExit' });
    s.scripted.auto.set('DumpStacks', '{"Result":0}');
    await s.guest.dumpStacks();
    expect(warnings.some((w) => w.includes('does not track'))).toBe(true);
    expect(s.guest.connected).toBe(true);
  });

  it('treats "system not found" from a shutdown as done, and reports other failures', async () => {
    const s = await scripted('linux');
    const c = await s.guest.createContainer('c1', LCOW_CONFIG);
    s.scripted.auto.set('ShutdownGraceful', (r) => {
      s.scripted.fail(r, 0xc037010e, 'container c1 not found');
      return undefined;
    });
    await expect(c.shutdown()).resolves.toBeUndefined();
    s.scripted.auto.set('ShutdownForced', (r) => {
      s.scripted.fail(r, 0x80370105, 'still being created');
      return undefined;
    });
    await expect(c.terminate()).rejects.toMatchObject({ hresult: 0x80370105 });
  });

  it('gives shutdowns a 30-second default timeout that fails the call but not the connection', async () => {
    const s = await scripted('linux');
    const c = await s.guest.createContainer('c1', LCOW_CONFIG);
    await expect(c.shutdown({ timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError);
    expect(s.guest.connected).toBe(true);
  });

  it('refuses a second container with the same id and names it', async () => {
    const s = await scripted('linux');
    await s.guest.createContainer('c1', LCOW_CONFIG);
    await expect(s.guest.createContainer('c1', LCOW_CONFIG)).rejects.toBeInstanceOf(StateError);
    await expect(s.guest.createContainer(NULL_GUID, LCOW_CONFIG)).rejects.toBeInstanceOf(ValidationError);
  });

  it('forgets a container whose Create failed, so the id can be used again', async () => {
    const s = await scripted('linux', {}, (g) =>
      g.auto.set('Create', (r) => {
        g.fail(r, 0xc037010d, 'invalid schema version');
        g.auto.set('Create', '{"Result":0}');
        return undefined;
      }),
    );
    await expect(s.guest.createContainer('c1', LCOW_CONFIG)).rejects.toBeInstanceOf(GuestError);
    await expect(s.guest.createContainer('c1', LCOW_CONFIG)).resolves.toBeDefined();
  });
});

describe('Guest connection loss', () => {
  it('settles pending calls and container waits with a ConnectionClosedError and reports itself disconnected', async () => {
    const s = await scripted('linux');
    const c = await s.guest.createContainer('c1', LCOW_CONFIG);
    const disconnected = once(s.guest, 'disconnect');
    const pending = s.guest.dumpStacks();
    const waiting = c.wait();
    await s.scripted.next('DumpStacks');
    s.scripted.socket.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(waiting).rejects.toBeInstanceOf(ConnectionClosedError);
    const [error] = (await disconnected) as unknown[];
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(s.guest.connected).toBe(false);
    await expect(s.guest.addMappedVirtualDisk({ Lun: 1 })).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('closes with close() and rejects calls made afterwards', async () => {
    const s = await scripted('linux');
    await s.guest.close();
    expect(s.guest.connected).toBe(false);
    await expect(s.guest.dumpStacks()).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
