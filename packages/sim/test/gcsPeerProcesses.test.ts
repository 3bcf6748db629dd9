import { afterEach, describe, expect, it } from 'vitest';
import { vsockServiceId } from '@uvm/types';
import { NULL_GUID, peerSession, readAll, type Answer, type PeerSession } from './support/rawHost.js';

let session: PeerSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function negotiated(options: Parameters<typeof peerSession>[0] = {}): Promise<PeerSession> {
  session = await peerSession(options);
  await session.host.negotiate();
  return session;
}

const base = (containerId = NULL_GUID, activityId = NULL_GUID) => ({ ContainerId: containerId, ActivityId: activityId });
const INFINITE = 4294967295;

function exec(s: PeerSession, params: Record<string, unknown>, relay: Record<string, number> = {}, containerId = NULL_GUID): Promise<Answer> {
  return s.host.call('ExecuteProcess', { ...base(containerId), Settings: { ProcessParameters: JSON.stringify(params), VsockStdioRelaySettings: relay } });
}

function wait(s: PeerSession, pid: number, containerId = NULL_GUID, timeoutMs = INFINITE): Promise<Answer> {
  return s.host.call('WaitForProcess', { ...base(containerId), ProcessId: pid, TimeoutInMs: timeoutMs });
}

describe('GCS peer ExecuteProcess in the UVM', () => {
  it('runs the process for real, dialling stdin, stdout and stderr in order before it answers', async () => {
    const s = await negotiated();
    const [stdin, stdout, stderr] = await Promise.all([s.stdio.listen(0x40000001), s.stdio.listen(0x40000002), s.stdio.listen(0x40000003)]);
    const answer = await exec(
      s,
      { CommandArgs: ['sh', '-c', 'cat; echo out; echo err >&2; exit 3'], WorkingDirectory: '/', Environment: { PATH: '/usr/bin:/bin' }, CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true },
      { StdIn: 0x40000001, StdOut: 0x40000002, StdErr: 0x40000003 },
    );
    expect(s.stdio.dialled).toEqual([0x40000001, 0x40000002, 0x40000003]);
    expect(answer.body).toMatchObject({ Result: 0, ActivityId: NULL_GUID });
    expect(typeof answer.body.ProcessId).toBe('number');
    (await stdin.accepted).end('in\n');
    const [out, err] = await Promise.all([readAll(await stdout.accepted), readAll(await stderr.accepted)]);
    expect(out).toBe('in\nout\n');
    expect(err).toBe('err\n');
    await expect(wait(s, answer.body.ProcessId as number)).resolves.toMatchObject({ body: { Result: 0, ExitCode: 3 } });
  });

  it('delivers stdin bytes the host writes the moment it accepts, before the process has started', async () => {
    const s = await negotiated();
    for (let round = 0; round < 20; round++) {
      const [stdin, stdout] = await Promise.all([s.stdio.listen(0x40000001 + 2 * round), s.stdio.listen(0x40000002 + 2 * round)]);
      void stdin.accepted.then((socket) => socket.end(`early ${round}\n`));
      const answer = await exec(s, { CommandArgs: ['cat'], Environment: { PATH: '/usr/bin:/bin' }, CreateStdInPipe: true, CreateStdOutPipe: true }, { StdIn: 0x40000001 + 2 * round, StdOut: 0x40000002 + 2 * round });
      expect(await readAll(await stdout.accepted)).toBe(`early ${round}\n`);
      await wait(s, answer.body.ProcessId as number);
    }
  });

  it('runs the arguments without a shell unless they ask for one', async () => {
    const s = await negotiated();
    const stdout = await s.stdio.listen(0x40000001);
    const answer = await exec(s, { CommandArgs: ['echo', '$HOME', '*'], Environment: { PATH: '/usr/bin:/bin', HOME: '/nowhere' }, CreateStdOutPipe: true }, { StdOut: 0x40000001 });
    expect(await readAll(await stdout.accepted)).toBe('$HOME *\n');
    await wait(s, answer.body.ProcessId as number);
  });

  it('gives the process exactly the environment it was sent', async () => {
    const s = await negotiated();
    const stdout = await s.stdio.listen(0x40000001);
    const answer = await exec(s, { CommandArgs: ['/usr/bin/env'], Environment: { ONLY: 'this' }, CreateStdOutPipe: true }, { StdOut: 0x40000001 });
    expect(await readAll(await stdout.accepted)).toBe('ONLY=this\n');
    await wait(s, answer.body.ProcessId as number);
  });

  it('splits CommandLine shell-style when there are no CommandArgs', async () => {
    const s = await negotiated();
    const answer = await exec(s, { CommandLine: `sh -c 'exit 7'`, Environment: { PATH: '/usr/bin:/bin' } });
    await expect(wait(s, answer.body.ProcessId as number)).resolves.toMatchObject({ body: { ExitCode: 7 } });
  });

  it('hands an exit code out once: the next wait gets 0x80070490', async () => {
    const s = await negotiated();
    const pid = (await exec(s, { CommandArgs: ['true'], Environment: { PATH: '/usr/bin:/bin' } })).body.ProcessId as number;
    await expect(wait(s, pid)).resolves.toMatchObject({ body: { Result: 0, ExitCode: 0 } });
    await expect(wait(s, pid)).resolves.toMatchObject({ body: { Result: 0x80070490 | 0 } });
    expect(s.peer.uvmProcessIds).toEqual([]);
  });

  it('answers a finite wait that expires with 0xC0370109 and keeps the exit for a later wait', async () => {
    const s = await negotiated();
    const pid = (await exec(s, { CommandArgs: ['sleep', '0.2'], Environment: { PATH: '/usr/bin:/bin' } })).body.ProcessId as number;
    await expect(wait(s, pid, NULL_GUID, 10)).resolves.toMatchObject({ body: { Result: 0xc0370109 | 0 } });
    await expect(wait(s, pid)).resolves.toMatchObject({ body: { Result: 0, ExitCode: 0 } });
  });

  it('refuses to signal a process in the UVM itself with 0xC037010E, as the Linux GCS does', async () => {
    const s = await negotiated();
    const pid = (await exec(s, { CommandArgs: ['sleep', '5'], Environment: { PATH: '/usr/bin:/bin' } })).body.ProcessId as number;
    await expect(s.host.call('SignalProcess', { ...base(), ProcessId: pid })).resolves.toMatchObject({ body: { Result: 0xc037010e | 0 } });
  });

  it('fails a program that does not exist with E_FAIL naming it', async () => {
    const s = await negotiated();
    const answer = await exec(s, { CommandArgs: ['/no/such/program'] });
    expect(answer.body.Result).toBe(0x80004005 | 0);
    expect(String(answer.body.ErrorMessage)).toContain('/no/such/program');
  });

  it('joins stderr to stdout for a console process and lets the host resize only such a console', async () => {
    const s = await negotiated();
    const stdout = await s.stdio.listen(0x40000001);
    const c = await s.host.call('Create', { ...base('c1'), ContainerConfig: JSON.stringify({ SchemaVersion: { Major: 2, Minor: 1 }, OciSpecification: { process: { args: ['sleep', '5'] } } }) });
    expect(c.body.Result).toBe(0);
    const answer = await exec(s, { EmulateConsole: true, CreateStdOutPipe: true, OciProcess: { args: ['sh', '-c', 'echo a; echo b >&2'], env: ['PATH=/usr/bin:/bin'], terminal: true } }, { StdOut: 0x40000001 }, 'c1');
    const text = await readAll(await stdout.accepted);
    expect(text.split('\n').sort()).toEqual(['', 'a', 'b']);
    expect(answer.body.Result).toBe(0);
    const consoleSleeper = (await exec(s, { EmulateConsole: true, OciProcess: { args: ['sleep', '5'], env: ['PATH=/usr/bin:/bin'], terminal: true } }, {}, 'c1')).body.ProcessId as number;
    const plain = (await exec(s, { OciProcess: { args: ['sleep', '5'], env: ['PATH=/usr/bin:/bin'] } }, {}, 'c1')).body.ProcessId as number;
    await expect(s.host.call('ResizeConsole', { ...base('c1'), ProcessId: consoleSleeper, Height: 40, Width: 120 })).resolves.toMatchObject({ body: { Result: 0 } });
    await expect(s.host.call('ResizeConsole', { ...base('c1'), ProcessId: plain, Height: 40, Width: 120 })).resolves.toMatchObject({ body: { Result: 0x80004005 | 0 } });
  });
});

