import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcsPeer } from '@uvm/sim';
import { encodeFrame, GcsProcedure, gcsRequestType, ValidationError } from '@uvm/types';
import { NULL_GUID, peerSession, type PeerSession } from './support/rawHost.js';

let session: PeerSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function open(options: Parameters<typeof peerSession>[0] = {}): Promise<PeerSession> {
  session = await peerSession(options);
  return session;
}

async function negotiated(options: Parameters<typeof peerSession>[0] = {}): Promise<PeerSession> {
  const s = await open(options);
  await s.host.negotiate();
  return s;
}

const base = (containerId = NULL_GUID) => ({ ContainerId: containerId, ActivityId: NULL_GUID });
const E_NOTIMPL = -2147467263;

describe('GCS peer negotiation', () => {
  it('answers NegotiateProtocol with the exact 342-byte message of gcs-bridge.md §2.9', async () => {
    const s = await open();
    const request = encodeFrame(0x10100b01, 0n, '{"ContainerId":"","ActivityId":"00000000-0000-0000-0000-000000000000","MinimumVersion":4,"MaximumVersion":4}\n');
    s.host.socket.write(request);
    const answer = await s.host.answerTo(0n);
    const bytes = Buffer.concat(s.host.raw);
    expect(bytes.subarray(0, 16)).toEqual(Buffer.from('010b1020560100000000000000000000', 'hex'));
    expect(answer.size).toBe(342);
    expect(answer.text).toBe(
      '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}',
    );
    expect(s.peer.negotiated).toBe(true);
  });

  it('answers every other request before negotiation with E_NOTIMPL and one error record, and stays up', async () => {
    const s = await open();
    const answer = await s.host.call('DumpStacks', base());
    expect(answer.type).toBe(0x20100c01);
    expect(answer.body).toEqual({
      Result: E_NOTIMPL,
      ActivityId: NULL_GUID,
      ErrorMessage: `bridge: function not supported, header type: 269487105`,
      ErrorRecords: [{ Result: E_NOTIMPL, Message: `bridge: function not supported, header type: 269487105`, ModuleName: 'gcs', FileName: '', Line: 4294967295 }],
    });
    await expect(s.host.negotiate()).resolves.toMatchObject({ body: { Result: 0, Version: 4 } });
  });

  it('still treats a request pipelined behind NegotiateProtocol as un-negotiated', async () => {
    const s = await open();
    const negotiate = s.host.send('NegotiateProtocol', { ContainerId: '', ActivityId: NULL_GUID, MinimumVersion: 4, MaximumVersion: 4 });
    const early = s.host.send('DumpStacks', base());
    await expect(s.host.answerTo(negotiate)).resolves.toMatchObject({ body: { Result: 0 } });
    await expect(s.host.answerTo(early)).resolves.toMatchObject({ body: { Result: E_NOTIMPL } });
  });

  it('answers a second NegotiateProtocol with E_NOTIMPL', async () => {
    const s = await negotiated();
    await expect(s.host.negotiate()).resolves.toMatchObject({ body: { Result: E_NOTIMPL } });
  });

  it('fails a version range without 4 with 0xC037010C', async () => {
    const s = await open();
    const answer = await s.host.call('NegotiateProtocol', { ContainerId: '', ActivityId: NULL_GUID, MinimumVersion: 5, MaximumVersion: 6 });
    expect(answer.body.Result).toBe(0xc037010c | 0);
    expect(s.peer.negotiated).toBe(false);
  });
});

