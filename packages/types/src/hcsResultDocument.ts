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
 * Reads an HCS result document. Never throws: a missing, empty or unparsable document (HCS does
 * not always send one) yields no events, and fields of the wrong type are skipped.
 */
export function parseHcsResultDocument(json: string | null | undefined): HcsResultDocument {
  if (json === null || json === undefined || json.trim() === '') return { errorEvents: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { errorEvents: [], errorMessage: json.trim() };
  }
  if (!isRecord(parsed)) return { errorEvents: [] };
  const events = Array.isArray(parsed.ErrorEvents) ? parsed.ErrorEvents.filter(isRecord).map(toEvent) : [];
  return {
    ...(typeof parsed.Error === 'number' ? { error: parsed.Error >>> 0 } : {}),
    ...(typeof parsed.ErrorMessage === 'string' && parsed.ErrorMessage !== '' ? { errorMessage: parsed.ErrorMessage } : {}),
    errorEvents: events,
  };
}

function toEvent(e: Record<string, unknown>): HcsErrorEvent {
  const event: { -readonly [K in keyof HcsErrorEvent]: HcsErrorEvent[K] } = {};
  if (typeof e.Message === 'string') event.message = e.Message;
  if (typeof e.StackTrace === 'string') event.stackTrace = e.StackTrace;
  if (typeof e.Provider === 'string') event.provider = e.Provider;
  if (typeof e.EventId === 'number') event.eventId = e.EventId;
  if (typeof e.Flags === 'number') event.flags = e.Flags;
  if (typeof e.Source === 'string') event.source = e.Source;
  return event;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
