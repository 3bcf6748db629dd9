/**
 * The bridge's RPC procedures (gcs-bridge.md §2.3). A procedure code is `category | id << 8 | 1`;
 * its request carries kind bits 0x1, its response 0x2.
 */
import { ValidationError } from '../errors.js';
import { assertUint32 } from './inputChecks.js';
import { GcsMessageKind, GCS_MESSAGE_KIND_MASK } from './messageType.js';

/** Procedure name → procedure code, for all 16 procedures. */
export const GcsProcedure = {
  Create: 0x00100101,
  Start: 0x00100201,
  ShutdownGraceful: 0x00100301,
  ShutdownForced: 0x00100401,
  ExecuteProcess: 0x00100501,
  WaitForProcess: 0x00100601,
  SignalProcess: 0x00100701,
  ResizeConsole: 0x00100801,
  GetProperties: 0x00100901,
  ModifySettings: 0x00100a01,
  NegotiateProtocol: 0x00100b01,
  DumpStacks: 0x00100c01,
  DeleteContainerState: 0x00100d01,
  UpdateContainer: 0x00100e01,
  LifecycleNotification: 0x00100f01,
  ModifyServiceSettings: 0x00200101,
} as const;
export type GcsProcedure = (typeof GcsProcedure)[keyof typeof GcsProcedure];
export type GcsProcedureName = keyof typeof GcsProcedure;

/**
 * The one notification type the guest sends (Notify | ComputeSystem | id 1 | version 1): a
 * container notification, always with id 0.
 */
export const GCS_NOTIFICATION_TYPE = 0x30100101;

/**
 * The procedures the Linux GCS (run with `-v4`) answers; every other one gets E_NOTIMPL
 * (gcs-bridge.md §6.3). NegotiateProtocol is served before negotiation, the rest only after.
 */
export const LINUX_GCS_PROCEDURES: ReadonlySet<GcsProcedure> = new Set<GcsProcedure>([
  GcsProcedure.Create,
  GcsProcedure.Start,
  GcsProcedure.ShutdownGraceful,
  GcsProcedure.ShutdownForced,
  GcsProcedure.ExecuteProcess,
  GcsProcedure.WaitForProcess,
  GcsProcedure.SignalProcess,
  GcsProcedure.ResizeConsole,
  GcsProcedure.GetProperties,
  GcsProcedure.ModifySettings,
  GcsProcedure.NegotiateProtocol,
  GcsProcedure.DumpStacks,
  GcsProcedure.DeleteContainerState,
]);

const NAMES: ReadonlyMap<number, GcsProcedureName> = new Map(
  (Object.entries(GcsProcedure) as [GcsProcedureName, GcsProcedure][]).map(([name, code]) => [code, name]),
);

/** The request `Type` of a procedure (`0x1…`). */
export function gcsRequestType(proc: number): number {
  return (procedureBits(proc) | GcsMessageKind.request) >>> 0;
}

/** The response `Type` of a procedure (`0x2…`). */
export function gcsResponseType(proc: number): number {
  return (procedureBits(proc) | GcsMessageKind.response) >>> 0;
}

/**
 * The response `Type` the guest writes for a received `Type`: the top nibble replaced with 2, as the
 * Linux GCS does for every request, including ones it does not know.
 */
export function responseTypeFor(requestType: number): number {
  assertUint32(requestType, 'requestType');
  return ((requestType & ~GCS_MESSAGE_KIND_MASK) | GcsMessageKind.response) >>> 0;
}

/** The procedure code of a message `Type` (its kind bits cleared). */
export function procedureOf(type: number): number {
  assertUint32(type, 'type');
  return (type & ~GCS_MESSAGE_KIND_MASK) >>> 0;
}

/**
 * The name of a procedure, given its code or a request/response `Type`; undefined for codes no
 * procedure has (the sidecar's bare `0x20000000` rejection, for example).
 */
export function procedureName(code: number): GcsProcedureName | undefined {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 0xffffffff) return undefined;
  return NAMES.get((code & ~GCS_MESSAGE_KIND_MASK) >>> 0);
}

function procedureBits(proc: number): number {
  assertUint32(proc, 'proc');
  if ((proc & GCS_MESSAGE_KIND_MASK) !== 0) {
    throw new ValidationError('GCS procedure', [
      { path: '/proc', message: `must be a procedure code with the top 4 bits clear (e.g. GcsProcedure.Create = 0x00100101); got 0x${proc.toString(16)}.` },
    ]);
  }
  return proc;
}
