import type { Socket } from 'node:net';
import {
  GCS_NOTIFICATION_TYPE,
  GcsFrameSplitter,
  encodeFrame,
  procedureName,
  responseTypeFor,
  toGcsResult,
  type GcsProcedureName,
} from '@uvm/types';

/** One request the scripted guest read. */
export interface SeenRequest {
  readonly type: number;
  readonly id: bigint;
  readonly procedure: GcsProcedureName | undefined;
  /** The exact payload text. */
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export const LINUX_NEGOTIATE_RESPONSE =
  '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}';

export const WINDOWS_NEGOTIATE_RESPONSE =
  '{"Result":0,"Version":4,"Capabilities":{"SendHostCreateMessage":true,"SendHostStartMessage":true,"HvSocketConfigOnStartup":true,"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Windows","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}';

/**
 * A guest end of the bridge whose every answer the test writes: it records what the host sent,
 * byte for byte, and lets the test reply, misbehave, or answer automatically.
 */
export class ScriptedGuest {
  readonly requests: SeenRequest[] = [];
  /** Answers given automatically by procedure name (the body text, or a function of the request). */
  readonly auto = new Map<string, string | ((request: SeenRequest) => string | undefined)>();
  private readonly splitter = new GcsFrameSplitter();
  private readonly taken = new Set<SeenRequest>();
  private waiters: { match: (r: SeenRequest) => boolean; resolve: (r: SeenRequest) => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.splitter.push(chunk, (event) => {
        if (event.kind !== 'frame') return;
        const text = Buffer.from(event.payload).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // keep {} for requests that are not JSON
        }
        const request: SeenRequest = { type: event.header.type, id: event.header.id, procedure: procedureName(event.header.type), text, body };
        this.requests.push(request);
        const waiter = this.waiters.find((w) => w.match(request));
        if (waiter !== undefined) {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve(request);
        }
        const auto = request.procedure === undefined ? undefined : this.auto.get(request.procedure);
        if (auto !== undefined) {
          const answer = typeof auto === 'string' ? auto : auto(request);
          if (answer !== undefined) this.reply(request, answer);
        }
      });
    });
    socket.on('error', () => undefined);
  }

  /** Answers NegotiateProtocol like the Linux GCS does, and ModifySettings/Create/Start with success. */
  static linux(socket: Socket): ScriptedGuest {
    const guest = new ScriptedGuest(socket);
    guest.auto.set('NegotiateProtocol', LINUX_NEGOTIATE_RESPONSE);
    return guest;
  }

  /** The next request (optionally of one procedure) that has not been handed out before. */
  next(procedure?: GcsProcedureName): Promise<SeenRequest> {
    const match = (r: SeenRequest) => procedure === undefined || r.procedure === procedure;
    const seen = this.requests.find((r) => match(r) && !this.taken.has(r));
    if (seen !== undefined) {
      this.taken.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      this.waiters.push({
        match: (r) => match(r) && !this.taken.has(r),
        resolve: (r) => {
          this.taken.add(r);
          resolve(r);
        },
      });
    });
  }

  reply(request: Pick<SeenRequest, 'type' | 'id'>, body: string): void {
    this.write(responseTypeFor(request.type), request.id, body);
  }

  /** A failure answer shaped like the Linux GCS's. */
  fail(request: Pick<SeenRequest, 'type' | 'id'>, hresult: number, message: string): void {
    const result = toGcsResult(hresult);
    this.reply(
      request,
      JSON.stringify({
        Result: result,
        ErrorMessage: message,
        ErrorRecords: [{ Result: result, Message: message, ModuleName: 'gcs', FileName: '', Line: 4294967295 }],
      }),
    );
  }

  notify(body: Record<string, unknown>): void {
    this.write(GCS_NOTIFICATION_TYPE, 0n, JSON.stringify(body));
  }

  write(type: number, id: bigint, body: string | Uint8Array): void {
    this.socket.write(encodeFrame(type, id, body));
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }
}
