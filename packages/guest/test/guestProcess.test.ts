import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuestOs } from '@uvm/guest';
import { ConnectionClosedError, GuestError, ValidationError, vsockServiceId } from '@uvm/types';
import { connectScripted, NULL_GUID, type Scripted } from './support/connectScripted.js';
import type { ScriptedGuest, SeenRequest } from './support/scriptedGuest.js';
import { dialStdio } from './support/unixSockets.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface GuestEnds {
  stdin?: Socket;
  stdout?: Socket;
  stderr?: Socket;
}

/**
 * Makes the scripted guest serve ExecuteProcess as a GCS does: dial each requested relay port
 * (stdin, stdout, stderr), then answer with a pid. `onStarted` gets the guest ends of the relays.
 */
function serveExec(g: ScriptedGuest, dir: string, os: GuestOs, onStarted: (ends: GuestEnds, request: SeenRequest, pid: number) => void): void {
  let nextPid = 100;
  g.auto.set('ExecuteProcess', (request) => {
    const pid = nextPid++;
    void (async () => {
      const settings = request.body.Settings as Record<string, Record<string, number | string>>;
      const relay = os === 'linux' ? settings.VsockStdioRelaySettings : settings.StdioRelaySettings;
      const ends: GuestEnds = {};
      for (const [key, name] of [['StdIn', 'stdin'], ['StdOut', 'stdout'], ['StdErr', 'stderr']] as const) {
        const value = relay?.[key];
        if (value === undefined) continue;
        const port = typeof value === 'number' ? value : Number.parseInt(value.slice(0, 8), 16);
        ends[name] = await dialStdio(dir, port);
      }
      g.reply(request, `{"Result":0,"ProcessId":${pid}}`);
      onStarted(ends, request, pid);
    })();
    return undefined;
  });
}

async function session<O extends GuestOs>(os: O, onStarted: (ends: GuestEnds, request: SeenRequest, pid: number) => void = () => undefined): Promise<Scripted<O>> {
  const s = await connectScripted(os, {}, (g, dir) => {
    serveExec(g, dir, os, onStarted);
  });
  cleanups.push(() => s.close());
  return s;
}

const pipes = { CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true };
const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

