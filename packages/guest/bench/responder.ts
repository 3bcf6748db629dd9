// The guest end for the benchmarks, in a worker thread so it has its own core: a minimal GCS that
// answers every request with a fixed body (the same work whether the host is the bridge or the raw
// floor), serves ExecuteProcess by dialling the stdout port and writing the payload, and writes the
// same payload through a plain socket for the baseline.
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { GcsFrameSplitter, encodeFrame, responseTypeFor } from '@uvm/types';

export interface ResponderData {
  readonly dir: string;
  readonly payloadBytes: number;
}

export type ResponderCommand = { readonly kind: 'plain-write'; readonly path: string };

const { dir, payloadBytes } = workerData as ResponderData;
const port = parentPort;
if (port === null) throw new Error('responder.js runs as a worker');

const NEGOTIATED =
  '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}';
const OK = '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000"}';
const NEGOTIATE = 0x10100b01;
const EXECUTE = 0x10100501;
const WAIT = 0x10100601;
const chunk = Buffer.alloc(1 << 20, 0x61);

function dial(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Writes the payload as fast as the reader takes it, then ends the socket. */
async function writePayload(socket: Socket): Promise<void> {
  let left = payloadBytes;
  while (left > 0) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= part.length;
    if (!socket.write(part)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await new Promise<void>((resolve) => socket.end(resolve));
}

function serve(socket: Socket): void {
  const splitter = new GcsFrameSplitter();
  let exited: Promise<void> = Promise.resolve();
  socket.on('data', (data: Buffer) => {
    // Answers to one read go out as one write, as an efficient guest would send them.
    const answers: Uint8Array[] = [];
    splitter.push(data, (event) => {
      if (event.kind !== 'frame') return;
      const { type, id } = event.header;
      if (type === NEGOTIATE) answers.push(encodeFrame(responseTypeFor(type), id, NEGOTIATED));
      else if (type === EXECUTE) {
        const body = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { Settings: { VsockStdioRelaySettings: { StdOut: number } } };
        const stdoutPort = body.Settings.VsockStdioRelaySettings.StdOut;
        exited = dial(join(dir, `${stdoutPort.toString(16)}.sock`)).then((stdout) => {
          socket.write(encodeFrame(responseTypeFor(type), id, '{"Result":0,"ProcessId":1}'));
          return writePayload(stdout);
        });
      } else if (type === WAIT) {
        void exited.then(() => socket.write(encodeFrame(responseTypeFor(type), id, '{"Result":0,"ExitCode":0}')));
      } else answers.push(encodeFrame(responseTypeFor(type), id, OK));
    });
    if (answers.length > 0) socket.write(Buffer.concat(answers));
  });
  socket.on('error', () => undefined);
}

const server = createServer(serve);
server.listen(join(dir, 'gcs.sock'), () => {
  port.postMessage('listening');
});
port.on('message', (command: ResponderCommand) => {
  void dial(command.path).then(writePayload);
});
