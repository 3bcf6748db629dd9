import { toHResult } from '@uvm/types';

/** HRESULTs the simulated GCS answers with (gcs-bridge.md §3.19). */
export const PeerHResult = {
  notImplemented: 0x80004001,
  fail: 0x80004005,
  notFound: 0x80070490,
  timeout: 0xc0370109,
  unsupportedProtocolVersion: 0xc037010c,
  invalidJson: 0xc037010d,
  systemNotFound: 0xc037010e,
  systemAlreadyExists: 0xc037010f,
  invalidState: 0x80370105,
} as const;

/**
 * A request the simulated GCS fails: the HRESULT it puts in `Result` and the text of
 * `ErrorMessage`. Anything else a handler throws is answered with E_FAIL, as the Linux GCS does
 * for an error without an HRESULT in its chain (§3.3).
 */
export class PeerFailure extends Error {
  readonly hresult: number;

  constructor(hresult: number, message: string) {
    super(message);
    this.name = 'PeerFailure';
    this.hresult = toHResult(hresult);
  }
}
