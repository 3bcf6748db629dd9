import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import type { Duplex } from 'node:stream';

/** What the peer needs to start one process on this machine. */
export interface PeerProcessSpec {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** `EmulateConsole`: there is no pty here, so stderr joins stdout on the stdout channel, as with a console. */
  readonly terminal: boolean;
  readonly stdin?: Duplex;
  readonly stdout?: Duplex;
  readonly stderr?: Duplex;
}

/** How the process ended: its exit code, or 128 + the signal number when a signal ended it (as runc reports it). */
export type ExitStatus = number;

/**
 * A process the GCS peer runs for ExecuteProcess. Sockets that own a file descriptor are handed to
 * the process itself (the kernel relays, no copy through this process); any other Duplex is relayed
 * with pipes.
 */
export class PeerProcess {
  readonly pid: number;
  readonly terminal: boolean;
  /** Settles once the process has exited and its output relays have finished. */
  readonly exited: Promise<ExitStatus>;
  consoleSize: { readonly height: number; readonly width: number } | undefined;
  /** The last signal sent through {@link PeerProcess.signal}, for the container notification type. */
  lastSignal: number | undefined;
  private status: ExitStatus | undefined;

  private constructor(
    private readonly child: ChildProcess,
    pid: number,
    terminal: boolean,
    exited: Promise<ExitStatus>,
  ) {
    this.pid = pid;
    this.terminal = terminal;
    this.exited = exited.then((code) => (this.status = code));
  }

  /** The exit status once known. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** Starts the process; rejects with the spawn error (ENOENT, EACCES, ...) when it cannot start. */
  static async start(spec: PeerProcessSpec): Promise<PeerProcess> {
    const [file, ...rest] = spec.args;
    if (file === undefined) throw new Error('the process has no arguments: CommandArgs (or CommandLine) must name a program');
    const stdoutTarget = spec.stdout;
    const stderrTarget = spec.terminal ? spec.stdout : spec.stderr;
    const passIn = spec.stdin !== undefined && canPassToChild(spec.stdin);
    const passOut = stdoutTarget !== undefined && canPassToChild(stdoutTarget);
    const passErr = stderrTarget !== undefined && canPassToChild(stderrTarget);
    const stdio: StdioOptions = [
      slot(spec.stdin, passIn),
      slot(stdoutTarget, passOut),
      slot(stderrTarget, passErr),
    ];
    let child: ChildProcess;
    try {
      // No shell: the arguments are the argv, as the GCS execs them; `sh -c` runs a shell when asked.
      child = spawn(file, rest, { cwd: spec.cwd, env: { ...spec.env }, stdio, windowsHide: true });
    } catch (error) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    // The child holds its own copies of passed descriptors; ours must go without a shutdown, which
    // would end the child's direction too.
    const passed = new Set<Duplex>();
    const candidates: [boolean, Duplex | undefined][] = [
      [passIn, spec.stdin],
      [passOut, stdoutTarget],
      [passErr, stderrTarget],
    ];
    for (const [pass, stream] of candidates) if (pass && stream !== undefined) passed.add(stream);
    // The child has its copies once spawn() returns; closing ours before any I/O turn means no byte
    // meant for the child's stdin can be read by this process instead.
    for (const stream of passed) stream.destroy();
    const pid = await spawned(child);

    const relays: Promise<void>[] = [];
    if (spec.stdin !== undefined && !passIn) relayStdin(spec.stdin, child);
    const outputs = new Map<Duplex, NodeJS.ReadableStream[]>();
    const addOutput = (target: Duplex | undefined, passedToChild: boolean, source: NodeJS.ReadableStream | null) => {
      if (target === undefined || passedToChild || source === null) return;
      outputs.set(target, [...(outputs.get(target) ?? []), source]);
    };
    addOutput(stdoutTarget, passOut, child.stdout);
    addOutput(stderrTarget, passErr, child.stderr);
    for (const [target, sources] of outputs) relays.push(relayOutput(sources, target));
    const exited = new Promise<ExitStatus>((resolve) => {
      child.once('close', (code, signal) => {
        const status = code ?? (signal === null ? 255 : 128 + osConstants.signals[signal]);
        void Promise.allSettled(relays).then(() => {
          resolve(status);
        });
      });
    });
    for (const stream of [spec.stdin, spec.stdout, spec.stderr]) {
      // A vanished host end must not crash the peer; the process sees EPIPE or EOF on its side.
      stream?.on('error', () => undefined);
    }
    return new PeerProcess(child, pid, spec.terminal, exited);
  }

  /** Sends a signal; false when the process has already exited. */
  signal(signal: number): boolean {
    if (this.status !== undefined || this.child.exitCode !== null || this.child.signalCode !== null) return false;
    this.lastSignal = signal;
    return this.child.kill(signal);
  }
}

function slot(stream: Duplex | undefined, pass: boolean): 'ignore' | 'pipe' | Duplex {
  if (stream === undefined) return 'ignore';
  return pass ? stream : 'pipe';
}

/**
 * A socket can be given to the child as its descriptor when it owns one and holds no bytes that
 * were already read from it (those would never reach the child).
 */
function canPassToChild(stream: Duplex): boolean {
  if (!(stream instanceof Socket) || stream.destroyed || stream.connecting) return false;
  // Node hands a stream to a child only through its native handle (child_process "stdio" docs).
  const handle = (stream as unknown as { _handle?: { fd?: number } | null })._handle;
  return handle !== null && handle !== undefined && typeof handle.fd === 'number' && handle.fd >= 0 && stream.readableLength === 0;
}

function spawned(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const onSpawn = () => {
      child.off('error', onError);
      // A pid always exists after 'spawn'.
      resolve(child.pid ?? 0);
    };
    const onError = (error: Error) => {
      child.off('spawn', onSpawn);
      reject(error);
    };
    child.once('spawn', onSpawn);
    child.once('error', onError);
  });
}

function relayStdin(source: Duplex, child: ChildProcess): void {
  const sink = child.stdin;
  if (sink === null) return;
  sink.on('error', () => undefined);
  source.pipe(sink);
}

/** Copies the sources into the target and ends it once every source has ended (two for a console). */
async function relayOutput(sources: readonly NodeJS.ReadableStream[], target: Duplex): Promise<void> {
  await Promise.all(
    sources.map(
      (source) =>
        new Promise<void>((resolve) => {
          source.pipe(target, { end: false });
          source.once('end', resolve);
          source.once('error', () => {
            resolve();
          });
        }),
    ),
  );
  if (target.destroyed || target.writableFinished) return;
  await new Promise<void>((resolve) => {
    target.once('close', resolve);
    target.end(resolve);
  });
}
