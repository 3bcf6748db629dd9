import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HcsError, type HcsProcessEvent, type HcsSystem } from '@uvm/types';
import { SimulatedHResult, TERMINATED_EXIT_CODE, createHcsSimulator, type HcsSimulator, type SimulatedProcess } from '@uvm/sim';
import { uvmDocument } from './hcsFixtures.js';

let sim: HcsSimulator;
afterEach(async () => {
  await sim.close();
});

async function runningVm(): Promise<HcsSystem> {
  const vm = await sim.createComputeSystem('vm', uvmDocument());
  await sim.startComputeSystem(vm);
  return vm;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(chunks).toString();
}

/** A process that echoes stdin to stdout upper-cased, writes "bye" to stderr and exits 7 at EOF. */
function shout(process: SimulatedProcess): void {
  const input: Buffer[] = [];
  process.stdin?.on('data', (chunk: Buffer) => input.push(chunk));
  process.stdin?.on('end', () => {
    process.stdout?.write(Buffer.concat(input).toString().toUpperCase());
    process.stderr?.write('bye');
    process.exit(7);
  });
}

describe('processes in a simulated VM', () => {
  it('runs a process with piped stdio and reports its exit code through the wait and the event', async () => {
    sim = createHcsSimulator({ process: shout });
    const vm = await runningVm();
    const created = await sim.createProcess(vm, { CommandArgs: ['/bin/shout'], CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true });
    const events: HcsProcessEvent[] = [];
    sim.onProcessEvent(created.process, (e) => events.push(e));
    const out = readAll(created.stdout as Readable);
    const err = readAll(created.stderr as Readable);
    created.stdin?.end('hello');
    expect(await sim.waitForProcessExit(created.process)).toEqual({ exitCode: 7, status: { ProcessId: created.processId, Exited: true, ExitCode: 7, LastWaitResult: 0 } });
    expect(await out).toBe('HELLO');
    expect(await err).toBe('bye');
    expect(events.map((e) => e.type)).toEqual(['exited']);
    expect(await sim.getProcessProperties(created.process)).toEqual({ ProcessId: created.processId, Exited: true, ExitCode: 7, LastWaitResult: 0 });
    await sim.closeProcess(created.process);
    expect(sim.counters().processHandles).toBe(0);
  });

  it('lists running processes and drops them once they exited and their handles closed', async () => {
    sim = createHcsSimulator();
    const vm = await runningVm();
    const p = await sim.createProcess(vm, { CommandLine: '/bin/sleep 100' });
    const properties = await sim.getComputeSystemProperties(vm, { PropertyTypes: ['ProcessList'] });
    expect(properties.ProcessList).toEqual([{ ProcessId: p.processId, ImageName: '/bin/sleep', CreateTimestamp: expect.any(String) as string }]);
    await sim.terminateProcess(p.process);
    expect((await sim.waitForProcessExit(p.process)).exitCode).toBe(TERMINATED_EXIT_CODE);
    await sim.closeProcess(p.process);
    expect(sim.inspect('vm')?.processes).toEqual([]);
  });

  it('ends a process with 128 + signal unless it handles signals itself', async () => {
    const received: unknown[] = [];
    sim = createHcsSimulator({
      process: (p) => {
        if (p.parameters.CommandLine === 'handles') p.onSignal = (options) => received.push(options);
      },
    });
    const vm = await runningVm();
    const plain = await sim.createProcess(vm, { CommandLine: 'plain' });
    await sim.signalProcess(plain.process, '{"Signal":15}');
    expect((await sim.waitForProcessExit(plain.process)).exitCode).toBe(143);
    const handler = await sim.createProcess(vm, { CommandLine: 'handles' });
    await sim.signalProcess(handler.process, { Signal: 10 });
    expect(received).toEqual([{ Signal: 10 }]);
    await sim.terminateProcess(handler.process);
    await sim.closeProcess(plain.process);
    await sim.closeProcess(handler.process);
  });

  it('refuses to signal or terminate a process that has exited', async () => {
    sim = createHcsSimulator({ process: (p) => { p.exit(0); } });
    const vm = await runningVm();
    const p = await sim.createProcess(vm, { CommandLine: 'true' });
    await sim.waitForProcessExit(p.process);
    const error = (await sim.terminateProcess(p.process).catch((e: unknown) => e)) as HcsError;
    expect(error).toBeInstanceOf(HcsError);
    expect(error.hresult).toBe(SimulatedHResult.processAlreadyStopped);
    expect(error.processId).toBe(p.processId);
    await expect(sim.signalProcess(p.process, { Signal: 9 })).rejects.toMatchObject({ hresult: SimulatedHResult.processAlreadyStopped });
    await sim.closeProcess(p.process);
  });

  it('closes stdin through HcsModifyProcess and resizes a console process', async () => {
    let seen: SimulatedProcess | undefined;
    sim = createHcsSimulator({ process: (p) => (seen = p) });
    const vm = await runningVm();
    const p = await sim.createProcess(vm, { CommandLine: 'cat', EmulateConsole: true, CreateStdInPipe: true });
    const ended = once(seen?.stdin as Readable, 'end');
    seen?.stdin?.resume();
    await sim.modifyProcess(p.process, { Operation: 'CloseHandle', CloseHandle: { Handle: 'StdIn' } });
    await ended;
    await sim.modifyProcess(p.process, { Operation: 'ConsoleSize', ConsoleSize: { Height: 40, Width: 120 } });
    expect(seen?.consoleSize).toEqual([40, 120]);
    await sim.terminateProcess(p.process);
    await sim.closeProcess(p.process);
  });

  it('opens a second handle to a process and refuses a process id that does not exist', async () => {
    sim = createHcsSimulator();
    const vm = await runningVm();
    const p = await sim.createProcess(vm, { CommandLine: 'x' });
    const again = await sim.openProcess(vm, p.processId);
    expect((await sim.getProcessInfo(again)).processId).toBe(p.processId);
    await expect(sim.openProcess(vm, 9999)).rejects.toMatchObject({ hresult: SimulatedHResult.elementNotFound });
    await sim.closeProcess(again);
    await sim.closeProcess(p.process);
  });

  it('gives every process of a VM that stops an exit whose code HCS could not collect', async () => {
    sim = createHcsSimulator();
    const vm = await runningVm();
    const p = await sim.createProcess(vm, { CommandLine: 'daemon' });
    await sim.terminateComputeSystem(vm);
    const exit = await sim.waitForProcessExit(p.process);
    expect(exit.exitCode).toBe(-1);
    expect(exit.status.LastWaitResult).toBe(SimulatedHResult.connectionClosed | 0);
    await sim.closeProcess(p.process);
  });

  it('rejects process parameters that break the schema', async () => {
    sim = createHcsSimulator();
    const vm = await runningVm();
    await expect(sim.createProcess(vm, { CommandArgs: 'not-an-array' } as never)).rejects.toMatchObject({ hresult: SimulatedHResult.invalidJson });
    expect(sim.counters().processHandles).toBe(0);
  });
});
