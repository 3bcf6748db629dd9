import type { Duplex, Readable, Writable } from 'node:stream';
import { ValidationError, WcowSignalValue, type WcowSignalValue as WcowSignal } from '@uvm/types';
import { raceAbort } from './deadline.js';
import type { GuestRpc } from './guestRpc.js';
import type { StdioStreams } from './stdioChannels.js';
import type { CallOptions } from './transport.js';

/** @internal How {@link GuestRpc.startProcess} hands a started process over. */
export interface GuestProcessInit {
  readonly rpc: GuestRpc;
  readonly containerId: string;
  readonly pid: number;
  readonly streams: StdioStreams;
  readonly exit: Promise<number>;
  readonly close: () => Promise<void>;
}

/** A signal for {@link GuestProcess.signal}: a Linux signal number, or a Windows console event. */
export type GuestSignal = number | WcowSignal;

/**
 * A process running in the UVM or in a container (gcs-bridge.md §5.4). Its stdio streams are the
 * relay connections themselves, so backpressure reaches the guest; `wait()` uses the
 * WaitForProcess that was sent right after the process started.
 */
export class GuestProcess implements AsyncDisposable {
  /** The guest's pid. */
  readonly pid: number;
  /** The container it runs in; the null GUID for a process in the UVM itself. */
  readonly containerId: string;
  /** Write to the process; `end()` (or {@link GuestProcess.closeStdin}) delivers EOF. Null without `CreateStdInPipe`. */
  readonly stdin: Writable | null;
  /** The process's output; null without `CreateStdOutPipe`. With `EmulateConsole`, all console output. */
  readonly stdout: Readable | null;
  /** Null without `CreateStdErrPipe`. */
  readonly stderr: Readable | null;
  private readonly rpc: GuestRpc;
  private readonly exit: Promise<number>;
  private readonly closeChannels: () => Promise<void>;
  private code: number | undefined;

  /** @internal Processes come from `Guest.execInUvm()` and `GuestContainer.exec()`. */
  constructor(init: GuestProcessInit) {
    this.rpc = init.rpc;
    this.pid = init.pid;
    this.containerId = init.containerId;
    this.stdin = init.streams.stdin ?? null;
    this.stdout = init.streams.stdout ?? null;
    this.stderr = init.streams.stderr ?? null;
    this.closeChannels = init.close;
    this.exit = init.exit.then((code) => (this.code = code));
    this.exit.catch(() => undefined);
    for (const stream of [init.streams.stdin, init.streams.stdout, init.streams.stderr] as (Duplex | undefined)[]) {
      // A relay that breaks (the guest died) must not become an uncaught 'error' event.
      stream?.on('error', (error) => {
        this.rpc.logger.debug({ err: error, pid: this.pid }, 'a stdio relay connection failed');
      });
    }
  }

  /** The exit code once the process has exited and the guest said so; undefined before. */
  get exitCode(): number | undefined {
    return this.code;
  }

  /**
   * Resolves with the exit code (the guest's unsigned value; -1 when the guest no longer knew the
   * process). Rejects with a GuestError when the guest fails the wait, and with a
   * ConnectionClosedError when the connection is lost first. The signal stops this wait only.
   */
  wait(options: { readonly signal?: AbortSignal } = {}): Promise<number> {
    return raceAbort(this.exit, options.signal, `waiting for process ${this.pid}`);
  }

  /**
   * Sends a signal: a Linux signal number to a Linux guest, a console event (`CtrlC`, ...) to a
   * Windows one. Resolves false when the process is already gone. Needs a guest that advertises
   * `SignalProcessSupported`. A Linux GCS refuses to signal processes in the UVM itself
   * (0xC037010E), only container processes.
   */
  async signal(signal: GuestSignal, options: CallOptions = {}): Promise<boolean> {
    this.rpc.require('SignalProcessSupported', 'signal');
    if (this.rpc.os === 'linux') {
      if (typeof signal !== 'number' || !Number.isInteger(signal) || signal < 1 || signal > 64) {
        throw new ValidationError('signal', [{ path: '/signal', message: `a Linux guest takes a signal number from 1 to 64 (for example 15 for SIGTERM); got ${JSON.stringify(signal)}.` }]);
      }
    } else if (typeof signal !== 'string' || !Object.hasOwn(WcowSignalValue, signal)) {
      throw new ValidationError('signal', [
        { path: '/signal', message: `a Windows guest takes one of ${Object.keys(WcowSignalValue).join(', ')}; got ${JSON.stringify(signal)}. Use kill() to terminate.` },
      ]);
    }
    return this.rpc.signalProcess(this.containerId, this.pid, { Signal: signal }, options);
  }

  /** Terminates the process (SignalProcess without options). Resolves false when it is already gone. */
  kill(options: CallOptions = {}): Promise<boolean> {
    return this.rpc.signalProcess(this.containerId, this.pid, undefined, options);
  }

  /** Resizes the console of a process started with `EmulateConsole`. */
  async resizeConsole(width: number, height: number, options: CallOptions = {}): Promise<void> {
    await this.rpc.resizeConsole(this.containerId, this.pid, width, height, options);
  }

  /** Half-closes stdin so the process reads EOF. */
  closeStdin(): void {
    this.stdin?.end();
  }

  /** Closes the stdio relays; the process itself keeps running. */
  async close(): Promise<void> {
    for (const stream of [this.stdin, this.stdout, this.stderr]) stream?.destroy();
    await this.closeChannels();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
