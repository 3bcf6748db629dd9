import type { Readable, Writable } from 'node:stream';
import type { ProcessParameters, ProcessStatus } from '@uvm/types';
import { createDuplexPair } from '../duplexPair.js';

/**
 * A process created in a simulated VM, as the code that plays it sees it (the `process` option of
 * `createHcsSimulator`). The streams are the guest's ends: read what the host writes to stdin,
 * write what the host should read from stdout and stderr.
 */
export interface SimulatedProcess {
  readonly systemId: string;
  readonly processId: number;
  readonly parameters: ProcessParameters;
  /** What the host writes to the process (present when `CreateStdInPipe` was set). */
  readonly stdin: Readable | undefined;
  /** Present when `CreateStdOutPipe` was set. */
  readonly stdout: Writable | undefined;
  /** Present when `CreateStdErrPipe` was set. */
  readonly stderr: Writable | undefined;
  /** Aborts when the process ends: it exited, was terminated, or its VM stopped. */
  readonly signal: AbortSignal;
  /** The last console size the host set through HcsModifyProcess, as `[height, width]`. */
  readonly consoleSize: readonly [number, number] | undefined;
  /** Ends the process with `exitCode`; stdout and stderr end after what was written. Later calls do nothing. */
  exit(exitCode: number): void;
  /**
   * Receives the options of HcsSignalProcess (e.g. `{ "Signal": 15 }`). Without a handler a signal
   * ends the process with exit code 128 + `Signal` (the Linux convention), or 1 without a number.
   */
  onSignal: ((options: Readonly<Record<string, unknown>>) => void) | undefined;
}

/** The exit code of a process the host terminated (HcsTerminateProcess). */
export const TERMINATED_EXIT_CODE = 1;

/** A process and its host-side state: handles, stdio ends, exit status. */
export class SimulatedProcessRecord implements SimulatedProcess {
  readonly stdin: Readable | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly hostStdin: Writable | undefined;
  readonly hostStdout: Readable | undefined;
  readonly hostStderr: Readable | undefined;
  readonly handles = new Set<object>();
  readonly createdAt: number;
  consoleSize: readonly [number, number] | undefined;
  onSignal: ((options: Readonly<Record<string, unknown>>) => void) | undefined;
  status: ProcessStatus | undefined;
  private readonly ended = new AbortController();

  constructor(
    readonly systemId: string,
    readonly processId: number,
    readonly parameters: ProcessParameters,
    now: number,
    private readonly onExit: (record: SimulatedProcessRecord) => void,
  ) {
    this.createdAt = now;
    if (parameters.CreateStdInPipe === true) {
      const [host, guest] = createDuplexPair();
      this.hostStdin = host;
      this.stdin = guest;
    }
    if (parameters.CreateStdOutPipe === true) {
      const [host, guest] = createDuplexPair();
      this.hostStdout = host;
      this.stdout = guest;
    }
    if (parameters.CreateStdErrPipe === true) {
      const [host, guest] = createDuplexPair();
      this.hostStderr = host;
      this.stderr = guest;
    }
  }

  get signal(): AbortSignal {
    return this.ended.signal;
  }

  get exited(): boolean {
    return this.status !== undefined;
  }

  exit(exitCode: number): void {
    this.finish({ ProcessId: this.processId, Exited: true, ExitCode: exitCode >>> 0, LastWaitResult: 0 });
  }

  /** The VM stopped under the process: HCS could not collect an exit code. */
  lose(lastWaitResult: number): void {
    this.finish({ ProcessId: this.processId, Exited: true, LastWaitResult: lastWaitResult | 0 });
  }

  signalWith(options: Readonly<Record<string, unknown>>): void {
    if (this.onSignal !== undefined) {
      this.onSignal(options);
      return;
    }
    const signal = options.Signal;
    this.exit(typeof signal === 'number' && Number.isInteger(signal) && signal > 0 ? 128 + signal : 1);
  }

  closeStdio(which: 'StdIn' | 'StdOut' | 'StdErr' | 'All'): void {
    if (which === 'StdIn' || which === 'All') this.hostStdin?.end();
    if (which === 'StdOut' || which === 'All') this.hostStdout?.destroy();
    if (which === 'StdErr' || which === 'All') this.hostStderr?.destroy();
  }

  private finish(status: ProcessStatus): void {
    if (this.status !== undefined) return;
    this.status = status;
    // Output written before the exit still reaches the host; then the host reads EOF.
    this.stdout?.end();
    this.stderr?.end();
    this.stdin?.destroy();
    this.ended.abort(new Error(`process ${this.processId} ended`));
    this.onExit(this);
  }
}
