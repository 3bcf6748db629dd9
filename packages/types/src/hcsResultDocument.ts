import type { HcsErrorEvent } from './errors.js';

/** What a failed HCS call's result document says (hcs-host.md §1.7), in camelCase. */
export interface HcsResultDocument {
  /** `Error`: the HRESULT as HCS reported it, unsigned. */
  readonly error?: number;
  /** `ErrorMessage`. */
  readonly errorMessage?: string;
  /** `ErrorEvents`; the `Data` member of each event is deliberately not kept. */
  readonly errorEvents: readonly HcsErrorEvent[];
}

/**
 * Reads an HCS result document. Never throws: a missing or empty document (HCS does not always
 * send one) yields no events, text that is not JSON is kept as the error message, and fields of the
 * wrong type or out of range are skipped.
 */
export function parseHcsResultDocument(json: string | null | undefined): HcsResultDocument {
  // A document copied out of a UTF-16 buffer may keep its byte order mark or terminating NULs.
  const text = json?.replace(/^\uFEFF/, '').replace(/\0+$/, '').trim();
  if (text === undefined || text === '') return { errorEvents: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { errorEvents: [], errorMessage: text };
  }
  if (!isRecord(parsed)) return { errorEvents: [] };
  const events = Array.isArray(parsed.ErrorEvents) ? parsed.ErrorEvents.filter(isRecord).map(toEvent) : [];
  return {
    ...(isInteger(parsed.Error, -0x80000000, 0xffffffff) ? { error: parsed.Error >>> 0 } : {}),
    ...(typeof parsed.ErrorMessage === 'string' && parsed.ErrorMessage !== '' ? { errorMessage: parsed.ErrorMessage } : {}),
    errorEvents: events,
  };
}

function toEvent(e: Record<string, unknown>): HcsErrorEvent {
  const event: { -readonly [K in keyof HcsErrorEvent]: HcsErrorEvent[K] } = {};
  if (typeof e.Message === 'string') event.message = e.Message;
  if (typeof e.StackTrace === 'string') event.stackTrace = e.StackTrace;
  if (typeof e.Provider === 'string') event.provider = e.Provider;
  if (isInteger(e.EventId, 0, 0xffff)) event.eventId = e.EventId;
  if (isInteger(e.Flags, 0, 0xffffffff)) event.flags = e.Flags;
  if (typeof e.Source === 'string') event.source = e.Source;
  return event;
}

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