describe('GCS peer dispatch', () => {
  it('answers procedures the Linux GCS does not serve with E_NOTIMPL and the response type of the request', async () => {
    const s = await negotiated();
    for (const procedure of ['UpdateContainer', 'LifecycleNotification', 'ModifyServiceSettings'] as const) {
      const answer = await s.host.call(procedure, base());
      expect(answer.type).toBe(gcsRequestType(GcsProcedure[procedure]) - 0x10000000 + 0x20000000);
      expect(answer.body.Result).toBe(E_NOTIMPL);
    }
    await expect(s.host.call(0x10101f01, base())).resolves.toMatchObject({ type: 0x20101f01, body: { Result: E_NOTIMPL } });
    // A host must not send responses; the guest answers them like any unknown type.
    await expect(s.host.call(0x20100c01, base())).resolves.toMatchObject({ type: 0x20100c01, body: { Result: E_NOTIMPL } });
  });

  it('answers a body that is not JSON with 0xC037010D and no ActivityId', async () => {
    const s = await negotiated();
    const bad = await s.host.call('DumpStacks', '{"ContainerId":');
    expect(bad.body.Result).toBe(0xc037010d | 0);
    expect(bad.body).not.toHaveProperty('ActivityId');
    const empty = await s.host.call('DumpStacks', '');
    expect(empty.body.Result).toBe(0xc037010d | 0);
  });

  it('handles requests concurrently and answers in completion order', async () => {
    const s = await negotiated();
    const started = await s.host.call('ExecuteProcess', {
      ...base(),
      Settings: { ProcessParameters: JSON.stringify({ CommandArgs: ['sleep', '0.3'] }), VsockStdioRelaySettings: {} },
    });
    const pid = started.body.ProcessId as number;
    const wait = s.host.send('WaitForProcess', { ...base(), ProcessId: pid, TimeoutInMs: 4294967295 });
    const dump = s.host.send('DumpStacks', base());
    await s.host.answerTo(wait);
    const order = s.host.answers.map((a) => a.id);
    expect(order.indexOf(dump)).toBeLessThan(order.indexOf(wait));
  });

  it('rejects GetProperties against the UVM with E_FAIL and an unknown container with 0xC037010E', async () => {
    const s = await negotiated();
    const uvm = await s.host.call('GetProperties', { ...base(), Query: '{"PropertyTypes":["ProcessList"]}' });
    expect(uvm.body).toMatchObject({ Result: 0x80004005 | 0, ErrorMessage: 'getPropertiesV2 is not supported against the UVM' });
    const unknown = await s.host.call('GetProperties', { ...base('nope'), Query: '{"PropertyTypes":["ProcessList"]}' });
    expect(unknown.body).toMatchObject({ Result: 0xc037010e | 0, ErrorMessage: 'HRESULT: 0xc037010e', ErrorRecords: [{ FileName: '', Line: 4294967295 }] });
  });

  it('answers WaitForProcess for an unknown pid with 0x80070490', async () => {
    const s = await negotiated();
    await expect(s.host.call('WaitForProcess', { ...base(), ProcessId: 999999, TimeoutInMs: 0 })).resolves.toMatchObject({ body: { Result: 0x80070490 | 0 } });
  });

  it('answers DumpStacks with goroutine-shaped text', async () => {
    const s = await negotiated();
    const answer = await s.host.call('DumpStacks', base());
    expect(answer.body.Result).toBe(0);
    expect(answer.body.GuestStacks).toMatch(/^goroutine 1 \[running\]:/);
  });

  it('powers off on a UVM shutdown: no answer, the connection closes', async () => {
    const s = await negotiated();
    const poweroff = once(s.peer, 'poweroff');
    const closed = once(s.host.socket, 'close');
    s.host.send('ShutdownForced', base());
    await poweroff;
    await closed;
    expect(s.host.answers.filter((a) => a.type === 0x20100401)).toEqual([]);
  });

  it('ends the session on a header announcing fewer than 16 bytes, where a real GCS would hang', async () => {
    const s = await negotiated();
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(0x10100c01, 0);
    bad.writeUInt32LE(4, 4);
    s.host.socket.write(bad);
    await s.peer.closed;
  });
});