describe('GCS peer stdio relayed through pipes', () => {
  it('relays stdin, stdout and stderr of a process when the connections are not sockets', async () => {
    const s = await negotiated({ relayThroughPipes: true });
    const [stdin, stdout, stderr] = await Promise.all([s.stdio.listen(0x40000001), s.stdio.listen(0x40000002), s.stdio.listen(0x40000003)]);
    const answer = await exec(
      s,
      { CommandArgs: ['sh', '-c', 'cat; echo err >&2; exit 2'], Environment: { PATH: '/usr/bin:/bin' }, CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true },
      { StdIn: 0x40000001, StdOut: 0x40000002, StdErr: 0x40000003 },
    );
    const payload = Buffer.alloc(3 << 20, 0x5a);
    (await stdin.accepted).end(payload);
    const [out, err] = await Promise.all([readAll(await stdout.accepted), readAll(await stderr.accepted)]);
    expect(out.length).toBe(payload.length);
    expect(err).toBe('err\n');
    await expect(wait(s, answer.body.ProcessId as number)).resolves.toMatchObject({ body: { ExitCode: 2 } });
  });

  it('ends the shared output of a console only after both of its streams ended', async () => {
    const s = await negotiated({ relayThroughPipes: true });
    const stdout = await s.stdio.listen(0x40000001);
    await exec(s, { CommandArgs: ['sh', '-c', 'echo a; sleep 0.1; echo b >&2'], Environment: { PATH: '/usr/bin:/bin' }, EmulateConsole: true, CreateStdOutPipe: true }, { StdOut: 0x40000001 });
    expect(await readAll(await stdout.accepted)).toBe('a\nb\n');
  });
});