describe('GuestProcess creation', () => {
  it('binds a listener per pipe before sending ExecuteProcess, then sends the infinite WaitForProcess', async () => {
    const s = await session('linux');
    const process = await s.guest.execInUvm({ CommandArgs: ['/bin/true'], WorkingDirectory: '/', ...pipes });
    cleanups.push(() => process.close());
    expect(s.boundPorts).toEqual([0x40000001, 0x40000002, 0x40000003]);
    const exec = s.scripted.requests.find((r) => r.procedure === 'ExecuteProcess')!;
    const params = '{"CommandArgs":["/bin/true"],"WorkingDirectory":"/","CreateStdInPipe":true,"CreateStdOutPipe":true,"CreateStdErrPipe":true}';
    expect(exec.text).toBe(
      `{"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}","Settings":{"ProcessParameters":${JSON.stringify(params)},"VsockStdioRelaySettings":{"StdIn":1073741825,"StdOut":1073741826,"StdErr":1073741827}}}\n`,
    );
    const wait = await s.scripted.next('WaitForProcess');
    expect(wait.text).toBe(`{"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}","ProcessId":100,"TimeoutInMs":4294967295}\n`);
    expect(process.pid).toBe(100);
  });

  it('sends a Linux guest an empty VsockStdioRelaySettings when no pipe is asked for', async () => {
    const s = await session('linux');
    await s.guest.execInUvm({ CommandArgs: ['/bin/true'] });
    expect(s.boundPorts).toEqual([]);
    expect(s.scripted.requests.find((r) => r.procedure === 'ExecuteProcess')!.body.Settings).toEqual({ ProcessParameters: '{"CommandArgs":["/bin/true"]}', VsockStdioRelaySettings: {} });
  });

  it('sends a Windows guest the relay service ids as GUIDs', async () => {
    const s = await session('windows');
    const process = await s.guest.execInUvm({ CommandLine: 'cmd.exe /c ver', User: 'NT AUTHORITY\\SYSTEM', CreateStdOutPipe: true });
    cleanups.push(() => process.close());
    expect(s.scripted.requests.find((r) => r.procedure === 'ExecuteProcess')!.body.Settings).toEqual({
      ProcessParameters: '{"CommandLine":"cmd.exe /c ver","User":"NT AUTHORITY\\\\SYSTEM","CreateStdOutPipe":true}',
      StdioRelaySettings: { StdOut: vsockServiceId(0x40000001) },
    });
  });

  it('never reuses a relay port on one connection', async () => {
    const s = await session('linux');
    const a = await s.guest.execInUvm({ CommandArgs: ['a'], CreateStdOutPipe: true });
    const b = await s.guest.execInUvm({ CommandArgs: ['b'], CreateStdOutPipe: true, CreateStdErrPipe: true });
    cleanups.push(() => a.close(), () => b.close());
    expect(s.boundPorts).toEqual([0x40000001, 0x40000002, 0x40000003]);
  });

  it('closes the relay listeners and reports the GuestError when ExecuteProcess fails', async () => {
    const s = await session('linux');
    s.scripted.auto.set('ExecuteProcess', (r) => {
      s.scripted.fail(r, 0x80004005, 'failed to run: exec: "nope": executable file not found in $PATH');
      return undefined;
    });
    const error = await s.guest.execInUvm({ CommandArgs: ['nope'], ...pipes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuestError);
    expect((error as GuestError).guestMessage).toContain('executable file not found');
    await expect(dialStdio(s.dir, 0x40000001)).rejects.toThrow();
    expect(s.scripted.requests.some((r) => r.procedure === 'WaitForProcess')).toBe(false);
  });

  it('asks for a stdio listener factory when pipes are wanted and none was given', async () => {
    const s = await connectScripted('linux', { stdioListener: undefined } as never);
    cleanups.push(() => s.close());
    await expect(s.guest.execInUvm({ CommandArgs: ['x'], CreateStdOutPipe: true })).rejects.toBeInstanceOf(ValidationError);
    expect(s.scripted.requests.some((r) => r.procedure === 'ExecuteProcess')).toBe(false);
  });

  it('rejects process parameters of the wrong shape before sending anything', async () => {
    const s = await session('linux');
    await expect(s.guest.execInUvm({ CommandArgs: 'ls' } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(s.scripted.requests.some((r) => r.procedure === 'ExecuteProcess')).toBe(false);
  });

  it('kills and reaps a process whose ExecuteProcess answer comes after the caller gave up', async () => {
    const s = await session('linux');
    let held: SeenRequest | undefined;
    s.scripted.auto.set('ExecuteProcess', (r) => {
      held = r;
      return undefined;
    });
    s.scripted.auto.set('SignalProcess', '{"Result":0}');
    const controller = new AbortController();
    const exec = s.guest.execInUvm({ CommandArgs: ['sleep', '100'] }, { signal: controller.signal });
    await s.scripted.next('ExecuteProcess');
    controller.abort(new Error('gave up'));
    await expect(exec).rejects.toThrow('gave up');
    s.scripted.reply(held!, '{"Result":0,"ProcessId":77}');
    const [signal, wait] = await Promise.all([s.scripted.next('SignalProcess'), s.scripted.next('WaitForProcess')]);
    expect(signal.body).toEqual({ ContainerId: NULL_GUID, ActivityId: NULL_GUID, ProcessId: 77 });
    expect(wait.body.ProcessId).toBe(77);
  });
});

describe('GuestProcess stdio', () => {
  it('relays stdout and stderr and delivers EOF on stdin when the host half-closes it', async () => {
    let stdinSeen: Promise<string> | undefined;
    const s = await session('linux', (ends) => {
      ends.stdout!.end('out\n');
      ends.stderr!.end('err\n');
      stdinSeen = readAll(ends.stdin!);
    });
    const process = await s.guest.execInUvm({ CommandArgs: ['x'], ...pipes });
    cleanups.push(() => process.close());
    process.stdin!.write('hello');
    process.closeStdin();
    const [out, err] = await Promise.all([readAll(process.stdout!), readAll(process.stderr!)]);
    expect(out).toBe('out\n');
    expect(err).toBe('err\n');
    // readAll only settles at EOF: the half-close reached the guest.
    await expect(stdinSeen).resolves.toBe('hello');
  });

  it('lets unread output push back on the guest instead of buffering it', async () => {
    let guestStdout: Socket | undefined;
    const s = await session('linux', (ends) => {
      guestStdout = ends.stdout;
    });
    const process = await s.guest.execInUvm({ CommandArgs: ['x'], CreateStdOutPipe: true });
    cleanups.push(() => process.close());
    await expect.poll(() => guestStdout).toBeDefined();
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let written = 0;
    while (guestStdout!.write(chunk)) written += chunk.length;
    written += chunk.length;
    // The host has not read: the guest's socket must be holding bytes back.
    await new Promise((r) => setTimeout(r, 50));
    expect(guestStdout!.writableNeedDrain).toBe(true);
    expect(written).toBeLessThan(64 << 20);
    guestStdout!.end();
    let received = 0;
    for await (const c of process.stdout!) received += (c as Buffer).length;
    expect(received).toBe(written);
  });

  it('leaves absent pipes null', async () => {
    const s = await session('linux');
    const process = await s.guest.execInUvm({ CommandArgs: ['x'], CreateStdOutPipe: true });
    cleanups.push(() => process.close());
    expect(process.stdin).toBeNull();
    expect(process.stderr).toBeNull();
    expect(process.stdout).not.toBeNull();
  });
});

describe('GuestProcess exit, signals and console', () => {
  async function started(os: GuestOs = 'linux') {
    const s = await session(os);
    const process = await s.guest.execInUvm({ CommandArgs: ['x'] });
    const wait = await s.scripted.next('WaitForProcess');
    return { s, process, wait };
  }

  it('resolves wait() with the exit code of the outstanding WaitForProcess', async () => {
    const { s, process, wait } = await started();
    expect(process.exitCode).toBeUndefined();
    s.scripted.reply(wait, '{"Result":0,"ExitCode":3}');
    await expect(process.wait()).resolves.toBe(3);
    expect(process.exitCode).toBe(3);
  });

  it('reads an exit code the guest no longer knows (0x80070490) as -1', async () => {
    const { s, process, wait } = await started();
    s.scripted.fail(wait, 0x80070490, 'process 100 not found');
    await expect(process.wait()).resolves.toBe(-1);
  });

  it('rejects wait() with the GuestError of any other failure', async () => {
    const { s, process, wait } = await started();
    s.scripted.fail(wait, 0x80004005, 'boom');
    await expect(process.wait()).rejects.toBeInstanceOf(GuestError);
  });

  it('rejects wait() with a ConnectionClosedError when the connection is lost', async () => {
    const { s, process } = await started();
    s.scripted.socket.destroy();
    await expect(process.wait()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('lets a signal stop one wait without touching the process', async () => {
    const { s, process, wait } = await started();
    await expect(process.wait({ signal: AbortSignal.timeout(10) })).rejects.toThrow();
    s.scripted.reply(wait, '{"Result":0,"ExitCode":0}');
    await expect(process.wait()).resolves.toBe(0);
  });

  it('sends a Linux signal number as Options.Signal, and kill() without options', async () => {
    const { s, process } = await started();
    s.scripted.auto.set('SignalProcess', '{"Result":0}');
    await expect(process.signal(15)).resolves.toBe(true);
    await expect(process.kill()).resolves.toBe(true);
    const signals = s.scripted.requests.filter((r) => r.procedure === 'SignalProcess').map((r) => r.text);
    expect(signals).toEqual([
      `{"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}","ProcessId":100,"Options":{"Signal":15}}\n`,
      `{"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}","ProcessId":100}\n`,
    ]);
  });

  it('sends a Windows console event by name and refuses numbers', async () => {
    const { s, process } = await started('windows');
    s.scripted.auto.set('SignalProcess', '{"Result":0}');
    await expect(process.signal('CtrlC')).resolves.toBe(true);
    expect(s.scripted.requests.find((r) => r.procedure === 'SignalProcess')!.body.Options).toEqual({ Signal: 'CtrlC' });
    await expect(process.signal(15)).rejects.toBeInstanceOf(ValidationError);
  });

  it('says a signal was not delivered when the guest answers 0x80070490', async () => {
    const { s, process } = await started();
    s.scripted.auto.set('SignalProcess', (r) => {
      s.scripted.fail(r, 0x80070490, 'process not found');
      return undefined;
    });
    await expect(process.kill()).resolves.toBe(false);
  });

  it('reports the Linux GCS refusing to signal a UVM process (0xC037010E) as a GuestError', async () => {
    const { s, process } = await started();
    s.scripted.auto.set('SignalProcess', (r) => {
      s.scripted.fail(r, 0xc037010e, `container ${NULL_GUID} not found`);
      return undefined;
    });
    await expect(process.kill()).rejects.toMatchObject({ hresult: 0xc037010e });
  });

  it('sends ResizeConsole with height and width', async () => {
    const { s, process } = await started();
    s.scripted.auto.set('ResizeConsole', '{"Result":0}');
    await process.resizeConsole(120, 40);
    expect(s.scripted.requests.find((r) => r.procedure === 'ResizeConsole')!.text).toBe(`{"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}","ProcessId":100,"Height":40,"Width":120}\n`);
    await expect(process.resizeConsole(70000, 1)).rejects.toBeInstanceOf(ValidationError);
  });

  it('runs container processes with the LCOW parameters and the container id', async () => {
    const s = await session('linux');
    const c = await s.guest.createContainer('c1', { SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: {} });
    await c.exec({ OciProcess: { args: ['ps'], cwd: '/' } });
    const exec = s.scripted.requests.find((r) => r.procedure === 'ExecuteProcess')!;
    expect(exec.body.ContainerId).toBe('c1');
    expect(exec.body.Settings).toEqual({ ProcessParameters: '{"OciProcess":{"args":["ps"],"cwd":"/"}}', VsockStdioRelaySettings: {} });
    expect((await s.scripted.next('WaitForProcess')).body.ContainerId).toBe('c1');
  });
});
