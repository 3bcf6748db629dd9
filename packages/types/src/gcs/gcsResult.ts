import { toHResult } from '../hresult.js';

/**
 * An HRESULT as the `Result` field carries it: a signed 32-bit number (0x80004005 → -2147467259).
 * Accepts the unsigned or signed form; read it back with `toHResult`.
 */
export function toGcsResult(hresult: number): number {
  return toHResult(hresult) | 0;
}
