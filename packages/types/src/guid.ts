import { randomUUID } from 'node:crypto';
import type { ValidationIssue } from './errors.js';
import { integerIssue, showValue, throwIfIssues } from './argumentChecks.js';

/** The all-zero GUID; also the hvsock wildcard VM id and the "no CPU group" id. */
export const NULL_GUID = '00000000-0000-0000-0000-000000000000';

/** Bytes in a binary GUID. */
export const GUID_BYTES = 16;

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_FORM = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (36 characters, hex digits and dashes, no braces)';

/**
 * True for the text form HCS and the GCS accept: 8-4-4-4-12 hex digits, exactly 36 characters,
 * no braces. Either case is accepted; {@link normalizeGuid} gives the lower-case form to send.
 */
export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_PATTERN.test(text);
}

/** The issue for a value that is not a GUID, or undefined. `what` names it for the reader. */
export function guidIssue(value: unknown, path: string, what: string): ValidationIssue | undefined {
  if (isGuid(value)) return undefined;
  let message = `${what} must be a GUID of the form ${GUID_FORM}; got ${showValue(value)}.`;
  if (typeof value === 'string') {
    const inner = value.trim().replace(/^\{(.*)\}$/s, '$1');
    if (inner !== value && isGuid(inner)) message += ` Write it as "${inner.toLowerCase()}".`;
  }
  return { path, message };
}

/**
 * The lower-case text form of a GUID, as hcsshim writes every GUID. Throws a ValidationError
 * naming the value when it is not a GUID (braces, wrong length, non-hex digits).
 */
export function normalizeGuid(text: string): string {
  throwIfIssues('GUID', [guidIssue(text, '', 'The value')]);
  return text.toLowerCase();
}

/** A new random (version 4) GUID in lower case. */
export function randomGuid(): string {
  return randomUUID();
}

/**
 * The 16 bytes of a GUID in the Windows binary layout, as a SOCKADDR_HV or any native GUID field
 * holds it: Data1 as a little-endian u32, Data2 and Data3 as little-endian u16s, then the 8 bytes of
 * Data4 in order (`40000000-facb-11e6-bd58-64006a7986d3` → `00 00 00 40 cb fa e6 11 bd 58 …`).
 */
export function guidToBytes(guid: string): Uint8Array {
  throwIfIssues('GUID', [guidIssue(guid, '', 'The value')]);
  const hex = guid.replaceAll('-', '');
  const bytes = new Uint8Array(GUID_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Number.parseInt(hex.slice(0, 8), 16), true);
  view.setUint16(4, Number.parseInt(hex.slice(8, 12), 16), true);
  view.setUint16(6, Number.parseInt(hex.slice(12, 16), 16), true);
  for (let i = 0; i < 8; i++) bytes[8 + i] = Number.parseInt(hex.slice(16 + 2 * i, 18 + 2 * i), 16);
  return bytes;
}

/**
 * The lower-case GUID stored at `offset` in `bytes` in the Windows binary layout (the inverse of
 * {@link guidToBytes}). A SOCKADDR_HV, for example, holds the VM id at offset 4 and the service id
 * at offset 20.
 */
export function guidFromBytes(bytes: Uint8Array, offset = 0): string {
  const issues: ValidationIssue[] = [];
  if (!(bytes instanceof Uint8Array)) {
    issues.push({ path: '/bytes', message: `bytes must be a Uint8Array (or Buffer); got ${showValue(bytes)}.` });
  } else if (bytes.length < GUID_BYTES) {
    issues.push({ path: '/bytes', message: `bytes must hold at least ${GUID_BYTES} bytes for a GUID; got ${bytes.length}.` });
  } else {
    const last = bytes.length - GUID_BYTES;
    const issue = integerIssue(offset, '/offset', 0, last, 'offset');
    if (issue !== undefined) issues.push({ ...issue, message: `${issue.message} A GUID needs ${GUID_BYTES} bytes from the offset in a buffer of ${bytes.length}.` });
  }
  throwIfIssues('GUID bytes', issues);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, GUID_BYTES);
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
  const data4 = Array.from(bytes.subarray(offset + 8, offset + GUID_BYTES), (b) => hex(b, 2)).join('');
  return `${hex(view.getUint32(0, true), 8)}-${hex(view.getUint16(4, true), 4)}-${hex(view.getUint16(6, true), 4)}-${data4.slice(0, 4)}-${data4.slice(4)}`;
}
