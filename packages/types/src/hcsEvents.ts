import type { OperationSystemMigrationNotificationInfo, ProcessStatus } from './hcs/schema/index.js';

/** `HCS_EVENT_TYPE` values (hcs-host.md §1.4). */
export const HcsEventType = Object.freeze({
  Invalid: 0x00000000,
  SystemExited: 0x00000001,
  SystemCrashInitiated: 0x00000002,
  SystemCrashReport: 0x00000003,
  SystemRdpEnhancedModeStateChanged: 0x00000004,
  SystemSiloJobCreated: 0x00000005,
  SystemGuestConnectionClosed: 0x00000006,
  ProcessExited: 0x00010000,
  OperationCallback: 0x01000000,
  ServiceDisconnect: 0x02000000,
  GroupVmLifecycle: 0x80000002,
  GroupLiveMigration: 0x80000003,
  GroupOperationInfo: 0xc0000001,
} as const);

/** `HCS_EVENT_OPTIONS` flags for HcsSetComputeSystemCallback. */
export const HcsEventOptions = Object.freeze({
  None: 0,
  EnableOperationCallbacks: 1,
  EnableVmLifecycle: 2,
  EnableLiveMigrationEvents: 4,
} as const);

/** The payload of a SystemExited event. */
export interface SystemExitStatus {
  /** HRESULT of the exit, signed as HCS sends it. */
  readonly Status?: number;
  /** For example `GracefulExit`, `ForcedExit`, `UnexpectedExit`. */
  readonly ExitType?: string;
}

interface EventBase {
  /** The `HCS_EVENT_TYPE` value. */
  readonly code: number;
  /** The event's JSON data exactly as HCS sent it, when there was any. */
  readonly data: string | undefined;
}

/** An event of a compute system, as delivered by an {@link Hcs} backend. */
export type HcsSystemEvent =
  | (EventBase & { readonly type: 'exited'; readonly status: SystemExitStatus; readonly unexpected: boolean })
  | (EventBase & { readonly type: 'crashInitiated' })
  | (EventBase & { readonly type: 'crashReport' })
  | (EventBase & { readonly type: 'rdpEnhancedModeStateChanged' })
  | (EventBase & { readonly type: 'siloJobCreated' })
  | (EventBase & { readonly type: 'guestConnectionClosed' })
  | (EventBase & { readonly type: 'serviceDisconnect' })
  | (EventBase & { readonly type: 'liveMigration'; readonly info: OperationSystemMigrationNotificationInfo })
  | (EventBase & { readonly type: 'unknown' });

/** How a process ended. */
export interface HcsProcessExit {
  /** The exit code, or -1 when HCS could not collect it (`LastWaitResult` ≠ 0). */
  readonly exitCode: number;
  readonly status: ProcessStatus;
}

/** An event of a process, as delivered by an {@link Hcs} backend. */
export type HcsProcessEvent =
  | (EventBase & { readonly type: 'exited'; readonly exit: HcsProcessExit })
  | (EventBase & { readonly type: 'serviceDisconnect' })
  | (EventBase & { readonly type: 'unknown' });

/** The JSON object in `data`, or undefined when there is none; the caller reads its fields defensively. */
function parseObject(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined || data.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.fromEntries(Object.entries(value));
  } catch {
    return undefined;
  }
}

function parseMigrationInfo(data: string | undefined): OperationSystemMigrationNotificationInfo {
  const obj = parseObject(data) ?? {};
  const info: Record<string, unknown> = {};
  for (const key of ['Origin', 'Event', 'Result'] as const) if (typeof obj[key] === 'string') info[key] = obj[key];
  if (obj.AdditionalDetails !== undefined) info.AdditionalDetails = obj.AdditionalDetails;
  return info;
}

/**
 * Turns a raw HCS system event (its type code and copied EventData) into a typed event. Never
 * throws: data that does not parse leaves the typed fields at their zero values.
 */
export function parseSystemEvent(code: number, data: string | undefined): HcsSystemEvent {
  const c = code >>> 0;
  const base = { code: c, data };
  switch (c) {
    case HcsEventType.SystemExited: {
      const obj = parseObject(data) ?? {};
      const status: { -readonly [K in keyof SystemExitStatus]: SystemExitStatus[K] } = {};
      if (typeof obj.Status === 'number') status.Status = obj.Status;
      if (typeof obj.ExitType === 'string') status.ExitType = obj.ExitType;
      return { ...base, type: 'exited', status, unexpected: status.ExitType === 'UnexpectedExit' };
    }
    case HcsEventType.SystemCrashInitiated:
      return { ...base, type: 'crashInitiated' };
    case HcsEventType.SystemCrashReport:
      return { ...base, type: 'crashReport' };
    case HcsEventType.SystemRdpEnhancedModeStateChanged:
      return { ...base, type: 'rdpEnhancedModeStateChanged' };
    case HcsEventType.SystemSiloJobCreated:
      return { ...base, type: 'siloJobCreated' };
    case HcsEventType.SystemGuestConnectionClosed:
      return { ...base, type: 'guestConnectionClosed' };
    case HcsEventType.ServiceDisconnect:
      return { ...base, type: 'serviceDisconnect' };
    case HcsEventType.GroupLiveMigration:
      return { ...base, type: 'liveMigration', info: parseMigrationInfo(data) };
    default:
      return { ...base, type: 'unknown' };
  }
}

/** Turns a raw HCS process event into a typed event; never throws. */
export function parseProcessEvent(code: number, data: string | undefined): HcsProcessEvent {
  const c = code >>> 0;
  const base = { code: c, data };
  if (c === HcsEventType.ProcessExited) return { ...base, type: 'exited', exit: parseProcessExit(data) };
  if (c === HcsEventType.ServiceDisconnect) return { ...base, type: 'serviceDisconnect' };
  return { ...base, type: 'unknown' };
}

/**
 * Reads a ProcessStatus document. The exit code counts only when `LastWaitResult` is 0; otherwise
 * it is -1, as hcsshim does (hcs-host.md §2.3).
 */
export function parseProcessExit(data: string | undefined): HcsProcessExit {
  const obj = parseObject(data) ?? {};
  const status: { -readonly [K in keyof ProcessStatus]: ProcessStatus[K] } = {};
  if (typeof obj.ProcessId === 'number') status.ProcessId = obj.ProcessId;
  if (typeof obj.Exited === 'boolean') status.Exited = obj.Exited;
  if (typeof obj.ExitCode === 'number') status.ExitCode = obj.ExitCode;
  if (typeof obj.LastWaitResult === 'number') status.LastWaitResult = obj.LastWaitResult;
  const lastWait = status.LastWaitResult ?? 0;
  return { exitCode: lastWait === 0 ? (status.ExitCode ?? 0) : -1, status };
}
