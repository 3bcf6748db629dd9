import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HcsError,
  HcsEventType,
  HcsUnavailableError,
  ProtocolError,
  StateError,
  ValidationError,
  type HcsSystem,
  type HcsSystemEvent,
  type Logger,
} from '@uvm/types';
import { ComputeCore } from '@uvm/hcs-ffi';
import { useComputeCore } from './native/computeCoreHarness.js';

const harness = useComputeCore();
const { fake } = harness;
const uniqueId = (label: string) => harness.uniqueId(label);
const scratch = mkdtempSync(join(tmpdir(), 'uvm-hcs-ffi-'));
let hcs: ComputeCore;
beforeEach(() => {
  hcs = harness.hcs;
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function createRunning(label: string, options: Parameters<ComputeCore['createComputeSystem']>[2] = {}): Promise<HcsSystem> {
  const system = await hcs.createComputeSystem(uniqueId(label), '{"Owner":"uvm-test"}', options);
  await hcs.startComputeSystem(system);
  return system;
}

describe('compute systems through computecore', () => {
  it('creates, starts, modifies, pauses, saves, resumes and reads properties of a system', async () => {
    const id = uniqueId('lifecycle');
    const system = await hcs.createComputeSystem(id, { Owner: 'uvm-test', SchemaVersion: { Major: 2, Minor: 1 }, ShouldTerminateOnLastHandleClosed: true });
    expect(system).toEqual({ kind: 'system', id });
    expect(await hcs.getComputeSystemProperties(system, {})).toMatchObject({ Id: id, State: 'Created' });
    await hcs.startComputeSystem(system);
    await hcs.modifyComputeSystem(system, '{"ResourcePath":"VirtualMachine/Devices/Scsi/0/Attachments/1","RequestType":"Add"}');
    await hcs.pauseComputeSystem(system);
    await hcs.saveComputeSystem(system, { SaveType: 'ToFile', SaveStateFilePath: 'C:\\state.vmrs' });
    await hcs.resumeComputeSystem(system);
    const properties = await hcs.getComputeSystemProperties(system, { PropertyTypes: ['Memory'] });
    expect(properties).toMatchObject({
      Id: id,
      State: 'Running',
      // What HCS received: the typed documents in Go's encoding/json shape, strings as given.
      Query: { PropertyTypes: ['Memory'] },
      Configuration: { Owner: 'uvm-test', SchemaVersion: { Major: 2, Minor: 1 }, ShouldTerminateOnLastHandleClosed: true },
      LastModify: { ResourcePath: 'VirtualMachine/Devices/Scsi/0/Attachments/1', RequestType: 'Add' },
    });
  });

  it('shuts a system down without waiting for it, and reports the exit through the event and waitForComputeSystemExit', async () => {
    const events: HcsSystemEvent[] = [];
    const system = await createRunning('shutdown', { onEvent: (e) => events.push(e) });
    const exit = hcs.waitForComputeSystemExit(system);
    await hcs.shutDownComputeSystem(system);
    expect(events).toEqual([]);
    await expect(exit).resolves.toEqual({ Status: 0, ExitType: 'GracefulExit' });
    expect(events).toMatchObject([{ type: 'exited', status: { ExitType: 'GracefulExit' }, unexpected: false }]);
    // A late waiter sees the same exit at once.
    await expect(hcs.waitForComputeSystemExit(system)).resolves.toEqual({ Status: 0, ExitType: 'GracefulExit' });
  });

  it('terminates a system and rejects a second terminate with HCS_E_SYSTEM_ALREADY_STOPPED', async () => {
    const system = await createRunning('terminate');
    await hcs.terminateComputeSystem(system);
    await expect(hcs.waitForComputeSystemExit(system)).resolves.toMatchObject({ ExitType: 'ForcedExit' });
    await expect(hcs.terminateComputeSystem(system)).rejects.toMatchObject({
      name: 'HcsError',
      hresult: 0x80370110,
      hresultName: 'HCS_E_SYSTEM_ALREADY_STOPPED',
      operation: 'HcsTerminateComputeSystem',
      systemId: system.id,
    });
  });

  it('delivers crash events, from the fake’s own thread, in order and typed', async () => {
    const events: HcsSystemEvent[] = [];
    const system = await createRunning('crash');
    hcs.onComputeSystemEvent(system, (e) => events.push(e));
    await hcs.crashComputeSystem(system);
    const exit = await hcs.waitForComputeSystemExit(system);
    expect(exit).toEqual({ Status: -2143878906, ExitType: 'UnexpectedExit' });
    expect(events.map((e) => e.type)).toEqual(['crashInitiated', 'crashReport', 'exited']);
    expect(events[1]!.data).toBe('{"CrashParameters":[1,2,3,4,5]}');
    expect(events[2]).toMatchObject({ type: 'exited', unexpected: true });
  });

  it('types every event HCS sends and stops delivering to a removed listener', async () => {
    const system = await createRunning('events');
    const seen: HcsSystemEvent[] = [];
    const remove = hcs.onComputeSystemEvent(system, (e) => seen.push(e));
    const all = new Promise<void>((resolve) => {
      hcs.onComputeSystemEvent(system, (e) => {
        if (e.type === 'unknown') resolve();
      });
    });
    fake.emitSystemEvent(system.id, HcsEventType.SystemGuestConnectionClosed, null);
    fake.emitSystemEvent(system.id, HcsEventType.SystemRdpEnhancedModeStateChanged, null);
    fake.emitSystemEvent(system.id, HcsEventType.GroupLiveMigration, '{"Origin":"Source","Event":"MigrationDone","Result":"Success"}');
    fake.emitSystemEvent(system.id, 0x7777, 'opaque');
    await all;
    expect(seen.map((e) => e.type)).toEqual(['guestConnectionClosed', 'rdpEnhancedModeStateChanged', 'liveMigration', 'unknown']);
    expect(seen[2]).toMatchObject({ info: { Origin: 'Source', Event: 'MigrationDone', Result: 'Success' } });
    expect(seen[3]).toMatchObject({ code: 0x7777, data: 'opaque' });
    remove();
    const later = new Promise<void>((resolve) => hcs.onComputeSystemEvent(system, () => { resolve(); }));
    fake.emitSystemEvent(system.id, HcsEventType.SystemSiloJobCreated, null);
    await later;
    expect(seen).toHaveLength(4);
  });

  it('fails waiters with an HcsError when HCS reports a service disconnect', async () => {
    const system = await createRunning('disconnect');
    const exit = hcs.waitForComputeSystemExit(system);
    fake.emitSystemEvent(system.id, HcsEventType.ServiceDisconnect, null);
    await expect(exit).rejects.toMatchObject({ name: 'HcsError', hresultName: 'HCS_E_SERVICE_DISCONNECT', systemId: system.id });
  });

  it('logs a listener that throws and keeps delivering to the others', async () => {
    const errors: unknown[] = [];
    const noop = () => undefined;
    const logger: Logger = { debug: noop, info: noop, warn: noop, error: (fields: unknown) => errors.push(fields) };
    hcs = await harness.reopen({ logger });
    const system = await createRunning('throwing-listener');
    hcs.onComputeSystemEvent(system, () => {
      throw new Error('listener bug');
    });
    const delivered = new Promise<HcsSystemEvent>((resolve) => hcs.onComputeSystemEvent(system, resolve));
    fake.emitSystemEvent(system.id, HcsEventType.SystemGuestConnectionClosed, null);
    await expect(delivered).resolves.toMatchObject({ type: 'guestConnectionClosed' });
    expect(errors).toHaveLength(1);
    expect((errors[0] as { err: Error }).err.message).toBe('listener bug');
  });

  it('opens an existing system by id as a second handle with its own events, and lists it', async () => {
    const first = await createRunning('open');
    const second = await hcs.openComputeSystem(first.id);
    expect(second).not.toBe(first);
    expect(second.id).toBe(first.id);
    const listed = await hcs.enumerateComputeSystems({ Owners: ['fake'] });
    expect(listed).toContainEqual({ Id: first.id, SystemType: 'VirtualMachine', State: 'Running', Owner: 'fake' });
    const exit = hcs.waitForComputeSystemExit(second);
    await hcs.terminateComputeSystem(first);
    await expect(exit).resolves.toMatchObject({ ExitType: 'ForcedExit' });
  });

  it('closes a handle once, refuses calls on it afterwards, and rejects handles it did not issue', async () => {
    const system = await createRunning('close');
    const exit = hcs.waitForComputeSystemExit(system);
    await Promise.all([hcs.closeComputeSystem(system), hcs.closeComputeSystem(system)]);
    await hcs.closeComputeSystem(system);
    await expect(exit).rejects.toBeInstanceOf(StateError);
    await expect(hcs.startComputeSystem(system)).rejects.toMatchObject({ name: 'StateError', state: 'closed' });
    expect(() => hcs.onComputeSystemEvent(system, () => undefined)).toThrow(StateError);
    const forged = { kind: 'system', id: system.id } as const;
    await expect(hcs.getComputeSystemProperties(forged, {})).rejects.toMatchObject({ name: 'StateError', state: 'unknown' });
    await expect(hcs.closeComputeSystem(forged)).rejects.toBeInstanceOf(StateError);
  });

  it('refuses every call after the backend is closed', async () => {
    await hcs.close();
    await expect(hcs.createComputeSystem(uniqueId('after-close'), '{}')).rejects.toMatchObject({ name: 'StateError', state: 'closed' });
    await expect(hcs.getServiceProperties({})).rejects.toBeInstanceOf(StateError);
  });
});

describe('HRESULT failures', () => {
  it('rejects a call HCS refuses at once with the HRESULT, the function, the system id and the error events', async () => {
    const id = uniqueId('fail-0x8037010D');
    const error = await hcs.createComputeSystem(id, '{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HcsError);
    expect(error).toMatchObject({
      hresult: 0x8037010d,
      hresultName: 'HCS_E_INVALID_JSON',
      operation: 'HcsCreateComputeSystem',
      systemId: id,
      errorMessage: 'fake failure 0x8037010D',
      errorEvents: [{ message: 'injected by the fake', provider: 'fake-provider', eventId: 42, source: 'fakeComputeCore.c' }],
    });
    const message = (error as Error).message;
    expect(message).toContain(`HcsCreateComputeSystem failed for compute system "${id}": fake failure 0x8037010D.`);
    expect(message).toContain('[0x8037010D (HCS_E_INVALID_JSON)]');
    expect(message).toContain('HCS event: injected by the fake (provider fake-provider, event id 42, source fakeComputeCore.c)');
  });

  it('rejects an operation that fails later with its result document, and closes the handle HCS had already returned', async () => {
    const id = uniqueId('opfail-0x80370100');
    await expect(hcs.createComputeSystem(id, '{}')).rejects.toMatchObject({
      hresultName: 'HCS_E_TERMINATED_DURING_START',
      errorEvents: [{ eventId: 42 }],
    });
    // The handle created before the failure is closed: afterEach checks the fake holds none.
  });

  it('reports a wrong state from the operation result', async () => {
    const system = await hcs.createComputeSystem(uniqueId('state'), '{}');
    await expect(hcs.pauseComputeSystem(system)).rejects.toMatchObject({ hresultName: 'HCS_E_INVALID_STATE', operation: 'HcsPauseComputeSystem' });
  });

  it('rejects opening an unknown system with HCS_E_SYSTEM_NOT_FOUND', async () => {
    await expect(hcs.openComputeSystem(uniqueId('missing'))).rejects.toMatchObject({ hresultName: 'HCS_E_SYSTEM_NOT_FOUND', operation: 'HcsOpenComputeSystem' });
  });

  it('rejects a failed service call with the error document HCS returned', async () => {
    await expect(hcs.getServiceProperties('{"PropertyTypes":["fail-0x8037011B"]}')).rejects.toMatchObject({
      hresultName: 'HCS_E_ACCESS_DENIED',
      operation: 'HcsGetServiceProperties',
      errorEvents: [{ eventId: 42 }],
    });
    await expect(hcs.modifyServiceSettings('{"PropertyType":"fail-0x80070005"}')).rejects.toMatchObject({ hresultName: 'ERROR_ACCESS_DENIED' });
  });

  it('rejects with E_OUTOFMEMORY when HCS cannot allocate an operation, and leaves nothing behind', async () => {
    fake.failNextCreateOperations(1);
    await expect(hcs.createComputeSystem(uniqueId('no-operation'), '{}')).rejects.toMatchObject({
      name: 'HcsError',
      hresultName: 'E_OUTOFMEMORY',
      operation: 'HcsCreateOperation',
    });
    const system = await createRunning('no-submit');
    fake.failNextCreateOperations(1);
    await expect(hcs.terminateComputeSystem(system)).rejects.toMatchObject({ hresultName: 'E_OUTOFMEMORY', operation: 'HcsCreateOperation' });
    expect(await hcs.getComputeSystemProperties(system, {})).toMatchObject({ State: 'Running' });
  });

  it('closes a new system again when its event callback cannot be registered', async () => {
    fake.failNextSetCallback(0x80370119);
    await expect(hcs.createComputeSystem(uniqueId('no-callback'), '{}')).rejects.toMatchObject({
      hresultName: 'HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET',
      operation: 'HcsSetComputeSystemCallback',
    });
    const system = await createRunning('callback-ok');
    fake.failNextSetCallback(0x80070005);
    await expect(hcs.openComputeSystem(system.id)).rejects.toMatchObject({ hresultName: 'ERROR_ACCESS_DENIED', operation: 'HcsSetComputeSystemCallback' });
    fake.failNextSetCallback(0x80070005);
    await expect(hcs.createProcess(system, { CommandLine: 'x' })).rejects.toMatchObject({ operation: 'HcsSetProcessCallback' });
    // afterEach checks that every handle these failures produced was closed.
  });

  it('keeps an unknown HRESULT readable as hex', async () => {
    const error = await hcs.createComputeSystem(uniqueId('fail-0x80991234'), '{}').catch((e: unknown) => e);
    expect((error as Error).message).toContain('[0x80991234]');
  });

  it('answers a call with bad arguments with a ValidationError before reaching HCS', async () => {
    await expect(hcs.createComputeSystem('', '{}')).rejects.toBeInstanceOf(ValidationError);
    await expect(hcs.createComputeSystem('a\0b', '{}')).rejects.toBeInstanceOf(ValidationError);
    await expect(hcs.createComputeSystem(uniqueId('bad-doc'), 42 as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(hcs.createComputeSystem(uniqueId('bad-options'), '{}', { timeoutMs: -1 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(hcs.createComputeSystem(uniqueId('bad-signal'), '{}', { signal: 'stop' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(hcs.grantVmAccess('vm', '')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('processes through computecore', () => {
  it('creates a process with std pipes, round-trips its stdio and reports its exit code', async () => {
    const system = await createRunning('process');
    const created = await hcs.createProcess(system, { CommandLine: 'cat', CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true });
    expect(created.process).toEqual({ kind: 'process', systemId: system.id, processId: created.processId });
    const stdout = text(created.stdout!);
    const stderr = text(created.stderr!);
    created.stdin!.end('hello 🌍 from the host\n');
    expect(await stdout).toBe('hello 🌍 from the host\n');
    expect(await stderr).toBe(`stderr of ${created.processId}\n`);
    const exit = await hcs.waitForProcessExit(created.process);
    expect(exit).toEqual({ exitCode: 0, status: { ProcessId: created.processId, Exited: true, ExitCode: 0, LastWaitResult: 0 } });
    await hcs.closeProcess(created.process);
  });

  it('signals, terminates, queries, modifies and reopens processes', async () => {
    const system = await createRunning('process-control');
    const a = await hcs.createProcess(system, '{"CommandLine":"sleep"}');
    expect(a.stdin).toBeUndefined();
    expect(await hcs.getProcessProperties(a.process)).toEqual({ ProcessId: a.processId, Exited: false, ExitCode: 0, LastWaitResult: 0 });
    await hcs.modifyProcess(a.process, { Operation: 'ConsoleSize', ConsoleSize: { Height: 40, Width: 120 } });
    expect((await hcs.getProcessInfo(a.process)).processId).toBe(a.processId);
    const reopened = await hcs.openProcess(system, a.processId);
    const exited = hcs.waitForProcessExit(reopened);
    const events: string[] = [];
    hcs.onProcessEvent(a.process, (e) => events.push(e.type));
    await hcs.signalProcess(a.process, { Signal: 15 });
    await expect(exited).resolves.toMatchObject({ exitCode: 143 });
    await expect(hcs.waitForProcessExit(a.process)).resolves.toMatchObject({ exitCode: 143 });
    expect(events).toEqual(['exited']);
    await expect(hcs.signalProcess(a.process, { Signal: 9 })).rejects.toMatchObject({ hresultName: 'HCS_E_PROCESS_ALREADY_STOPPED', processId: a.processId });

    const b = await hcs.createProcess(system, '{"CommandLine":"sleep"}');
    await hcs.terminateProcess(b.process);
    await expect(hcs.waitForProcessExit(b.process)).resolves.toMatchObject({ exitCode: 1 });

    // An exit that comes before anyone waits is kept for the waiter.
    const c = await hcs.createProcess(system, '{"CommandLine":"exit-7"}');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(hcs.waitForProcessExit(c.process)).resolves.toMatchObject({ exitCode: 7 });
    await expect(hcs.openProcess(system, 999_999)).rejects.toMatchObject({ hresultName: 'ERROR_NOT_FOUND' });
  });

  it('refuses to create a process in a system that is not running', async () => {
    const system = await hcs.createComputeSystem(uniqueId('not-running'), '{}');
    await expect(hcs.createProcess(system, { CommandLine: 'x' })).rejects.toMatchObject({ hresultName: 'HCS_E_INVALID_STATE', operation: 'HcsCreateProcess' });
  });
});

describe('service and file calls through computecore', () => {
  it('reads service properties and modifies service settings', async () => {
    expect(await hcs.getServiceProperties({ PropertyTypes: ['ProcessorTopology'] })).toEqual({ Properties: [{ PropertyTypes: ['ProcessorTopology'] }] });
    expect(await hcs.modifyServiceSettings({ PropertyType: 'CpuGroup', Settings: { Operation: 'x' } })).toBe('{"PropertyType":"CpuGroup","Settings":{"Operation":"x"}}');
  });

  it('creates empty guest and runtime state files at the path it was given, non-ASCII included', async () => {
    const vmgs = join(scratch, 'guest state ✓.vmgs');
    const vmrs = join(scratch, 'runtime \u{1f600}.vmrs');
    await hcs.createEmptyGuestStateFile(vmgs);
    await hcs.createEmptyRuntimeStateFile(vmrs);
    expect(existsSync(vmgs)).toBe(true);
    expect(existsSync(vmrs)).toBe(true);
    await expect(hcs.createEmptyGuestStateFile(vmgs)).rejects.toMatchObject({ hresultName: 'ERROR_ALREADY_EXISTS', operation: 'HcsCreateEmptyGuestStateFile' });
  });

  it('grants and revokes VM access to files', async () => {
    const before = fake.accessCalls();
    await hcs.grantVmAccess('b8e6bfa9-1234-4b4a-9f0e-0123456789ab', 'C:\\disk.vhdx');
    await hcs.revokeVmAccess('b8e6bfa9-1234-4b4a-9f0e-0123456789ab', 'C:\\disk.vhdx');
    await hcs.grantVmGroupAccess('C:\\kernel');
    await hcs.revokeVmGroupAccess('C:\\kernel');
    expect(fake.accessCalls() - before).toBe(4);
    await expect(hcs.grantVmAccess('vm', 'C:\\fail-0x80070002')).rejects.toMatchObject({ hresultName: 'ERROR_FILE_NOT_FOUND', systemId: 'vm' });
  });

  it.runIf(process.platform !== 'win32')('says plainly that host facts and Hyper-V sockets need Windows', async () => {
    await expect(hcs.getHostInfo()).rejects.toBeInstanceOf(HcsUnavailableError);
    await expect(hcs.listenVmSocket('b8e6bfa9-1234-4b4a-9f0e-0123456789ab', '40000000-facb-11e6-bd58-64006a7986d3')).rejects.toMatchObject({
      name: 'HcsUnavailableError',
      reason: 'not-windows',
    });
  });

  it('reports an answer that is not the JSON HCS promises as a ProtocolError', async () => {
    await expect(hcs.getServiceProperties('not json')).rejects.toBeInstanceOf(ProtocolError);
  });
});