describe('createGcsPeer', () => {
  it('rejects options it cannot work with, naming each', () => {
    let error: unknown;
    try {
      createGcsPeer({ os: 'solaris' as 'linux', transport: undefined as never, stdioConnector: 5 as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['/os', '/transport', '/stdioConnector']);
  });
});

describe('GCS peer ModifySettings', () => {
  const modify = (request: Record<string, unknown>, containerId = NULL_GUID) => ({ ...base(containerId), Request: request });

  it('records settings that match the schema, with an omitted RequestType read as Add', async () => {
    const s = await negotiated();
    const disk = { MountPath: '/run/mounts/scsi/m0', Lun: 1, ReadOnly: true };
    await expect(s.host.call('ModifySettings', modify({ ResourceType: 'MappedVirtualDisk', Settings: disk }))).resolves.toMatchObject({ body: { Result: 0 } });
    await s.host.call('ModifySettings', modify({ RequestType: 'Update', ResourceType: 'PodCgroupMemoryLimit' }));
    expect(s.peer.modifications).toEqual([
      { containerId: NULL_GUID, requestType: 'Add', resourceType: 'MappedVirtualDisk', settings: disk },
      { containerId: NULL_GUID, requestType: 'Update', resourceType: 'PodCgroupMemoryLimit', settings: undefined },
    ]);
  });

  it('fails an unknown ResourceType with E_FAIL before doing anything', async () => {
    const s = await negotiated();
    const answer = await s.host.call('ModifySettings', modify({ RequestType: 'Add', ResourceType: 'HvSocket', Settings: {} }));
    expect(answer.body).toMatchObject({ Result: 0x80004005 | 0, ErrorMessage: "invalid ResourceType 'HvSocket'" });
    expect(s.peer.modifications).toEqual([]);
  });

  it('fails settings of the wrong type with 0xC037010D', async () => {
    const s = await negotiated();
    const answer = await s.host.call('ModifySettings', modify({ RequestType: 'Add', ResourceType: 'MappedVirtualDisk', Settings: { Lun: 'one' } }));
    expect(answer.body.Result).toBe(0xc037010d | 0);
    expect(s.peer.modifications).toEqual([]);
  });

  it('ignores settings keys it does not know, as Go does', async () => {
    const s = await negotiated();
    await expect(s.host.call('ModifySettings', modify({ RequestType: 'Add', ResourceType: 'VPCIDevice', Settings: { VMBusGUID: 'x', Future: 1 } }))).resolves.toMatchObject({ body: { Result: 0 } });
  });

  it('fails a request type the Linux GCS does not take for the resource with E_FAIL', async () => {
    const s = await negotiated();
    const answer = await s.host.call('ModifySettings', modify({ RequestType: 'Remove', ResourceType: 'VPCIDevice', Settings: {} }));
    expect(answer.body).toMatchObject({ Result: 0x80004005 | 0 });
    expect(String(answer.body.ErrorMessage)).toContain('not supported');
  });

  it('keeps container-scoped and UVM-scoped resources apart', async () => {
    const s = await negotiated();
    const constraints = { RequestType: 'Update', ResourceType: 'ContainerConstraints', Settings: { Windows: {}, Linux: {} } };
    await expect(s.host.call('ModifySettings', modify(constraints))).resolves.toMatchObject({ body: { Result: 0xc037010e | 0 } });
    await expect(s.host.call('ModifySettings', modify(constraints, 'ghost'))).resolves.toMatchObject({ body: { Result: 0xc037010e | 0 } });
  });
});

describe('GCS peer as a Windows guest', () => {
  it('asks for the UVM Create and Start and records them', async () => {
    const s = await open({ os: 'windows' });
    const answer = await s.host.negotiate();
    expect(answer.body.Capabilities).toMatchObject({ SendHostCreateMessage: true, SendHostStartMessage: true, RuntimeOsType: 'Windows' });
    await expect(s.host.call('Create', { ...base(), ContainerConfig: '{"SystemType":"Container","TimeZoneInformation":null}' })).resolves.toMatchObject({ body: { Result: 0 } });
    await s.host.call('Start', base());
    expect(s.peer.uvm).toEqual({ config: { SystemType: 'Container', TimeZoneInformation: null }, started: true });
  });

  it('takes the Windows settings schemas, HvSocket included', async () => {
    const s = await open({ os: 'windows' });
    await s.host.negotiate();
    const settings = { LocalAddress: '6a5c4e7b-31b5-4b4e-9a3e-2f1c0d9e8b7a', ParentAddress: '894cc2d6-9d79-424f-93fe-42969ae6d8d1' };
    await expect(s.host.call('ModifySettings', { ...base(), Request: { RequestType: 'Update', ResourceType: 'HvSocket', Settings: settings } })).resolves.toMatchObject({ body: { Result: 0 } });
    expect(s.peer.modifications).toEqual([{ containerId: NULL_GUID, requestType: 'Update', resourceType: 'HvSocket', settings }]);
  });
});
