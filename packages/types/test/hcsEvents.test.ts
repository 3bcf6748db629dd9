import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  HcsEventType,
  parseProcessEvent,
  parseProcessExit,
  parseSystemEvent,
  type Hcs,
  type HcsProcess,
  type HcsSystem,
} from '@uvm/types';

describe('parseSystemEvent', () => {
  it('reads a SystemExited event and says whether the exit was unexpected', () => {
    const event = parseSystemEvent(HcsEventType.SystemExited, '{"Status":-1070137082,"ExitType":"UnexpectedExit"}');
    expect(event).toMatchObject({ type: 'exited', code: 1, unexpected: true, status: { Status: -1070137082, ExitType: 'UnexpectedExit' } });
    expect(parseSystemEvent(1, '{"ExitType":"GracefulExit"}')).toMatchObject({ type: 'exited', unexpected: false });
  });

  it('keeps the raw data and never throws on data that is not JSON', () => {
    const event = parseSystemEvent(HcsEventType.SystemExited, 'not json');
    expect(event).toMatchObject({ type: 'exited', status: {}, unexpected: false, data: 'not json' });
    expect(parseSystemEvent(HcsEventType.SystemExited, undefined)).toMatchObject({ type: 'exited', status: {} });
    expect(parseSystemEvent(HcsEventType.SystemExited, '[1,2]')).toMatchObject({ status: {} });
    expect(parseSystemEvent(HcsEventType.SystemExited, '{"Status":"x","ExitType":7}')).toMatchObject({ status: {} });
  });

  it('names every system event type and reports unknown codes as unknown', () => {
    expect(parseSystemEvent(HcsEventType.SystemCrashInitiated, undefined).type).toBe('crashInitiated');
    expect(parseSystemEvent(HcsEventType.SystemCrashReport, '{}').type).toBe('crashReport');
    expect(parseSystemEvent(HcsEventType.SystemRdpEnhancedModeStateChanged, undefined).type).toBe('rdpEnhancedModeStateChanged');
    expect(parseSystemEvent(HcsEventType.SystemSiloJobCreated, undefined).type).toBe('siloJobCreated');
    expect(parseSystemEvent(HcsEventType.SystemGuestConnectionClosed, undefined).type).toBe('guestConnectionClosed');
    expect(parseSystemEvent(HcsEventType.ServiceDisconnect, undefined).type).toBe('serviceDisconnect');
    expect(parseSystemEvent(0x12345, undefined)).toMatchObject({ type: 'unknown', code: 0x12345 });
  });

  it('treats the event code as unsigned, as HCS_EVENT_TYPE is', () => {
    const event = parseSystemEvent(-2147483645, '{"Origin":"Source","Event":"SetupDone","Result":"Success","Junk":1}');
    expect(event).toMatchObject({ type: 'liveMigration', code: 0x80000003, info: { Origin: 'Source', Event: 'SetupDone', Result: 'Success' } });
    expect(event.type === 'liveMigration' && 'Junk' in event.info).toBe(false);
  });
});

describe('parseProcessEvent', () => {
  it('reads the exit code when the wait succeeded', () => {
    const event = parseProcessEvent(HcsEventType.ProcessExited, '{"ProcessId":42,"Exited":true,"ExitCode":3,"LastWaitResult":0}');
    expect(event).toMatchObject({ type: 'exited', exit: { exitCode: 3, status: { ProcessId: 42, Exited: true } } });
  });

  it('reports -1 when HCS could not collect the exit code, as hcsshim does', () => {
    expect(parseProcessExit('{"ProcessId":42,"ExitCode":3,"LastWaitResult":5}').exitCode).toBe(-1);
    expect(parseProcessExit(undefined)).toEqual({ exitCode: 0, status: {} });
  });

  it('keeps a Windows exit code above 2^31 unsigned', () => {
    expect(parseProcessExit('{"ExitCode":3221225477}').exitCode).toBe(0xc0000005);
  });

  it('names service disconnects and unknown codes', () => {
    expect(parseProcessEvent(HcsEventType.ServiceDisconnect, undefined).type).toBe('serviceDisconnect');
    expect(parseProcessEvent(7, undefined).type).toBe('unknown');
  });
});

describe('Hcs handles', () => {
  it('cannot pass a process handle where a system handle is expected', () => {
    expectTypeOf<HcsProcess>().not.toExtend<HcsSystem>();
    expectTypeOf<HcsSystem>().not.toExtend<HcsProcess>();
    expectTypeOf<Parameters<Hcs['startComputeSystem']>[0]>().toEqualTypeOf<HcsSystem>();
    expectTypeOf<Parameters<Hcs['terminateProcess']>[0]>().toEqualTypeOf<HcsProcess>();
  });
});
