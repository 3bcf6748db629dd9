import { createHash } from 'node:crypto';
import type { ParseResult } from './goParse.js';

// Go's base64.StdEncoding: the standard alphabet, padded to a multiple of four; it skips CR and LF.
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a standard, padded base64 string, or why it is not one (Go's `base64.StdEncoding`). */
function decodeStdBase64(text: string): ParseResult<Buffer> {
  const compact = text.replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(compact)) {
    return { ok: false, reason: 'is not standard base64 (A–Z, a–z, 0–9, "+", "/", padded with "=" to a multiple of 4 characters)' };
  }
  return { ok: true, value: Buffer.from(compact, 'base64') };
}

/**
 * The `LaunchData` of a confidential LCOW VM (hcs-host.md §4.10): the base64 SHA-256 digest of the
 * decoded security policy, which the hardware measures at launch.
 */
export function launchDataFromPolicy(policyBase64: string): ParseResult<string> {
  const decoded = decodeStdBase64(policyBase64);
  if (!decoded.ok) return decoded;
  return { ok: true, value: createHash('sha256').update(decoded.value).digest('base64') };
}