describe('GCS peer containers', () => {
  const ACTIVITY = '4f1c2d3e-0000-4000-8000-00000000abcd';
  const create = (s: PeerSession, id: string, spec: Record<string, unknown>, version = { Major: 2, Minor: 1 }) =>
    s.host.call('Create', { ...base(id, ACTIVITY), ContainerConfig: JSON.stringify({ SchemaVersion: version, OciBundlePath: `/run/gcs/c/${id}`, OciSpecification: spec }) });

  it('starts init on the first ExecuteProcess without OciProcess and notifies after its exit was waited for', async () => {
    const s = await negotiated();
    await expect(create(s, 'c1', { process: { args: ['sh', '-c', 'exit 4'], env: ['PATH=/usr/bin:/bin'], cwd: '/' } })).resolves.toMatchObject({ body: { Result: 0, SelectedProtocolVersion: 0 } });
    await expect(s.host.call('Start', base('c1'))).resolves.toMatchObject({ body: { Result: 0 } });
    const pid = (await exec(s, {}, {}, 'c1')).body.ProcessId as number;
    expect(s.peer.containers.get('c1')?.initPid).toBe(pid);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.host.notifications).toEqual([]);
    const notified = s.host.nextNotification();
    await expect(wait(s, pid, 'c1')).resolves.toMatchObject({ body: { ExitCode: 4 } });
    const note = await notified;
    expect(note.type).toBe(0x30100101);
    expect(note.id).toBe(0n);
    expect(note.body).toEqual({ ContainerId: 'c1', ActivityId: ACTIVITY, Type: 'UnexpectedExit', Operation: 'None', Result: 0 });
  });

  it('sends SIGTERM to init on a graceful shutdown and reports GracefulExit', async () => {
    const s = await negotiated();
    await create(s, 'c2', { process: { args: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'] } });
    const pid = (await exec(s, {}, {}, 'c2')).body.ProcessId as number;
    await expect(s.host.call('ShutdownGraceful', base('c2'))).resolves.toMatchObject({ body: { Result: 0 } });
    const notified = s.host.nextNotification();
    await expect(wait(s, pid, 'c2')).resolves.toMatchObject({ body: { ExitCode: 128 + 15 } });
    await expect(notified).resolves.toMatchObject({ body: { ContainerId: 'c2', Type: 'GracefulExit' } });
  });

  it('reports ForcedExit after a SIGKILL to init through SignalProcess', async () => {
    const s = await negotiated();
    await create(s, 'c3', { process: { args: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'] } });
    const pid = (await exec(s, {}, {}, 'c3')).body.ProcessId as number;
    await expect(s.host.call('SignalProcess', { ...base('c3'), ProcessId: pid, Options: { Signal: 9 } })).resolves.toMatchObject({ body: { Result: 0 } });
    const notified = s.host.nextNotification();
    await wait(s, pid, 'c3');
    await expect(notified).resolves.toMatchObject({ body: { Type: 'ForcedExit' } });
    await expect(s.host.call('SignalProcess', { ...base('c3'), ProcessId: pid })).resolves.toMatchObject({ body: { Result: 0x80070490 | 0 } });
  });

  it('execs OciProcess in a container and lists its processes', async () => {
    const s = await negotiated();
    await create(s, 'c4', { process: { args: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'] } });
    const init = (await exec(s, {}, {}, 'c4')).body.ProcessId as number;
    const extra = (await exec(s, { OciProcess: { args: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'], cwd: '/' } }, {}, 'c4')).body.ProcessId as number;
    const props = await s.host.call('GetProperties', { ...base('c4'), Query: JSON.stringify({ PropertyTypes: ['ProcessList', 'Statistics'] }) });
    const properties = JSON.parse(props.body.Properties as string) as { ProcessList: { ProcessId: number }[]; LCOWMetrics: { pids: { current: number } } };
    expect(properties.ProcessList.map((p) => p.ProcessId).sort()).toEqual([init, extra].sort());
    expect(properties.LCOWMetrics.pids.current).toBe(2);
  });

  it('refuses a duplicate id, a schema below 2.1 and a Create without a spec', async () => {
    const s = await negotiated();
    await create(s, 'c5', {});
    await expect(create(s, 'c5', {})).resolves.toMatchObject({ body: { Result: 0xc037010f | 0 } });
    await expect(create(s, 'c6', {}, { Major: 2, Minor: 0 })).resolves.toMatchObject({ body: { Result: 0xc037010d | 0 } });
    const noSpec = await s.host.call('Create', { ...base('c7'), ContainerConfig: JSON.stringify({ SchemaVersion: { Major: 2, Minor: 1 } }) });
    expect(noSpec.body.Result).toBe(0x80004005 | 0);
    await expect(s.host.call('Create', { ...base('c8'), ContainerConfig: '{not json' })).resolves.toMatchObject({ body: { Result: 0xc037010d | 0 } });
  });

  it('deletes a container state once and then no longer knows it', async () => {
    const s = await negotiated();
    await create(s, 'c9', {});
    await expect(s.host.call('DeleteContainerState', base('c9'))).resolves.toMatchObject({ body: { Result: 0 } });
    await expect(s.host.call('DeleteContainerState', base('c9'))).resolves.toMatchObject({ body: { Result: 0xc037010e | 0 } });
    expect(s.peer.containers.has('c9')).toBe(false);
  });
});

describe('GCS peer processes of a Windows guest', () => {
  it('dials the relay service ids it is sent and splits CommandLine the Windows way', async () => {
    const s = await negotiated({ os: 'windows' });
    const stdout = await s.stdio.listen(0x40000001);
    const answer = await s.host.call('ExecuteProcess', {
      ...base(),
      Settings: { ProcessParameters: JSON.stringify({ CommandLine: 'printf %s\\n C:\\dir\\file', Environment: { PATH: '/usr/bin:/bin' }, CreateStdOutPipe: true }), StdioRelaySettings: { StdOut: vsockServiceId(0x40000001) } },
    });
    expect(answer.body.Result).toBe(0);
    // Backslashes not before a quote are literal on Windows (a shell would have eaten them).
    expect(await readAll(await stdout.accepted)).toBe('C:\\dir\\file\n');
  });
});
